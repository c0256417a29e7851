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
use std::fmt;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};

use super::record::{Record, kind, s, u};
use super::time;

/// Default acknowledgement SLO in minutes when a route names none (CONTRACT §3.2).
pub const DEFAULT_SLO_MINUTES: u32 = 60;

/// The identity of a route: `(schedule_id, provider)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct RouteKey {
    pub schedule_id: String,
    pub provider: String,
}

impl RouteKey {
    pub fn new(schedule_id: impl Into<String>, provider: impl Into<String>) -> Self {
        RouteKey {
            schedule_id: schedule_id.into(),
            provider: provider.into(),
        }
    }

    /// Parses `SCHEDULE_ID/PROVIDER` (the CLI's `--route` form).
    pub fn parse(text: &str) -> Option<RouteKey> {
        let (schedule, provider) = text.trim().rsplit_once('/')?;
        (!schedule.is_empty() && !provider.is_empty()).then(|| RouteKey::new(schedule, provider))
    }
}

impl fmt::Display for RouteKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.schedule_id, self.provider)
    }
}

/// What the notification plan decided for a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RouteAction {
    Deliver,
    Suppress,
}

impl RouteAction {
    pub fn as_str(self) -> &'static str {
        match self {
            RouteAction::Deliver => "deliver",
            RouteAction::Suppress => "suppress",
        }
    }
}

/// The route's state as the console shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RouteState {
    Outstanding,
    Acknowledged,
    Escalated,
    Resolved,
    Dismissed,
    /// A suppressed route with no acknowledgement: none is required.
    NotRequired,
}

impl RouteState {
    pub fn as_str(self) -> &'static str {
        match self {
            RouteState::Outstanding => "outstanding",
            RouteState::Acknowledged => "acknowledged",
            RouteState::Escalated => "escalated",
            RouteState::Resolved => "resolved",
            RouteState::Dismissed => "dismissed",
            RouteState::NotRequired => "not_required",
        }
    }

    /// Maps a stored `acknowledgement_state` (normalised as the server does) to a state.
    pub fn from_ack(state: &str) -> Option<RouteState> {
        match state.trim().to_lowercase().replace('-', "_").as_str() {
            "acknowledged" => Some(RouteState::Acknowledged),
            "escalated" => Some(RouteState::Escalated),
            "resolved" => Some(RouteState::Resolved),
            "dismissed" => Some(RouteState::Dismissed),
            _ => None,
        }
    }

    /// CAVRA's `acknowledged` flag: only `acknowledged` and `resolved` count.
    pub fn counts_as_acknowledged(self) -> bool {
        matches!(self, RouteState::Acknowledged | RouteState::Resolved)
    }
}

/// The latest acknowledgement of a route, as much as the table and the audit need.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AckSummary {
    pub acknowledgement_id: String,
    pub state: String,
    pub acknowledged_by: String,
    pub acknowledged_at: String,
    pub external_ref: String,
    pub notes: String,
}

impl AckSummary {
    /// Reads an acknowledgement record (flat fields first, then the nested object).
    pub fn from_record(r: &Record) -> AckSummary {
        let nested = r.object("acknowledgement");
        let pick = |key: &str| -> String {
            let flat = r.str(key);
            if !flat.is_empty() {
                return flat.to_string();
            }
            nested.map(|n| s(n, key).to_string()).unwrap_or_default()
        };
        let acknowledged_by = {
            let v = pick("acknowledged_by");
            if v.is_empty() {
                r.str("signer").to_string()
            } else {
                v
            }
        };
        let acknowledged_at = {
            let v = pick("acknowledged_at");
            if v.is_empty() {
                r.created_at().to_string()
            } else {
                v
            }
        };
        AckSummary {
            acknowledgement_id: {
                let v = pick("acknowledgement_id");
                if v.is_empty() {
                    r.session_id().to_string()
                } else {
                    v
                }
            },
            state: pick("acknowledgement_state"),
            acknowledged_by,
            acknowledged_at,
            external_ref: pick("external_ref"),
            notes: pick("notes"),
        }
    }
}

/// One row of the routes pane.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteRow {
    pub schedule_id: String,
    pub provider: String,
    pub owner: String,
    pub escalation_owner: String,
    pub plan_id: String,
    pub plan_created_at: String,
    pub action: RouteAction,
    /// Suppression category: `deliver`, `maintenance_window`, `owner_calendar`, `healthy_schedule`, ... or `other`.
    pub category: String,
    pub reason: String,
    pub acknowledgement_minutes: u32,
    pub age_minutes: f64,
    pub state: RouteState,
    pub acknowledged: bool,
    pub breached: bool,
    pub recommended_action: &'static str,
    pub latest_ack: Option<AckSummary>,
}

impl RouteRow {
    pub fn key(&self) -> RouteKey {
        RouteKey::new(&self.schedule_id, &self.provider)
    }

    /// Needs an acknowledgement and has none that counts (the escalation plan's "outstanding").
    pub fn is_outstanding(&self) -> bool {
        self.action == RouteAction::Deliver && !self.acknowledged
    }
}

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

/// Derives the route rows from plan records and ack records at `now`.
pub fn derive_routes(plans: &[Record], acks: &[Record], now: DateTime<Utc>) -> Vec<RouteRow> {
    let latest_plans = latest_by(
        plans.iter().filter(|r| r.kind() == kind::NOTIFICATION_PLAN),
        |r| plan_schedule_id(r).to_string(),
    );
    let latest_acks = latest_acks(acks);

    let mut schedules: Vec<&String> = latest_plans.keys().collect();
    schedules.sort();
    let mut rows = Vec::new();
    for schedule in schedules {
        let plan = latest_plans[schedule];
        let plan_time = time::parse(plan.created_at());
        for decision in plan_decisions(plan) {
            let Some(d) = decision.as_object() else {
                continue;
            };
            let provider = s(d, "provider");
            if provider.is_empty() {
                continue;
            }
            let schedule_id = match s(d, "schedule_id") {
                "" => schedule.as_str(),
                id => id,
            };
            let key = RouteKey::new(schedule_id, provider);
            rows.push(build_row(
                plan,
                d,
                &key,
                plan_time,
                latest_acks.get(&key).copied(),
                now,
            ));
        }
    }
    rows
}

fn plan_schedule_id(r: &Record) -> &str {
    match r.str("schedule_id") {
        "" => r.object("plan").map(|p| s(p, "schedule_id")).unwrap_or(""),
        id => id,
    }
}

fn build_row(
    plan: &Record,
    d: &Map<String, Value>,
    key: &RouteKey,
    plan_time: Option<DateTime<Utc>>,
    ack: Option<&Record>,
    now: DateTime<Utc>,
) -> RouteRow {
    let action = if s(d, "action") == "suppress" {
        RouteAction::Suppress
    } else {
        RouteAction::Deliver
    };
    let requires_ack = action == RouteAction::Deliver;
    let latest_ack = ack.map(AckSummary::from_record);
    let ack_state = latest_ack
        .as_ref()
        .and_then(|a| RouteState::from_ack(&a.state));
    let state = match (ack_state, requires_ack) {
        (Some(st), _) => st,
        (None, true) => RouteState::Outstanding,
        (None, false) => RouteState::NotRequired,
    };
    let acknowledged = state.counts_as_acknowledged();
    let slo = u(d, "acknowledgement_minutes", DEFAULT_SLO_MINUTES as u64) as u32;
    let age = plan_time
        .map(|t| time::minutes_between(t, now))
        .unwrap_or(0.0);
    let breached = requires_ack && !acknowledged && age >= slo as f64;
    let owner = s(d, "owner").to_string();
    let escalation_owner = match s(d, "escalation_owner") {
        "" => owner.clone(),
        e => e.to_string(),
    };
    let plan_id = match plan.str("plan_id") {
        "" => plan.session_id().to_string(),
        id => id.to_string(),
    };
    RouteRow {
        schedule_id: key.schedule_id.clone(),
        provider: key.provider.clone(),
        owner,
        escalation_owner,
        plan_id,
        plan_created_at: plan.created_at().to_string(),
        action,
        category: route_category(d, action),
        reason: s(d, "reason").to_string(),
        acknowledgement_minutes: slo,
        age_minutes: age,
        state,
        acknowledged,
        breached,
        recommended_action: recommended_action(requires_ack, acknowledged, breached),
        latest_ack,
    }
}

#[cfg(test)]
#[path = "route_tests.rs"]
mod tests;
