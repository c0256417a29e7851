//! The route model: a route's identity, the plan's decision, its state, its latest
//! acknowledgement and the row the routes pane shows. The rules that compute them live in
//! `route.rs`.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use super::record::Record;

/// A text field of a JSON object: a string as is, a number as its decimal text (a numeric
/// `schedule_id` or `provider` is still a route), anything else `""`.
pub fn text<'a>(obj: &'a Map<String, Value>, key: &str) -> Cow<'a, str> {
    match obj.get(key) {
        Some(Value::String(s)) => Cow::Borrowed(s),
        Some(Value::Number(n)) => Cow::Owned(n.to_string()),
        _ => Cow::Borrowed(""),
    }
}

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
            let flat = text(&r.0, key);
            if !flat.is_empty() {
                return flat.into_owned();
            }
            nested
                .map(|n| text(n, key).into_owned())
                .unwrap_or_default()
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

/// Something in the records behind a row that could not be read as CAVRA writes it. The row
/// is kept and marked with it, and the console says how many rows carry one: nothing is made
/// up silently (issue 10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "flaw", content = "value", rename_all = "snake_case")]
pub enum Flaw {
    /// The plan's `created_at` is not a date: the age is unknown and a breach cannot be ruled
    /// out, so an outstanding route counts as breached.
    InvalidDate(String),
    /// The plan's `created_at` lies in the future beyond clock skew: treated as an unknown age.
    FutureDate(String),
    /// The plan's `created_at` is implausibly old: the age is clamped (the breach stands).
    ImplausibleDate(String),
    /// `acknowledgement_minutes` is not a usable number of minutes: the default SLO is used.
    InvalidSlo(String),
}

impl Flaw {
    /// The mark shown next to the row, e.g. `invalid date 'not-a-date'`.
    pub fn label(&self) -> String {
        let (what, value) = match self {
            Flaw::InvalidDate(v) => ("invalid date", v),
            Flaw::FutureDate(v) => ("future date", v),
            Flaw::ImplausibleDate(v) => ("implausible date", v),
            Flaw::InvalidSlo(v) => ("invalid SLO, default used:", v),
        };
        let value: String = value.chars().take(40).collect();
        format!("{what} '{value}'")
    }

    /// A date flaw: the row's age is not a measured one.
    pub fn is_date(&self) -> bool {
        !matches!(self, Flaw::InvalidSlo(_))
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
    /// What could not be read in the records behind this row (empty for sound data; left out
    /// of the JSON output then).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flaws: Vec<Flaw>,
}

#[cfg(test)]
impl RouteRow {
    /// A row for tests: a delivered route of `schedule`/`provider` owned by `owner`, in `state`,
    /// 0 minutes old, not breached; the tests override what they need.
    pub fn fixture(schedule: &str, provider: &str, owner: &str, state: RouteState) -> RouteRow {
        RouteRow {
            schedule_id: schedule.into(),
            provider: provider.into(),
            owner: owner.into(),
            escalation_owner: owner.into(),
            plan_id: "p".into(),
            plan_created_at: String::new(),
            action: RouteAction::Deliver,
            category: "deliver".into(),
            reason: String::new(),
            acknowledgement_minutes: 60,
            age_minutes: 0.0,
            state,
            acknowledged: state.counts_as_acknowledged(),
            breached: false,
            recommended_action: "no_action",
            latest_ack: None,
            flaws: Vec::new(),
        }
    }
}

impl RouteRow {
    pub fn key(&self) -> RouteKey {
        RouteKey::new(&self.schedule_id, &self.provider)
    }

    /// Needs an acknowledgement and has none that counts (the escalation plan's "outstanding").
    pub fn is_outstanding(&self) -> bool {
        self.action == RouteAction::Deliver && !self.acknowledged
    }

    /// The age is not a measured one (no readable date, or one in the future).
    pub fn age_unknown(&self) -> bool {
        self.flaws
            .iter()
            .any(|f| matches!(f, Flaw::InvalidDate(_) | Flaw::FutureDate(_)))
    }

    /// The row's marks joined, e.g. `invalid date 'x'; invalid SLO, default used: 'sixty'`.
    pub fn flaw_text(&self) -> String {
        self.flaws
            .iter()
            .map(Flaw::label)
            .collect::<Vec<_>>()
            .join("; ")
    }
}
