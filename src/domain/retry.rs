//! Retry plans for failed deliveries (CONTRACT §4.8 acknowledgement audit, §4.16 final auditor
//! export) and retry acknowledgements (§4.9).
//!
//! Failed deliveries are grouped per `(delivery, audit, provider)` (or `(export, provider)`);
//! `retry_count` is the group size and the delay backs off as `base × multiplier^(count−1)`.
//! `suppress` when `retry_count ≥ max`, `wait` while `now < latest + delay`, else `retry`.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};

use super::history::window_refs;
use super::ids::{make_id, py_json};
use super::level::alert_level;
use super::record::{PRODUCT, Record, Stamp, fields, kind, source};
pub use super::record::{normalise, truthy};
pub use super::retry_ack::{RETRY_ACK_STATES, RetryAckInput, retry_ack};
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
    pub fn from_json(v: Option<&Value>) -> Result<RetryPolicy, super::InputError> {
        let Some(o) = v.and_then(Value::as_object) else {
            return Ok(RetryPolicy::default().normalised());
        };
        let num = |keys: [&str; 2]| -> Result<Option<f64>, super::InputError> {
            for k in keys {
                match o.get(k) {
                    None | Some(Value::Null) => continue,
                    Some(Value::Number(n)) => return Ok(n.as_f64()),
                    Some(Value::String(s)) => {
                        return s
                            .trim()
                            .parse()
                            .map(Some)
                            .map_err(|_| super::InputError::NotANumber(k.to_string()));
                    }
                    Some(_) => return Err(super::InputError::NotANumber(k.to_string())),
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
    ids: Vec<(&'static str, Value)>,
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
    // As CAVRA: the group in history order, stable-sorted newest first; the first is latest.
    let latest = g
        .records
        .iter()
        .copied()
        .reduce(|best, r| {
            if r.created_at() > best.created_at() {
                r
            } else {
                best
            }
        })
        .expect("groups are non-empty");
    let base = policy.retry_delay_minutes.trunc();
    let delay = base
        * policy
            .backoff_multiplier
            .powi(retry_count.saturating_sub(1) as i32);
    let latest_at = time::parse(latest.created_at());
    let next = latest_at.map(|t| t + Duration::microseconds((delay * 60_000_000.0) as i64));
    let (action, reason) = if retry_count >= policy.max_retry_attempts {
        (
            "suppress",
            format!(
                "maximum retry attempts {} reached",
                policy.max_retry_attempts
            ),
        )
    } else if next.is_some_and(|n| now < n) {
        (
            "wait",
            format!("retry delay {} minutes has not elapsed", delay as i64),
        )
    } else {
        ("retry", eligible_reason.to_string())
    };
    let field = |k: &str| latest.0.get(k).cloned().unwrap_or(Value::Null);
    let mut m = Map::new();
    for (k, v) in &g.ids {
        m.insert((*k).into(), v.clone());
    }
    m.insert("provider".into(), g.provider.clone().into());
    m.insert("action".into(), action.into());
    m.insert("reason".into(), reason.into());
    m.insert("retry_count".into(), retry_count.into());
    m.insert(
        "max_retry_attempts".into(),
        policy.max_retry_attempts.into(),
    );
    m.insert("retry_delay_minutes".into(), json!(delay as i64));
    m.insert("latest_delivery_id".into(), field("session_id"));
    m.insert("latest_delivery_at".into(), field("created_at"));
    m.insert(
        "next_retry_at".into(),
        time::iso(next.unwrap_or(now)).into(),
    );
    // The latest failed record's codes, all of them (CAVRA does not pick the provider's).
    m.insert(
        "failed_status_codes".into(),
        latest.0.get("status_codes").cloned().unwrap_or(json!([])),
    );
    m
}

fn failed_providers(r: &Record) -> Vec<String> {
    let failed = r.strs("failed_providers");
    let list = if failed.is_empty() {
        r.strs("providers")
    } else {
        failed
    };
    list.into_iter()
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
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
    let alert = alert_level(retry > 0, wait > 0);
    let generated_at = time::iso(now);
    let id = make_id(
        id_prefix,
        &py_json(&json!({"generated_at": generated_at, "retry_decisions": decisions})),
    );
    let v = json!({
        "schema_version": schema, "product": PRODUCT, "retry_plan_id": id, "generated_at": generated_at,
        "generated_by": generated_by, "alert_level": alert, "decision_count": decisions.len(),
        "retryable_count": retry, "waiting_count": wait, "suppressed_count": suppress,
        "max_retry_attempts": policy.max_retry_attempts, "base_retry_delay_minutes": policy.retry_delay_minutes.trunc() as i64,
        "allow_immediate_retry": policy.allow_immediate_retry, "backoff_multiplier": policy.backoff_multiplier,
        "retry_decisions": decisions, "controls": controls,
    });
    v.as_object().cloned().expect("object literal")
}

/// Failed deliveries of one source in CAVRA's 500-record window, in history order.
fn failed_deliveries<'a>(records: &'a [Record], src: &str) -> Vec<&'a Record> {
    window_refs(records)
        .into_iter()
        .filter(|r| {
            r.kind() == kind::CONNECTOR_DELIVERY
                && r.str("connector_delivery_source") == src
                && !r.truthy("delivery_success")
        })
        .collect()
}

/// §4.8: the acknowledgement-audit delivery retry plan over all stored records.
pub fn audit_retry_plan(
    records: &[Record],
    policy: &RetryPolicy,
    generated_by: &str,
    now: DateTime<Utc>,
) -> Map<String, Value> {
    let mut groups: BTreeMap<(String, String, String), Vec<&Record>> = BTreeMap::new();
    for r in failed_deliveries(records, source::ACK_AUDIT) {
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
                ids: vec![
                    ("delivery_id", delivery_id.into()),
                    ("audit_id", audit_id.into()),
                ],
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
    let mut groups: BTreeMap<(String, String), Vec<&Record>> = BTreeMap::new();
    for r in failed_deliveries(records, source::AUDITOR_EXPORT) {
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
            // CAVRA takes these from the latest failed delivery record, not from the export.
            let latest = records.iter().copied().reduce(|best, r| {
                if r.created_at() > best.created_at() {
                    r
                } else {
                    best
                }
            });
            let field = |k: &str| {
                latest
                    .and_then(|r| r.0.get(k).cloned())
                    .unwrap_or_else(|| json!(""))
            };
            let ids = vec![
                ("export_id", export_id.clone().into()),
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
            "final-auditor-export-retry-plan-derived-from-redacted-delivery-metadata",
            "retry-plan-contains-no-provider-credentials",
            "public-plan-does-not-perform-grc-siem-or-archive-side-effects",
        ],
    )
}

/// Wraps a retry plan in its stored record (kind and nested key: the audit delivery's, or the
/// auditor export's).
pub fn retry_plan_record(plan: &Map<String, Value>, metadata_kind: &str, nested: &str) -> Record {
    let keys = ["decision_count", "suppressed_count", "retryable_count"];
    let stamp = Stamp::generated("retry_plan_id");
    Record::draft(metadata_kind, plan, stamp, fields(plan, keys))
        .copy(&["retry_plan_id", "alert_level", "retryable_count"])
        .copy(&["waiting_count", "suppressed_count"])
        .nest(nested)
}

#[cfg(test)]
#[path = "retry_tests.rs"]
mod tests;
