//! The audit retry worker (CONTRACT §4.10, dry run) and the run object every retry worker
//! writes. Its health (§4.11) is in `worker_health` and the worker-health alerts (§4.12–4.15)
//! in `worker_alerts`; both are re-exported here.

use chrono::{DateTime, Duration, Timelike, Utc};
use serde_json::{Map, Value, json};

use super::approval::map;
use super::ids::{make_id, py_json};
use super::record::{Draft, PRODUCT, Record, Stamp, counts, kind, nested, objects, s};
use super::retry::{RetryPolicy, audit_retry_plan};
use super::time;
pub use super::worker_alerts::*;
pub use super::worker_health::worker_health;

/// The worker's schedule (§4.10 `schedule`).
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerSchedule {
    pub interval_minutes: u32,
    pub cadence: String,
    pub enabled: bool,
}

impl Default for WorkerSchedule {
    fn default() -> Self {
        WorkerSchedule {
            interval_minutes: 30,
            cadence: "every_30_minutes".into(),
            enabled: true,
        }
    }
}

impl WorkerSchedule {
    /// A run's window start, and the run's `schedule` object (interval, window, enabled, cadence).
    pub fn run_window(&self, now: DateTime<Utc>) -> (DateTime<Utc>, Value) {
        let (start, end) = window(now, self.interval_minutes);
        let schedule = json!({"interval_minutes": self.interval_minutes.max(1), "window_start": time::iso(start),
                              "window_end": time::iso(end), "enabled": self.enabled, "cadence": self.cadence});
        (start, schedule)
    }
}

/// The decisions of a retry plan (`retry_decisions`), in order.
pub fn retry_decisions(plan: &Map<String, Value>) -> Vec<Map<String, Value>> {
    objects(plan, "retry_decisions").cloned().collect()
}

/// The id of the retry plan a run built (`""` when it has none).
pub fn run_plan_id(run: &Map<String, Value>) -> String {
    run.get("retry_plan")
        .and_then(Value::as_object)
        .map(|p| s(p, "retry_plan_id").to_string())
        .unwrap_or_default()
}

/// A decision's `action` (`retry`, `wait`, `suppress`), or `""`.
pub fn action_of(d: &Map<String, Value>) -> &str {
    d.get("action").and_then(Value::as_str).unwrap_or("")
}

/// The schedule window CAVRA's workers compute: the start of the interval within the hour
/// (minutes floored to the interval; the hour itself from 60 minutes), and its end.
pub fn window(now: DateTime<Utc>, interval_minutes: u32) -> (DateTime<Utc>, DateTime<Utc>) {
    let interval = interval_minutes.max(1);
    let minute = if interval < 60 {
        (now.minute() / interval) * interval
    } else {
        0
    };
    let start = now
        .with_minute(minute)
        .and_then(|t| t.with_second(0))
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(now);
    (start, start + Duration::minutes(interval as i64))
}

/// What sets one retry worker's run objects apart.
pub struct RunKind {
    pub schema_version: &'static str,
    pub id_prefix: &'static str,
    /// How the run id's material is written before it is hashed.
    pub id_text: fn(&Value) -> String,
    pub controls: &'static [&'static str],
}

const AUDIT_RUN_SCHEMA: &str =
    "cavra.go-backend-pilot.rollback-drill-acknowledgement-audit-delivery-worker-run.v1";
const AUDIT_RUN_CONTROLS: &[&str] = &[
    "worker-run-derived-from-public-audit-delivery-metadata",
    "scheduled-worker-run-contains-no-connector-secrets",
    "dry-run-default-prevents-accidental-retry-delivery",
    "live-retry-delivery-requires-approved-retry-execution-decision",
    "idempotency-key-derived-from-schedule-window-and-input-metadata",
];

/// The audit worker's dry run (§4.10): its id hashes the material as Python writes it.
pub const AUDIT_DRY_RUN: RunKind = RunKind {
    schema_version: AUDIT_RUN_SCHEMA,
    id_prefix: "gordackworker",
    id_text: py_json,
    controls: AUDIT_RUN_CONTROLS,
};

/// The audit worker's live run (§4.10 `execute`): its id hashes compact JSON.
pub const AUDIT_LIVE_RUN: RunKind = RunKind {
    id_text: compact_json,
    ..AUDIT_DRY_RUN
};

/// JSON text with no spaces, keys in their order.
pub fn compact_json(v: &Value) -> String {
    v.to_string()
}

/// `max_retry_deliveries` when a run does not say (§4.10).
pub const DEFAULT_MAX_RETRY_DELIVERIES: u32 = 5;

/// How many retries one run selects at most (`max_retry_deliveries`, 1 to 25).
pub fn retry_cap(max_retry_deliveries: u32) -> usize {
    max_retry_deliveries.clamp(1, 25) as usize
}

/// What a run picked: the selected retry decisions, one follow-up action a decision of the
/// plan, and (the audit worker only) how many retries wait for an approval.
pub struct Selection {
    pub selected: Vec<Value>,
    pub follow_ups: Vec<Value>,
    pub approval_pending: Option<usize>,
}

impl WorkerSchedule {
    /// A retry worker's run object: its id from the window and what it selected, the plan's
    /// decisions counted by action, then the plan, the selection and the follow-ups.
    pub fn run_object(
        &self,
        kind: &RunKind,
        plan: &Map<String, Value>,
        picked: Selection,
        dry_run: bool,
        generated_by: &str,
        now: DateTime<Utc>,
    ) -> Map<String, Value> {
        let Selection {
            selected,
            follow_ups,
            approval_pending,
        } = picked;
        let (start, schedule) = self.run_window(now);
        let material = json!({"window_start": time::iso(start), "generated_by": generated_by, "dry_run": dry_run,
                              "retry_plan_id": plan.get("retry_plan_id"), "selected": &selected});
        let decisions = retry_decisions(plan);
        let count = |a: &str| decisions.iter().filter(|d| action_of(d) == a).count();
        let mut summary = json!({"retry_plan_count": 1, "retryable_count": count("retry"), "waiting_retry_count": count("wait"),
                                 "suppressed_retry_count": count("suppress"), "selected_retry_count": selected.len()});
        if let Some(pending) = approval_pending {
            summary["approval_pending_count"] = json!(pending);
        }
        summary["follow_up_action_count"] = json!(follow_ups.len());
        map(json!({
            "schema_version": kind.schema_version, "product": PRODUCT,
            "run_id": make_id(kind.id_prefix, &(kind.id_text)(&material)),
            "generated_at": time::iso(now), "generated_by": generated_by, "dry_run": dry_run,
            "schedule": schedule, "summary": summary, "retry_plan": Value::Object(plan.clone()),
            "selected_retries": selected, "follow_up_actions": follow_ups, "controls": kind.controls,
        }))
    }
}

/// What a retry worker run starts from: the history records it plans over, its retry policy
/// and schedule, how many retries it may select, who runs it and when.
#[derive(Clone, Copy)]
pub struct RunInput<'a> {
    pub records: &'a [Record],
    pub policy: &'a RetryPolicy,
    pub schedule: &'a WorkerSchedule,
    pub max_retry_deliveries: u32,
    pub generated_by: &'a str,
    pub now: DateTime<Utc>,
}

/// A dry run of the worker: the run object plus the retry plan it built.
pub struct WorkerRun {
    pub run: Map<String, Value>,
    pub retry_plan: Map<String, Value>,
}

/// §4.10 in dry-run mode: a fresh retry plan, the first `max` retry decisions selected.
pub fn dry_run(input: &RunInput) -> WorkerRun {
    let plan = audit_retry_plan(input.records, input.policy, input.generated_by, input.now);
    let decisions = retry_decisions(&plan);
    let selected: Vec<Value> = decisions
        .iter()
        .filter(|d| action_of(d) == "retry")
        .take(retry_cap(input.max_retry_deliveries))
        .map(|d| Value::Object(d.clone()))
        .collect();
    // One follow-up action per decision of the plan, not only the selected ones.
    let follow_ups: Vec<Value> = decisions
        .iter()
        .map(|d| {
            let f = |k: &str| d.get(k).cloned().unwrap_or_else(|| json!(""));
            json!({"action": d.get("action").cloned().unwrap_or(Value::Null), "provider": f("provider"),
                   "audit_id": f("audit_id"), "delivery_id": f("delivery_id"), "reason": f("reason"),
                   "approval_state": "dry_run_not_required"})
        })
        .collect();
    let picked = Selection {
        selected,
        follow_ups,
        approval_pending: Some(0),
    };
    WorkerRun {
        run: input.schedule.run_object(
            &AUDIT_DRY_RUN,
            &plan,
            picked,
            true,
            input.generated_by,
            input.now,
        ),
        retry_plan: plan,
    }
}

/// Wraps a worker run in its stored record (CAVRA's counters: follow-up actions, suppressed
/// retries, selected retries).
pub fn worker_run_record(run: &Map<String, Value>) -> Record {
    let n = |k: &str| super::record::u(run_summary(run), k, 0);
    let counts = counts(
        n("follow_up_action_count"),
        n("suppressed_retry_count"),
        n("selected_retry_count"),
    );
    run_record(run, kind::WORKER_RUN, counts).nest(nested::WORKER_RUN)
}

/// The `summary` of a worker run (empty when it has none).
fn run_summary(run: &Map<String, Value>) -> &Map<String, Value> {
    static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);
    run.get("summary")
        .and_then(Value::as_object)
        .unwrap_or(&EMPTY)
}

/// The stored record of a retry worker run (audit or auditor-export) up to its nested run:
/// `run_id`, `dry_run` (true unless the run says otherwise) and the summary's retry counts.
pub fn run_record<'a>(
    run: &'a Map<String, Value>,
    metadata_kind: &str,
    counts: [Value; 3],
) -> Draft<'a> {
    let sum = |k: &str| run_summary(run).get(k).cloned().unwrap_or(json!(0));
    let dry_run = run.get("dry_run").and_then(Value::as_bool).unwrap_or(true);
    Record::draft(metadata_kind, run, Stamp::generated("run_id"), counts)
        .copy(&["run_id"])
        .set("dry_run", dry_run)
        .set("retryable_count", sum("retryable_count"))
        .set("selected_retry_count", sum("selected_retry_count"))
}

#[cfg(test)]
#[path = "worker_tests.rs"]
mod tests;
