//! The final auditor-export delivery retry worker (CONTRACT §5 `delivery-retry-worker-run`):
//! a fresh auditor retry plan, the first `max` `retry` decisions selected; a dry run sends
//! nothing, a live run re-sends each export (no approval step: `execute` is the request) and
//! writes an execution record per decision, `skipped` with the reason when it could not send.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::approval::map;
use super::execution::{evidence_refs, metadata_id, outcome, stored_execution};
use super::ids::hashed_id;
use super::record::{PRODUCT, Record, counts, kind, nested, s as text_of};
use super::retry::{auditor_retry_plan, normalise};
use super::time;
use super::worker::{
    RunInput, RunKind, Selection, action_of, compact_json, retry_cap, retry_decisions, run_plan_id,
    run_record,
};

/// The auditor-export worker's runs, dry or live: their ids hash compact JSON.
const AUDITOR_RUN: RunKind = RunKind {
    schema_version: "cavra.go-backend-pilot.rollback-drill-final-reporting-auditor-export-delivery-retry-worker-run.v1",
    id_prefix: "gordackfinalaudworker",
    id_text: compact_json,
    controls: &[
        "final-auditor-export-retry-worker-derived-from-public-delivery-metadata",
        "dry-run-default-prevents-accidental-auditor-export-redelivery",
        "live-auditor-export-delivery-retry-requires-explicit-execute-request",
        "worker-run-contains-no-connector-secret-or-private-endpoint",
    ],
};

/// The run object and the decisions it selected.
pub struct AuditorRun {
    pub run: Map<String, Value>,
    pub retry_plan: Map<String, Value>,
    pub selected: Vec<Map<String, Value>>,
}

/// Builds the worker run (`dry_run` or live).
pub fn auditor_run(input: &RunInput, dry_run: bool) -> AuditorRun {
    let plan = auditor_retry_plan(input.records, input.policy, input.generated_by, input.now);
    let all = retry_decisions(&plan);
    let selected: Vec<Map<String, Value>> = all
        .iter()
        .filter(|d| action_of(d) == "retry")
        .take(retry_cap(input.max_retry_deliveries))
        .cloned()
        .collect();
    let state = if dry_run {
        "dry_run"
    } else {
        "selected_for_auditor_export_redelivery"
    };
    let follow_ups: Vec<Value> = all
        .iter()
        .map(|d| {
            json!({"action": d.get("action"), "provider": d.get("provider"), "export_id": d.get("export_id"),
                   "verification_id": d.get("verification_id"), "reason": d.get("reason"), "execution_state": state})
        })
        .collect();
    let picked = Selection {
        selected: selected.iter().cloned().map(Value::Object).collect(),
        follow_ups,
        approval_pending: None,
    };
    let run = input.schedule.run_object(
        &AUDITOR_RUN,
        &plan,
        picked,
        dry_run,
        input.generated_by,
        input.now,
    );
    AuditorRun {
        run,
        retry_plan: plan,
        selected,
    }
}

/// The stored record of a run.
pub fn auditor_run_record(run: &Map<String, Value>) -> Record {
    let sum = |k: &str| {
        run.get("summary")
            .and_then(|s| s.get(k))
            .cloned()
            .unwrap_or(json!(0))
    };
    let counts = counts(
        sum("follow_up_action_count"),
        sum("suppressed_retry_count"),
        sum("selected_retry_count"),
    );
    let k = kind::AUDITOR_RETRY_WORKER_RUN;
    run_record(run, k, counts).nest(nested::AUDITOR_RETRY_WORKER_RUN)
}

/// The execution record of one live re-send (`skipped` names the reason it was not sent).
pub fn auditor_execution(
    run: &Map<String, Value>,
    decision: &Map<String, Value>,
    delivery_metadata: Option<&Record>,
    skipped: Option<&str>,
    executed_by: &str,
    now: DateTime<Utc>,
) -> (Map<String, Value>, Record) {
    let s = |o: &Map<String, Value>, k: &str| text_of(o, k).to_string();
    let provider = normalise(&s(decision, "provider"));
    let (export_id, run_id) = (s(decision, "export_id"), s(run, "run_id"));
    let (status, success) = outcome(skipped, delivery_metadata);
    let at = time::iso(now);
    let plan_id = run_plan_id(run);
    let meta_id = metadata_id(delivery_metadata);
    let material = json!({"worker_run_id": run_id, "export_id": export_id, "retry_plan_id": plan_id, "provider": provider,
                          "delivery_metadata_id": meta_id, "execution_status": status, "executed_at": at});
    let (id, hash) = hashed_id("gordackfinalaudexec", &material);
    let refs = evidence_refs([
        format!("go-rollback-drill-final-auditor-retry-worker://{run_id}"),
        format!("go-rollback-drill-final-auditor-export://{export_id}"),
        format!("connector-delivery://{meta_id}"),
    ]);
    let record = map(json!({
        "schema_version": "cavra.go-backend-pilot.rollback-drill-final-reporting-auditor-export-delivery-retry-execution-record.v1",
        "product": PRODUCT, "execution_id": id, "execution_hash": hash, "execution_status": status, "executed_at": at,
        "executed_by": executed_by, "worker_run_id": run_id, "export_id": export_id, "retry_plan_id": plan_id,
        "verification_id": s(decision, "verification_id"), "release_record_ref": s(decision, "release_record_ref"),
        "latest_delivery_id": s(decision, "latest_delivery_id"), "provider": provider, "skipped": skipped.unwrap_or(""),
        "delivery_metadata_id": meta_id, "delivery_success": success,
        "selected_providers": delivery_metadata.map(|m| m.strs("providers")).unwrap_or_default(),
        "public_evidence_refs": refs,
        "controls": ["auditor-export-delivery-retry-execution-bound-to-worker-run",
                     "execution-record-derived-from-public-safe-export-and-delivery-metadata",
                     "execution-hash-covers-worker-export-delivery-and-status",
                     "record-contains-no-connector-secret-or-private-endpoint"],
    }));
    let fields = [
        "worker_run_id",
        "export_id",
        "retry_plan_id",
        "verification_id",
        "release_record_ref",
        "provider",
    ];
    let stored = stored_execution(
        kind::AUDITOR_RETRY_EXECUTION,
        &record,
        &fields,
        nested::AUDITOR_RETRY_EXECUTION,
    );
    (record, stored)
}
