//! The route filter language shared by the `/` line and `--filter`: `field:value` tokens and free text.
//!
//! Fields: `owner` (substring, case-insensitive, on owner or escalation owner), `provider`
//! (equality, case-insensitive), `state` (outstanding, breached, acknowledged, escalated,
//! resolved, dismissed), `action` (deliver, suppress), `category` (suppression category) and
//! `schedule` (equality). Any other word is free text matched, case-insensitively, against
//! schedule, provider, owner, state and recommended action. Values may be quoted: `owner:"a b"`.

use std::fmt;

use super::route::{RouteAction, RouteRow, RouteState};

/// What `state:` can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateFilter {
    /// Needs an acknowledgement and has none that counts (escalated and dismissed included).
    Outstanding,
    Breached,
    Is(RouteState),
}

impl StateFilter {
    fn parse(v: &str) -> Option<StateFilter> {
        Some(match v {
            "outstanding" => StateFilter::Outstanding,
            "breached" => StateFilter::Breached,
            other => StateFilter::Is(RouteState::from_ack(other)?),
        })
    }
    fn as_str(self) -> &'static str {
        match self {
            StateFilter::Outstanding => "outstanding",
            StateFilter::Breached => "breached",
            StateFilter::Is(s) => s.as_str(),
        }
    }
}

/// A parsed filter; the default matches everything.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RouteFilter {
    pub owner: Option<String>,
    pub provider: Option<String>,
    pub state: Option<StateFilter>,
    pub action: Option<RouteAction>,
    pub category: Option<String>,
    pub schedule: Option<String>,
    pub text: Vec<String>,
}

/// Why a filter expression was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FilterError {
    #[error("unknown filter field '{0}' (use owner, provider, state, action, category, schedule)")]
    UnknownField(String),
    #[error("'{field}:' needs a value")]
    EmptyValue { field: String },
    #[error(
        "state '{0}' is not one of outstanding, breached, acknowledged, escalated, resolved, dismissed"
    )]
    BadState(String),
    #[error("action '{0}' is not deliver or suppress")]
    BadAction(String),
    #[error("unclosed quote in filter")]
    UnclosedQuote,
    /// A field given twice with different values (tokens combine with AND: the later one
    /// must not silently replace the earlier).
    #[error("'{field}:' is given twice with different values: one value per field")]
    Contradicts { field: String },
}

/// Did `now` change a field `before` had already set?
fn contradicts(before: &RouteFilter, now: &RouteFilter) -> bool {
    fn moved<T: PartialEq>(was: &Option<T>, is: &Option<T>) -> bool {
        was.is_some() && was != is
    }
    moved(&before.owner, &now.owner)
        || moved(&before.provider, &now.provider)
        || moved(&before.state, &now.state)
        || moved(&before.action, &now.action)
        || moved(&before.category, &now.category)
        || moved(&before.schedule, &now.schedule)
}

impl RouteFilter {
    pub fn is_empty(&self) -> bool {
        *self == RouteFilter::default()
    }

    /// Parses a filter expression.
    pub fn parse(expr: &str) -> Result<RouteFilter, FilterError> {
        let mut f = RouteFilter::default();
        for token in tokenize(expr)? {
            let Some((field, value)) = token.split_once(':') else {
                f.text.push(token.to_lowercase());
                continue;
            };
            let field = field.to_lowercase();
            let value = value.trim().to_string();
            if value.is_empty() {
                return Err(FilterError::EmptyValue { field });
            }
            let before = f.clone();
            match field.as_str() {
                "owner" => f.owner = Some(value.to_lowercase()),
                "provider" => f.provider = Some(value.to_lowercase()),
                "state" => {
                    let v = value.to_lowercase().replace('-', "_");
                    f.state = Some(StateFilter::parse(&v).ok_or(FilterError::BadState(value))?);
                }
                "action" => {
                    f.action = Some(match value.to_lowercase().as_str() {
                        "deliver" => RouteAction::Deliver,
                        "suppress" => RouteAction::Suppress,
                        _ => return Err(FilterError::BadAction(value)),
                    })
                }
                "category" => f.category = Some(value.to_lowercase()),
                "schedule" | "schedule_id" => f.schedule = Some(value),
                _ => return Err(FilterError::UnknownField(field)),
            }
            if contradicts(&before, &f) {
                return Err(FilterError::Contradicts { field });
            }
        }
        Ok(f)
    }

    /// True when every row passing `self` also passes `old` (so `self` can be applied to
    /// `old`'s result instead of to every row): equal fields stay equal, substring fields
    /// (owner, free text) only grow, and new constraints may be added.
    pub fn narrows(&self, old: &RouteFilter) -> bool {
        fn same<T: PartialEq>(new: &Option<T>, old: &Option<T>) -> bool {
            old.is_none() || new == old
        }
        let owner_ok = match (&old.owner, &self.owner) {
            (None, _) => true,
            (Some(o), Some(n)) => n.contains(o.as_str()),
            (Some(_), None) => false,
        };
        owner_ok
            && same(&self.provider, &old.provider)
            && same(&self.state, &old.state)
            && same(&self.action, &old.action)
            && same(&self.category, &old.category)
            && same(&self.schedule, &old.schedule)
            && old
                .text
                .iter()
                .all(|t| self.text.iter().any(|n| n.contains(t.as_str())))
    }

    /// Does a row pass the filter?
    pub fn matches(&self, r: &RouteRow) -> bool {
        if let Some(o) = &self.owner {
            if !contains_ci(&r.owner, o) && !contains_ci(&r.escalation_owner, o) {
                return false;
            }
        }
        if let Some(p) = &self.provider {
            if !r.provider.eq_ignore_ascii_case(p) {
                return false;
            }
        }
        if let Some(st) = self.state {
            let ok = match st {
                StateFilter::Outstanding => r.is_outstanding(),
                StateFilter::Breached => r.breached,
                StateFilter::Is(s) => r.state == s,
            };
            if !ok {
                return false;
            }
        }
        if self.action.is_some_and(|a| a != r.action) {
            return false;
        }
        if self
            .category
            .as_ref()
            .is_some_and(|c| !r.category.eq_ignore_ascii_case(c))
        {
            return false;
        }
        if self.schedule.as_ref().is_some_and(|s| *s != r.schedule_id) {
            return false;
        }
        self.text.iter().all(|t| {
            [
                r.schedule_id.as_str(),
                r.provider.as_str(),
                r.owner.as_str(),
                r.state.as_str(),
                r.recommended_action,
            ]
            .iter()
            .any(|field| contains_ci(field, t))
        })
    }
}

impl fmt::Display for RouteFilter {
    /// The canonical text of the filter (what the pane title shows).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        let mut push = |k: &str, v: &str| parts.push(format!("{k}:{}", quote(v)));
        if let Some(v) = &self.owner {
            push("owner", v);
        }
        if let Some(v) = &self.provider {
            push("provider", v);
        }
        if let Some(v) = self.state {
            push("state", v.as_str());
        }
        if let Some(v) = self.action {
            push("action", v.as_str());
        }
        if let Some(v) = &self.category {
            push("category", v);
        }
        if let Some(v) = &self.schedule {
            push("schedule", v);
        }
        for t in &self.text {
            parts.push(quote(t));
        }
        write!(f, "{}", parts.join(" "))
    }
}

fn quote(v: &str) -> String {
    if v.contains(char::is_whitespace) {
        format!("\"{v}\"")
    } else {
        v.to_string()
    }
}

/// Case-insensitive substring test against an already lower-cased needle; allocation-free for
/// ASCII (route fields almost always are), `to_lowercase` otherwise.
fn contains_ci(haystack: &str, needle_lower: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle_lower.as_bytes());
    if haystack.is_ascii() && needle_lower.is_ascii() {
        return n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    haystack.to_lowercase().contains(needle_lower)
}

pub(crate) fn tokenize(expr: &str) -> Result<Vec<String>, FilterError> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_quote = false;
    for c in expr.chars() {
        match c {
            '"' => in_quote = !in_quote,
            c if c.is_whitespace() && !in_quote => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if in_quote {
        return Err(FilterError::UnclosedQuote);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(owner: &str, provider: &str, state: RouteState, breached: bool) -> RouteRow {
        RouteRow {
            escalation_owner: "release-governance".into(),
            age_minutes: 10.0,
            breached,
            ..RouteRow::fixture("payments_api_monthly", provider, owner, state)
        }
    }

    #[test]
    fn owner_is_case_insensitive_substring_on_owner_or_escalation_owner() {
        let f = RouteFilter::parse("owner:PAY").unwrap();
        assert!(f.matches(&row(
            "payments-oncall",
            "slack",
            RouteState::Outstanding,
            false
        )));
        assert!(!f.matches(&row("identity", "slack", RouteState::Outstanding, false)));
        let f = RouteFilter::parse("owner:governance").unwrap();
        assert!(f.matches(&row("identity", "slack", RouteState::Outstanding, false)));
    }

    #[test]
    fn state_outstanding_includes_escalated_and_dismissed() {
        let f = RouteFilter::parse("state:outstanding").unwrap();
        assert!(f.matches(&row("a", "slack", RouteState::Escalated, true)));
        assert!(f.matches(&row("a", "slack", RouteState::Dismissed, false)));
        assert!(!f.matches(&row("a", "slack", RouteState::Resolved, false)));
        let f = RouteFilter::parse("state:breached").unwrap();
        assert!(f.matches(&row("a", "slack", RouteState::Escalated, true)));
        assert!(!f.matches(&row("a", "slack", RouteState::Outstanding, false)));
    }

    #[test]
    fn fields_combine_with_and_and_free_text_searches() {
        let f = RouteFilter::parse("provider:Slack state:escalated monthly").unwrap();
        assert!(f.matches(&row("a", "slack", RouteState::Escalated, true)));
        assert!(!f.matches(&row("a", "teams", RouteState::Escalated, true)));
        assert!(!RouteFilter::parse("weekly").unwrap().matches(&row(
            "a",
            "slack",
            RouteState::Outstanding,
            false
        )));
    }

    #[test]
    fn bad_expressions_are_refused_with_a_reason() {
        assert_eq!(
            RouteFilter::parse("colour:red"),
            Err(FilterError::UnknownField("colour".into()))
        );
        assert!(matches!(
            RouteFilter::parse("state:happy"),
            Err(FilterError::BadState(_))
        ));
        assert!(matches!(
            RouteFilter::parse("action:maybe"),
            Err(FilterError::BadAction(_))
        ));
        assert!(matches!(
            RouteFilter::parse("owner:"),
            Err(FilterError::EmptyValue { .. })
        ));
        assert_eq!(
            RouteFilter::parse("owner:\"a b"),
            Err(FilterError::UnclosedQuote)
        );
    }

    #[test]
    fn narrowing_is_recognised_only_when_it_is_a_subset() {
        let f = |s: &str| RouteFilter::parse(s).unwrap();
        assert!(f("owner:team-1").narrows(&f("owner:team-")));
        assert!(f("owner:team-1 s").narrows(&f("owner:team-1")));
        assert!(f("monthly").narrows(&f("month")));
        assert!(f("provider:slack state:breached").narrows(&f("provider:slack")));
        assert!(
            !f("provider:slack").narrows(&f("provider:s")),
            "equality fields are not monotone"
        );
        assert!(!f("owner:team").narrows(&f("owner:team-1")));
        assert!(
            !f("state:outstanding").narrows(&f("state")),
            "free text 'state' dropped"
        );
        assert!(f("x").narrows(&RouteFilter::default()));
    }

    #[test]
    fn display_round_trips() {
        let text = "owner:\"release gov\" provider:slack state:breached action:deliver category:deliver schedule:s1 foo";
        let f = RouteFilter::parse(text).unwrap();
        assert_eq!(f.to_string(), text);
        assert_eq!(RouteFilter::parse(&f.to_string()).unwrap(), f);
        assert!(RouteFilter::parse("  ").unwrap().is_empty());
    }

    #[test]
    fn a_field_given_twice_with_another_value_is_refused() {
        for expr in [
            "provider:itsm provider:slack",
            "schedule:nosuch schedule:data_pipeline_weekly",
            "owner:zzzz owner:payments",
            "state:breached state:outstanding",
        ] {
            assert!(
                matches!(
                    RouteFilter::parse(expr),
                    Err(FilterError::Contradicts { .. })
                ),
                "{expr}"
            );
        }
        assert!(RouteFilter::parse("provider:Slack provider:slack").is_ok());
    }
}
