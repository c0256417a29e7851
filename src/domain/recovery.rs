//! Connector recovery (CONTRACT §5): the Recovery Playbook over recent failed audit and
//! worker-alert deliveries, grouped by provider, and the closure an operator records for one
//! provider of a playbook (with at most three execution ids as verification references).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::approval::map;
use super::ids::{hashed_id, make_id};
use super::input::{Choice, Recorded, required, required_provider};
use super::provider;
use super::record::{PRODUCT, Record, Stamp, fields, kind, nested, source};
use super::retry::normalise;
use super::time;

/// `closure_state` values.
pub const CLOSURE_STATES: [&str; 5] =
    ["resolved", "mitigated", "deferred", "escalated", "reopened"];
/// The `closure_state` field of a closure (blank: resolved).
pub const CLOSURE_STATE: Choice = Choice {
    field: "closure_state",
    states: &CLOSURE_STATES,
};
/// The web console sends at most this many verification references.
pub const MAX_VERIFICATION_REFS: usize = 3;

const STEPS: [&str; 6] = [
    "confirm connector destination ownership and maintenance status",
    "verify outbound network path and endpoint allowlist",
    "rotate or reissue connector credential in private secret manager if authentication failed",
    "run acknowledgement audit delivery worker in dry-run mode",
    "request retry execution approval before live retry delivery",
    "record external incident or change reference after recovery",
];

/// Recovery Playbook: providers with at least `min_failure_count` failures in the lookback.
pub fn playbook(
    records: &[Record],
    min_failure_count: u32,
    lookback_hours: u32,
    generated_by: &str,
    now: DateTime<Utc>,
) -> Map<String, Value> {
    let min = min_failure_count.max(1) as usize;
    let hours = lookback_hours.max(1);
    let cutoff = now - Duration::hours(hours as i64);
    let mut grouped: BTreeMap<String, Vec<&Record>> = BTreeMap::new();
    for r in records.iter().filter(|r| {
        r.kind() == kind::CONNECTOR_DELIVERY
            && r.bool("delivery_success") != Some(true)
            && matches!(
                r.str("connector_delivery_source"),
                source::ACK_AUDIT | source::WORKER_HEALTH_ALERT
            )
            && time::parse(r.created_at()).is_none_or(|t| t >= cutoff)
    }) {
        let mut providers = r.strs("failed_providers");
        if providers.is_empty() {
            providers = r.strs("providers");
        }
        for p in providers.into_iter().filter(|p| !p.is_empty()) {
            grouped.entry(normalise(p)).or_default().push(r);
        }
    }
    let playbooks: Vec<Value> = grouped
        .into_iter()
        .filter(|(_, f)| f.len() >= min)
        .map(|(provider, failures)| {
            let latest = failures.iter().map(|r| r.created_at()).max().unwrap_or("");
            let codes: BTreeSet<String> = failures
                .iter()
                .flat_map(|r| r.0.get("status_codes").and_then(Value::as_array).cloned().unwrap_or_default())
                .filter(|c| !c.is_null())
                .map(|c| c.as_str().map(str::to_string).unwrap_or_else(|| c.to_string()))
                .collect();
            json!({"provider": provider, "category": provider::family(&provider), "failure_count": failures.len(),
                   "latest_failure_at": latest, "status_codes": codes, "recovery_steps": STEPS,
                   "private_connector_boundary": "Community Edition records the public-safe recovery playbook only; connector credential rotation and ticket/chat side effects remain private connector or operator runbook work."})
        })
        .collect();
    let generated_at = time::iso(now);
    let id = make_id(
        "gordackrecovery",
        &json!({"generated_at": generated_at, "provider_playbooks": playbooks}).to_string(),
    );
    let failures: u64 = playbooks
        .iter()
        .filter_map(|p| p.get("failure_count").and_then(Value::as_u64))
        .sum();
    map(json!({
        "schema_version": "cavra.go-backend-pilot.rollback-drill-acknowledgement-audit-delivery-connector-recovery-playbook.v1",
        "product": PRODUCT, "playbook_id": id, "generated_at": generated_at, "generated_by": generated_by,
        "alert_level": if playbooks.is_empty() { "healthy" } else { "critical" }, "lookback_hours": hours,
        "min_failure_count": min, "provider_count": playbooks.len(), "failure_count": failures,
        "provider_playbooks": playbooks,
        "controls": ["connector-recovery-playbook-derived-from-redacted-delivery-metadata", "playbook-contains-no-connector-secrets",
                     "credential-rotation-remains-private-operator-or-enterprise-connector-responsibility",
                     "live-retry-delivery-remains-approval-bound"],
    }))
}

/// The stored record of a playbook.
pub fn playbook_record(p: &Map<String, Value>) -> Record {
    let keys = ["provider_count", "failure_count", "provider_count"];
    let stamp = Stamp::generated("playbook_id");
    Record::draft(kind::RECOVERY_PLAYBOOK, p, stamp, fields(p, keys))
        .copy(&["playbook_id", "alert_level"])
        .copy(&["provider_count", "failure_count"])
        .nest(nested::RECOVERY_PLAYBOOK)
}

/// Close Recovery for one provider of a playbook; also its body (§5, the playbook id goes in
/// the path; reference and notes only when set).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClosureInput {
    #[serde(skip)]
    pub playbook_id: String,
    pub provider: String,
    pub closed_by: String,
    pub closure_state: String,
    pub verification_refs: Vec<String>,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub external_ref: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// Validates and builds a closure and its record (the server's 400 messages on bad input).
pub fn close(i: &ClosureInput, now: DateTime<Utc>) -> Recorded {
    required("playbook_id", &i.playbook_id)?;
    let provider = required_provider(&i.provider)?;
    required("closed_by", &i.closed_by)?;
    let state = CLOSURE_STATE.pick(&i.closure_state)?;
    let at = time::iso(now);
    let refs: Vec<&String> = i
        .verification_refs
        .iter()
        .filter(|r| !r.is_empty())
        .collect();
    let material = json!({"playbook_id": i.playbook_id, "provider": provider, "closure_state": state,
        "closed_by": i.closed_by, "closed_at": at, "external_ref": i.external_ref, "verification_refs": refs});
    let (id, hash) = hashed_id("gordackrecoveryclosure", &material);
    let closure = map(json!({
        "schema_version": "cavra.go-backend-pilot.rollback-drill-acknowledgement-audit-delivery-connector-recovery-closure.v1",
        "product": PRODUCT, "closure_id": id, "closure_hash": hash, "playbook_id": i.playbook_id, "provider": provider,
        "closure_state": state, "closed_by": i.closed_by, "closed_at": at, "external_ref": i.external_ref,
        "notes": i.notes, "verification_refs": refs,
        "controls": ["connector-recovery-closure-records-public-safe-operator-evidence",
                     "closure-hash-covers-playbook-provider-state-and-verification-refs",
                     "closure-record-contains-no-connector-secret-or-private-endpoint",
                     "private-ticket-chat-and-credential-side-effects-remain-outside-public-repo"],
    }));
    let record = Record::envelope(map(json!({
        "session_id": id, "created_at": at, "signer": i.closed_by, "decision_count": 1,
        "blocked_count": u8::from(!matches!(state.as_str(), "resolved" | "mitigated")), "approval_required_count": 0,
        "metadata_kind": kind::RECOVERY_CLOSURE, "closure_id": id, "closure_hash": closure.get("closure_hash"),
        "playbook_id": i.playbook_id, "provider": provider, "closure_state": state, "external_ref": i.external_ref,
        "connector_recovery_closure": Value::Object(closure.clone()),
    })));
    Ok((closure, record))
}

#[cfg(test)]
#[path = "recovery_tests.rs"]
mod tests;
