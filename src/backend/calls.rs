//! The issue-12 operations as one request type, [`Call`], that both backends answer with the
//! contract's JSON through [`super::Backend::call`]: retry execution approvals, Execute Retry,
//! worker history, connector recovery, the auditor-export retry worker, archive alerts, routing
//! history and suppression trends. Each names its endpoint (for the capability check) and
//! whether it writes (refresh never sends one that does).

use super::capabilities::Endpoint;
use super::{AlertAckInput, WorkerRunRequest};
pub use crate::domain::approval::ApprovalDecisionInput;
use crate::domain::histories::RoutingQuery;
use crate::domain::query::Page;
pub use crate::domain::recovery::ClosureInput;
use crate::domain::worker::{AlertQuery, AlertRequest};

/// Plan Retry Approval (`approval_policy.require_retry_ack`).
#[derive(Debug, Clone, PartialEq)]
pub struct ApprovalPlanRequest {
    pub require_retry_ack: bool,
    pub generated_by: String,
}

/// Execute Retry: the live worker (`execute: true`) with its connector settings.
#[derive(Debug, Clone, PartialEq)]
pub struct ExecuteRetryRequest {
    /// The worker's policy, schedule, cap and operator.
    pub run: WorkerRunRequest,
    /// Connector retries on the server (the web console sends 0).
    pub retries: u32,
    /// Connector timeout on the server in seconds (the web console sends 0.1).
    pub timeout_seconds: f64,
}

/// Recovery Playbook.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaybookRequest {
    pub min_failure_count: u32,
    pub lookback_hours: u32,
    pub generated_by: String,
}

/// The Retry Recovery report (a GET that stores the report).
#[derive(Debug, Clone, PartialEq)]
pub struct RecoveryReportRequest {
    pub recovery_slo_minutes: u32,
    pub generated_by: String,
}

/// The auditor-export retry worker, dry run or live.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditorWorkerRequest {
    /// The worker's policy, schedule, cap and operator.
    pub run: WorkerRunRequest,
    pub execute: bool,
    pub retries: u32,
    pub timeout_seconds: f64,
}

/// Send Archive Alert.
#[derive(Debug, Clone, PartialEq)]
pub struct ArchiveAlertRequest {
    pub alert: AlertRequest,
    pub retries: u32,
    pub timeout_seconds: f64,
}

/// The suppression trend (a GET that stores the trend).
#[derive(Debug, Clone, PartialEq)]
pub struct SuppressionTrendRequest {
    pub query: RoutingQuery,
    pub generated_by: String,
}

/// One issue-12 operation.
#[derive(Debug, Clone, PartialEq)]
pub enum Call {
    RetryApprovalPlan(ApprovalPlanRequest),
    DecideRetryApproval(ApprovalDecisionInput),
    ExecuteRetry(ExecuteRetryRequest),
    WorkerRuns { dry_run: Option<bool>, page: Page },
    WorkerDashboard,
    RecoveryPlaybook(PlaybookRequest),
    CloseRecovery(ClosureInput),
    RetryRecoveryReport(RecoveryReportRequest),
    AuditorRetryWorker(AuditorWorkerRequest),
    SendArchiveAlert(ArchiveAlertRequest),
    AckArchiveAlert(AlertAckInput),
    ArchiveAlerts { query: AlertQuery, page: Page },
    ArchiveAlertDashboard,
    Routes { query: RoutingQuery, page: Page },
    SuppressionTrend(SuppressionTrendRequest),
}

impl Call {
    /// The endpoint the call uses.
    pub fn endpoint(&self) -> Endpoint {
        match self {
            Call::RetryApprovalPlan(_) => Endpoint::RetryApprovalPlan,
            Call::DecideRetryApproval(_) => Endpoint::RetryApprovalDecision,
            Call::ExecuteRetry(_) => Endpoint::WorkerRun,
            Call::WorkerRuns { .. } => Endpoint::WorkerRuns,
            Call::WorkerDashboard => Endpoint::WorkerDashboard,
            Call::RecoveryPlaybook(_) => Endpoint::RecoveryPlaybook,
            Call::CloseRecovery(_) => Endpoint::RecoveryClosure,
            Call::RetryRecoveryReport(_) => Endpoint::RetryRecoveryReport,
            Call::AuditorRetryWorker(_) => Endpoint::AuditorRetryWorker,
            Call::SendArchiveAlert(_) => Endpoint::ArchiveAlertDeliver,
            Call::AckArchiveAlert(_) => Endpoint::ArchiveAlertAck,
            Call::ArchiveAlerts { .. } => Endpoint::ArchiveAlerts,
            Call::ArchiveAlertDashboard => Endpoint::ArchiveAlertDashboard,
            Call::Routes { .. } => Endpoint::Routes,
            Call::SuppressionTrend(_) => Endpoint::SuppressionTrends,
        }
    }

    /// Does the call store a record (never made on refresh; only on an explicit action)?
    pub fn writes(&self) -> bool {
        !matches!(
            self,
            Call::WorkerRuns { .. }
                | Call::WorkerDashboard
                | Call::ArchiveAlerts { .. }
                | Call::ArchiveAlertDashboard
                | Call::Routes { .. }
        )
    }
}

/// Runs `call` if the backend offers its endpoint; otherwise refuses before sending anything.
pub async fn checked(
    backend: &dyn super::Backend,
    call: Call,
) -> Result<super::Json, super::BackendError> {
    backend.capabilities().await.check(call.endpoint())?;
    backend.call(call).await
}
