//! Routing-history rows (CONTRACT §3.2 shape 3): every route decision of **every** stored plan,
//! flattened. The audit package (§4.6) reads these, not only the latest plan per schedule.

use serde_json::{Map, Value};

use super::ids::make_id;
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

/// Flattens all plan records into routing rows, newest plan first.
pub fn routing_rows(plans: &[Record]) -> Vec<RoutingRow> {
    let mut rows = Vec::new();
    for plan in plans.iter().filter(|r| r.kind() == kind::NOTIFICATION_PLAN) {
        let plan_id = match plan.str("plan_id") {
            "" => plan.session_id(),
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
    rows.sort_by(|a, b| {
        b.created_at
            .cmp(&a.created_at)
            .then_with(|| a.schedule_id.cmp(&b.schedule_id))
            .then_with(|| a.provider.cmp(&b.provider))
            .then_with(|| a.owner.cmp(&b.owner))
    });
    rows
}

fn row(plan: &Record, plan_id: &str, plan_schedule: &str, d: &Map<String, Value>) -> RoutingRow {
    let action = if s(d, "action") == "suppress" {
        RouteAction::Suppress
    } else {
        RouteAction::Deliver
    };
    let schedule_id = match s(d, "schedule_id") {
        "" => plan_schedule,
        id => id,
    };
    let owner = s(d, "owner").to_string();
    let escalation_owner = match s(d, "escalation_owner") {
        "" => owner.clone(),
        e => e.to_string(),
    };
    let created_at = plan.created_at().to_string();
    RoutingRow {
        route_id: make_id(
            "gordroute",
            &format!("{schedule_id}|{}|{owner}|{created_at}", s(d, "provider")),
        ),
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
