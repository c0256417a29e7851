//! The acknowledgement audit package (CONTRACT §4.6): routing rows with action `deliver`
//! matching the scope, each with the latest acknowledgement of its `(schedule_id, provider)`.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::history::{WINDOW, history_order};
use super::ids::{make_id, py_json};
use super::record::{PRODUCT, Record, Stamp, counts, kind, nested};
use super::route::{AckSummary, RouteKey, RouteState, latest_acks};
use super::routing::{RoutingRow, routing_rows};
use super::time;

/// The package's schema version.
pub const AUDIT_PACKAGE_SCHEMA: &str =
    "cavra.go-backend-pilot.rollback-drill-acknowledgement-audit-package.v1";

/// The package's scope: the only filters CAVRA's audit package takes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditScope {
    pub schedule_id: String,
    pub provider: String,
    /// Case-insensitive substring on owner or escalation owner.
    pub owner: String,
}

impl AuditScope {
    fn matches_row(&self, r: &RoutingRow) -> bool {
        let owner = self.owner.to_lowercase();
        (self.schedule_id.is_empty() || r.schedule_id == self.schedule_id)
            && (self.provider.is_empty() || r.provider == self.provider)
            && (owner.is_empty()
                || r.owner.to_lowercase().contains(&owner)
                || r.escalation_owner.to_lowercase().contains(&owner))
    }

    fn matches_ack(&self, r: &Record) -> bool {
        (self.schedule_id.is_empty() || r.str("schedule_id") == self.schedule_id)
            && (self.provider.is_empty() || r.str("provider") == self.provider)
    }

    pub fn describe(&self) -> String {
        let part = |k: &str, v: &str| format!("{k}={}", if v.is_empty() { "(any)" } else { v });
        [
            part("owner", &self.owner),
            part("provider", &self.provider),
            part("schedule", &self.schedule_id),
        ]
        .join("  ")
    }
}

/// Builds the audit package object from all plan and ack records.
pub fn build_audit_package(
    plans: &[Record],
    acks: &[Record],
    scope: &AuditScope,
    generated_by: &str,
    now: DateTime<Utc>,
) -> Map<String, Value> {
    // As CAVRA: the newest 500 matching acknowledgements (history order, so on equal times
    // the first in that order is the latest) and the first 500 matching routing rows.
    let mut acks: Vec<Record> = acks
        .iter()
        .filter(|r| r.kind() == kind::NOTIFICATION_ACK && scope.matches_ack(r))
        .cloned()
        .collect();
    history_order(&mut acks);
    acks.truncate(WINDOW);
    let latest = latest_acks(&acks);
    let rows: Vec<RoutingRow> = routing_rows(plans)
        .into_iter()
        .filter(|r| r.action == super::route::RouteAction::Deliver && scope.matches_row(r))
        .take(WINDOW)
        .collect();

    let mut counts = [0usize; 5]; // acknowledged, resolved, escalated, dismissed, outstanding
    let mut entries = Vec::with_capacity(rows.len());
    for r in &rows {
        let key = RouteKey::new(&r.schedule_id, &r.provider);
        let ack = latest.get(&key).map(|rec| AckSummary::from_record(rec));
        let state = ack
            .as_ref()
            .and_then(|a| RouteState::from_ack(&a.state))
            .unwrap_or(RouteState::Outstanding);
        match state {
            RouteState::Acknowledged => counts[0] += 1,
            RouteState::Resolved => counts[1] += 1,
            RouteState::Escalated => counts[2] += 1,
            RouteState::Dismissed => counts[3] += 1,
            _ => {}
        }
        if !state.counts_as_acknowledged() {
            counts[4] += 1;
        }
        entries.push(route_entry(r, state, ack.as_ref()));
    }
    let alert_level = if counts[2] > 0 || counts[4] > 0 {
        "critical"
    } else {
        "healthy"
    };
    let filters = json!({
        "schedule_id": scope.schedule_id, "provider": scope.provider, "owner": scope.owner,
    });
    let audit_id = make_id(
        "gordackaudit",
        &py_json(
            &json!({"filters": filters, "generated_by": generated_by, "route_entries": entries}),
        ),
    );
    let v = json!({
        "schema_version": AUDIT_PACKAGE_SCHEMA,
        "product": PRODUCT,
        "audit_id": audit_id,
        "generated_at": time::iso(now),
        "generated_by": generated_by,
        "filters": filters,
        "route_count": entries.len(),
        "acknowledgement_count": acks.len(),
        "acknowledged_count": counts[0],
        "resolved_count": counts[1],
        "escalated_count": counts[2],
        "dismissed_count": counts[3],
        "outstanding_count": counts[4],
        "alert_level": alert_level,
        "routes": entries,
        "controls": [
            "public-safe-acknowledgement-audit-package",
            "connector-secrets-not-included",
            "latest-route-acknowledgement-state-only"
        ],
    });
    v.as_object().cloned().expect("object literal")
}

fn route_entry(r: &RoutingRow, state: RouteState, ack: Option<&AckSummary>) -> Value {
    let a = |f: fn(&AckSummary) -> &str| ack.map(f).unwrap_or("").to_string();
    json!({
        "route_id": r.route_id,
        "schedule_id": r.schedule_id,
        "plan_id": r.plan_id,
        "provider": r.provider,
        "owner": r.owner,
        "escalation_owner": r.escalation_owner,
        "route_action": r.action.as_str(),
        "route_created_at": r.created_at,
        "acknowledgement_state": state.as_str(),
        "acknowledged": state.counts_as_acknowledged(),
        "acknowledged_by": a(|x| &x.acknowledged_by),
        "acknowledged_at": a(|x| &x.acknowledged_at),
        "external_ref": a(|x| &x.external_ref),
        "notes": a(|x| &x.notes),
        "acknowledgement_id": a(|x| &x.acknowledgement_id),
    })
}

/// Wraps a package in its stored metadata record (CAVRA's counters: routes, outstanding plus
/// escalated, outstanding).
pub fn audit_package_record(pkg: &Map<String, Value>) -> Record {
    let n = |k: &str| super::record::u(pkg, k, 0);
    let (routes, outstanding) = (n("route_count"), n("outstanding_count"));
    let blocked = outstanding + n("escalated_count");
    let stamp = Stamp::generated("audit_id");
    let counts = counts(routes, blocked, outstanding);
    Record::draft(kind::AUDIT_PACKAGE, pkg, stamp, counts)
        .copy(&["audit_id", "alert_level", "route_count"])
        .copy(&["acknowledgement_count", "outstanding_count"])
        .nest(nested::AUDIT_PACKAGE)
}

#[cfg(test)]
#[path = "audit_tests.rs"]
mod tests;
