//! The allow-list and the two source special cases, pinned to CAVRA's lists (CONTRACT §4.1).

use super::*;
use crate::domain::record::source;

#[test]
fn the_allow_list_has_cavras_kinds_and_drops_the_others() {
    assert_eq!(all().len(), 5 + 49 + 1);
    assert!(allowed(kind::RETRY_ACK));
    assert!(allowed(&full("final-reporting-release-closeout-summary")));
    assert!(allowed(kind::CONNECTOR_DELIVERY));
    assert!(!allowed(
        "go-backend-rollback-drill-routing-suppression-trend"
    ));
    assert!(!allowed(&full("final-reporting-closeout-retention-review")));
    assert!(
        !allowed(&full("worker-health")),
        "worker health is never stored"
    );
    assert!(!allowed("endpoint-management-export"));
}

#[test]
fn the_ack_audit_source_matches_its_families_kinds_only() {
    let m = |k: &str| source_also_matches(source::ACK_AUDIT, k);
    assert!(m(kind::AUDIT_PACKAGE) && m(kind::AUDIT_DELIVERY_PLAN) && m(kind::RETRY_ACK));
    assert!(m(kind::WORKER_HEALTH_ALERT_ACK) && m(kind::ARCHIVE_REFERENCE));
    assert!(!m(kind::NOTIFICATION_ACK));
    assert!(!m(&full("final-reporting-readiness-bundle")));
    assert!(!m(&full(
        "final-reporting-archive-reference-health-alert-plan"
    )));
}

#[test]
fn the_auditor_export_source_also_matches_archive_references() {
    let m = |k: &str| source_also_matches(source::AUDITOR_EXPORT, k);
    assert!(m(kind::AUDITOR_EXPORT) && m(kind::AUDITOR_EXPORT_RETRY_PLAN));
    assert!(
        m(kind::ARCHIVE_REFERENCE),
        "immutable archive references too"
    );
    assert!(m(kind::ARCHIVE_HEALTH));
    assert!(m(&full(
        "final-reporting-release-closure-packet-verification"
    )));
    assert!(!m(kind::RETRY_PLAN));
}

#[test]
fn every_exception_is_a_kind_of_the_family() {
    for (short, _) in AD_EXCEPTIONS {
        assert!(AD.contains(short), "{short}");
    }
}
