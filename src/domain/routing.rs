//! Routing-history rows (CONTRACT §3.2 shape 3): every route decision of every stored plan
//! (CAVRA reads the newest 500 plans), flattened. The audit package (§4.6) reads these, not
//! only the latest plan per schedule.
//!
//! As CAVRA: plans in history order (newest first, equal times by ascending id), decisions in
//! plan order, rows stable-sorted by `created_at` descending; `route_id` hashes a JSON of the
//! row's plan, schedule, provider, owner, action, reason and time.

use serde_json::{Map, Value, json};

use super::history::{WINDOW, history_cmp};
use super::ids::{make_id, py_json};
use super::record::{Record, kind, s, u};
use super::route::{DEFAULT_SLO_MINUTES, RouteAction, plan_decisions, route_category};

/// One flattened route decision of one plan.
#[derive(Debug, Clone, PartialEq)]
pub struct RoutingRow {
    pub route_id: String,
    pub created_at: String,
    pub plan_id: String,
    pub schedule_id: String,
    pub provider: String,
    pub owner: String,
    pub escalation_owner: String,
    pub action: RouteAction,
    pub category: String,
    pub acknowledgement_minutes: u64,
}

/// Flattens the newest 500 plan records into routing rows, newest plan first.
pub fn routing_rows(plans: &[Record]) -> Vec<RoutingRow> {
    let mut plans: Vec<&Record> = plans
        .iter()
        .filter(|r| r.kind() == kind::NOTIFICATION_PLAN)
        .collect();
    plans.sort_by(|a, b| history_cmp(a, b));
    plans.truncate(WINDOW);
    let mut rows = Vec::new();
    for plan in plans {
        let plan_id = match plan.str("plan_id") {
            "" => plan.object("plan").map(|p| s(p, "plan_id")).unwrap_or(""),
            id => id,
        };
        let plan_schedule = match plan.str("schedule_id") {
            "" => plan
                .object("plan")
                .map(|p| s(p, "schedule_id"))
                .unwrap_or(""),
            id => id,
        };
        for d in plan_decisions(plan).iter().filter_map(Value::as_object) {
            rows.push(row(plan, plan_id, plan_schedule, d));
        }
    }
    rows.sort_by(|a, b| b.created_at.cmp(&a.created_at));
    rows
}

fn row(plan: &Record, plan_id: &str, plan_schedule: &str, d: &Map<String, Value>) -> RoutingRow {
    let action = if s(d, "action") == "suppress" {
        RouteAction::Suppress
    } else {
        RouteAction::Deliver
    };
    let schedule_id = match plan_schedule {
        "" => s(d, "schedule_id"),
        id => id,
    };
    let owner = match s(d, "owner") {
        "" => "release-governance".to_string(),
        o => o.to_string(),
    };
    let escalation_owner = match s(d, "escalation_owner") {
        "" => owner.clone(),
        e => e.to_string(),
    };
    let created_at = plan.created_at().to_string();
    let material = json!({
        "plan_id": plan_id, "schedule_id": schedule_id, "provider": s(d, "provider"), "owner": owner,
        "action": match s(d, "action") { "" => "deliver", a => a }, "reason": s(d, "reason"), "created_at": created_at,
    });
    RoutingRow {
        route_id: make_id("gordroute", &py_json(&material)),
        created_at,
        plan_id: plan_id.to_string(),
        schedule_id: schedule_id.to_string(),
        provider: s(d, "provider").to_string(),
        owner,
        escalation_owner,
        action,
        category: route_category(d, action),
        acknowledgement_minutes: u(d, "acknowledgement_minutes", DEFAULT_SLO_MINUTES as u64),
    }
}
