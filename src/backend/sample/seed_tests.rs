//! The shipped scenario is rich enough for every pane (issue #2's scenario requirements).

use super::*;
use crate::backend::Json;
use crate::domain::route::{RouteState, derive_routes};
use std::collections::BTreeSet;

fn records() -> (Vec<Record>, DateTime<Utc>) {
    let now = Utc::now();
    (scenario_records(EMBEDDED_SCENARIO, now).unwrap(), now)
}

#[test]
fn scenario_has_the_promised_breadth() {
    let (recs, now) = records();
    let of = |k: &str| {
        recs.iter()
            .filter(|r| r.kind() == k)
            .cloned()
            .collect::<Vec<_>>()
    };
    let plans = of(kind::NOTIFICATION_PLAN);
    let acks = of(kind::NOTIFICATION_ACK);
    let rows = derive_routes(&plans, &acks, now);
    let schedules: BTreeSet<_> = rows.iter().map(|r| r.schedule_id.clone()).collect();
    let owners: BTreeSet<_> = rows.iter().map(|r| r.owner.clone()).collect();
    let providers: BTreeSet<_> = rows.iter().map(|r| r.provider.clone()).collect();
    assert!(schedules.len() >= 8, "{schedules:?}");
    assert!(rows.len() >= 40, "{} routes", rows.len());
    assert!(owners.len() >= 6);
    assert_eq!(
        providers,
        [
            "datadog",
            "jira",
            "sentinel",
            "servicenow",
            "slack",
            "splunk",
            "teams",
            "webhook"
        ]
        .into_iter()
        .map(String::from)
        .collect()
    );
    let categories: BTreeSet<_> = rows.iter().map(|r| r.category.as_str()).collect();
    for c in [
        "deliver",
        "maintenance_window",
        "owner_calendar",
        "healthy_schedule",
    ] {
        assert!(categories.contains(c), "missing category {c}");
    }
    for s in [
        RouteState::Acknowledged,
        RouteState::Escalated,
        RouteState::Resolved,
        RouteState::Dismissed,
    ] {
        assert!(rows.iter().any(|r| r.state == s), "missing state {s:?}");
    }
    assert!(rows.iter().any(|r| r.is_outstanding() && r.breached));
    assert!(rows.iter().any(|r| r.is_outstanding() && !r.breached));
    assert!(!of(kind::AUDIT_PACKAGE).is_empty());
    let deliveries = of(kind::CONNECTOR_DELIVERY);
    assert!(
        deliveries
            .iter()
            .any(|r| r.str("connector_delivery_source") == source::ACK_AUDIT
                && r.0["delivery_success"] == false)
    );
}

#[test]
fn every_pane_has_something_to_show_from_the_first_start() {
    use crate::domain::{archive, dashboard, retry, worker};
    let (recs, now) = records();
    let d = dashboard::dashboard(&recs, now);
    assert_eq!(d["acknowledgement_audit_delivery_health"], "critical");
    let failed: Vec<&Record> = recs
        .iter()
        .filter(|r| {
            r.str("connector_delivery_source") == source::ACK_AUDIT
                && r.0["delivery_success"] == false
        })
        .collect();
    let providers: BTreeSet<&str> = failed
        .iter()
        .flat_map(|r| r.strs("failed_providers"))
        .collect();
    assert!(
        providers.contains("splunk") && providers.contains("servicenow"),
        "a SIEM and an ITSM failure: {providers:?}"
    );
    let plan = retry::audit_retry_plan(&recs, &retry::RetryPolicy::default(), "t", now);
    assert!(plan["retryable_count"].as_u64().unwrap() >= 1);
    let health = worker::worker_health(&recs, 30, 120, now);
    let cats = texts(&health, "alerts", "category");
    assert!(cats.contains(&"missed_worker_run"), "{cats:?}");
    let arch = archive::archive_health(&recs, archive::ArchiveRules::default(), "t", now);
    assert_eq!(arch["missing_archive_reference_count"], 1);
    assert_eq!(arch["checked_export_count"], 3);
    let auditor = retry::auditor_retry_plan(&recs, &retry::RetryPolicy::default(), "t", now);
    assert!(auditor["decision_count"].as_u64().unwrap() >= 2);
    let actions = texts(&auditor, "retry_decisions", "action");
    assert!(
        actions.contains("wait") && actions.contains("suppress"),
        "{actions:?}"
    );
    let connectors = scenario_connectors(EMBEDDED_SCENARIO).unwrap();
    assert_eq!(connectors["splunk"], 503);
}

/// The text field `field` of every object in the list `list` of `answer` (each must have it).
fn texts<'a>(answer: &'a Json, list: &str, field: &str) -> BTreeSet<&'a str> {
    answer[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item[field].as_str().unwrap())
        .collect()
}

#[test]
fn session_ids_are_unique() {
    let (recs, _) = records();
    let ids: BTreeSet<_> = recs.iter().map(|r| r.session_id().to_string()).collect();
    assert_eq!(ids.len(), recs.len());
}

#[test]
fn a_broken_scenario_is_refused_clearly() {
    let err = scenario_records("{\"schedules\": 3}", Utc::now()).unwrap_err();
    assert!(err.to_string().starts_with("scenario is not valid JSON"));
    let bad = r#"{"schedules": [], "acknowledgements": [{"route": "x", "state": "acknowledged", "by": "a", "minutes_ago": 1}]}"#;
    assert!(matches!(
        scenario_records(bad, Utc::now()),
        Err(SeedError::BadRoute(_))
    ));
}
