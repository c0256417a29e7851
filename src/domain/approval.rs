//! Retry execution approvals (CONTRACT §5): the approval plan over every retry decision that
//! could run (`retry` or `wait`), and the operator's decision on one of them. A live worker run
//! re-sends only decisions with an `approved` decision for `(provider, delivery_id, audit_id)`;
//! the retry plan id is not part of that key, as on the server.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::ids::make_id;
use super::input::{Choice, Recorded, required, required_provider};
use super::level::alert_level;
use super::record::{PRODUCT, Record, Stamp, fields, kind, nested, objects};
use super::time;

/// `approval_state` values a decision may take.
pub const APPROVAL_STATES: [&str; 4] = ["approved", "denied", "deferred", "expired"];

/// The `approval_state` field of a decision (blank: approved).
pub const APPROVAL_STATE: Choice = Choice {
    field: "approval_state",
    states: &APPROVAL_STATES,
};

/// The key an approval, an acknowledgement and a retry decision are matched by.
pub type ExecKey = (String, String, String);

/// A JSON value as an object (anything else: empty).
pub fn map(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn text(o: &Map<String, Value>, k: &str) -> String {
    match o.get(k) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// The execution key of any object carrying `provider`, `delivery_id`, `audit_id`.
pub fn exec_key(o: &Map<String, Value>) -> ExecKey {
    (
        text(o, "provider"),
        text(o, "delivery_id"),
        text(o, "audit_id"),
    )
}

/// Records of `k`, newest first (the server reads history newest first).
pub fn newest_of<'a>(records: &'a [Record], k: &str) -> Vec<&'a Record> {
    let mut v: Vec<&Record> = records.iter().filter(|r| r.kind() == k).collect();
    v.sort_by(|a, b| b.created_at().cmp(a.created_at()));
    v
}

/// The nested object of a record, or the record itself when it has none.
pub fn nested<'a>(r: &'a Record, key: &str) -> &'a Map<String, Value> {
    r.object(key).unwrap_or(&r.0)
}

/// The newest approved decision per execution key.
pub fn approved(records: &[Record]) -> HashMap<ExecKey, Map<String, Value>> {
    let mut out = HashMap::new();
    for r in newest_of(records, kind::RETRY_APPROVAL_DECISION) {
        if r.str("approval_state") == "approved" {
            out.entry(exec_key(&r.0))
                .or_insert_with(|| nested(r, nested::RETRY_APPROVAL_DECISION).clone());
        }
    }
    out
}

/// Plan Retry Approval: one approval decision per distinct key of the stored retry plans.
pub fn approval_plan(
    records: &[Record],
    require_retry_ack: bool,
    generated_by: &str,
    now: DateTime<Utc>,
) -> Map<String, Value> {
    let acked: HashSet<ExecKey> = newest_of(records, kind::RETRY_ACK)
        .into_iter()
        .filter(|r| matches!(r.str("acknowledgement_state"), "accepted" | "resolved"))
        .map(|r| exec_key(&r.0))
        .collect();
    let approved = approved(records);
    let mut seen = HashSet::new();
    let mut decisions = Vec::new();
    for r in newest_of(records, kind::RETRY_PLAN) {
        let plan = nested(r, nested::RETRY_PLAN);
        let plan_id = match text(plan, "retry_plan_id") {
            id if id.is_empty() => r.str("retry_plan_id").to_string(),
            id => id,
        };
        for d in objects(plan, "retry_decisions") {
            let retry_action = text(d, "action");
            if retry_action != "retry" && retry_action != "wait" {
                continue;
            }
            let key = exec_key(d);
            if !seen.insert(key.clone()) {
                continue;
            }
            let (action, reason, required) = if approved.contains_key(&key) {
                (
                    "already_approved",
                    "retry execution already has approved execution evidence",
                    false,
                )
            } else if require_retry_ack && !acked.contains(&key) {
                (
                    "wait_for_retry_ack",
                    "retry execution requires accepted retry acknowledgement before approval",
                    false,
                )
            } else {
                (
                    "request_approval",
                    "retry execution is acknowledged and ready for governed approval",
                    true,
                )
            };
            decisions.push(json!({
                "retry_plan_id": plan_id, "provider": key.0, "delivery_id": key.1, "audit_id": key.2,
                "action": action, "reason": reason, "approval_required": required,
                "retry_count": d.get("retry_count").cloned().unwrap_or(json!(0)),
                "next_retry_at": d.get("next_retry_at").cloned().unwrap_or(Value::Null),
                "failed_status_codes": d.get("failed_status_codes").cloned().unwrap_or(json!([])),
                "retry_action": retry_action,
            }));
        }
    }
    let count = |f: &dyn Fn(&Value) -> bool| decisions.iter().filter(|d| f(d)).count();
    let required = count(&|d| d["approval_required"] == true);
    let already = count(&|d| d["action"] == "already_approved");
    let waiting = count(&|d| d["action"] == "wait_for_retry_ack");
    let generated_at = time::iso(now);
    let id = make_id(
        "gordackretryapproval",
        &json!({"generated_at": generated_at, "approval_decisions": decisions}).to_string(),
    );
    let level = alert_level(required > 0, waiting > 0);
    map(json!({
        "schema_version": "cavra.go-backend-pilot.rollback-drill-acknowledgement-audit-delivery-retry-execution-approval-plan.v1",
        "product": PRODUCT, "approval_plan_id": id, "generated_at": generated_at, "generated_by": generated_by,
        "alert_level": level, "decision_count": decisions.len(), "approval_required_count": required,
        "approved_count": already, "waiting_count": waiting, "require_retry_ack": require_retry_ack,
        "approval_decisions": decisions,
        "controls": ["retry-execution-approval-derived-from-public-retry-metadata",
                     "retry-execution-requires-explicit-approval-before-live-worker-delivery",
                     "approval-plan-contains-no-provider-credentials",
                     "private-connectors-remain-responsible-for-side-effects"],
    }))
}

/// The stored record of an approval plan.
pub fn approval_plan_record(plan: &Map<String, Value>) -> Record {
    let keys = ["decision_count", "waiting_count", "approval_required_count"];
    let stamp = Stamp::generated("approval_plan_id");
    Record::draft(kind::RETRY_APPROVAL_PLAN, plan, stamp, fields(plan, keys))
        .copy(&["approval_plan_id", "alert_level"])
        .copy(&["approved_count", "waiting_count"])
        .nest(nested::RETRY_APPROVAL_PLAN)
}

/// Approve / deny / defer / expire one decision (the body of `…/decisions`, whose path
/// carries the plan id).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApprovalDecisionInput {
    #[serde(skip)]
    pub approval_plan_id: String,
    pub provider: String,
    pub decided_by: String,
    pub approval_state: String,
    pub retry_plan_id: String,
    pub delivery_id: String,
    pub audit_id: String,
    pub external_ref: String,
    pub notes: String,
}

/// Validates and builds a decision and its record (the server's 400 messages on bad input).
pub fn decide(i: &ApprovalDecisionInput, now: DateTime<Utc>) -> Recorded {
    required("approval_plan_id", &i.approval_plan_id)?;
    let provider = required_provider(&i.provider)?;
    required("decided_by", &i.decided_by)?;
    let state = APPROVAL_STATE.pick(&i.approval_state)?;
    let at = time::iso(now);
    let id = make_id(
        "gordackretryapprovaldecision",
        &format!(
            "{}|{}|{provider}|{}|{state}|{}|{at}",
            i.approval_plan_id, i.retry_plan_id, i.delivery_id, i.decided_by
        ),
    );
    let decision = map(json!({
        "schema_version": "cavra.go-backend-pilot.rollback-drill-acknowledgement-audit-delivery-retry-execution-approval-decision.v1",
        "product": PRODUCT, "decision_id": id, "approval_plan_id": i.approval_plan_id, "retry_plan_id": i.retry_plan_id,
        "delivery_id": i.delivery_id, "audit_id": i.audit_id, "provider": provider, "approval_state": state,
        "decided_by": i.decided_by, "decided_at": at, "external_ref": i.external_ref, "notes": i.notes,
        "controls": ["retry-execution-approval-decision-records-governed-operator-intent",
                     "approval-decision-contains-no-provider-token-or-secret",
                     "live-retry-worker-execution-must-reference-approved-decision"],
    }));
    let record = Record::envelope(map(json!({
        "session_id": id, "created_at": at, "signer": i.decided_by, "decision_count": 1,
        "blocked_count": u8::from(state != "approved"), "approval_required_count": 0,
        "metadata_kind": kind::RETRY_APPROVAL_DECISION, "decision_id": id, "approval_plan_id": i.approval_plan_id,
        "retry_plan_id": i.retry_plan_id, "delivery_id": i.delivery_id, "audit_id": i.audit_id, "provider": provider,
        "approval_state": state, "external_ref": i.external_ref,
        "retry_execution_approval_decision": Value::Object(decision.clone()),
    })));
    Ok((decision, record))
}

#[cfg(test)]
#[path = "approval_tests.rs"]
pub(crate) mod tests;
