//! Execute Retry (CONTRACT §4.10 live mode, §6.5): the live worker run that re-sends only
//! retry decisions with an approved execution decision, the execution record of each re-send,
//! and the preview the console shows before asking (what it will re-send, what it skips, why).

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::approval::{ExecKey, approved, exec_key, map};
use super::ids::hashed_id;
use super::record::{PRODUCT, Record, Stamp, counts, kind, nested, s as text_of};
use super::retry::{RetryPolicy, audit_retry_plan, normalise};
use super::time;
use super::worker::{
    AUDIT_LIVE_RUN, RunInput, Selection, action_of, retry_cap, retry_decisions, run_plan_id,
};

/// A live run: the run object, the fresh retry plan, and each selected decision with the
/// approved decision that allows it.
pub struct LiveRun {
    pub run: Map<String, Value>,
    pub retry_plan: Map<String, Value>,
    pub selected: Vec<(Map<String, Value>, Map<String, Value>)>,
}

/// §4.10 with `execute: true`: a fresh retry plan; the first `max` approved `retry` decisions.
pub fn live_run(input: &RunInput) -> LiveRun {
    let plan = audit_retry_plan(input.records, input.policy, input.generated_by, input.now);
    let approvals = approved(input.records);
    let all = retry_decisions(&plan);
    let retries: Vec<&Map<String, Value>> =
        all.iter().filter(|d| action_of(d) == "retry").collect();
    let selected: Vec<(Map<String, Value>, Map<String, Value>)> = retries
        .iter()
        .filter_map(|d| {
            approvals
                .get(&exec_key(d))
                .map(|a| ((*d).clone(), a.clone()))
        })
        .take(retry_cap(input.max_retry_deliveries))
        .collect();
    let chosen: Vec<ExecKey> = selected.iter().map(|(d, _)| exec_key(d)).collect();
    let follow_ups: Vec<Value> = all
        .iter()
        .map(|d| {
            let state = if chosen.contains(&exec_key(d)) {
                "approved"
            } else {
                "approval_required"
            };
            json!({"action": action_of(d), "provider": d.get("provider"), "audit_id": d.get("audit_id"),
                   "delivery_id": d.get("delivery_id"), "reason": d.get("reason"), "approval_state": state})
        })
        .collect();
    let picked = Selection {
        selected: selected
            .iter()
            .map(|(d, _)| Value::Object(d.clone()))
            .collect(),
        follow_ups,
        approval_pending: Some(retries.len() - selected.len()),
    };
    let run = input.schedule.run_object(
        &AUDIT_LIVE_RUN,
        &plan,
        picked,
        false,
        input.generated_by,
        input.now,
    );
    LiveRun {
        run,
        retry_plan: plan,
        selected,
    }
}

/// What one re-send did, for its execution record.
pub struct Executed<'a> {
    pub delivery_plan: Option<&'a Map<String, Value>>,
    pub delivery_metadata: Option<&'a Record>,
    pub skipped: Option<&'a str>,
}

fn s(o: &Map<String, Value>, k: &str) -> String {
    text_of(o, k).to_string()
}

/// The id of the delivery metadata a re-send wrote (`""` when it wrote none).
pub fn metadata_id(delivery_metadata: Option<&Record>) -> String {
    delivery_metadata
        .map(|m| m.session_id().to_string())
        .unwrap_or_default()
}

/// The execution record of one selected decision, and its stored record.
pub fn execution_record(
    run: &Map<String, Value>,
    decision: &Map<String, Value>,
    approval: &Map<String, Value>,
    done: &Executed<'_>,
    executed_by: &str,
    now: DateTime<Utc>,
) -> (Map<String, Value>, Record) {
    let pick = |k: &str| match s(decision, k) {
        v if v.is_empty() => s(approval, k),
        v => v,
    };
    let provider = normalise(&pick("provider"));
    let retry_plan_id = match pick("retry_plan_id") {
        v if v.is_empty() => run_plan_id(run),
        v => v,
    };
    let (delivery_id, audit_id, run_id) = (pick("delivery_id"), pick("audit_id"), s(run, "run_id"));
    let (status, success) = outcome(done.skipped, done.delivery_metadata);
    let at = time::iso(now);
    let meta_id = metadata_id(done.delivery_metadata);
    let plan_delivery = done
        .delivery_plan
        .map(|p| s(p, "delivery_id"))
        .unwrap_or_default();
    let material = json!({"run_id": run_id, "retry_plan_id": retry_plan_id, "provider": provider, "delivery_id": delivery_id,
        "audit_id": audit_id, "approval_decision_id": s(approval, "decision_id"), "delivery_metadata_id": meta_id,
        "execution_status": status, "executed_at": at});
    let (id, hash) = hashed_id("gordackretryexec", &material);
    let decision_id = s(approval, "decision_id");
    let refs = evidence_refs([
        format!("go-rollback-drill-retry-worker://{run_id}"),
        format!("go-rollback-drill-retry-approval://{decision_id}"),
        format!("go-rollback-drill-audit-delivery://{plan_delivery}"),
        format!("connector-delivery://{meta_id}"),
    ]);
    let record = map(json!({
        "schema_version": "cavra.go-backend-pilot.rollback-drill-acknowledgement-audit-delivery-retry-execution-record.v1",
        "product": PRODUCT, "execution_id": id, "execution_hash": hash, "execution_status": status, "executed_at": at,
        "executed_by": executed_by, "run_id": run_id, "retry_plan_id": retry_plan_id,
        "approval_decision_id": s(approval, "decision_id"), "approval_plan_id": s(approval, "approval_plan_id"),
        "delivery_id": delivery_id, "audit_id": audit_id, "provider": provider, "skipped": done.skipped.unwrap_or(""),
        "delivery_plan_id": plan_delivery, "delivery_metadata_id": meta_id, "delivery_success": success,
        "selected_providers": done.delivery_plan.and_then(|p| p.get("selected_providers")).cloned().unwrap_or(json!([])),
        "public_evidence_refs": refs,
        "controls": ["live-retry-execution-record-bound-to-approved-decision",
                     "execution-record-derived-from-public-safe-worker-and-delivery-metadata",
                     "execution-hash-covers-worker-approval-delivery-and-status",
                     "record-contains-no-connector-secret-or-private-endpoint"],
    }));
    let fields = [
        "run_id",
        "retry_plan_id",
        "approval_decision_id",
        "delivery_id",
        "audit_id",
        "provider",
    ];
    let stored = stored_execution(
        kind::RETRY_EXECUTION,
        &record,
        &fields,
        nested::RETRY_EXECUTION,
    );
    (record, stored)
}

/// An execution record's public evidence references, those with no id left out.
pub fn evidence_refs<const N: usize>(refs: [String; N]) -> Vec<String> {
    refs.into_iter().filter(|r| !r.ends_with("://")).collect()
}

/// How a selected re-send ended, and whether its delivery succeeded: `skipped` (with a
/// reason), `delivered`, or `failed`.
pub fn outcome(skipped: Option<&str>, delivery_metadata: Option<&Record>) -> (&'static str, bool) {
    let success = delivery_metadata
        .and_then(|m| m.bool("delivery_success"))
        .unwrap_or(false);
    let status = match (skipped, success) {
        (Some(_), _) => "skipped",
        (None, true) => "delivered",
        (None, false) => "failed",
    };
    (status, success)
}

/// The stored record of an execution record: its id, hash and status, then `fields`, then
/// whether the delivery succeeded (blocked unless delivered).
pub fn stored_execution(
    metadata_kind: &str,
    record: &Map<String, Value>,
    fields: &[&str],
    nested: &str,
) -> Record {
    let blocked = u8::from(record.get("execution_status") != Some(&json!("delivered")));
    let counts = counts(1, blocked, 0);
    Record::draft(metadata_kind, record, Stamp::EXECUTION, counts)
        .copy(&["execution_id", "execution_hash", "execution_status"])
        .copy(fields)
        .copy(&["delivery_success"])
        .nest(nested)
}

/// One line of the Execute Retry preview.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreviewRow {
    pub provider: String,
    pub delivery_id: String,
    pub audit_id: String,
    /// Will the run re-send it?
    pub send: bool,
    /// Why it is re-sent, or skipped.
    pub reason: String,
}

/// What Execute Retry will re-send and skip, computed from the records at hand (failed audit
/// deliveries, approval decisions, audit packages). `connectors`, when known (sample mode),
/// names the configured providers.
pub fn preview(
    records: &[Record],
    policy: &RetryPolicy,
    max_retry_deliveries: u32,
    connectors: Option<&[String]>,
    now: DateTime<Utc>,
) -> Vec<PreviewRow> {
    let plan = audit_retry_plan(records, policy, "preview", now);
    let approvals = approved(records);
    let packages: Vec<&str> = records
        .iter()
        .filter(|r| r.kind() == kind::AUDIT_PACKAGE)
        .map(|r| r.str("audit_id"))
        .collect();
    let max = retry_cap(max_retry_deliveries);
    let mut sending = 0;
    retry_decisions(&plan)
        .iter()
        .map(|d| {
            let (provider, delivery_id, audit_id) = exec_key(d);
            let reason = if action_of(d) != "retry" {
                format!("{}: {}", action_of(d), s(d, "reason"))
            } else if !approvals.contains_key(&exec_key(d)) {
                "approval_required: no approved retry execution decision".to_string()
            } else if sending >= max {
                format!("max_retry_deliveries {max} reached")
            } else {
                // Selected by the worker (it counts against the cap), then maybe skipped.
                sending += 1;
                if !packages.contains(&audit_id.as_str()) {
                    "audit_package_not_found".to_string()
                } else if connectors.is_some_and(|c| !c.iter().any(|p| normalise(p) == provider)) {
                    "connector_config_not_configured".to_string()
                } else {
                    String::new()
                }
            };
            let send = reason.is_empty();
            PreviewRow {
                provider,
                delivery_id,
                audit_id,
                send,
                reason: if send {
                    "approved retry: will be re-sent".into()
                } else {
                    reason
                },
            }
        })
        .collect()
}

#[cfg(test)]
#[path = "execution_tests.rs"]
mod tests;
