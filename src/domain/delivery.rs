//! Connector delivery records (CONTRACT §1.3) and acknowledgement-audit delivery plans (§4.7).
//!
//! In sample mode deliveries are simulated: the outcome per provider is given (success, or a
//! status code), and the records say `simulated` in their request echo. Nothing is sent.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};

use super::ids::make_id;
use super::record::{PRODUCT, Record, Stamp, counts, kind, nested, source};
use super::time;

/// The outcome of one provider's (simulated) delivery.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderOutcome {
    pub provider: String,
    /// HTTP status; 0 means the endpoint was unreachable, 2xx means delivered.
    pub status_code: u16,
}

impl ProviderOutcome {
    pub fn success(&self) -> bool {
        (200..300).contains(&self.status_code)
    }
}

/// Builds a `release-connector-delivery` record for an event delivered to some providers.
pub fn connector_delivery_record(
    source_name: &str,
    event_type: &str,
    event_id: &str,
    outcomes: &[ProviderOutcome],
    at: DateTime<Utc>,
    extra: &[(&str, &str)],
) -> Record {
    let generated_at = time::iso(at);
    let deliveries: Vec<Value> = outcomes
        .iter()
        .map(|o| {
            json!({
                "provider": o.provider,
                "success": o.success(),
                "status_code": o.status_code,
                "attempt_count": 1,
                "started_at": time::iso(at - Duration::milliseconds(100)),
                "completed_at": generated_at,
                "error": if o.success() { String::new() } else if o.status_code == 0 {
                    "connector endpoint unreachable".to_string()
                } else {
                    format!("connector returned HTTP {}", o.status_code)
                },
                "request": {"method": "POST", "url": format!("simulated://{}", o.provider),
                            "headers": {"content-type": "application/json"}},
            })
        })
        .collect();
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|o| !o.success())
        .map(|o| o.provider.as_str())
        .collect();
    let session_id = make_id(
        &format!("rcd-{}", slug(event_id)),
        &format!("{event_id}|{generated_at}"),
    )
    .chars()
    .take(format!("rcd-{}-", slug(event_id)).len() + 12)
    .collect::<String>();
    let mut v = json!({
        "session_id": session_id,
        "created_at": generated_at,
        "signer": source_name,
        "decision_count": 0,
        "blocked_count": failed.len(),
        "approval_required_count": 0,
        "metadata_kind": kind::CONNECTOR_DELIVERY,
        "connector_delivery_source": source_name,
        "event_id": event_id,
        "event_type": event_type,
        "delivery_success": failed.is_empty(),
        "providers": outcomes.iter().map(|o| o.provider.clone()).collect::<Vec<_>>(),
        "failed_providers": failed,
        "attempt_count": outcomes.len(),
        "max_attempt_count": 1,
        "status_codes": outcomes.iter().map(|o| o.status_code).collect::<Vec<_>>(),
        "delivery": {
            "schema_version": "cavra.connector.delivery.v1",
            "product": PRODUCT,
            "event_type": event_type,
            "event_id": event_id,
            "session_id": event_id,
            "generated_at": generated_at,
            "success": failed.is_empty(),
            "simulated": true,
            "deliveries": deliveries,
        },
    });
    let obj = v.as_object_mut().expect("object literal");
    for (k, val) in extra {
        obj.insert((*k).to_string(), Value::String((*val).to_string()));
    }
    Record::envelope(obj.clone())
}

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// What an audit delivery plan needs to know about the package and the request.
pub struct AuditDeliveryInput<'a> {
    pub package: &'a Map<String, Value>,
    pub requested_provider: &'a str,
    pub selected_providers: &'a [String],
    pub generated_by: &'a str,
    pub cadence: &'a str,
    pub schedule_ref: &'a str,
    pub next_delivery_at: &'a str,
}

/// Builds the acknowledgement audit delivery plan object (§4.7).
pub fn audit_delivery_plan(
    input: &AuditDeliveryInput<'_>,
    at: DateTime<Utc>,
) -> Map<String, Value> {
    let p = input.package;
    let g = |k: &str| p.get(k).cloned().unwrap_or(Value::Null);
    let requested: Vec<String> = input
        .requested_provider
        .split(',')
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty())
        .collect();
    let audit_id = p.get("audit_id").and_then(Value::as_str).unwrap_or("");
    let delivery_id = make_id(
        "gordackdelivery",
        &json!({"audit_id": audit_id, "providers": input.selected_providers,
                "generated_by": input.generated_by, "cadence": input.cadence,
                "schedule_ref": input.schedule_ref, "next_delivery_at": input.next_delivery_at})
        .to_string(),
    );
    let v = json!({
        "schema_version": "cavra.go-backend-pilot.rollback-drill-acknowledgement-audit-delivery-plan.v1",
        "product": PRODUCT,
        "delivery_id": delivery_id,
        "audit_id": audit_id,
        "generated_at": time::iso(at),
        "generated_by": input.generated_by,
        "cadence": input.cadence,
        "schedule_ref": input.schedule_ref,
        "next_delivery_at": input.next_delivery_at,
        "requested_provider": input.requested_provider,
        "requested_providers": requested,
        "selected_providers": input.selected_providers,
        "destination_count": input.selected_providers.len(),
        "route_count": g("route_count"),
        "outstanding_count": g("outstanding_count"),
        "escalated_count": g("escalated_count"),
        "alert_level": g("alert_level"),
        "filters": g("filters"),
        "controls": [
            "acknowledgement-audit-delivery-uses-public-safe-package",
            "connector-secrets-not-included-in-delivery-plan",
            "scheduled-delivery-is-metadata-only-in-community-edition"
        ],
    });
    v.as_object().cloned().expect("object literal")
}

/// Wraps a delivery plan in its stored record.
pub fn audit_delivery_plan_record(plan: &Map<String, Value>) -> Record {
    let stamp = Stamp::generated("delivery_id");
    Record::draft(kind::AUDIT_DELIVERY_PLAN, plan, stamp, counts(1, 0, 0))
        .copy(&["delivery_id", "audit_id", "alert_level"])
        .copy(&["selected_providers", "destination_count"])
        .copy(&["route_count", "outstanding_count"])
        .nest(nested::AUDIT_DELIVERY_PLAN)
}

/// The connector record of an acknowledgement-audit delivery (source `..._acknowledgement_audit`).
pub fn audit_delivery_record(
    plan: &Map<String, Value>,
    outcomes: &[ProviderOutcome],
    at: DateTime<Utc>,
) -> Record {
    let delivery_id = plan
        .get("delivery_id")
        .and_then(Value::as_str)
        .unwrap_or("");
    let audit_id = plan.get("audit_id").and_then(Value::as_str).unwrap_or("");
    connector_delivery_record(
        source::ACK_AUDIT,
        "cavra.go_backend.rollback_drill.acknowledgement_audit_delivery",
        delivery_id,
        outcomes,
        at,
        &[("audit_id", audit_id), ("delivery_id", delivery_id)],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn failed_providers_and_counts_follow_the_outcomes() {
        let at = Utc.with_ymd_and_hms(2026, 5, 20, 10, 35, 0).unwrap();
        let outcomes = [
            ProviderOutcome {
                provider: "splunk".into(),
                status_code: 503,
            },
            ProviderOutcome {
                provider: "slack".into(),
                status_code: 200,
            },
        ];
        let r = connector_delivery_record(
            source::ACK_AUDIT,
            "t",
            "gordackdelivery-1",
            &outcomes,
            at,
            &[("audit_id", "a")],
        );
        assert_eq!(r.kind(), kind::CONNECTOR_DELIVERY);
        assert_eq!(r.0["delivery_success"], false);
        assert_eq!(r.0["failed_providers"], json!(["splunk"]));
        assert_eq!(r.0["status_codes"], json!([503, 200]));
        assert_eq!(r.0["blocked_count"], 1);
        assert_eq!(r.0["audit_id"], "a");
        assert!(r.session_id().starts_with("rcd-gordackdelivery-1-"));
        assert_eq!(r.session_id().len(), "rcd-gordackdelivery-1-".len() + 12);
    }
}
