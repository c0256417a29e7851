//! The acknowledgement, decision and closure bodies (CONTRACT §4.4, §4.5, §4.9, §4.13, §4.17,
//! §4.18, §5), built from the actions' inputs.

use serde::{Deserialize, Serialize};

use super::unset;
use crate::backend::BulkRequest;
use crate::domain::ack::AckInput;
use crate::domain::approval::ApprovalDecisionInput;
use crate::domain::route::RouteKey;

/// `POST {BASE}/{schedule_id}/acknowledgements` (§4.4).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AckBody {
    pub provider: String,
    pub plan_id: String,
    pub acknowledged_by: String,
    pub acknowledgement_state: String,
    pub external_ref: String,
    pub notes: String,
}

/// One route of a bulk acknowledgement; empty fields fall back to the request's.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BulkRoute {
    pub schedule_id: String,
    pub provider: String,
    pub plan_id: String,
    pub external_ref: String,
    pub notes: String,
    #[serde(skip_serializing_if = "unset")]
    pub acknowledgement_state: String,
}

/// `POST {BASE}/acknowledgements/bulk` (§4.5): at most 100 routes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BulkBody {
    pub acknowledged_by: String,
    pub acknowledgement_state: String,
    pub external_ref: String,
    pub notes: String,
    pub routes: Vec<BulkRoute>,
}

impl BulkBody {
    /// One chunk of `req`: routes with the plan each was previewed with.
    pub fn chunk(req: &BulkRequest, routes: &[(RouteKey, String)]) -> BulkBody {
        BulkBody {
            acknowledged_by: req.acknowledged_by.clone(),
            acknowledgement_state: req.state.as_str().into(),
            external_ref: req.external_ref.clone(),
            notes: req.notes.clone(),
            routes: routes
                .iter()
                .map(|(k, plan)| BulkRoute {
                    schedule_id: k.schedule_id.clone(),
                    provider: k.provider.clone(),
                    plan_id: plan.clone(),
                    external_ref: req.external_ref.clone(),
                    notes: req.notes.clone(),
                    acknowledgement_state: String::new(),
                })
                .collect(),
        }
    }
}

/// `POST .../retry-plans/{retry_plan_id}/acknowledgements` (§4.9): the input's fields as it
/// names them (`state` as `acknowledgement_state`; the plan id goes in the path).
pub use crate::domain::retry::RetryAckInput as RetryAckBody;

/// `POST .../retry-execution-approval-plans/{id}/decisions` (§4.18): the decision's fields as
/// the input names them; `approved_by` is the older name of `decided_by` (read, never sent).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DecisionBody {
    #[serde(flatten)]
    pub decision: ApprovalDecisionInput,
    #[serde(skip_serializing_if = "unset")]
    pub approved_by: String,
}

impl From<&ApprovalDecisionInput> for DecisionBody {
    fn from(i: &ApprovalDecisionInput) -> Self {
        DecisionBody {
            decision: i.clone(),
            approved_by: String::new(),
        }
    }
}

/// `POST .../connector-recovery-playbooks/{id}/closures` (§5): the closure's fields as the
/// input names them (the playbook id goes in the path).
pub use crate::domain::recovery::ClosureInput as ClosureBody;

/// Acknowledging a worker-health or an archive alert (§4.13, §4.17.2): the input's fields as it
/// names them (`state` as `acknowledgement_state`; the health id goes in the path).
pub use crate::domain::worker::AlertAckInput as AlertAckBody;

impl From<&AckInput> for AckBody {
    fn from(i: &AckInput) -> Self {
        AckBody {
            provider: i.route.provider.clone(),
            plan_id: i.plan_id.clone(),
            acknowledged_by: i.acknowledged_by.clone(),
            acknowledgement_state: i.state.as_str().into(),
            external_ref: i.external_ref.clone(),
            notes: i.notes.clone(),
        }
    }
}
