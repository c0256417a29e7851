//! Retry plans for failed deliveries (CONTRACT §4.8 acknowledgement audit, §4.16 final auditor
//! export) and retry acknowledgements (§4.9).
//!
//! Failed deliveries are grouped per `(delivery, audit, provider)` (or `(export, provider)`);
//! `retry_count` is the group size and the delay backs off as `base × multiplier^(count−1)`.
//! `suppress` when `retry_count ≥ max`, `wait` while `now < latest + delay`, else `retry`.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};

use super::ids::make_id;
use super::record::{PRODUCT, Record, kind, source};
use super::time;

/// The retry policy and its defaults (the console's: 3 attempts, 15 min, ×2).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    pub max_retry_attempts: u32,
    pub retry_delay_minutes: f64,
    pub allow_immediate_retry: bool,
    pub backoff_multiplier: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retry_attempts: 3,
            retry_delay_minutes: 15.0,
            allow_immediate_retry: false,
            backoff_multiplier: 2.0,
        }
    }
}

impl RetryPolicy {
    /// Applies the server's floors: at least 1 attempt, delay ≥ 1 unless immediate retry is
    /// allowed, multiplier ≥ 1.
    pub fn normalised(self) -> RetryPolicy {
        let min_delay = if self.allow_immediate_retry { 0.0 } else { 1.0 };
        RetryPolicy {
            max_retry_attempts: self.max_retry_attempts.max(1),
            retry_delay_minutes: self.retry_delay_minutes.max(min_delay),
            allow_immediate_retry: self.allow_immediate_retry,
            backoff_multiplier: self.backoff_multiplier.max(1.0),
        }
    }

    /// Reads `retry_policy` as the server does (aliases, defaults), from a request body.
    pub fn from_json(v: Option<&Value>) -> Result<RetryPolicy, String> {
        let Some(o) = v.and_then(Value::as_object) else {
            return Ok(RetryPolicy::default().normalised());
        };
        let num = |keys: [&str; 2]| -> Result<Option<f64>, String> {
            for k in keys {
                match o.get(k) {
                    None | Some(Value::Null) => continue,
                    Some(Value::Number(n)) => return Ok(n.as_f64()),
                    Some(Value::String(s)) => {
                        return s
                            .trim()
                            .parse()
                            .map(Some)
                            .map_err(|_| format!("{k} must be a number"));
                    }
                    Some(_) => return Err(format!("{k} must be a number")),
                }
            }
            Ok(None)
        };
        let immediate = o.get("allow_immediate_retry").is_some_and(truthy);
        let default_delay = if immediate { 0.0 } else { 15.0 };
        Ok(RetryPolicy {
            max_retry_attempts: num(["max_retry_attempts", "max_retries"])?.unwrap_or(3.0) as u32,
            retry_delay_minutes: num(["retry_delay_minutes", "delay_minutes"])?
                .unwrap_or(default_delay),
            allow_immediate_retry: immediate,
            backoff_multiplier: num(["backoff_multiplier", "multiplier"])?.unwrap_or(2.0),
        }
        .normalised())
    }

    pub fn to_json(&self) -> Value {
        // `allow_immediate_retry` is sent only when true, as the web console does (§6.5); the
        // server's default is false.
        let mut v = json!({"max_retry_attempts": self.max_retry_attempts, "retry_delay_minutes": num(self.retry_delay_minutes),
               "backoff_multiplier": num(self.backoff_multiplier)});
        if self.allow_immediate_retry {
            v["allow_immediate_retry"] = json!(true);
        }
        v
    }

    /// The delay before retry number `retry_count` (1-based).
    pub fn delay_minutes(&self, retry_count: u32) -> f64 {
        self.retry_delay_minutes
            * self
                .backoff_multiplier
                .powi(retry_count.saturating_sub(1) as i32)
    }
}

/// Python truthiness for a JSON value (the string "false" is true, as in the server).
pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// A whole number as an integer JSON value, otherwise a float.
pub fn num(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        json!(f as i64)
    } else {
        json!(f)
    }
}

/// One group of failed deliveries for one destination.
struct Group<'a> {
    ids: Vec<(&'static str, String)>,
    provider: String,
    records: Vec<&'a Record>,
}

fn decide(
    g: &Group<'_>,
    policy: &RetryPolicy,
    eligible_reason: &str,
    now: DateTime<Utc>,
) -> Map<String, Value> {
    let retry_count = g.records.len() as u32;
    let latest = g
        .records
        .iter()
        .max_by(|a, b| a.created_at().cmp(b.created_at()))
        .expect("groups are non-empty");
    let delay = policy.delay_minutes(retry_count);
    let latest_at = time::parse(latest.created_at()).unwrap_or(now);
    let next = latest_at + Duration::milliseconds((delay * 60_000.0) as i64);
    let (action, reason) = if retry_count >= policy.max_retry_attempts {
        (
            "suppress",
            format!(
                "maximum retry attempts {} reached",
                policy.max_retry_attempts
            ),
        )
    } else if now < next {
        (
            "wait",
            format!("retry delay {} minutes has not elapsed", num(delay)),
        )
    } else {
        ("retry", eligible_reason.to_string())
    };
    let mut codes: Vec<i64> = g
        .records
        .iter()
        .flat_map(|r| status_codes_for(r, &g.provider))
        .collect();
    codes.sort();
    codes.dedup();
    let mut m = Map::new();
    for (k, v) in &g.ids {
        m.insert((*k).into(), v.clone().into());
    }
    m.insert("provider".into(), g.provider.clone().into());
    m.insert("action".into(), action.into());
    m.insert("reason".into(), reason.into());
    m.insert("retry_count".into(), retry_count.into());
    m.insert(
        "max_retry_attempts".into(),
        policy.max_retry_attempts.into(),
    );
    m.insert("retry_delay_minutes".into(), num(delay));
    m.insert("latest_delivery_id".into(), latest.session_id().into());
    m.insert("latest_delivery_at".into(), latest.created_at().into());
    m.insert("next_retry_at".into(), time::iso(next).into());
    m.insert("failed_status_codes".into(), json!(codes));
    m
}

/// Status codes a delivery record reports for one provider (all codes when it does not say).
fn status_codes_for(r: &Record, provider: &str) -> Vec<i64> {
    let per_provider: Vec<i64> = r
        .object("delivery")
        .and_then(|d| d.get("deliveries"))
        .and_then(Value::as_array)
        .map(|ds| {
            ds.iter()
                .filter(|d| d.get("provider").and_then(Value::as_str) == Some(provider))
                .filter_map(|d| d.get("status_code").and_then(Value::as_i64))
                .collect()
        })
        .unwrap_or_default();
    if !per_provider.is_empty() {
        return per_provider;
    }
    r.0.get("status_codes")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default()
}

fn failed_providers(r: &Record) -> Vec<String> {
    let failed = r.strs("failed_providers");
    let list = if failed.is_empty() {
        r.strs("providers")
    } else {
        failed
    };
    list.into_iter().map(str::to_string).collect()
}

fn plan_object(
    schema: &str,
    id_prefix: &str,
    decisions: Vec<Map<String, Value>>,
    policy: &RetryPolicy,
    generated_by: &str,
    now: DateTime<Utc>,
    controls: &[&str],
) -> Map<String, Value> {
    let count = |a: &str| decisions.iter().filter(|d| d["action"] == a).count();
    let (retry, wait, suppress) = (count("retry"), count("wait"), count("suppress"));
    let alert = if retry > 0 {
        "critical"
    } else if wait > 0 {
        "warning"
    } else {
        "healthy"
    };
    let generated_at = time::iso(now);
    let id = make_id(
        id_prefix,
        &format!("{generated_by}|{generated_at}|{}", decisions.len()),
    );
    let v = json!({
        "schema_version": schema, "product": PRODUCT, "retry_plan_id": id, "generated_at": generated_at,
        "generated_by": generated_by, "alert_level": alert, "decision_count": decisions.len(),
        "retryable_count": retry, "waiting_count": wait, "suppressed_count": suppress,
        "max_retry_attempts": policy.max_retry_attempts, "base_retry_delay_minutes": num(policy.retry_delay_minutes),
        "allow_immediate_retry": policy.allow_immediate_retry, "backoff_multiplier": policy.backoff_multiplier,
        "retry_decisions": decisions, "controls": controls,
    });
    v.as_object().cloned().expect("object literal")
}

/// §4.8: the acknowledgement-audit delivery retry plan over all stored records.
pub fn audit_retry_plan(
    records: &[Record],
    policy: &RetryPolicy,
    generated_by: &str,
    now: DateTime<Utc>,
) -> Map<String, Value> {
    let mut groups: BTreeMap<(String, String, String), Vec<&Record>> = BTreeMap::new();
    for r in records.iter().filter(|r| {
        r.kind() == kind::CONNECTOR_DELIVERY
            && r.str("connector_delivery_source") == source::ACK_AUDIT
            && r.bool("delivery_success") == Some(false)
    }) {
        let delivery = [r.str("delivery_id"), r.str("event_id"), r.session_id()]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or("");
        for p in failed_providers(r) {
            groups
                .entry((delivery.to_string(), r.str("audit_id").to_string(), p))
                .or_default()
                .push(r);
        }
    }
    let decisions = groups
        .into_iter()
        .map(|((delivery_id, audit_id, provider), records)| {
            let g = Group {
                ids: vec![("delivery_id", delivery_id), ("audit_id", audit_id)],
                provider,
                records,
            };
            decide(
                &g,
                policy,
                "failed acknowledgement audit delivery is eligible for retry",
                now,
            )
        })
        .collect();
    plan_object(
        "cavra.go-backend-pilot.rollback-drill-acknowledgement-audit-delivery-retry-plan.v1",
        "gordackretry",
        decisions,
        policy,
        generated_by,
        now,
        &[
            "retry-plan-derived-from-redacted-audit-delivery-metadata",
            "retry-policy-contains-no-provider-credentials",
            "failed-provider-selection-preserves-delivery-evidence",
            "public-retry-plan-does-not-perform-delivery-without-worker-execution",
        ],
    )
}

/// §4.16: the final auditor export delivery retry plan.
pub fn auditor_retry_plan(
    records: &[Record],
    policy: &RetryPolicy,
    generated_by: &str,
    now: DateTime<Utc>,
) -> Map<String, Value> {
    let exports: BTreeMap<&str, &Record> = records
        .iter()
        .filter(|r| r.kind() == kind::AUDITOR_EXPORT)
        .map(|r| (r.str("export_id"), r))
        .collect();
    let mut groups: BTreeMap<(String, String), Vec<&Record>> = BTreeMap::new();
    for r in records.iter().filter(|r| {
        r.kind() == kind::CONNECTOR_DELIVERY
            && r.str("connector_delivery_source") == source::AUDITOR_EXPORT
            && r.bool("delivery_success") == Some(false)
    }) {
        let export = if r.str("export_id").is_empty() {
            r.str("event_id")
        } else {
            r.str("export_id")
        };
        for p in failed_providers(r) {
            groups.entry((export.to_string(), p)).or_default().push(r);
        }
    }
    let decisions = groups
        .into_iter()
        .map(|((export_id, provider), records)| {
            let export = exports.get(export_id.as_str());
            let field = |k: &str| export.map(|e| e.str(k).to_string()).unwrap_or_default();
            let ids = vec![
                ("export_id", export_id.clone()),
                ("verification_id", field("verification_id")),
                ("release_record_ref", field("release_record_ref")),
            ];
            decide(
                &Group {
                    ids,
                    provider,
                    records,
                },
                policy,
                "failed final auditor export delivery is eligible for retry",
                now,
            )
        })
        .collect();
    plan_object(
        "cavra.go-backend-pilot.rollback-drill-final-reporting-auditor-export-delivery-retry-plan.v1",
        "gordackfinalaudretry",
        decisions,
        policy,
        generated_by,
        now,
        &[
            "auditor-export-retry-plan-derived-from-redacted-delivery-metadata",
            "retry-policy-contains-no-provider-credentials",
            "private-connector-redelivery-remains-outside-community-edition",
        ],
    )
}

/// Wraps a retry plan in its stored record (`nested` names the nested key).
pub fn retry_plan_record(plan: &Map<String, Value>, metadata_kind: &str, nested: &str) -> Record {
    let g = |k: &str| plan.get(k).cloned().unwrap_or(Value::Null);
    let v = json!({
        "session_id": g("retry_plan_id"), "created_at": g("generated_at"), "signer": g("generated_by"),
        "decision_count": g("decision_count"), "blocked_count": g("suppressed_count"),
        "approval_required_count": g("retryable_count"), "metadata_kind": metadata_kind,
        "retry_plan_id": g("retry_plan_id"), "alert_level": g("alert_level"),
        "retryable_count": g("retryable_count"), "waiting_count": g("waiting_count"),
        "suppressed_count": g("suppressed_count"), nested: Value::Object(plan.clone()),
    });
    Record::envelope(v.as_object().cloned().expect("object literal"))
}

/// Retry acknowledgement states (§4.9).
pub const RETRY_ACK_STATES: [&str; 5] =
    ["accepted", "deferred", "escalated", "resolved", "dismissed"];

/// The operator's decision on a retry (§4.9 body).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RetryAckInput {
    pub retry_plan_id: String,
    pub provider: String,
    pub acknowledged_by: String,
    pub state: String,
    pub delivery_id: String,
    pub audit_id: String,
    pub external_ref: String,
    pub notes: String,
}

/// Normalises like the server: `strip().lower()` with `-` to `_`.
pub fn normalise(s: &str) -> String {
    s.trim().to_lowercase().replace('-', "_")
}

/// Validates and builds the retry acknowledgement and its record.
pub fn retry_ack(
    input: &RetryAckInput,
    now: DateTime<Utc>,
) -> Result<(Map<String, Value>, Record), String> {
    let provider = normalise(&input.provider);
    if provider.is_empty() {
        return Err("provider is required".into());
    }
    if input.acknowledged_by.trim().is_empty() {
        return Err("acknowledged_by is required".into());
    }
    let state = if input.state.trim().is_empty() {
        "accepted".to_string()
    } else {
        normalise(&input.state)
    };
    if !RETRY_ACK_STATES.contains(&state.as_str()) {
        return Err(
            "acknowledgement_state must be accepted, deferred, escalated, resolved, or dismissed"
                .into(),
        );
    }
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

#[cfg(test)]
#[path = "retry_tests.rs"]
mod tests;
