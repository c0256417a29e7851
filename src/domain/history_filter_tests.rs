//! The history filter: what is sent to CAVRA, what the console matches, what is refused.

use super::*;
use crate::domain::record::kind;
use crate::domain::test_fixtures::rec;
use serde_json::json;

fn parse(s: &str) -> HistoryFilter {
    HistoryFilter::parse(s).unwrap()
}

#[test]
fn aliases_and_the_apis_own_names_map_to_the_servers_parameters() {
    let f = parse(
        "source:audit success:false kind:acknowledgement-audit-delivery-retry-ack level:critical",
    );
    assert_eq!(
        f.query.connector_delivery_source.as_deref(),
        Some(source::ACK_AUDIT)
    );
    assert_eq!(f.query.delivery_success, Some(false));
    assert_eq!(f.query.metadata_kind.as_deref(), Some(kind::RETRY_ACK));
    assert_eq!(f.query.alert_level.as_deref(), Some("critical"));
    assert!(!f.scans());
    let api = parse(
        "delivery_success:false alert_level:critical audit_id:A1 delivery_id:D1 metadata_kind:release-connector-delivery connector_delivery_source:go_backend_rollback_drill_notification schedule_id:S cadence:hourly acknowledgement_state:Escalated provider:Slack",
    );
    let q = &api.query;
    assert_eq!(q.delivery_success, Some(false));
    assert_eq!(q.alert_level.as_deref(), Some("critical"));
    assert_eq!(q.audit_id.as_deref(), Some("A1"));
    assert_eq!(q.delivery_id.as_deref(), Some("D1"));
    assert_eq!(q.metadata_kind.as_deref(), Some(kind::CONNECTOR_DELIVERY));
    assert_eq!(
        q.connector_delivery_source.as_deref(),
        Some(source::NOTIFICATION)
    );
    assert_eq!(q.schedule_id.as_deref(), Some("S"));
    assert_eq!(q.cadence.as_deref(), Some("hourly"));
    assert_eq!(q.acknowledgement_state.as_deref(), Some("Escalated"));
    assert!(!api.scans(), "every API filter is sent, nothing is scanned");
    let pairs = crate::domain::query::pairs(&q);
    let names: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names.len(), 10, "all ten parameters are sent: {names:?}");
}

#[test]
fn acknowledgement_states_are_sent_as_acknowledgement_state() {
    for s in [
        "escalated",
        "Resolved",
        "accepted",
        "deferred",
        "dismissed",
        "acknowledged",
    ] {
        let f = parse(&format!("state:{s}"));
        assert_eq!(
            f.query.acknowledgement_state.as_deref(),
            Some(s.to_lowercase().as_str())
        );
        assert!(!f.scans(), "{s} needs no scan");
        assert!(
            crate::domain::query::pairs(&f.query)
                .iter()
                .any(|(k, _)| k == "acknowledgement_state")
        );
    }
    assert_eq!(parse("state:failed").query.delivery_success, Some(false));
    assert_eq!(
        parse("state:delivery-failed").query.delivery_success,
        Some(false)
    );
    assert_eq!(parse("state:delivered").query.delivery_success, Some(true));
    let out = parse("state:outstanding");
    assert!(out.scans());
    assert_eq!(out.query.console.status.as_deref(), Some("outstanding"));
    let crit = parse("state:critical");
    assert_eq!(crit.query.alert_level.as_deref(), Some("critical"));
    assert_eq!(crit.query.console.status.as_deref(), Some("critical"));
    assert!(
        HistoryFilter::parse("state:sideways")
            .unwrap_err()
            .to_string()
            .contains("outstanding")
    );
}

#[test]
fn a_provider_is_sent_as_typed_and_any_case_is_a_console_choice() {
    let f = parse("provider:Slack");
    assert_eq!(f.query.provider.as_deref(), Some("Slack"));
    assert!(!f.scans());
    assert_eq!(
        parse("provider:webhook").query.provider.as_deref(),
        Some("webhook")
    );
    let any = parse("provider:~slack");
    assert!(any.query.provider.is_none() && any.scans());
    let ack = |p: &str| {
        rec(
            json!({"metadata_kind": kind::NOTIFICATION_ACK, "provider": p, "acknowledgement_state": "acknowledged"}),
        )
    };
    assert!(any.query.console.matches(&ack("Slack")));
    assert!(any.query.console.matches(&ack("slack")));
    assert!(!any.query.console.matches(&ack("teams")));
}

#[test]
fn provider_groups_and_derived_states_are_matched_by_the_console() {
    let f = parse("provider:SIEM state:failed");
    assert!(f.query.provider.is_none());
    assert_eq!(f.query.delivery_success, Some(false));
    assert!(f.scans());
    let r = |providers: &[&str], ok: bool| {
        rec(
            json!({"metadata_kind": kind::CONNECTOR_DELIVERY, "providers": providers, "delivery_success": ok}),
        )
    };
    assert!(f.query.console.matches(&r(&["sentinel"], false)));
    assert!(f.query.console.matches(&r(&["Splunk"], false)));
    assert!(!f.query.console.matches(&r(&["jira"], false)));
}

#[test]
fn every_kind_the_history_shows_is_a_valid_kind_value() {
    for k in crate::domain::kinds::all() {
        let r = rec(json!({"metadata_kind": k}));
        let shown = crate::domain::history::short_kind(&r);
        let pane = shown.replace("acknowledgement-audit", "ack-audit");
        for word in [k.clone(), shown.clone(), pane.clone()] {
            let f = HistoryFilter::parse(&format!("kind:{word}"))
                .unwrap_or_else(|e| panic!("kind:{word}: {e}"));
            assert_eq!(
                f.query.metadata_kind.as_deref(),
                Some(k.as_str()),
                "kind:{word}"
            );
        }
    }
}

#[test]
fn the_seed_pages_words_name_kinds() {
    let one = |w: &str| parse(&format!("kind:\"{w}\"")).query.metadata_kind;
    for (word, k) in [
        ("retry acknowledgement", kind::RETRY_ACK),
        ("delivery plan", kind::AUDIT_DELIVERY_PLAN),
        (
            "acknowledgement audit delivery plan",
            kind::AUDIT_DELIVERY_PLAN,
        ),
        ("acknowledgement audit package", kind::AUDIT_PACKAGE),
        ("connector delivery", kind::CONNECTOR_DELIVERY),
        ("retry-ack", kind::RETRY_ACK),
        ("worker_run", kind::WORKER_RUN),
    ] {
        assert_eq!(one(word).as_deref(), Some(k), "{word}");
    }
    for w in [
        "kind:worker-health",
        "kind:\"Ack audit worker health\"",
        "kind:worker_health",
    ] {
        let f = parse(w);
        assert!(f.query.metadata_kind.is_none() && f.scans(), "{w}");
        let (_, kinds) = f.query.console.kinds.clone().unwrap();
        assert_eq!(
            kinds,
            [
                kind::WORKER_HEALTH_ALERT_PLAN,
                kind::WORKER_HEALTH_ALERT_ACK
            ],
            "{w}"
        );
    }
}

#[test]
fn unknown_kinds_fields_and_tokens_are_refused_with_the_choices() {
    let e = HistoryFilter::parse("kind:bananas")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("unknown kind 'bananas'") && e.contains("worker-health"),
        "{e}"
    );
    assert!(
        HistoryFilter::parse("kind:plan").is_err(),
        "ambiguous words are refused"
    );
    let e = HistoryFilter::parse("colour:red").unwrap_err().to_string();
    assert!(
        e.contains("unknown") && e.contains("delivery_success"),
        "{e}"
    );
    assert!(
        HistoryFilter::parse("splunk")
            .unwrap_err()
            .to_string()
            .contains("field:value")
    );
    assert!(HistoryFilter::parse("success:maybe").is_err());
    assert!(HistoryFilter::parse("source:elsewhere").is_err());
    assert!(HistoryFilter::parse("kind:\"worker").is_err());
}

#[test]
fn a_token_that_contradicts_an_earlier_one_is_refused_not_silently_dropped() {
    for expr in [
        "provider:itsm provider:slack",
        "provider:slack provider:jira",
        "state:outstanding state:acknowledged",
        "state:critical level:warning",
        "kind:worker-health kind:retry-plan",
    ] {
        let e = HistoryFilter::parse(expr).unwrap_err();
        assert!(
            matches!(e, HistoryFilterError::Contradicts { .. }),
            "{expr}: {e}"
        );
        assert!(e.to_string().contains("one value per field"), "{e}");
    }
    for fine in [
        "provider:slack provider:slack",
        "state:critical level:critical",
    ] {
        assert!(HistoryFilter::parse(fine).is_ok(), "{fine}");
    }
}
