//! The issue-12 operations in sample mode: each reads the family's records, computes with
//! `domain`, writes its records in one transaction and answers with the server's JSON.
//! Connector deliveries (archive alerts here; Execute Retry and the auditor worker in
//! `worker_runs`) are simulated by the scenario's connectors and say `"simulated": true`.

use chrono::{DateTime, Utc};

use super::answers::{
    AlertKind, alert_sent, connectors, family, history_page, outcome, recorded, stored,
};
use super::store::Store;
use super::worker_runs::{auditor_worker, execute_retry};
use crate::backend::calls::{ArchiveAlertRequest, Call};
use crate::backend::{BackendError, Json};
use crate::domain::approval::{approval_plan, approval_plan_record, decide};
use crate::domain::archive::{ArchiveRules, archive_health};
use crate::domain::archive_alert::{self, EVENT_TYPE, HISTORY_SCHEMA};
use crate::domain::histories::{
    routes_page, suppression_trend, trend_record, worker_dashboard, worker_runs,
};
use crate::domain::record::{Record, source};
use crate::domain::recovery::{close, playbook, playbook_record};
use crate::domain::recovery_report::{recovery_report, report_record};

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
        Call::WorkerRuns { dry_run, page } => Ok(worker_runs(&family(s)?, dry_run, page)),
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
        Call::ArchiveAlerts { query, page } => {
            let wanted = |r: &Record| archive_alert::history_matches(&query, r);
            history_page(s, HISTORY_SCHEMA, wanted, page)
        }
        Call::ArchiveAlertDashboard => Ok(archive_alert::alert_dashboard(&family(s)?, now)),
        Call::Routes { query, page } => Ok(routes_page(&family(s)?, &query, page)),
        Call::SuppressionTrend(r) => {
            let trend = suppression_trend(&family(s)?, &r.query, &r.generated_by, now);
            let rec = trend_record(&trend);
            stored(s, "trend", trend, rec, false)
        }
    }
}

/// Archive-health alerts (§4.17.1).
const ARCHIVE_ALERTS: AlertKind = AlertKind {
    plan_record: archive_alert::alert_plan_record,
    source: source::ARCHIVE_HEALTH_ALERT,
    event_type: EVENT_TYPE,
};

fn send_archive_alert(
    s: &mut Store,
    r: &ArchiveAlertRequest,
    now: DateTime<Utc>,
) -> Result<Json, BackendError> {
    let configured = connectors(s)?;
    // An unconfigured provider is refused before anything is stored, as for worker alerts.
    super::actions::select(&r.alert.provider, &configured)?;
    let records = family(s)?;
    let health = archive_health(
        &records,
        ArchiveRules::default(),
        &r.alert.generated_by,
        now,
    );
    let names: Vec<String> = configured.keys().cloned().collect();
    let plan = archive_alert::alert_plan(&health, &r.alert, &names, &records, now);
    let outcome = |p: &str| outcome(&configured, p);
    alert_sent(s, &ARCHIVE_ALERTS, health, plan, outcome, now)
}
