//! Retry acknowledgements (CONTRACT §4.9): the operator's decision on a retry, validated as
//! the server validates it; re-exported from `retry`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::ids::make_id;
use super::input::{Choice, Recorded, required, required_provider};
use super::record::{PRODUCT, Record, kind};
use super::time;

/// Retry acknowledgement states (§4.9).
pub const RETRY_ACK_STATES: [&str; 5] =
    ["accepted", "deferred", "escalated", "resolved", "dismissed"];

/// The `acknowledgement_state` of a retry acknowledgement (blank: accepted).
pub const RETRY_ACK_STATE: Choice = Choice {
    field: "acknowledgement_state",
    states: &RETRY_ACK_STATES,
};

/// The operator's decision on a retry (§4.9 body, whose path carries the retry plan id).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RetryAckInput {
    #[serde(skip)]
    pub retry_plan_id: String,
    pub provider: String,
    pub acknowledged_by: String,
    #[serde(rename = "acknowledgement_state")]
    pub state: String,
    pub delivery_id: String,
    pub audit_id: String,
    pub external_ref: String,
    pub notes: String,
}

/// Validates and builds the retry acknowledgement and its record.
pub fn retry_ack(input: &RetryAckInput, now: DateTime<Utc>) -> Recorded {
    let provider = required_provider(&input.provider)?;
    required("acknowledged_by", &input.acknowledged_by)?;
    let state = RETRY_ACK_STATE.pick(&input.state)?;
    let at = time::iso(now);
    let id = make_id(
        "gordackretryack",
        &format!("{}|{provider}|{state}|{at}", input.retry_plan_id),
    );
    let ack = json!({
        "schema_version": "cavra.go-backend-pilot.rollback-drill-acknowledgement-audit-delivery-retry-ack.v1",
        "product": PRODUCT, "acknowledgement_id": id, "retry_plan_id": input.retry_plan_id,
        "delivery_id": input.delivery_id, "audit_id": input.audit_id, "provider": provider,
        "acknowledgement_state": state, "acknowledged_by": input.acknowledged_by, "acknowledged_at": at,
        "external_ref": input.external_ref, "notes": input.notes,
        "controls": ["retry-acknowledgement-records-review-only", "retry-delivery-execution-remains-governed-by-worker",
                     "no-connector-token-or-secret-stored"],
    });
    let ack = ack.as_object().cloned().expect("object literal");
    let meta = json!({
        "session_id": id, "created_at": at, "signer": input.acknowledged_by, "decision_count": 1,
        "blocked_count": 0, "approval_required_count": 0, "metadata_kind": kind::RETRY_ACK,
        "acknowledgement_id": id, "retry_plan_id": input.retry_plan_id, "delivery_id": input.delivery_id,
        "audit_id": input.audit_id, "provider": provider, "acknowledgement_state": state,
        "external_ref": input.external_ref, "acknowledgement": Value::Object(ack.clone()),
    });
    Ok((
        ack,
        Record::envelope(meta.as_object().cloned().expect("object literal")),
    ))
}
