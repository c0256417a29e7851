//! The notification history (CONTRACT §4.1): which records belong to it, the server's filters,
//! and the console's client-side filters (source, provider group, derived status).

use serde::Serialize;
use serde_json::Value;

use super::kinds;
use super::query::Page;
use super::record::{Record, kind, nested, source};

/// Is this record part of the drill-notification history family (CAVRA's allow-list of
/// kinds, and of sources for connector deliveries)?
pub fn in_family(r: &Record) -> bool {
    let k = r.kind();
    if k == kind::CONNECTOR_DELIVERY {
        return source::FAMILY.contains(&r.str("connector_delivery_source"));
    }
    kinds::allowed(k)
}

/// How many of the newest history records CAVRA's dashboard, escalation plan, retry plans,
/// worker health and archive health read (`filter_…_history(items, limit=500)`).
pub const WINDOW: usize = 500;

/// Puts records in the history's order: `created_at` descending (compared as strings), and
/// on equal `created_at` the store's order, ascending `session_id` (CAVRA sorts its store by
/// `session_id` and Python's sort is stable).
pub fn history_order(items: &mut [Record]) {
    items.sort_by(history_cmp);
}

/// [`window`] over borrowed records.
pub fn window_refs(records: &[Record]) -> Vec<&Record> {
    let mut items: Vec<&Record> = records.iter().filter(|r| in_family(r)).collect();
    items.sort_by(|a, b| history_cmp(a, b));
    items.truncate(WINDOW);
    items
}

/// The history's order as a comparison (see [`history_order`]).
pub fn history_cmp(a: &Record, b: &Record) -> std::cmp::Ordering {
    b.created_at()
        .cmp(a.created_at())
        .then_with(|| a.session_id().cmp(b.session_id()))
}

/// The records CAVRA's builders see: the family's history, newest first, at most [`WINDOW`].
pub fn window(records: impl IntoIterator<Item = Record>) -> Vec<Record> {
    let mut items: Vec<Record> = records.into_iter().filter(in_family).collect();
    history_order(&mut items);
    items.truncate(WINDOW);
    items
}

/// A history query: the endpoint's parameters (§4.1), which the server applies, and what the
/// console matches itself over every page the server returns ([`ConsoleMatch`]).
/// `Backend::history` applies only the server's part; `history_scan::page` applies both.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct HistoryQuery {
    pub schedule_id: Option<String>,
    pub provider: Option<String>,
    pub metadata_kind: Option<String>,
    pub acknowledgement_state: Option<String>,
    pub connector_delivery_source: Option<String>,
    pub delivery_success: Option<bool>,
    pub alert_level: Option<String>,
    pub audit_id: Option<String>,
    pub delivery_id: Option<String>,
    pub cadence: Option<String>,
    /// Matched by the console, never sent.
    #[serde(skip)]
    pub console: ConsoleMatch,
}

/// What the console matches itself because CAVRA's history has no parameter for it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConsoleMatch {
    /// A provider group or a case-insensitive provider: a record matches when it names one of
    /// these (compared case-insensitively).
    pub providers: Option<(String, Vec<String>)>,
    /// A kind word naming several metadata kinds (e.g. `worker-health`).
    pub kinds: Option<(String, Vec<String>)>,
    /// The status the History pane derives (e.g. `outstanding`), as the web console does.
    pub status: Option<String>,
}

impl ConsoleMatch {
    pub fn is_empty(&self) -> bool {
        *self == ConsoleMatch::default()
    }

    pub fn matches(&self, r: &Record) -> bool {
        if let Some((_, group)) = &self.providers {
            if !record_providers(r)
                .iter()
                .any(|p| group.iter().any(|g| g.eq_ignore_ascii_case(p)))
            {
                return false;
            }
        }
        if let Some((_, kinds)) = &self.kinds {
            if !kinds.iter().any(|k| k == r.kind()) {
                return false;
            }
        }
        self.status.as_ref().is_none_or(|s| record_status(r) == *s)
    }
}

impl HistoryQuery {
    /// The same query without the console's part: what is sent.
    pub fn server_part(&self) -> HistoryQuery {
        HistoryQuery {
            console: ConsoleMatch::default(),
            ..self.clone()
        }
    }

    /// The server's filter rules (`filter_go_rollback_drill_notification_history`).
    pub fn matches(&self, r: &Record) -> bool {
        let eq = |want: &Option<String>, got: &str| {
            want.as_ref().is_none_or(|w| w.is_empty() || w == got)
        };
        if let Some(s) = self.schedule_id.as_ref().filter(|s| !s.is_empty()) {
            let plan_schedule = r
                .object("plan")
                .and_then(|p| p.get("schedule_id"))
                .and_then(Value::as_str);
            if r.str("schedule_id") != s
                && r.str("event_id") != s
                && plan_schedule != Some(s.as_str())
            {
                return false;
            }
        }
        if let Some(p) = self.provider.as_ref().filter(|p| !p.is_empty()) {
            if !record_providers(r).iter().any(|x| x == p) {
                return false;
            }
        }
        if !eq(&self.metadata_kind, r.kind()) || !eq(&self.alert_level, r.str("alert_level")) {
            return false;
        }
        if let Some(st) = self
            .acknowledgement_state
            .as_ref()
            .filter(|s| !s.is_empty())
        {
            if r.str("acknowledgement_state") != st.trim().to_lowercase().replace('-', "_") {
                return false;
            }
        }
        if let Some(src) = self
            .connector_delivery_source
            .as_ref()
            .filter(|s| !s.is_empty())
        {
            if !source_matches(src, r) {
                return false;
            }
        }
        if let Some(ok) = self.delivery_success {
            if r.kind() != kind::CONNECTOR_DELIVERY || r.truthy("delivery_success") != ok {
                return false;
            }
        }
        if let Some(a) = self.audit_id.as_ref().filter(|s| !s.is_empty()) {
            let nested = r
                .object(nested::AUDIT_DELIVERY_PLAN)
                .and_then(|p| p.get("audit_id"))
                .and_then(Value::as_str);
            if r.str("audit_id") != a && nested != Some(a.as_str()) {
                return false;
            }
        }
        if let Some(d) = self.delivery_id.as_ref().filter(|s| !s.is_empty()) {
            if r.str("delivery_id") != d && r.str("event_id") != d && r.session_id() != d {
                return false;
            }
        }
        if let Some(c) = self.cadence.as_ref().filter(|s| !s.is_empty()) {
            if record_cadence(r) != c {
                return false;
            }
        }
        true
    }
}

fn source_matches(src: &str, r: &Record) -> bool {
    // Any record carrying the source matches; the ack-audit and auditor-export sources also
    // match their families' record kinds (CAVRA's two special cases).
    r.str("connector_delivery_source") == src || kinds::source_also_matches(src, r.kind())
}

fn record_cadence(r: &Record) -> &str {
    if let Some(c) = r
        .object(nested::AUDIT_DELIVERY_PLAN)
        .and_then(|p| p.get("cadence"))
        .and_then(Value::as_str)
    {
        return c;
    }
    r.object(nested::WORKER_RUN)
        .and_then(|w| w.get("schedule"))
        .and_then(|s| s.get("cadence"))
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// Every provider a record names (its own, selected, delivered, failed, or its package's routes).
pub fn record_providers(r: &Record) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if !r.str("provider").is_empty() {
        out.push(r.str("provider").to_string());
    }
    for key in ["selected_providers", "providers", "failed_providers"] {
        out.extend(r.strs(key).into_iter().map(str::to_string));
    }
    if let Some(routes) = r
        .object(nested::AUDIT_PACKAGE)
        .and_then(|p| p.get("routes"))
        .and_then(Value::as_array)
    {
        out.extend(
            routes
                .iter()
                .filter_map(|x| x.get("provider"))
                .filter_map(Value::as_str)
                .map(str::to_string),
        );
    }
    out.sort();
    out.dedup();
    out
}

/// The status a history row shows (as the web console derives it).
pub fn record_status(r: &Record) -> String {
    if !r.str("acknowledgement_state").is_empty() {
        return r.str("acknowledgement_state").to_string();
    }
    if r.kind() == kind::CONNECTOR_DELIVERY {
        // Only a boolean `true` is a delivery; a string such as "false" is not (a failure
        // never reads as a success), and anything but a boolean is unknown.
        return match r.0.get("delivery_success") {
            Some(Value::Bool(true)) => "delivered",
            Some(Value::Bool(false)) => "delivery_failed",
            _ => "delivery_unknown",
        }
        .into();
    }
    if r.0
        .get("outstanding_count")
        .and_then(Value::as_u64)
        .unwrap_or(0)
        > 0
    {
        return "outstanding".into();
    }
    r.str("alert_level").to_string()
}

/// The kind column: the metadata kind without the family prefix.
pub fn short_kind(r: &Record) -> String {
    if r.kind() == kind::CONNECTOR_DELIVERY {
        return "connector-delivery".into();
    }
    r.kind()
        .strip_prefix(kind::PREFIX)
        .unwrap_or(r.kind())
        .to_string()
}

/// The schedule column.
pub fn record_schedule(r: &Record) -> String {
    if !r.str("schedule_id").is_empty() {
        return r.str("schedule_id").to_string();
    }
    if r.str("connector_delivery_source") == source::NOTIFICATION {
        return r.str("event_id").to_string();
    }
    String::new()
}

/// Puts history in the server's order and returns one page plus the total.
pub fn page(mut items: Vec<Record>, page: Page) -> (Vec<Record>, usize) {
    history_order(&mut items);
    page.of(items)
}

#[cfg(test)]
#[path = "history_tests.rs"]
mod tests;
