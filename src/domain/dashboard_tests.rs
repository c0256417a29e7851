//! Dashboard counters pinned to CONTRACT §4.2, quirks included.

use super::*;
use crate::domain::test_fixtures::{contract_sample, fields_of, fields_of_rows, keys_of, rec};
use chrono::TimeZone;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 20, 11, 0, 0).unwrap()
}

fn plan(schedule: &str, at: &str, providers: &[&str]) -> Record {
    rec(
        json!({"session_id": format!("p-{schedule}-{at}"), "plan_id": format!("p-{schedule}-{at}"), "created_at": at,
               "metadata_kind": kind::NOTIFICATION_PLAN, "schedule_id": schedule, "acknowledgement_required_providers": providers}),
    )
}

fn ack(schedule: &str, provider: &str, state: &str, at: &str) -> Record {
    rec(
        json!({"session_id": format!("a-{schedule}-{provider}-{at}"), "created_at": at, "metadata_kind": kind::NOTIFICATION_ACK,
               "schedule_id": schedule, "provider": provider, "acknowledgement_state": state}),
    )
}

fn audit_delivery(ok: bool, provider: &str, at: &str) -> Record {
    rec(
        json!({"session_id": format!("rcd-{provider}-{at}"), "created_at": at, "metadata_kind": kind::CONNECTOR_DELIVERY,
               "connector_delivery_source": source::ACK_AUDIT, "delivery_success": ok, "providers": [provider]}),
    )
}

#[test]
fn has_every_key_of_the_contract_sample_in_order() {
    let d = dashboard(&[], now());
    let sample: Value = contract_sample("dashboard-response.json");
    assert_eq!(keys_of(&Value::Object(d.clone())), keys_of(&sample));
    assert_eq!(d["alert_level"], "healthy");
}

#[test]
fn success_rate_is_null_without_attempts_and_rounded_to_four_places() {
    assert_eq!(
        dashboard(&[], now())["acknowledgement_audit_delivery_success_rate"],
        Value::Null
    );
    let recs = [
        audit_delivery(true, "slack", "1"),
        audit_delivery(false, "splunk", "2"),
        audit_delivery(true, "jira", "3"),
    ];
    let d = dashboard(&recs, now());
    assert_eq!(
        d["acknowledgement_audit_delivery_success_rate"],
        json!(0.6667)
    );
    assert_eq!(d["acknowledgement_audit_delivery_health"], "critical");
    assert_eq!(
        d["acknowledgement_audit_delivery_providers"],
        json!(["jira", "slack", "splunk"])
    );
    assert_eq!(d["failed_acknowledgement_audit_delivery_count"], 1);
    assert_eq!(d["alert_level"], "critical", "any failed family delivery");
}

#[test]
fn outstanding_uses_any_historical_ack_and_the_latest_plan_only() {
    let recs = [
        plan(
            "s1",
            "2026-05-20T09:00:00+00:00",
            &["slack", "teams", "jira"],
        ),
        plan("s1", "2026-05-20T10:00:00+00:00", &["slack", "teams"]),
        ack("s1", "slack", "acknowledged", "2026-05-20T10:10:00+00:00"),
        ack("s1", "slack", "escalated", "2026-05-20T10:20:00+00:00"),
        ack("s1", "teams", "dismissed", "2026-05-20T10:20:00+00:00"),
    ];
    let d = dashboard(&recs, now());
    // slack was acknowledged once, then escalated: not outstanding here (unlike the routes pane).
    assert_eq!(d["outstanding_acknowledgement_count"], 1);
    assert_eq!(d["outstanding_acknowledgements"][0]["provider"], "teams");
    let counts = ["plan_count", "acknowledgement_count", "alert_level"];
    assert_eq!(fields_of(&d, &counts), json!([2, 3, "critical"]));
}

#[test]
fn kind_named_counters_count_their_records() {
    let recs = [
        rec(
            json!({"session_id": "r1", "created_at": "1", "metadata_kind": kind::RETRY_PLAN, "retryable_count": 2}),
        ),
        rec(
            json!({"session_id": "r2", "created_at": "2", "metadata_kind": kind::RETRY_PLAN, "retryable_count": 1}),
        ),
        rec(
            json!({"session_id": "w1", "created_at": "3", "metadata_kind": kind::WORKER_RUN, "dry_run": true}),
        ),
        rec(
            json!({"session_id": "h1", "created_at": "4", "metadata_kind": kind::ARCHIVE_HEALTH, "alert_count": 2}),
        ),
    ];
    let d = dashboard(&recs, now());
    assert_eq!(d["acknowledgement_audit_delivery_retry_plan_count"], 2);
    assert_eq!(d["acknowledgement_audit_delivery_retryable_count"], 3);
    assert_eq!(d["acknowledgement_audit_delivery_worker_run_count"], 1);
    assert_eq!(d["acknowledgement_audit_delivery_worker_dry_run_count"], 1);
    assert_eq!(
        d["acknowledgement_audit_delivery_final_reporting_archive_reference_health_count"],
        1
    );
    assert_eq!(
        d["acknowledgement_audit_delivery_final_reporting_archive_reference_health_alert_count"],
        2
    );
    assert_eq!(d["latest"][0]["session_id"], "h1");
}

#[test]
fn outstanding_follows_the_recency_of_each_schedules_latest_plan() {
    let recs = [
        plan("alpha", "2026-05-20T09:00:00+00:00", &["slack"]),
        plan("zeta", "2026-05-20T10:00:00+00:00", &["teams", "slack"]),
        plan("alpha", "2026-05-20T08:00:00+00:00", &["webhook"]),
        plan("mid", "2026-05-20T09:30:00+00:00", &["jira"]),
    ];
    let d = dashboard(&recs, now());
    let order = fields_of_rows(
        &d["outstanding_acknowledgements"],
        &["schedule_id", "provider"],
    );
    let want = [
        json!(["zeta", "teams"]),
        json!(["zeta", "slack"]),
        json!(["mid", "jira"]),
        json!(["alpha", "slack"]),
    ];
    assert_eq!(
        order, want,
        "newest schedule first, providers in the plan's order"
    );
}

#[test]
fn only_the_newest_500_records_are_counted() {
    // An old plan whose route is outstanding, then 500 newer acknowledgements elsewhere: the
    // plan falls outside CAVRA's window, so the dashboard no longer sees it.
    let mut recs = vec![plan("old", "2026-05-01T00:00:00+00:00", &["slack"])];
    let d = dashboard(&recs, now());
    assert_eq!(d["outstanding_acknowledgement_count"], 1);
    for i in 0..500 {
        recs.push(ack(
            &format!("s{i}"),
            "teams",
            "acknowledged",
            &format!("2026-05-10T{:02}:{:02}:00+00:00", i / 60, i % 60),
        ));
    }
    let d = dashboard(&recs, now());
    assert_eq!(d["outstanding_acknowledgement_count"], 0);
    assert_eq!(d["plan_count"], 0);
    assert_eq!(d["acknowledgement_count"], 500);
}
