//! Retries in sample mode: the two families' retry plans (§4.8, §4.16) and their workers: the
//! audit worker's dry run (§4.10), Execute Retry (the live audit worker) and the
//! auditor-export retry worker (§4.16). Each worker plans with `domain`,
//! then takes the selected decisions one by one (2 ms apart), stores the run, its retry plan and
//! what each decision made in one transaction, and answers with one result per decision.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use serde_json::{Value, json};

use super::answers::{connectors, family, obj, outcome, stored};
use super::store::Store;
use crate::backend::calls::{AuditorWorkerRequest, ExecuteRetryRequest};
use crate::backend::{BackendError, Json, RetryFamily, WorkerRunRequest};
use crate::domain::auditor_worker::{auditor_execution, auditor_run, auditor_run_record};
use crate::domain::delivery::{
    AuditDeliveryInput, audit_delivery_plan, audit_delivery_plan_record, audit_delivery_record,
    connector_delivery_record,
};
use crate::domain::execution::{Executed, execution_record, live_run};
use crate::domain::record::{self, Record, kind, nested, source};
use crate::domain::retry::{RetryPolicy, audit_retry_plan, auditor_retry_plan, retry_plan_record};
use crate::domain::worker::{dry_run, worker_run_record};

/// One family of retry plans: how it is planned, and the kind and key its record is stored
/// under.
pub struct RetryPlans {
    plan: fn(&[Record], &RetryPolicy, &str, DateTime<Utc>) -> Json,
    kind: &'static str,
    nested: &'static str,
}

/// The acknowledgement-audit delivery retries (§4.8, §4.10).
const AUDIT_RETRIES: RetryPlans = RetryPlans {
    plan: audit_retry_plan,
    kind: kind::RETRY_PLAN,
    nested: nested::RETRY_PLAN,
};

/// The final auditor export delivery retries (§4.16).
const AUDITOR_RETRIES: RetryPlans = RetryPlans {
    plan: auditor_retry_plan,
    kind: kind::AUDITOR_EXPORT_RETRY_PLAN,
    nested: nested::AUDITOR_EXPORT_RETRY_PLAN,
};

impl RetryPlans {
    /// The table of `family`'s plans.
    pub fn of(family: RetryFamily) -> &'static RetryPlans {
        match family {
            RetryFamily::AuditDeliveries => &AUDIT_RETRIES,
            RetryFamily::AuditorExports => &AUDITOR_RETRIES,
        }
    }

    /// The record a plan of this family is stored as.
    fn record(&self, plan: &Json) -> Record {
        retry_plan_record(plan, self.kind, self.nested)
    }
}

/// §4.8, §4.16: plans retries of this family's failed deliveries and stores the plan.
pub fn retry_plan(
    s: &mut Store,
    plans: &RetryPlans,
    policy: &RetryPolicy,
    generated_by: &str,
    now: DateTime<Utc>,
) -> Result<Json, BackendError> {
    let plan = (plans.plan)(&family(s)?, policy, generated_by, now);
    let rec = plans.record(&plan);
    stored(s, "plan", plan, rec, true)
}

/// The newest stored audit package with this id.
fn newest_package(records: &[Record], audit_id: &str) -> Option<Json> {
    records
        .iter()
        .filter(|r| r.kind() == kind::AUDIT_PACKAGE && r.str("audit_id") == audit_id)
        .max_by(|a, b| a.created_at().cmp(b.created_at()))
        .and_then(|r| r.object(nested::AUDIT_PACKAGE).cloned())
}

/// The delivery plan by which a retry worker run re-sends one decision's package to `provider`.
fn retry_delivery_plan(
    package: &Json,
    provider: &String,
    generated_by: &str,
    run_id: &str,
    at: DateTime<Utc>,
) -> Json {
    let input = AuditDeliveryInput {
        package,
        requested_provider: provider,
        selected_providers: std::slice::from_ref(provider),
        generated_by,
        cadence: "retry",
        schedule_ref: &format!("retry:{run_id}"),
        next_delivery_at: "",
    };
    audit_delivery_plan(&input, at)
}

/// When the `index`th selected decision of a run is taken (each 2 ms after the one before).
fn decision_at(now: DateTime<Utc>, index: usize) -> DateTime<Utc> {
    now + Duration::milliseconds(2 * index as i64 + 1)
}

/// The audit worker's `delivery_plan` and `plan_metadata` (each `null` when none was made).
fn planned(plan: Option<Json>, plan_rec: Option<Record>) -> Json {
    obj(json!({"delivery_plan": plan, "plan_metadata": plan_rec.map(|r| r.0)}))
}

/// One decision's result, in the server's field order: the decision, what was planned for it
/// (`planned`), its delivery, its execution and why it was skipped; `null` where none was made.
fn retry_result(
    decision: &impl Serialize,
    planned: Json,
    delivery: Option<Record>,
    execution: Option<(Json, Record)>,
    skipped: Option<&str>,
) -> Value {
    let mut out = obj(json!({"decision": decision}));
    out.extend(planned);
    out.extend(obj(json!({
        "delivery": delivery.as_ref().and_then(|d| d.0.get("delivery").cloned()),
        "delivery_metadata": delivery.map(|d| d.0),
        "execution_record": execution.as_ref().map(|(x, _)| x.clone()),
        "execution_metadata": execution.map(|(_, rec)| rec.0), "skipped": skipped,
    })));
    Value::Object(out)
}

/// Stores the run, its retry plan and what the decisions `made`, in one transaction, and
/// answers with the run, both records and each decision's result.
fn run_stored(
    s: &mut Store,
    (run, run_rec): (Json, Record),
    retry_rec: Record,
    made: Vec<Record>,
    results: Vec<Value>,
) -> Result<Json, BackendError> {
    let mut store = vec![run_rec.clone(), retry_rec.clone()];
    store.extend(made);
    s.put_records(&store)?;
    Ok(obj(
        json!({"run": run, "metadata": run_rec.0, "retry_metadata": retry_rec.0,
               "retry_results": results, "actor": null}),
    ))
}

/// §4.10: the audit worker's dry run plans a re-delivery for each selected decision.
pub fn worker_run(
    s: &mut Store,
    req: &WorkerRunRequest,
    now: DateTime<Utc>,
) -> Result<Json, BackendError> {
    let records = family(s)?;
    let run = dry_run(&req.input(&records, now));
    let run_rec = worker_run_record(&run.run);
    let retry_rec = AUDIT_RETRIES.record(&run.retry_plan);
    let run_id = record::s(&run.run, "run_id");
    let (mut made, mut results) = (Vec::new(), Vec::new());
    for decision in run.run["selected_retries"].as_array().into_iter().flatten() {
        let audit_id = decision["audit_id"].as_str().unwrap_or("");
        let Some(package) = newest_package(&records, audit_id) else {
            let skipped = Some("audit_package_not_found");
            results.push(retry_result(
                decision,
                planned(None, None),
                None,
                None,
                skipped,
            ));
            continue;
        };
        let provider = decision["provider"].as_str().unwrap_or("").to_string();
        let plan = retry_delivery_plan(&package, &provider, &req.generated_by, run_id, now);
        let plan_rec = audit_delivery_plan_record(&plan);
        made.push(plan_rec.clone());
        let planned = planned(Some(plan), Some(plan_rec));
        results.push(retry_result(decision, planned, None, None, Some("dry_run")));
    }
    run_stored(s, (run.run, run_rec), retry_rec, made, results)
}

/// Execute Retry: the live audit worker re-delivers each approved decision's package through
/// the simulated connector.
pub fn execute_retry(
    s: &mut Store,
    r: &ExecuteRetryRequest,
    now: DateTime<Utc>,
) -> Result<Json, BackendError> {
    let records = family(s)?;
    let configured = connectors(s)?;
    let by = &r.run.generated_by;
    let live = live_run(&r.run.input(&records, now));
    let run_rec = worker_run_record(&live.run);
    let retry_rec = AUDIT_RETRIES.record(&live.retry_plan);
    let run_id = record::s(&live.run, "run_id");
    let (mut made, mut results) = (Vec::new(), Vec::new());
    for (i, (decision, approval)) in live.selected.iter().enumerate() {
        let at = decision_at(now, i);
        let text = |k: &str| record::s(decision, k);
        let package = newest_package(&records, text("audit_id"));
        let connector = outcome(&configured, text("provider"));
        let (mut plan, mut plan_rec, mut delivery) = (None, None, None);
        let skipped = match (&package, &connector) {
            (None, _) => Some("audit_package_not_found"),
            (_, None) => Some("connector_config_not_configured"),
            (Some(pkg), Some(o)) => {
                let p = retry_delivery_plan(pkg, &o.provider, by, run_id, at);
                delivery = Some(audit_delivery_record(&p, std::slice::from_ref(o), at));
                plan_rec = Some(audit_delivery_plan_record(&p));
                plan = Some(p);
                None
            }
        };
        let done = Executed {
            delivery_plan: plan.as_ref(),
            delivery_metadata: delivery.as_ref(),
            skipped,
        };
        let executed = execution_record(&live.run, decision, approval, &done, by, at);
        made.extend(plan_rec.iter().cloned().chain(delivery.iter().cloned()));
        made.push(executed.1.clone());
        let planned = planned(plan, plan_rec);
        results.push(retry_result(
            decision,
            planned,
            delivery,
            Some(executed),
            skipped,
        ));
    }
    run_stored(s, (live.run, run_rec), retry_rec, made, results)
}

/// §4.16: the auditor-export retry worker, a dry run or a live one that re-delivers each
/// selected export through the simulated connector.
pub fn auditor_worker(
    s: &mut Store,
    r: &AuditorWorkerRequest,
    now: DateTime<Utc>,
) -> Result<Json, BackendError> {
    let records = family(s)?;
    let configured = connectors(s)?;
    let run = auditor_run(&r.run.input(&records, now), !r.execute);
    let run_rec = auditor_run_record(&run.run);
    let retry_rec = AUDITOR_RETRIES.record(&run.retry_plan);
    let (mut made, mut results) = (Vec::new(), Vec::new());
    for (i, decision) in run.selected.iter().enumerate() {
        let at = decision_at(now, i);
        let text = |k: &str| record::s(decision, k);
        let export = records
            .iter()
            .find(|e| e.kind() == kind::AUDITOR_EXPORT && e.str("export_id") == text("export_id"));
        let connector = outcome(&configured, text("provider"));
        let mut delivery = None;
        let skipped = match (r.execute, export, &connector) {
            (false, _, _) => Some("dry_run"),
            (true, None, _) => Some("auditor_export_not_found"),
            (true, _, None) => Some("connector_config_not_configured"),
            (true, Some(e), Some(o)) => {
                delivery = Some(connector_delivery_record(
                    source::AUDITOR_EXPORT,
                    "cavra.go_backend.rollback_drill.final_reporting_auditor_export",
                    e.str("export_id"),
                    std::slice::from_ref(o),
                    at,
                    &[
                        ("export_id", e.str("export_id")),
                        ("release_record_ref", e.str("release_record_ref")),
                    ],
                ));
                None
            }
        };
        let executed = r.execute.then(|| {
            let by = &r.run.generated_by;
            auditor_execution(&run.run, decision, delivery.as_ref(), skipped, by, at)
        });
        made.extend(delivery.iter().cloned());
        made.extend(executed.iter().map(|(_, rec)| rec.clone()));
        let planned = obj(json!({"export": export.map(|e| e.0.clone())}));
        results.push(retry_result(decision, planned, delivery, executed, skipped));
    }
    run_stored(s, (run.run, run_rec), retry_rec, made, results)
}
