//! History filters pinned to CONTRACT §4.1.

use super::*;
use crate::domain::query::Page;
use crate::domain::test_fixtures::rec;
use serde_json::json;

fn delivery(source: &str, ok: bool, providers: &[&str], failed: &[&str], at: &str) -> Record {
    rec(
        json!({"session_id": format!("rcd-{at}"), "created_at": at, "metadata_kind": kind::CONNECTOR_DELIVERY,
               "connector_delivery_source": source, "delivery_success": ok, "providers": providers,
               "failed_providers": failed, "event_id": "gordackdelivery-1", "audit_id": "gordackaudit-1",
               "delivery_id": "gordackdelivery-1"}),
    )
}

/// A query for one `connector_delivery_source`.
fn of_source(src: &str) -> HistoryQuery {
    HistoryQuery {
        connector_delivery_source: Some(src.into()),
        ..Default::default()
    }
}

#[test]
fn family_membership_follows_kind_and_source_allow_lists() {
    assert!(in_family(&delivery(
        source::ACK_AUDIT,
        false,
        &["splunk"],
        &["splunk"],
        "1"
    )));
    assert!(!in_family(&delivery(
        "release_channel_promotion",
        false,
        &[],
        &[],
        "1"
    )));
    assert!(in_family(&rec(json!({"metadata_kind": kind::RETRY_PLAN}))));
    assert!(!in_family(&rec(
        json!({"metadata_kind": "go-backend-rollback-drill-routing-suppression-trend"})
    )));
    assert!(!in_family(&rec(
        json!({"metadata_kind": "endpoint-management-export"})
    )));
}

#[test]
fn provider_matches_membership_in_failed_providers_and_package_routes() {
    let q = HistoryQuery {
        provider: Some("splunk".into()),
        ..Default::default()
    };
    assert!(q.matches(&delivery(
        source::ACK_AUDIT,
        false,
        &["splunk", "slack"],
        &["splunk"],
        "1"
    )));
    assert!(!q.matches(&delivery(source::ACK_AUDIT, true, &["slack"], &[], "1")));
    let pkg = rec(json!({"metadata_kind": kind::AUDIT_PACKAGE,
                         "acknowledgement_audit_package": {"routes": [{"provider": "splunk"}]}}));
    assert!(q.matches(&pkg));
}

#[test]
fn delivery_success_keeps_only_connector_deliveries_with_that_outcome() {
    let q = HistoryQuery {
        delivery_success: Some(false),
        ..Default::default()
    };
    assert!(q.matches(&delivery(
        source::ACK_AUDIT,
        false,
        &["splunk"],
        &["splunk"],
        "1"
    )));
    assert!(!q.matches(&delivery(source::ACK_AUDIT, true, &["splunk"], &[], "1")));
    assert!(!q.matches(&rec(json!({"metadata_kind": kind::AUDIT_PACKAGE}))));
}

#[test]
fn the_two_special_sources_also_match_their_families_kinds() {
    let cases = [
        (source::ACK_AUDIT, kind::RETRY_ACK, true),
        (source::ACK_AUDIT, kind::WORKER_RUN, true),
        (source::ACK_AUDIT, kind::NOTIFICATION_ACK, false),
        (source::AUDITOR_EXPORT, kind::ARCHIVE_REFERENCE, true),
        (source::AUDITOR_EXPORT, kind::AUDITOR_EXPORT, true),
        (source::AUDITOR_EXPORT, kind::RETRY_PLAN, false),
    ];
    for (src, k, matches) in cases {
        let r = rec(json!({ "metadata_kind": k }));
        assert_eq!(of_source(src).matches(&r), matches, "{src} {k}");
    }
    let q = of_source(source::ACK_AUDIT);
    assert!(!q.matches(&delivery(source::NOTIFICATION, true, &[], &[], "1")));
}

#[test]
fn state_query_is_normalised_and_ids_match_several_fields() {
    let ack = rec(
        json!({"session_id": "x", "metadata_kind": kind::NOTIFICATION_ACK, "acknowledgement_state": "escalated"}),
    );
    let q = HistoryQuery {
        acknowledgement_state: Some(" Escalated ".into()),
        ..Default::default()
    };
    assert!(q.matches(&ack));
    let q = HistoryQuery {
        delivery_id: Some("rcd-9".into()),
        ..Default::default()
    };
    assert!(q.matches(&delivery(source::ACK_AUDIT, true, &[], &[], "9")));
    let plan = rec(json!({"metadata_kind": kind::AUDIT_DELIVERY_PLAN,
                          "acknowledgement_audit_delivery_plan": {"audit_id": "A", "cadence": "hourly"}}));
    assert!(
        HistoryQuery {
            audit_id: Some("A".into()),
            ..Default::default()
        }
        .matches(&plan)
    );
    assert!(
        HistoryQuery {
            cadence: Some("hourly".into()),
            ..Default::default()
        }
        .matches(&plan)
    );
    assert!(
        !HistoryQuery {
            cadence: Some("daily".into()),
            ..Default::default()
        }
        .matches(&plan)
    );
}

#[test]
fn pages_are_newest_first_with_a_total() {
    let items: Vec<Record> = ["2026-01-01", "2026-01-03", "2026-01-02"]
        .iter()
        .map(|d| delivery(source::ACK_AUDIT, true, &[], &[], d))
        .collect();
    let (p, total) = page(items, Page::at(2, 1));
    assert_eq!(total, 3);
    assert_eq!(
        p.iter().map(|r| r.created_at()).collect::<Vec<_>>(),
        ["2026-01-02", "2026-01-01"]
    );
}

#[test]
fn status_and_kind_columns() {
    assert_eq!(
        record_status(&delivery(source::ACK_AUDIT, false, &[], &[], "1")),
        "delivery_failed"
    );
    assert_eq!(
        record_status(&delivery(source::ACK_AUDIT, true, &[], &[], "1")),
        "delivered"
    );
    // A hostile or broken answer's "false", "no" or 1 is never a delivery.
    for odd in [json!("false"), json!("no"), json!(1), Value::Null] {
        let r = rec(json!({"metadata_kind": kind::CONNECTOR_DELIVERY, "delivery_success": odd}));
        assert_eq!(record_status(&r), "delivery_unknown");
    }
    assert_eq!(
        short_kind(&rec(json!({"metadata_kind": kind::RETRY_PLAN}))),
        "acknowledgement-audit-delivery-retry-plan"
    );
}

#[test]
fn equal_created_at_keeps_the_stores_order_ascending_session_id() {
    let at = "2026-05-20T10:00:00+00:00";
    let items: Vec<Record> = ["rcd-c", "rcd-a", "rcd-b"]
        .iter()
        .map(|id| {
            rec(json!({"session_id": id, "created_at": at, "metadata_kind": kind::CONNECTOR_DELIVERY,
                       "connector_delivery_source": source::ACK_AUDIT}))
        })
        .collect();
    let (p, _) = page(items, Page::first(10));
    let ids: Vec<&str> = p.iter().map(|r| r.session_id()).collect();
    assert_eq!(ids, ["rcd-a", "rcd-b", "rcd-c"]);
}

#[test]
fn the_window_is_the_newest_500_family_records_in_history_order() {
    let mut records: Vec<Record> = (0..600)
        .map(|i| {
            rec(json!({"session_id": format!("r{i:04}"), "created_at": format!("2026-05-20T10:{:02}:{:02}+00:00", i / 60, i % 60),
                       "metadata_kind": kind::RETRY_ACK}))
        })
        .collect();
    records.push(rec(
        json!({"session_id": "trend", "created_at": "2030-01-01", "metadata_kind": "go-backend-rollback-drill-routing-suppression-trend"}),
    ));
    let w = window(records);
    assert_eq!(w.len(), WINDOW);
    assert_eq!(w[0].session_id(), "r0599");
    assert_eq!(w[499].session_id(), "r0100");
}

#[test]
fn delivery_success_is_truthiness() {
    let failed = HistoryQuery {
        delivery_success: Some(false),
        ..Default::default()
    };
    assert!(
        failed.matches(&rec(json!({"metadata_kind": kind::CONNECTOR_DELIVERY}))),
        "a delivery without delivery_success counts as failed, as bool(None) is False"
    );
}
