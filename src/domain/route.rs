//! Drill routes as CAVRA's escalation plan sees them (CONTRACT §3.2 shape 4, §3.4 rules).
//!
//! Inputs are notification-plan records and route-acknowledgement records; output is one
//! [`RouteRow`] per route decision of the **latest plan per schedule**. The rules pinned here:
//!
//! * a route is keyed by `(schedule_id, provider)`; the owner is not part of the key;
//! * its state is the latest acknowledgement (by `created_at`, compared as strings, as the
//!   server does) or `outstanding` when there is none;
//! * `acknowledged` means the latest state is `acknowledged` or `resolved`: **escalated and
//!   dismissed routes stay outstanding** and stay breached once past their SLO;
//! * `age_minutes` is minutes since the latest plan for the schedule; `breached` is
//!   not acknowledged and `age >= acknowledgement_minutes`;
//! * suppressed routes (action `suppress`) need no acknowledgement: never outstanding or
//!   breached, recommended action `no_action`. (The escalation plan leaves them out; the
//!   console shows them so the suppression categories can be filtered.)

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::record::{Record, kind, s, u};
use super::time;

/// Default acknowledgement SLO in minutes when a route names none (CONTRACT §3.2).
pub const DEFAULT_SLO_MINUTES: u32 = 60;

pub use super::route_model::{AckSummary, RouteAction, RouteKey, RouteRow, RouteState};

/// CAVRA's recommended action for a route (CONTRACT §3.4).
pub fn recommended_action(requires_ack: bool, acknowledged: bool, breached: bool) -> &'static str {
    if !requires_ack || acknowledged {
        "no_action"
    } else if breached {
        "escalate_missed_drill_notification"
    } else {
        "wait_for_acknowledgement"
    }
}

/// Suppression category of a route decision (CONTRACT §3.2, routing-history rows).
pub fn route_category(decision: &Map<String, Value>, action: RouteAction) -> String {
    if action == RouteAction::Deliver {
        return "deliver".into();
    }
    if decision
        .get("maintenance_window")
        .is_some_and(|w| w.is_object())
    {
        return "maintenance_window".into();
    }
    let unavailable = decision
        .get("owner_availability")
        .and_then(Value::as_object)
        .and_then(|a| a.get("available"))
        .and_then(Value::as_bool)
        == Some(false);
    if unavailable {
        return "owner_calendar".into();
    }
    if s(decision, "reason").contains("schedule is healthy") {
        return "healthy_schedule".into();
    }
    match s(decision, "category") {
        "" => "other".into(),
        c => c.to_string(),
    }
}

/// Latest record per key, by `created_at` compared as strings (the server's "latest").
pub fn latest_by<'a, K, F>(
    records: impl IntoIterator<Item = &'a Record>,
    key: F,
) -> HashMap<K, &'a Record>
where
    K: std::hash::Hash + Eq,
    F: Fn(&Record) -> K,
{
    let mut out: HashMap<K, &Record> = HashMap::new();
    for r in records {
        let k = key(r);
        match out.get(&k) {
            Some(cur) if cur.created_at() >= r.created_at() => {}
            _ => {
                out.insert(k, r);
            }
        }
    }
    out
}

/// Latest route-acknowledgement record per route key (other kinds are ignored).
pub fn latest_acks(acks: &[Record]) -> HashMap<RouteKey, &Record> {
    latest_by(
        acks.iter().filter(|r| r.kind() == kind::NOTIFICATION_ACK),
        |r| RouteKey::new(r.str("schedule_id"), r.str("provider")),
    )
}

/// The route decisions of a plan record (`plan.route_decisions`, tolerating absence).
pub fn plan_decisions(plan: &Record) -> &[Value] {
    plan.object("plan")
        .and_then(|p| p.get("route_decisions"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// The latest notification plan per schedule: the one rule the routes, the store's route
/// tables and the dashboard share (latest by `created_at` compared as strings, as the server).
pub fn latest_plans<'a>(
    records: impl IntoIterator<Item = &'a Record>,
) -> HashMap<String, &'a Record> {
    latest_by(
        records
            .into_iter()
            .filter(|r| r.kind() == kind::NOTIFICATION_PLAN),
        |r| plan_schedule_id(r).to_string(),
    )
}

/// A plan's schedule: the flat field, else the nested plan's.
pub fn plan_schedule_id(r: &Record) -> &str {
    match r.str("schedule_id") {
        "" => r.object("plan").map(|p| s(p, "schedule_id")).unwrap_or(""),
        id => id,
    }
}

/// A plan's id: `plan_id`, else the record's `session_id`.
pub fn plan_id(plan: &Record) -> &str {
    match plan.str("plan_id") {
        "" => plan.session_id(),
        id => id,
    }
}

/// What a plan decided for one route, with CAVRA's fallbacks applied: the decision's schedule
/// (else the plan's), the escalation owner (else the owner), the SLO (else 60 minutes).
#[derive(Debug, Clone, PartialEq)]
pub struct RouteDecision {
    pub key: RouteKey,
    pub owner: String,
    pub escalation_owner: String,
    pub action: RouteAction,
    pub category: String,
    pub reason: String,
    pub acknowledgement_minutes: u32,
}

impl RouteDecision {
    /// Reads one `route_decisions[]` entry of a plan for `schedule`; `None` without a provider.
    pub fn read(d: &Map<String, Value>, schedule: &str) -> Option<RouteDecision> {
        let provider = s(d, "provider");
        if provider.is_empty() {
            return None;
        }
        let schedule_id = match s(d, "schedule_id") {
            "" => schedule,
            id => id,
        };
        let action = if s(d, "action") == "suppress" {
            RouteAction::Suppress
        } else {
            RouteAction::Deliver
        };
        let owner = s(d, "owner").to_string();
        let escalation_owner = match s(d, "escalation_owner") {
            "" => owner.clone(),
            e => e.to_string(),
        };
        Some(RouteDecision {
            key: RouteKey::new(schedule_id, provider),
            owner,
            escalation_owner,
            action,
            category: route_category(d, action),
            reason: s(d, "reason").to_string(),
            acknowledgement_minutes: u(d, "acknowledgement_minutes", DEFAULT_SLO_MINUTES as u64)
                .min(u32::MAX as u64) as u32,
        })
    }
}

/// The one route-state rule: a decision of the plan made at `plan_created_at`, with its latest
/// acknowledgement, seen at `now` — state, acknowledged, age, breached, recommended action.
pub fn evaluate(
    d: RouteDecision,
    plan_id: String,
    plan_created_at: String,
    plan_time: Option<DateTime<Utc>>,
    latest_ack: Option<AckSummary>,
    now: DateTime<Utc>,
) -> RouteRow {
    let requires_ack = d.action == RouteAction::Deliver;
    let state = match (
        latest_ack
            .as_ref()
            .and_then(|a| RouteState::from_ack(&a.state)),
        requires_ack,
    ) {
        (Some(st), _) => st,
        (None, true) => RouteState::Outstanding,
        (None, false) => RouteState::NotRequired,
    };
    let acknowledged = state.counts_as_acknowledged();
    let age = plan_time
        .map(|t| time::minutes_between(t, now))
        .unwrap_or(0.0);
    let breached = requires_ack && !acknowledged && age >= d.acknowledgement_minutes as f64;
    RouteRow {
        schedule_id: d.key.schedule_id,
        provider: d.key.provider,
        owner: d.owner,
        escalation_owner: d.escalation_owner,
        plan_id,
        plan_created_at,
        action: d.action,
        category: d.category,
        reason: d.reason,
        acknowledgement_minutes: d.acknowledgement_minutes,
        age_minutes: age,
        state,
        acknowledged,
        breached,
        recommended_action: recommended_action(requires_ack, acknowledged, breached),
        latest_ack,
    }
}

/// Ages a row evaluated earlier by `elapsed_ms` milliseconds (a refresh that re-read nothing
/// for it): age, breach and recommendation become what [`evaluate`] gives at the later instant.
/// True when the breach flipped.
pub fn age_row(row: &mut RouteRow, elapsed_ms: i64) -> bool {
    // A plan time that does not parse leaves the age at 0 (evaluate); only such rows can be at 0 and unparseable.
    if elapsed_ms == 0 || (row.age_minutes == 0.0 && time::parse(&row.plan_created_at).is_none()) {
        return false;
    }
    // Ages are whole milliseconds over 60,000 (time::minutes_between): recover the count exactly.
    let ms = (row.age_minutes * 60_000.0).round() as i64 + elapsed_ms;
    row.age_minutes = ms as f64 / 60_000.0;
    let requires_ack = row.action == RouteAction::Deliver;
    let breached =
        requires_ack && !row.acknowledged && row.age_minutes >= row.acknowledgement_minutes as f64;
    let flipped = breached != row.breached;
    row.breached = breached;
    row.recommended_action = recommended_action(requires_ack, row.acknowledged, breached);
    flipped
}

/// Derives the route rows from plan records and ack records at `now`.
pub fn derive_routes(plans: &[Record], acks: &[Record], now: DateTime<Utc>) -> Vec<RouteRow> {
    let latest_plans = latest_plans(plans.iter());
    let latest_acks = latest_acks(acks);
    let mut schedules: Vec<&String> = latest_plans.keys().collect();
    schedules.sort();
    let mut rows = Vec::new();
    for schedule in schedules {
        let plan = latest_plans[schedule];
        let plan_time = time::parse(plan.created_at());
        for d in plan_decisions(plan).iter().filter_map(Value::as_object) {
            let Some(decision) = RouteDecision::read(d, schedule) else {
                continue;
            };
            let ack = latest_acks
                .get(&decision.key)
                .map(|r| AckSummary::from_record(r));
            rows.push(evaluate(
                decision,
                plan_id(plan).to_string(),
                plan.created_at().to_string(),
                plan_time,
                ack,
                now,
            ));
        }
    }
    rows
}

#[cfg(test)]
#[path = "route_tests.rs"]
mod tests;
