//! Every recording action of panes 2–6 in one layer shared by the TUI and the CLI: the request
//! with the web console's defaults (`defaults`), the ids taken from the item the operator chose
//! (`select`), performing it (`perform`), finding out what happened when the answer was lost
//! (`verify`), and what the answer says about connector deliveries (`verdict`).

pub mod defaults;
pub mod perform;
pub mod select;
pub mod verdict;
pub mod verify;

use crate::backend::{
    AlertAckInput, ArchiveHealthRequest, AuditDeliveryRequest, SendAlertRequest, WorkerRunRequest,
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
        }
    }
}
