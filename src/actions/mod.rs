//! Every recording action of panes 2–6 in one layer shared by the TUI and the CLI: the request
//! with the web console's defaults (`defaults`), the ids taken from the item the operator chose
//! (`select`), performing it (`perform`), finding out what happened when the answer was lost
//! (`verify`), and what the answer says about connector deliveries (`verdict`).

pub mod choose;
pub mod defaults;
pub mod expected;
pub mod perform;
pub mod preview;
pub mod select;
pub mod verdict;
pub mod verify;

use crate::backend::calls::{
    ApprovalDecisionInput, ApprovalPlanRequest, ArchiveAlertRequest, AuditorWorkerRequest, Call,
    ClosureInput, ExecuteRetryRequest, PlaybookRequest, RecoveryReportRequest,
    SuppressionTrendRequest,
};
use crate::backend::{
    AlertAckInput, ArchiveHealthRequest, AuditDeliveryRequest, Endpoint, SendAlertRequest,
    WorkerRunRequest,
};
use crate::domain::retry::{RetryAckInput, RetryPolicy};
use crate::pane::Pane;

pub use perform::{Acted, perform};

/// A recording action of panes 2–6, with its request.
#[derive(Debug, Clone, PartialEq)]
pub enum PaneAction {
    DeliverAudit(AuditDeliveryRequest),
    PlanAuditRetry(RetryPolicy),
    PlanAuditorRetry(RetryPolicy),
    AckRetry(RetryAckInput),
    RunWorker(WorkerRunRequest),
    SendAlert(SendAlertRequest),
    AckAlert(AlertAckInput),
    CheckArchive(ArchiveHealthRequest),
    /// Plan Retry Approval.
    PlanRetryApproval(ApprovalPlanRequest),
    /// Approve / deny / defer / expire one retry execution.
    DecideRetryApproval(ApprovalDecisionInput),
    /// Execute Retry: the live worker re-sends approved retries.
    ExecuteRetry(ExecuteRetryRequest),
    /// Recovery Playbook.
    RecoveryPlaybook(PlaybookRequest),
    /// Close Recovery for one provider of a playbook.
    CloseRecovery(ClosureInput),
    /// Record the Retry Recovery report (a GET that writes).
    RetryRecoveryReport(RecoveryReportRequest),
    /// Run Auditor Retry: the auditor-export retry worker, dry run or live.
    RunAuditorWorker(AuditorWorkerRequest),
    /// Send Archive Alert.
    SendArchiveAlert(ArchiveAlertRequest),
    /// Ack Archive Alert.
    AckArchiveAlert(AlertAckInput),
    /// Record a suppression trend (a GET that writes).
    RecordSuppressionTrend(SuppressionTrendRequest),
}

impl PaneAction {
    /// The pane whose data this action changes (reloaded afterwards).
    pub fn pane(&self) -> Pane {
        match self {
            PaneAction::DeliverAudit(_) => Pane::History,
            PaneAction::PlanAuditRetry(_)
            | PaneAction::PlanAuditorRetry(_)
            | PaneAction::AckRetry(_) => Pane::Retry,
            PaneAction::RunWorker(_) | PaneAction::SendAlert(_) | PaneAction::AckAlert(_) => {
                Pane::Worker
            }
            PaneAction::CheckArchive(_) => Pane::Archive,
            PaneAction::PlanRetryApproval(_)
            | PaneAction::DecideRetryApproval(_)
            | PaneAction::RecoveryPlaybook(_)
            | PaneAction::CloseRecovery(_)
            | PaneAction::RetryRecoveryReport(_) => Pane::Retry,
            PaneAction::ExecuteRetry(_) => Pane::Worker,
            PaneAction::RunAuditorWorker(_)
            | PaneAction::SendArchiveAlert(_)
            | PaneAction::AckArchiveAlert(_) => Pane::Archive,
            PaneAction::RecordSuppressionTrend(_) => Pane::Routes,
        }
    }

    /// The action's name as the web console's button says it.
    pub fn title(&self) -> &'static str {
        match self {
            PaneAction::DeliverAudit(_) => "Deliver Ack Audit",
            PaneAction::PlanAuditRetry(_) => "Plan Audit Retry",
            PaneAction::PlanAuditorRetry(_) => "Plan Auditor Retry",
            PaneAction::AckRetry(_) => "Ack Retry",
            PaneAction::RunWorker(_) => "Run Audit Worker (dry run)",
            PaneAction::SendAlert(_) => "Send Worker Alert",
            PaneAction::AckAlert(_) => "Acknowledge worker alert",
            PaneAction::CheckArchive(_) => "Check archive health",
            PaneAction::PlanRetryApproval(_) => "Plan Retry Approval",
            PaneAction::DecideRetryApproval(i) => match i.approval_state.as_str() {
                "denied" => "Deny Retry",
                "deferred" => "Defer Retry",
                "expired" => "Expire Retry",
                _ => "Approve Retry",
            },
            PaneAction::ExecuteRetry(_) => "Execute Retry",
            PaneAction::RecoveryPlaybook(_) => "Recovery Playbook",
            PaneAction::CloseRecovery(_) => "Close Recovery",
            PaneAction::RetryRecoveryReport(_) => "Retry Recovery report",
            PaneAction::RunAuditorWorker(r) if r.execute => "Run Auditor Retry (execute)",
            PaneAction::RunAuditorWorker(_) => "Run Auditor Retry (dry run)",
            PaneAction::SendArchiveAlert(_) => "Send Archive Alert",
            PaneAction::AckArchiveAlert(_) => "Ack Archive Alert",
            PaneAction::RecordSuppressionTrend(_) => "Record suppression trend",
        }
    }

    /// The issue-12 operation this action sends (`None` for the older actions, which have
    /// their own backend methods).
    pub fn call(&self) -> Option<Call> {
        Some(match self.clone() {
            PaneAction::PlanRetryApproval(r) => Call::RetryApprovalPlan(r),
            PaneAction::DecideRetryApproval(i) => Call::DecideRetryApproval(i),
            PaneAction::ExecuteRetry(r) => Call::ExecuteRetry(r),
            PaneAction::RecoveryPlaybook(r) => Call::RecoveryPlaybook(r),
            PaneAction::CloseRecovery(i) => Call::CloseRecovery(i),
            PaneAction::RetryRecoveryReport(r) => Call::RetryRecoveryReport(r),
            PaneAction::RunAuditorWorker(r) => Call::AuditorRetryWorker(r),
            PaneAction::SendArchiveAlert(r) => Call::SendArchiveAlert(r),
            PaneAction::AckArchiveAlert(i) => Call::AckArchiveAlert(i),
            PaneAction::RecordSuppressionTrend(r) => Call::SuppressionTrend(r),
            _ => return None,
        })
    }

    /// The endpoint the action needs, when the server may lack it (the TUI hides or
    /// disables the key when `Capabilities::check` refuses it).
    pub fn endpoint(&self) -> Option<Endpoint> {
        self.call().map(|c| c.endpoint())
    }
}
