//! The audit retry worker's health (CONTRACT §4.11): computed over CAVRA's 500-record window,
//! never stored; a new `health_id` every call.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::history::window_refs;
use super::ids::{make_id, py_json};
use super::level::alert_level;
use super::record::{PRODUCT, Record, kind, nested, source};
use super::time;

const RECOMMENDATIONS: [&str; 4] = [
    "Review retryable acknowledgement audit deliveries and acknowledge the retry decision owner.",
    "Run the worker in dry-run mode before enabling guarded retry execution.",
    "Check connector delivery evidence for repeated SIEM, ITSM, ChatOps, or webhook failures.",
    "Refresh retry plans when retry metadata is stale.",
];

fn age_minutes(r: &Record, now: DateTime<Utc>) -> (Option<DateTime<Utc>>, Option<i64>) {
    let at = time::parse(r.created_at());
    // Whole minutes, floored; none when the record lies in the future (as CAVRA).
    let age = at
        .filter(|t| now >= *t)
        .map(|t| (now - t).num_seconds().div_euclid(60));
    (at, age)
}

/// The nested object of a record, or the record itself (CAVRA's `_go_metadata_payload`).
fn payload<'a>(r: &'a Record, key: &str) -> &'a Map<String, Value> {
    r.object(key).unwrap_or(&r.0)
}

fn count(o: &Map<String, Value>, r: &Record, key: &str) -> u64 {
    match super::record::u(o, key, 0) {
        0 => super::record::u(&r.0, key, 0),
        n => n,
    }
}

/// §4.11 as CAVRA computes it over the newest 500 history records: retryable and selected
/// counts summed over every run; a missing retry plan counts as stale.
pub fn worker_health(
    records: &[Record],
    expected_interval: u32,
    stale_minutes: u32,
    now: DateTime<Utc>,
) -> Map<String, Value> {
    let expected_interval = expected_interval.max(1);
    let stale_minutes = stale_minutes.max(1);
    let history = window_refs(records);
    let runs: Vec<&Record> = history
        .iter()
        .copied()
        .filter(|r| r.kind() == kind::WORKER_RUN)
        .collect();
    let plans: Vec<&Record> = history
        .iter()
        .copied()
        .filter(|r| r.kind() == kind::RETRY_PLAN)
        .collect();
    let failed: Vec<&Record> = history
        .iter()
        .copied()
        .filter(|r| {
            r.kind() == kind::CONNECTOR_DELIVERY
                && r.str("connector_delivery_source") == source::ACK_AUDIT
                && !r.truthy("delivery_success")
        })
        .collect();
    let missed_after = expected_interval as i64 * 2;
    let latest_run = runs.first().copied();
    let (run_at, run_age) = latest_run.map(|r| age_minutes(r, now)).unwrap_or_default();
    let missed = run_at.is_none() || run_age.unwrap_or(0) > missed_after;
    let (mut retryable, mut selected, mut failed_jobs, mut disabled) = (0u64, 0u64, 0u64, 0u64);
    for r in &runs {
        let run = payload(r, nested::WORKER_RUN);
        let summary = run.get("summary").and_then(Value::as_object);
        let empty = Map::new();
        let summary = summary.unwrap_or(&empty);
        retryable += count(summary, r, "retryable_count");
        selected += count(summary, r, "selected_retry_count");
        let status = match super::record::s(run, "status") {
            "" => r.str("status"),
            s => s,
        };
        if ["failed", "error", "timeout", "cancelled"].contains(&status.to_lowercase().as_str()) {
            failed_jobs += 1;
        }
        if run
            .get("schedule")
            .and_then(|s| s.get("enabled"))
            .and_then(Value::as_bool)
            == Some(false)
        {
            disabled += 1;
        }
    }
    let latest_plan = plans.first().copied();
    let (plan_at, plan_age) = latest_plan.map(|r| age_minutes(r, now)).unwrap_or_default();
    let stale = plan_at.is_none() || plan_age.unwrap_or(0) > stale_minutes as i64;
    let mut alerts = Vec::new();
    let mut alert = |severity: &str, category: &str, message: String| {
        alerts.push(json!({"severity": severity, "category": category, "message": message}));
    };
    if missed {
        alert("critical", "missed_worker_run",
              "No acknowledgement audit retry worker run completed inside the expected schedule window.".into());
    }
    if failed_jobs > 0 {
        alert(
            "critical",
            "failed_worker_run",
            format!(
                "{failed_jobs} acknowledgement audit retry worker runs reported a failed status."
            ),
        );
    }
    if retryable > 0 {
        alert(
            "warning",
            "retryable_deliveries",
            format!("{retryable} failed acknowledgement audit deliveries remain retryable."),
        );
    }
    if !failed.is_empty() {
        alert(
            "warning",
            "connector_failure",
            format!(
                "{} acknowledgement audit connector delivery attempts failed.",
                failed.len()
            ),
        );
    }
    if stale {
        alert(
            "warning",
            "stale_retry_plan",
            "Acknowledgement audit retry plan metadata is missing or stale.".into(),
        );
    }
    if disabled > 0 {
        alert(
            "warning",
            "disabled_schedule",
            format!("{disabled} worker runs reported disabled schedules."),
        );
    }
    let level = alert_level(
        alerts.iter().any(|a| a["severity"] == "critical"),
        !alerts.is_empty(),
    );
    let id_of = |r: Option<&Record>, k: &str| -> Value {
        r.map(|r| match r.str(k) {
            "" => r.0.get("session_id").cloned().unwrap_or(Value::Null),
            id => id.into(),
        })
        .unwrap_or(Value::Null)
    };
    let latest_run_id = id_of(latest_run, "run_id");
    let generated_at = time::iso(now);
    let health_id = make_id(
        "gordackhealth",
        &py_json(
            &json!({"generated_at": generated_at, "latest_run_id": latest_run_id,
                         "retryable_count": retryable, "alerts": alerts}),
        ),
    );
    let v = json!({
        "schema_version": "cavra.go-backend-pilot.rollback-drill-acknowledgement-audit-delivery-worker-health.v1",
        "product": PRODUCT, "health_id": health_id,
        "generated_at": generated_at, "alert_level": level, "expected_interval_minutes": expected_interval,
        "missed_after_minutes": missed_after, "stale_metadata_minutes": stale_minutes, "run_count": runs.len(),
        "retry_plan_count": plans.len(), "retryable_count": retryable, "selected_retry_count": selected,
        "missed_run_count": u8::from(missed), "failed_job_count": failed_jobs, "disabled_schedule_count": disabled,
        "stale_retry_plan_count": u8::from(stale), "connector_delivery_failure_count": failed.len(),
        "latest_run_id": latest_run_id, "latest_run_at": run_at.map(time::iso),
        "latest_run_age_minutes": run_age, "latest_retry_plan_id": id_of(latest_plan, "retry_plan_id"),
        "latest_retry_plan_age_minutes": plan_age,
        "failed_deliveries": failed.iter().take(10).map(|r| Value::Object(r.0.clone())).collect::<Vec<_>>(),
        "alerts": alerts, "recommendations": RECOMMENDATIONS,
        "latest": runs.iter().take(10).map(|r| Value::Object(r.0.clone())).collect::<Vec<_>>(),
    });
    v.as_object().cloned().expect("object literal")
}
