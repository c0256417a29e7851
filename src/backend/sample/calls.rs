//! The issue-12 operations in sample mode: each reads the family's records, computes with
//! `domain`, writes its records in one transaction and answers with the server's JSON.
//! Connector deliveries (Execute Retry, the auditor worker, archive alerts) are simulated by
//! the scenario's connectors and say `"simulated": true`.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::actions::{PER_KIND_CAP, connectors};
use super::answers::{
    alert_sent, history_page, newest_package, recorded, retry_delivery_plan, run_answer, stored,
};
use super::store::Store;
use crate::backend::calls::{ArchiveAlertRequest, AuditorWorkerRequest, Call, ExecuteRetryRequest};
use crate::backend::{BackendError, Json};
use crate::domain::approval::{approval_plan, approval_plan_record, decide};
use crate::domain::archive::{ArchiveRules, archive_health};
use crate::domain::archive_alert::{self, EVENT_TYPE, HISTORY_SCHEMA};
use crate::domain::auditor_worker::{auditor_execution, auditor_run, auditor_run_record};
use crate::domain::delivery::{
    ProviderOutcome, audit_delivery_plan_record, audit_delivery_record, connector_delivery_record,
};
use crate::domain::execution::{Executed, execution_record, live_run};
use crate::domain::histories::{
    routes_page, suppression_trend, trend_record, worker_dashboard, worker_runs,
};
use crate::domain::record::{self, Record, kind, nested, source};
use crate::domain::recovery::{close, playbook, playbook_record};
use crate::domain::recovery_report::{recovery_report, report_record};
use crate::domain::retry::{normalise, retry_plan_record};
use crate::domain::worker::worker_run_record;

fn family(s: &Store) -> Result<Vec<Record>, BackendError> {
    Ok(s.family_records(PER_KIND_CAP)?)
}

/// The outcome the simulated connector gives `provider`, if it is configured.
fn outcome(configured: &BTreeMap<String, u16>, provider: &str) -> Option<ProviderOutcome> {
    let p = normalise(provider);
    configured.get(&p).map(|code| ProviderOutcome {
        provider: p,
        status_code: *code,
    })
}

/// Answers one call against the store at `now`.
pub fn run(s: &mut Store, call: Call, now: DateTime<Utc>) -> Result<Json, BackendError> {
    match call {
        Call::RetryApprovalPlan(r) => {
            let plan = approval_plan(&family(s)?, r.require_retry_ack, &r.generated_by, now);
            let rec = approval_plan_record(&plan);
            stored(s, "plan", plan, rec, true)
        }
        Call::DecideRetryApproval(i) => recorded(s, "decision", &i, now, decide),
        Call::ExecuteRetry(r) => execute_retry(s, &r, now),
        Call::WorkerRuns {
            dry_run,
            limit,
            offset,
        } => Ok(worker_runs(&family(s)?, dry_run, limit, offset)),
        Call::WorkerDashboard => Ok(worker_dashboard(&family(s)?, now)),
        Call::RecoveryPlaybook(r) => {
            let p = playbook(
                &family(s)?,
                r.min_failure_count,
                r.lookback_hours,
                &r.generated_by,
                now,
            );
            let rec = playbook_record(&p);
            stored(s, "playbook", p, rec, true)
        }
        Call::CloseRecovery(i) => recorded(s, "closure", &i, now, close),
        Call::RetryRecoveryReport(r) => {
            let report = recovery_report(&family(s)?, r.recovery_slo_minutes, &r.generated_by, now);
            let rec = report_record(&report);
            stored(s, "report", report, rec, false)
        }
        Call::AuditorRetryWorker(r) => auditor_worker(s, &r, now),
        Call::SendArchiveAlert(r) => send_archive_alert(s, &r, now),
        Call::AckArchiveAlert(i) => {
            recorded(s, "acknowledgement", &i, now, archive_alert::alert_ack)
        }
        Call::ArchiveAlerts {
            query,
            limit,
            offset,
        } => {
            let items: Vec<Record> = family(s)?
                .into_iter()
                .filter(|r| archive_alert::history_matches(&query, r))
                .collect();
            Ok(history_page(HISTORY_SCHEMA, items, limit, offset))
        }
        Call::ArchiveAlertDashboard => Ok(archive_alert::alert_dashboard(&family(s)?, now)),
        Call::Routes {
            query,
            limit,
            offset,
        } => Ok(routes_page(&family(s)?, &query, limit, offset)),
        Call::SuppressionTrend(r) => {
            let trend = suppression_trend(&family(s)?, &r.query, &r.generated_by, now);
            let rec = trend_record(&trend);
            stored(s, "trend", trend, rec, false)
        }
    }
}

fn execute_retry(
    s: &mut Store,
    r: &ExecuteRetryRequest,
    now: DateTime<Utc>,
) -> Result<Json, BackendError> {
    let records = family(s)?;
    let configured = connectors(s)?;
    let live = live_run(
        &records,
        &r.policy,
        &r.schedule,
        r.max_retry_deliveries,
        &r.generated_by,
        now,
    );
    let run_rec = worker_run_record(&live.run);
    let retry_rec = retry_plan_record(&live.retry_plan, kind::RETRY_PLAN, nested::RETRY_PLAN);
    let run_id = record::s(&live.run, "run_id");
    let mut store = vec![run_rec.clone(), retry_rec.clone()];
    let mut results = Vec::new();
    for (i, (decision, approval)) in live.selected.iter().enumerate() {
        let at = now + Duration::milliseconds(2 * i as i64 + 1);
        let text = |k: &str| record::s(decision, k);
        let package = newest_package(&records, text("audit_id"));
        let connector = outcome(&configured, text("provider"));
        let (mut plan, mut plan_rec, mut delivery) = (None, None, None);
        let skipped = match (&package, &connector) {
            (None, _) => Some("audit_package_not_found"),
            (_, None) => Some("connector_config_not_configured"),
            (Some(pkg), Some(o)) => {
                let p = retry_delivery_plan(pkg, &o.provider, &r.generated_by, run_id, at);
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
        let (exec, exec_rec) =
            execution_record(&live.run, decision, approval, &done, &r.generated_by, at);
        store.extend(plan_rec.iter().cloned().chain(delivery.iter().cloned()));
        store.push(exec_rec.clone());
        results.push(json!({"decision": decision, "delivery_plan": plan, "plan_metadata": plan_rec.map(|x| x.0),
            "delivery": delivery.as_ref().and_then(|d| d.0.get("delivery").cloned()),
            "delivery_metadata": delivery.map(|d| d.0), "execution_record": exec,
            "execution_metadata": exec_rec.0, "skipped": skipped}));
    }
    s.put_records(&store)?;
    Ok(run_answer(live.run, run_rec, retry_rec, results))
}

fn auditor_worker(
    s: &mut Store,
    r: &AuditorWorkerRequest,
    now: DateTime<Utc>,
) -> Result<Json, BackendError> {
    let records = family(s)?;
    let configured = connectors(s)?;
    let run = auditor_run(
        &records,
        &r.policy,
        &r.schedule,
        r.max_retry_deliveries,
        !r.execute,
        &r.generated_by,
        now,
    );
    let run_rec = auditor_run_record(&run.run);
    let (k, key) = (
        kind::AUDITOR_EXPORT_RETRY_PLAN,
        nested::AUDITOR_EXPORT_RETRY_PLAN,
    );
    let retry_rec = retry_plan_record(&run.retry_plan, k, key);
    let mut store = vec![run_rec.clone(), retry_rec.clone()];
    let mut results = Vec::new();
    for (i, decision) in run.selected.iter().enumerate() {
        let at = now + Duration::milliseconds(2 * i as i64 + 1);
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
            auditor_execution(
                &run.run,
                decision,
                delivery.as_ref(),
                skipped,
                &r.generated_by,
                at,
            )
        });
        store.extend(delivery.iter().cloned());
        store.extend(executed.iter().map(|(_, rec)| rec.clone()));
        results.push(
            json!({"decision": decision, "export": export.map(|e| e.0.clone()),
            "delivery": delivery.as_ref().and_then(|d| d.0.get("delivery").cloned()),
            "delivery_metadata": delivery.map(|d| d.0),
            "execution_record": executed.as_ref().map(|(x, _)| x.clone()),
            "execution_metadata": executed.map(|(_, rec)| rec.0), "skipped": skipped}),
        );
    }
    s.put_records(&store)?;
    Ok(run_answer(run.run, run_rec, retry_rec, results))
}

fn send_archive_alert(
    s: &mut Store,
    r: &ArchiveAlertRequest,
    now: DateTime<Utc>,
) -> Result<Json, BackendError> {
    let configured = connectors(s)?;
    for p in r
        .alert
        .provider
        .split(',')
        .map(normalise)
        .filter(|p| !p.is_empty() && p != "all")
    {
        if !configured.contains_key(&p) {
            return Err(BackendError::Rejected(format!(
                "connector provider is not configured: {p}"
            )));
        }
    }
    let records = family(s)?;
    let health = archive_health(
        &records,
        ArchiveRules::default(),
        &r.alert.generated_by,
        now,
    );
    let names: Vec<String> = configured.keys().cloned().collect();
    let plan = archive_alert::alert_plan(&health, &r.alert, &names, &records, now);
    let plan_rec = archive_alert::alert_plan_record(&plan);
    let text = |k: &str| {
        plan.get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let (health_id, plan_id) = (text("health_id"), text("plan_id"));
    let selected: Vec<ProviderOutcome> = plan
        .get("selected_providers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter_map(|p| outcome(&configured, p))
        .collect();
    let delivery = (!selected.is_empty()).then(|| {
        connector_delivery_record(
            source::ARCHIVE_HEALTH_ALERT,
            EVENT_TYPE,
            &health_id,
            &selected,
            now + Duration::milliseconds(1),
            &[("health_id", &health_id), ("plan_id", &plan_id)],
        )
    });
    alert_sent(s, health, plan, plan_rec, delivery)
}
