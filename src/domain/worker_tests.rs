//! Worker run, worker health alert categories and levels, alert plans, acks and dashboard.

use super::*;
use crate::domain::record::source;
use crate::domain::test_fixtures::{column, contract_sample, keys_of, rec};
use chrono::TimeZone;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 20, 10, 50, 0).unwrap()
}

fn failed_audit(minutes_ago: i64) -> Record {
    rec(
        json!({"session_id": format!("rcd-{minutes_ago}"), "created_at": time::iso(now() - Duration::minutes(minutes_ago)),
               "metadata_kind": kind::CONNECTOR_DELIVERY, "connector_delivery_source": source::ACK_AUDIT,
               "delivery_success": false, "providers": ["splunk"], "failed_providers": ["splunk"],
               "event_id": "gordackdelivery-1", "delivery_id": "gordackdelivery-1", "audit_id": "gordackaudit-1"}),
    )
}

fn run(minutes_ago: i64, enabled: bool) -> Record {
    rec(
        json!({"session_id": format!("gordackworker-{minutes_ago}"), "run_id": format!("gordackworker-{minutes_ago}"),
               "created_at": time::iso(now() - Duration::minutes(minutes_ago)), "metadata_kind": kind::WORKER_RUN,
               "acknowledgement_audit_delivery_worker_run": {"schedule": {"enabled": enabled}, "summary": {"selected_retry_count": 1}}}),
    )
}

fn retry_plan(minutes_ago: i64, retryable: u64) -> Record {
    rec(
        json!({"session_id": format!("gordackretry-{minutes_ago}"), "retry_plan_id": format!("gordackretry-{minutes_ago}"),
               "metadata_kind": kind::RETRY_PLAN, "retryable_count": retryable,
               "created_at": time::iso(now() - Duration::minutes(minutes_ago))}),
    )
}

fn run_with(minutes_ago: i64, retryable: u64, selected: u64) -> Record {
    let mut r = run(minutes_ago, true);
    r.0.insert(
        "acknowledgement_audit_delivery_worker_run".into(),
        json!({"schedule": {"enabled": true}, "summary": {"retryable_count": retryable, "selected_retry_count": selected}}),
    );
    r
}

/// A dry run by the release manager with the default policy and schedule, at most 5 retries.
fn default_dry_run(recs: &[Record]) -> WorkerRun {
    let (policy, schedule) = (RetryPolicy::default(), WorkerSchedule::default());
    dry_run(&RunInput {
        records: recs,
        policy: &policy,
        schedule: &schedule,
        max_retry_deliveries: 5,
        generated_by: "release-manager",
        now: now(),
    })
}

fn categories(h: &Map<String, Value>) -> Vec<Value> {
    column(&h["alerts"], "category")
}

#[test]
fn dry_run_selects_retry_decisions_and_windows_the_schedule() {
    let recs = [failed_audit(20)];
    let w = default_dry_run(&recs);
    assert_eq!(w.run["dry_run"], true);
    assert_eq!(w.run["summary"]["selected_retry_count"], 1);
    assert_eq!(
        w.run["follow_up_actions"][0]["approval_state"],
        "dry_run_not_required"
    );
    assert_eq!(
        w.run["schedule"]["window_start"],
        "2026-05-20T10:30:00+00:00"
    );
    assert_eq!(w.run["schedule"]["window_end"], "2026-05-20T11:00:00+00:00");
    let sample: Value = contract_sample("worker-run-response.json");
    assert_eq!(
        keys_of(&Value::Object(w.run.clone())),
        keys_of(&sample["run"])
    );
    assert_eq!(
        keys_of(&w.run["summary"]),
        keys_of(&sample["run"]["summary"])
    );
}

#[test]
fn no_run_at_all_is_a_critical_missed_run() {
    let h = worker_health(&[], 30, 120, now());
    assert_eq!(h["alert_level"], "critical");
    assert_eq!(
        categories(&h),
        ["missed_worker_run", "stale_retry_plan"],
        "with no retry plan CAVRA reports the plan metadata missing"
    );
    assert_eq!(h["missed_run_count"], 1);
    assert_eq!(h["stale_retry_plan_count"], 1);
    assert_eq!(h["latest_retry_plan_id"], Value::Null);
    assert_eq!(h["latest_run_id"], Value::Null);
    assert_eq!(
        h["alerts"][0]["message"],
        "No acknowledgement audit retry worker run completed inside the expected schedule window."
    );
    assert_eq!(
        h["alerts"][1]["message"],
        "Acknowledgement audit retry plan metadata is missing or stale."
    );
}

#[test]
fn a_recent_run_with_failures_is_a_warning_with_connector_failure() {
    let h = worker_health(
        &[run(5, true), failed_audit(20), retry_plan(10, 0)],
        30,
        120,
        now(),
    );
    assert_eq!(h["alert_level"], "warning");
    assert_eq!(categories(&h), ["connector_failure"]);
    assert_eq!(h["connector_delivery_failure_count"], 1);
    assert_eq!(h["missed_after_minutes"], 60);
    let sample: Value = contract_sample("worker-health-response.json");
    assert_eq!(keys_of(&Value::Object(h.clone())), keys_of(&sample));
}

#[test]
fn late_disabled_worker_and_stale_retryable_plan() {
    let mut late = run_with(61, 2, 1);
    late.0["acknowledgement_audit_delivery_worker_run"]["schedule"]["enabled"] = json!(false);
    let h = worker_health(&[late, retry_plan(200, 2)], 30, 120, now());
    assert_eq!(
        categories(&h),
        [
            "missed_worker_run",
            "retryable_deliveries",
            "stale_retry_plan",
            "disabled_schedule"
        ]
    );
    assert_eq!(h["alert_level"], "critical");
    assert_ne!(
        worker_health(&[], 30, 120, now())["health_id"],
        worker_health(&[], 30, 120, now() + Duration::seconds(1))["health_id"]
    );
}

/// A Send Worker Alert request by `a` with a 60-minute window.
fn alert_req(provider: &str, force: bool) -> AlertRequest {
    AlertRequest {
        provider: provider.into(),
        suppression_window_minutes: Some(60),
        force,
        generated_by: "a".into(),
    }
}

#[test]
fn alert_plan_selects_configured_requested_providers_and_nothing_when_healthy() {
    let health = worker_health(&[], 30, 120, now());
    let req = alert_req("Splunk,webhook", false);
    let configured = vec!["splunk".to_string(), "slack".to_string()];
    let plan = alert_plan(&health, &req, &configured, &[], now());
    assert_eq!(plan["selected_providers"], json!(["splunk"]));
    let healthy = worker_health(&[run(1, true), retry_plan(1, 0)], 30, 120, now());
    assert_eq!(healthy["alert_level"], "healthy");
    assert_eq!(
        alert_plan(&healthy, &req, &configured, &[], now())["selected_providers"],
        json!([])
    );
}

#[test]
fn a_delivery_for_the_same_health_inside_the_window_suppresses_unless_forced() {
    let health = worker_health(&[], 30, 120, now());
    let hid = health["health_id"].as_str().unwrap();
    let earlier = rec(
        json!({"metadata_kind": kind::CONNECTOR_DELIVERY, "connector_delivery_source": source::WORKER_HEALTH_ALERT,
                             "event_id": hid, "providers": ["splunk"], "created_at": time::iso(now() - Duration::minutes(10))}),
    );
    let mut req = alert_req("all", false);
    let plan = alert_plan(
        &health,
        &req,
        &["splunk".into()],
        std::slice::from_ref(&earlier),
        now(),
    );
    assert_eq!(plan["selected_providers"], json!([]));
    assert_eq!(plan["suppressed_providers"][0]["provider"], "splunk");
    assert_eq!(
        alert_plan_record(&plan).0["suppressed_providers"],
        json!(["splunk"])
    );
    req.force = true;
    assert_eq!(
        alert_plan(&health, &req, &["splunk".into()], &[earlier], now())["selected_providers"],
        json!(["splunk"])
    );
}

#[test]
fn alert_acks_clear_outstanding_on_the_dashboard() {
    let health = worker_health(&[], 30, 120, now());
    let req = alert_req("all", true);
    let plan = alert_plan(&health, &req, &["webhook".into()], &[], now());
    let mut recs = vec![alert_plan_record(&plan)];
    assert_eq!(
        alert_dashboard(&recs, now())["outstanding_acknowledgement_count"],
        1
    );
    let input = AlertAckInput {
        health_id: plan["health_id"].as_str().unwrap().into(),
        provider: "WebHook".into(),
        acknowledged_by: "alice".into(),
        plan_id: plan["plan_id"].as_str().unwrap().into(),
        ..Default::default()
    };
    let (ack, rec) = alert_ack(&input, now()).unwrap();
    assert_eq!(ack["provider"], "webhook");
    recs.push(rec);
    let d = alert_dashboard(&recs, now());
    assert_eq!(
        (
            d["acknowledgement_count"].as_u64(),
            d["outstanding_acknowledgement_count"].as_u64()
        ),
        (Some(1), Some(0))
    );
    assert_eq!(d["alert_level"], "healthy");
    let accepted = AlertAckInput {
        state: "accepted".into(),
        ..input
    };
    assert!(alert_ack(&accepted, now()).is_err());
    let q = AlertQuery {
        provider: Some("WEBHOOK".into()),
        ..Default::default()
    };
    assert_eq!(
        recs.iter().filter(|r| alert_history_matches(&q, r)).count(),
        2
    );
}

#[test]
fn retryable_and_selected_counts_are_summed_over_every_run() {
    let h = worker_health(
        &[run_with(5, 2, 1), run_with(40, 7, 5), retry_plan(5, 2)],
        30,
        120,
        now(),
    );
    assert_eq!(h["retryable_count"], 9, "2 + 7, not the latest run's 2");
    assert_eq!(h["selected_retry_count"], 6);
    assert_eq!(h["latest_run_id"], "gordackworker-5");
    assert_eq!(h["latest_retry_plan_id"], "gordackretry-5");
    assert_eq!(h["stale_retry_plan_count"], 0);
    let mut disabled = run(70, false);
    disabled
        .0
        .insert("session_id".into(), json!("gordackworker-70b"));
    let h = worker_health(&[run(61, false), disabled], 30, 120, now());
    let msg = h["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["category"] == "disabled_schedule")
        .unwrap();
    assert_eq!(msg["message"], "2 worker runs reported disabled schedules.");
    assert_eq!(h["disabled_schedule_count"], 2);
}

#[test]
fn a_dry_run_matches_the_contract_sample_and_cavras_counters() {
    let recs = [failed_audit(20), failed_audit(3)];
    let w = default_dry_run(&recs);
    let sample: Value = contract_sample("worker-run-response.json");
    assert_eq!(w.run["controls"], sample["run"]["controls"]);
    let rec = worker_run_record(&w.run);
    assert_eq!(
        rec.0["decision_count"], w.run["summary"]["follow_up_action_count"],
        "decision_count is the follow-up action count"
    );
    assert_eq!(
        rec.0["approval_required_count"],
        w.run["summary"]["selected_retry_count"]
    );
    // The window starts at the interval within the hour (the hour itself from 60 minutes), as CAVRA.
    for (interval_minutes, start) in [
        (45, "2026-05-20T10:45:00+00:00"),
        (90, "2026-05-20T10:00:00+00:00"),
    ] {
        let sched = WorkerSchedule {
            interval_minutes,
            ..Default::default()
        };
        let w = dry_run(&RunInput {
            records: &recs,
            policy: &RetryPolicy::default(),
            schedule: &sched,
            max_retry_deliveries: 5,
            generated_by: "a",
            now: now(),
        });
        assert_eq!(
            w.run["schedule"]["window_start"], start,
            "{interval_minutes}"
        );
    }
}
