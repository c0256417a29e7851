//! Archive-reference health alerts (CONTRACT §5, shaped like the worker-health alert family
//! §4.12–4.15): Send Archive Alert routes the archive health to connectors, Ack Archive Alert
//! records a review, and the alert history and dashboard read them back.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::alert_routing::{alert_basis, alert_routing};
use super::approval::map;
use super::ids::make_id;
use super::input::Recorded;
use super::record::{PRODUCT, Record, Stamp, counts, kind, nested, source};
use super::retry::normalise;
use super::time;
use super::worker::{
    AlertAckInput, AlertAckSpec, AlertBoard, AlertQuery, AlertRequest, build_alert_ack, of_kind,
    suppressed_names,
};

/// The event type of an archive-health alert delivery.
pub const EVENT_TYPE: &str =
    "cavra.go_backend.rollback_drill.final_reporting.archive_reference_health_alert";

/// Which providers get the alert (the §4.12 rule, over archive-health alert deliveries).
pub fn alert_plan(
    health: &Map<String, Value>,
    req: &AlertRequest,
    configured: &[String],
    records: &[Record],
    now: DateTime<Utc>,
) -> Map<String, Value> {
    let g = |k: &str| health.get(k).cloned().unwrap_or(Value::Null);
    let n = |k: &str| health.get(k).and_then(Value::as_u64).unwrap_or(0);
    let basis = alert_basis(health, configured);
    let (health_id, level) = (basis.0, basis.1);
    let routing = alert_routing(basis, req, records, source::ARCHIVE_HEALTH_ALERT, now);
    let generated_at = time::iso(now);
    let plan_id = make_id(
        "gordackfinalarchalert",
        &json!({"health_id": health_id, "generated_at": generated_at,
                "eligible": routing["eligible_providers"], "selected": routing["selected_providers"]})
        .to_string(),
    );
    let mut plan = map(json!({
        "schema_version": "cavra.go-backend-pilot.rollback-drill-final-reporting-archive-reference-health-alert-plan.v1",
        "product": PRODUCT, "plan_id": plan_id, "health_id": health_id, "generated_at": generated_at,
        "generated_by": req.generated_by, "source_health_generated_at": g("generated_at"), "alert_level": level,
        "summary": {"checked_export_count": n("checked_export_count"), "archived_export_count": n("archived_export_count"),
                    "missing_archive_reference_count": n("missing_archive_reference_count"),
                    "critical_alert_count": n("critical_alert_count"), "warning_alert_count": n("warning_alert_count"),
                    "alert_count": n("alert_count")},
    }));
    plan.extend(routing);
    plan.insert(
        "controls".into(),
        json!([
            "archive-health-alert-routing-derived-from-public-health-metadata",
            "duplicate-suppression-uses-redacted-delivery-metadata",
            "acknowledgements-record-archive-health-review",
            "no-connector-credentials-stored-in-archive-health-alert-plan"
        ]),
    );
    plan
}

/// The stored record of an alert plan (suppressed providers flattened to names).
pub fn alert_plan_record(plan: &Map<String, Value>) -> Record {
    let len = |k: &str| {
        plan.get(k)
            .and_then(Value::as_array)
            .map(Vec::len)
            .unwrap_or(0)
    };
    let suppressed = suppressed_names(plan);
    let (eligible, to_ack) = (
        len("eligible_providers"),
        len("acknowledgement_required_providers"),
    );
    let stamp = Stamp::generated("plan_id");
    let counts = counts(eligible, suppressed.len(), to_ack);
    Record::draft(kind::ARCHIVE_ALERT_PLAN, plan, stamp, counts)
        .copy(&["plan_id", "health_id", "alert_level"])
        .copy(&["selected_providers"])
        .set("suppressed_providers", suppressed)
        .set("suppressed_provider_count", len("suppressed_providers"))
        .copy(&["acknowledgement_required_providers"])
        .copy(&["suppression_window_minutes"])
        .nest(nested::ARCHIVE_ALERT_PLAN)
}

/// Ack Archive Alert: validates and builds the acknowledgement and its record.
pub fn alert_ack(input: &AlertAckInput, now: DateTime<Utc>) -> Recorded {
    let spec = AlertAckSpec {
        health_id_required: true,
        id_prefix: "gordackfinalarchack",
        id_names_acknowledger: true,
        schema_version: "cavra.go-backend-pilot.rollback-drill-final-reporting-archive-reference-health-alert-ack.v1",
        metadata_kind: kind::ARCHIVE_ALERT_ACK,
        controls: &[
            "archive-health-alert-acknowledgement-records-review-only",
            "no-provider-token-or-secret-stored",
        ],
    };
    build_alert_ack(input, &spec, now)
}

/// Is a record part of the archive alert history, and does it pass the query?
pub fn history_matches(q: &AlertQuery, r: &Record) -> bool {
    let member = matches!(r.kind(), kind::ARCHIVE_ALERT_PLAN | kind::ARCHIVE_ALERT_ACK)
        || (r.kind() == kind::CONNECTOR_DELIVERY
            && r.str("connector_delivery_source") == source::ARCHIVE_HEALTH_ALERT);
    let set = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
    member
        && set(&q.health_id).is_none_or(|h| {
            r.str("health_id") == h || r.str("event_id") == h || r.session_id() == h
        })
        && set(&q.provider).map(|p| normalise(&p)).is_none_or(|p| {
            r.str("provider") == p
                || ["providers", "selected_providers", "suppressed_providers"]
                    .iter()
                    .any(|k| r.strs(k).contains(&p.as_str()))
        })
        && set(&q.metadata_kind).is_none_or(|k| r.kind() == k)
        && set(&q.acknowledgement_state)
            .is_none_or(|s| r.str("acknowledgement_state") == normalise(&s))
        && q.suppressed
            .is_none_or(|want| r.strs("suppressed_providers").is_empty() != want)
}

/// The archive alert dashboard (as §4.15 for worker alerts).
pub fn alert_dashboard(records: &[Record], now: DateTime<Utc>) -> Map<String, Value> {
    let mut all: Vec<&Record> = records
        .iter()
        .filter(|r| history_matches(&AlertQuery::default(), r))
        .collect();
    all.sort_by(|a, b| b.created_at().cmp(a.created_at()));
    let deliveries = of_kind(&all, kind::CONNECTOR_DELIVERY);
    let board = AlertBoard {
        plans: of_kind(&all, kind::ARCHIVE_ALERT_PLAN),
        acks: of_kind(&all, kind::ARCHIVE_ALERT_ACK),
        deliveries: deliveries.len(),
        failed: deliveries
            .iter()
            .filter(|r| r.bool("delivery_success") != Some(true))
            .count(),
        latest: all,
    };
    board.dashboard(
        "cavra.go-backend-pilot.rollback-drill-final-archive-reference-health-alert-dashboard.v1",
        now,
    )
}

/// The history page schema (CONTRACT §5).
pub const HISTORY_SCHEMA: &str =
    "cavra.go-backend-pilot.rollback-drill-final-archive-reference-health-alert-history.v1";

#[cfg(test)]
#[path = "archive_alert_tests.rs"]
mod tests;
