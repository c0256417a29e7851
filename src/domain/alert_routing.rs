//! Who gets a health alert (CONTRACT §4.12; the archive-health family is shaped like it):
//! eligible = the configured providers (normalised, `webhook` when none) ∩ the requested ones;
//! suppressed = providers that already got a delivery for the same health inside the window
//! (unless forced); selected = eligible − suppressed, none when the health is healthy.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};

use super::approval::map;
use super::record::{Record, kind};
use super::retry::normalise;
use super::time;
use super::worker::AlertRequest;

/// What an alert plan starts from: the health's id and level (`healthy` when it has none),
/// and the configured providers, normalised (`webhook` when none are configured).
pub fn alert_basis<'a>(
    health: &'a Map<String, Value>,
    configured: &[String],
) -> (&'a str, &'a str, Vec<String>) {
    let text = |k: &str| health.get(k).and_then(Value::as_str);
    let mut eligible: Vec<String> = configured.iter().map(|p| normalise(p)).collect();
    if eligible.is_empty() {
        eligible.push("webhook".into());
    }
    let level = text("alert_level").unwrap_or("healthy");
    (text("health_id").unwrap_or(""), level, eligible)
}

/// The `requested_provider` an alert plan records for `req`: as sent, `all` when blank.
pub fn requested_provider(req: &AlertRequest) -> &str {
    match req.provider.trim() {
        "" => "all",
        _ => req.provider.as_str(),
    }
}

/// The routing part of an alert plan for the health `health_id` at `level`, as the plan
/// carries it: `requested_provider` … `acknowledgement_required_providers`. `source` is the
/// `connector_delivery_source` of the family's earlier alert deliveries in `records`.
pub fn alert_routing(
    (health_id, level, mut eligible): (&str, &str, Vec<String>),
    req: &AlertRequest,
    records: &[Record],
    source: &str,
    now: DateTime<Utc>,
) -> Map<String, Value> {
    let requested: Vec<String> = (req.provider.split(','))
        .map(normalise)
        .filter(|p| !p.is_empty())
        .collect();
    if !requested.is_empty() && !requested.iter().any(|p| p == "all") {
        eligible.retain(|p| requested.contains(p));
    }
    let minutes = req.suppression_window_minutes.unwrap_or(60).max(1);
    let window = Duration::minutes(minutes as i64);
    let mut suppressed = Vec::new();
    if !req.force {
        let earlier: Vec<&Record> = (records.iter())
            .filter(|r| {
                r.kind() == kind::CONNECTOR_DELIVERY
                    && r.str("connector_delivery_source") == source
                    && r.str("event_id") == health_id
            })
            .collect();
        for p in &eligible {
            let last = (earlier.iter())
                .filter(|r| r.strs("providers").contains(&p.as_str()))
                .filter_map(|r| time::parse(r.created_at()))
                .max();
            if let Some(t) = last.filter(|t| now - *t <= window) {
                suppressed.push(json!({"provider": p, "last_delivery_at": time::iso(t)}));
            }
        }
    }
    let selected: Vec<&String> = (eligible.iter())
        .filter(|p| level != "healthy" && !suppressed.iter().any(|s| s["provider"] == p.as_str()))
        .collect();
    let requested = requested_provider(req);
    map(json!({
        "requested_provider": requested, "eligible_providers": eligible,
        "selected_providers": selected, "suppressed_providers": suppressed,
        "suppression_window_minutes": minutes, "force": req.force,
        "acknowledgement_required_providers": selected,
    }))
}
