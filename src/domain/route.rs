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
//! * data that cannot be read as CAVRA writes it is never silently replaced: the row carries a
//!   [`Flaw`] (invalid, future or implausible date; unusable SLO). An unknown age cannot rule
//!   out a breach, so such an outstanding route counts as breached; a numeric id is its text.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::record::{Record, kind, s};
use super::time;

/// Default acknowledgement SLO in minutes when a route names none (CONTRACT §3.2).
pub const DEFAULT_SLO_MINUTES: u32 = 60;
/// The longest SLO taken as meant (a year); beyond it the value is marked and the default used.
pub const MAX_SLO_MINUTES: u64 = 525_600;
/// Clock skew tolerated before a plan's date counts as lying in the future.
pub const SKEW_MINUTES: f64 = 5.0;
/// Ages beyond ten years are implausible: clamped to this and marked.
pub const MAX_AGE_MINUTES: f64 = 10.0 * 365.25 * 24.0 * 60.0;

pub use super::route_model::{AckSummary, Flaw, RouteAction, RouteKey, RouteRow, RouteState, text};

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
            Some(cur) if newer_or_first(cur, r) => {}
            _ => {
                out.insert(k, r);
            }
        }
    }
    out
}

/// Whether `cur` stays the latest against `r`: a greater `created_at` (compared as strings),
/// and on equal times the one the history lists first (ascending `session_id`, CAVRA's store
/// order), so the answer never depends on the order records were read in.
fn newer_or_first(cur: &Record, r: &Record) -> bool {
    match cur.created_at().cmp(r.created_at()) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => cur.session_id() <= r.session_id(),
    }
}

/// Latest route-acknowledgement record per route key (other kinds are ignored).
pub fn latest_acks(acks: &[Record]) -> HashMap<RouteKey, &Record> {
    latest_by(
        acks.iter().filter(|r| r.kind() == kind::NOTIFICATION_ACK),
        ack_key,
    )
}

/// The route an acknowledgement record is for (numeric ids read as their text).
pub fn ack_key(r: &Record) -> RouteKey {
    RouteKey::new(text(&r.0, "schedule_id"), text(&r.0, "provider"))
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
        |r| plan_schedule_id(r).into_owned(),
    )
}

/// A plan's schedule: the flat field, else the nested plan's (a number read as its text).
pub fn plan_schedule_id(r: &Record) -> Cow<'_, str> {
    match text(&r.0, "schedule_id") {
        id if id.is_empty() => r
            .object("plan")
            .map(|p| text(p, "schedule_id"))
            .unwrap_or_default(),
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
    /// What could not be read in the decision (an unusable SLO).
    pub flaws: Vec<Flaw>,
}

/// A decision's SLO: absent or null is the default silently (the contract's default); a number
/// or numeric text of 0..=[`MAX_SLO_MINUTES`] is taken; anything else (`"sixty"`, `1e308`,
/// `-5`, `true`) is the default **with** a [`Flaw::InvalidSlo`] naming the value.
pub fn read_slo(d: &Map<String, Value>) -> (u32, Option<Flaw>) {
    let bad = |v: &Value| {
        let raw = match v {
            Value::String(t) => t.clone(),
            other => other.to_string(),
        };
        (DEFAULT_SLO_MINUTES, Some(Flaw::InvalidSlo(raw)))
    };
    match d.get("acknowledgement_minutes") {
        None | Some(Value::Null) => (DEFAULT_SLO_MINUTES, None),
        Some(v @ Value::Number(n)) => match n.as_f64() {
            Some(f) if f.is_finite() && (0.0..=MAX_SLO_MINUTES as f64).contains(&f) => {
                (f as u32, None)
            }
            _ => bad(v),
        },
        Some(v @ Value::String(t)) => match t.trim().parse::<u64>() {
            Ok(m) if m <= MAX_SLO_MINUTES => (m as u32, None),
            _ => bad(v),
        },
        Some(v) => bad(v),
    }
}

impl RouteDecision {
    /// The SLO as the store's `route_index` column keeps it: `-1` for an unusable one.
    pub fn slo_column(&self) -> i64 {
        if self.flaws.iter().any(|f| matches!(f, Flaw::InvalidSlo(_))) {
            -1
        } else {
            self.acknowledgement_minutes as i64
        }
    }

    /// The SLO and its flaw back from the store's column (see [`RouteDecision::slo_column`]).
    pub fn slo_from_column(column: i64) -> (u32, Vec<Flaw>) {
        match u32::try_from(column) {
            Ok(m) if m as u64 <= MAX_SLO_MINUTES => (m, Vec::new()),
            _ => (
                DEFAULT_SLO_MINUTES,
                vec![Flaw::InvalidSlo(format!("stored as {column}"))],
            ),
        }
    }

    /// Reads one `route_decisions[]` entry of a plan for `schedule`; `None` without a provider.
    pub fn read(d: &Map<String, Value>, schedule: &str) -> Option<RouteDecision> {
        let provider = text(d, "provider");
        if provider.is_empty() {
            return None;
        }
        let schedule_id = match text(d, "schedule_id") {
            id if id.is_empty() => Cow::Borrowed(schedule),
            id => id,
        };
        let action = if s(d, "action") == "suppress" {
            RouteAction::Suppress
        } else {
            RouteAction::Deliver
        };
        let owner = text(d, "owner").into_owned();
        let escalation_owner = match text(d, "escalation_owner") {
            e if e.is_empty() => owner.clone(),
            e => e.into_owned(),
        };
        let (acknowledgement_minutes, slo_flaw) = read_slo(d);
        Some(RouteDecision {
            key: RouteKey::new(schedule_id, provider),
            owner,
            escalation_owner,
            action,
            category: route_category(d, action),
            reason: s(d, "reason").to_string(),
            acknowledgement_minutes,
            flaws: slo_flaw.into_iter().collect(),
        })
    }
}

/// A plan's age at `now`, with the flaw of its date: none readable or one in the future gives an
/// unknown age (0, marked); one over [`MAX_AGE_MINUTES`] is clamped (marked); a few minutes of
/// clock skew read as 0.
pub fn plan_age(
    created_at: &str,
    plan_time: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> (f64, Option<Flaw>) {
    let Some(t) = plan_time else {
        return (0.0, Some(Flaw::InvalidDate(created_at.to_string())));
    };
    let minutes = time::minutes_between(t, now);
    if minutes < -SKEW_MINUTES {
        (0.0, Some(Flaw::FutureDate(created_at.to_string())))
    } else if minutes > MAX_AGE_MINUTES {
        (
            MAX_AGE_MINUTES,
            Some(Flaw::ImplausibleDate(created_at.to_string())),
        )
    } else {
        (minutes.max(0.0), None)
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
    let (age, date_flaw) = plan_age(&plan_created_at, plan_time, now);
    let age_unknown = date_flaw
        .as_ref()
        .is_some_and(|f| matches!(f, Flaw::InvalidDate(_) | Flaw::FutureDate(_)));
    let mut flaws: Vec<Flaw> = date_flaw.into_iter().collect();
    flaws.extend(d.flaws);
    // An unknown age cannot rule a breach out: the route counts as breached (and is marked).
    let breached =
        requires_ack && !acknowledged && (age_unknown || age >= d.acknowledgement_minutes as f64);
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
        flaws,
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
