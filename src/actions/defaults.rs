//! The request of each action as the web Evidence Console sends it (CONTRACT §6.5); the TUI's
//! dialogs start from these and the CLI's flags default to them, so both send the same body.

use super::PaneAction;
use crate::backend::calls::{
    ApprovalPlanRequest, ArchiveAlertRequest, AuditorWorkerRequest, ExecuteRetryRequest,
    PlaybookRequest, RecoveryReportRequest, SuppressionTrendRequest,
};
use crate::backend::{
    ArchiveHealthRequest, AuditDeliveryRequest, HealthParams, SendAlertRequest, WorkerRunRequest,
};
use crate::domain::archive::ArchiveRules;
use crate::domain::audit::AuditScope;
use crate::domain::histories::RoutingQuery;
use crate::domain::retry::RetryPolicy;
use crate::domain::worker::{AlertRequest, WorkerSchedule};

/// The Deliver Ack Audit destination the console offers first.
pub const AUDIT_DESTINATION: &str = "splunk";
/// The Send Worker Alert destination the console offers first (one provider, not a broadcast).
pub const ALERT_PROVIDER: &str = "webhook";

/// Deliver Ack Audit: `cadence: "on_demand"`, `schedule_ref: "evidence-console"`.
pub fn deliver_audit(scope: AuditScope, destination: &str, by: &str) -> PaneAction {
    PaneAction::DeliverAudit(AuditDeliveryRequest {
        scope,
        delivery_provider: destination.into(),
        cadence: "on_demand".into(),
        schedule_ref: "evidence-console".into(),
        generated_by: by.into(),
    })
}

/// Plan Audit Retry's and Plan Auditor Retry's policy: 3 attempts, 15 minutes, ×2.
pub fn retry_policy() -> RetryPolicy {
    RetryPolicy::default()
}

/// Run Audit Worker: a dry run with the immediate-retry policy, 5 deliveries, every 30 minutes.
pub fn run_worker(by: &str) -> PaneAction {
    PaneAction::RunWorker(worker_request(by))
}

fn worker_request(by: &str) -> WorkerRunRequest {
    WorkerRunRequest {
        policy: RetryPolicy {
            max_retry_attempts: 3,
            retry_delay_minutes: 0.0,
            allow_immediate_retry: true,
            backoff_multiplier: 2.0,
        },
        generated_by: by.into(),
        ..Default::default()
    }
}

/// The worker schedule for an interval, as the web console names its cadence.
pub fn worker_schedule(interval_minutes: u32) -> WorkerSchedule {
    let interval = interval_minutes.max(1);
    WorkerSchedule {
        interval_minutes: interval,
        cadence: format!("every_{interval}_minutes"),
        enabled: true,
    }
}

/// Send Worker Alert: `force: true`, no connector retries, a 0.1 s connector timeout (so the
/// server answers well inside the console's own timeout), the server's suppression window.
pub fn send_alert(provider: &str, by: &str) -> PaneAction {
    PaneAction::SendAlert(SendAlertRequest {
        alert: AlertRequest {
            provider: provider.into(),
            suppression_window_minutes: None,
            force: true,
            generated_by: by.into(),
        },
        health: HealthParams::default(),
        retries: 0,
        timeout_seconds: 0.1,
    })
}

/// Check archive health and record the report.
pub fn check_archive(rules: ArchiveRules, by: &str) -> PaneAction {
    PaneAction::CheckArchive(ArchiveHealthRequest {
        rules,
        generated_by: by.into(),
        persist: true,
    })
}

/// Plan Retry Approval: `{generated_by, approval_policy: {require_retry_ack: true}}`.
pub fn plan_retry_approval(by: &str) -> PaneAction {
    PaneAction::PlanRetryApproval(ApprovalPlanRequest {
        require_retry_ack: true,
        generated_by: by.into(),
    })
}

/// Execute Retry: Run Audit Worker's body, live (`execute: true`), cadence `manual_retry`, no
/// connector retries and a 0.1 s connector timeout.
pub fn execute_retry(by: &str) -> PaneAction {
    let mut run = worker_request(by);
    run.schedule.cadence = "manual_retry".into();
    PaneAction::ExecuteRetry(ExecuteRetryRequest {
        run,
        retries: 0,
        timeout_seconds: 0.1,
    })
}

/// Recovery Playbook: `{min_failure_count: 1, lookback_hours: 24}`.
pub fn recovery_playbook(by: &str) -> PaneAction {
    PaneAction::RecoveryPlaybook(PlaybookRequest {
        min_failure_count: 1,
        lookback_hours: 24,
        generated_by: by.into(),
    })
}

/// The Retry Recovery report: `recovery_slo_minutes=240`.
pub fn retry_recovery_report(by: &str) -> PaneAction {
    PaneAction::RetryRecoveryReport(RecoveryReportRequest {
        recovery_slo_minutes: 240,
        generated_by: by.into(),
    })
}

/// Run Auditor Retry: Run Audit Worker's policy, schedule and cap; live when `execute`, with
/// no connector retries and a 0.1 s connector timeout.
pub fn run_auditor_worker(execute: bool, by: &str) -> PaneAction {
    PaneAction::RunAuditorWorker(AuditorWorkerRequest {
        run: worker_request(by),
        execute,
        retries: 0,
        timeout_seconds: 0.1,
    })
}

/// Send Archive Alert: as Send Worker Alert (`force: true`, 0 retries, 0.1 s timeout).
pub fn send_archive_alert(provider: &str, by: &str) -> PaneAction {
    PaneAction::SendArchiveAlert(ArchiveAlertRequest {
        alert: AlertRequest {
            provider: provider.into(),
            suppression_window_minutes: None,
            force: true,
            generated_by: by.into(),
        },
        retries: 0,
        timeout_seconds: 0.1,
    })
}

/// Record a suppression trend for the routing filter (`action`/`category` are not sent).
pub fn suppression_trend(query: RoutingQuery, by: &str) -> PaneAction {
    PaneAction::RecordSuppressionTrend(SuppressionTrendRequest {
        query,
        generated_by: by.into(),
    })
}
