//! What each action's answer must hold to say what happened (CONTRACT §4, §5): the record it
//! writes, with its id, and for a delivering action the part that says how its connector
//! deliveries went. The verdict (`verdict.rs`) reads answers against it.

use super::PaneAction;

/// What an action's answer must hold to say what happened (CONTRACT §4, §5).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Expected {
    /// The object of the answer that is the record the action writes, and that record's id
    /// field (`None`: nothing is required).
    pub record: Option<(&'static str, &'static str)>,
    /// How the answer says how its connector deliveries went.
    pub delivers: Delivers,
}

/// The part of an answer that says how connector deliveries went.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Delivers {
    /// The action sends nothing to a connector (plans, acks, decisions, closures, checks, dry
    /// runs).
    #[default]
    Nothing,
    /// `delivery` (a result with a `deliveries` entry for each selected provider, or `null`
    /// when the plan selected none) and `success` (§4.7, §4.12).
    Delivery,
    /// A live worker run: `retry_results`, one a selected retry, each with its execution
    /// record (§4.10, §5).
    Executions,
}

/// What `action`'s answer must hold (CONTRACT §4, §5): the record it writes, with its id, and
/// for a delivering action the part that says how its deliveries went.
pub fn expected(action: &PaneAction) -> Expected {
    use PaneAction as A;
    let (record, delivers) = match action {
        A::DeliverAudit(_) => (("delivery_plan", "delivery_id"), Delivers::Delivery),
        A::SendAlert(_) | A::SendArchiveAlert(_) => (("plan", "plan_id"), Delivers::Delivery),
        A::ExecuteRetry(_) => (("run", "run_id"), Delivers::Executions),
        A::RunAuditorWorker(r) if r.execute => (("run", "run_id"), Delivers::Executions),
        A::RunWorker(_) | A::RunAuditorWorker(_) => (("run", "run_id"), Delivers::Nothing),
        A::PlanAuditRetry(_) | A::PlanAuditorRetry(_) => {
            (("plan", "retry_plan_id"), Delivers::Nothing)
        }
        A::AckRetry(_) | A::AckAlert(_) | A::AckArchiveAlert(_) => {
            (("acknowledgement", "acknowledgement_id"), Delivers::Nothing)
        }
        A::CheckArchive(_) => (("health", "health_id"), Delivers::Nothing),
        A::PlanRetryApproval(_) => (("plan", "approval_plan_id"), Delivers::Nothing),
        A::DecideRetryApproval(_) => (("decision", "decision_id"), Delivers::Nothing),
        A::RecoveryPlaybook(_) => (("playbook", "playbook_id"), Delivers::Nothing),
        A::CloseRecovery(_) => (("closure", "closure_id"), Delivers::Nothing),
        A::RetryRecoveryReport(_) => (("report", "report_id"), Delivers::Nothing),
        A::RecordSuppressionTrend(_) => (("trend", "trend_id"), Delivers::Nothing),
    };
    Expected {
        record: Some(record),
        delivers,
    }
}
