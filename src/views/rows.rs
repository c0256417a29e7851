//! Table rows of the history, retry decisions, alerts and archive alerts, as strings.

use serde_json::{Map, Value};

use crate::domain::Record;
use crate::domain::history::{record_providers, record_schedule, record_status, short_kind};
use crate::domain::route::{Flaw, RouteRow};
use crate::domain::time;

/// History columns as the web console: ID, kind, providers, status, schedule, created.
pub const HISTORY_HEADER: [&str; 6] = ["ID", "KIND", "PROVIDERS", "STATUS", "SCHEDULE", "CREATED"];

/// The history rows of a page's `items`.
pub fn history_rows(items: Option<&Value>) -> Vec<Vec<String>> {
    items
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .map(|o| history_row(&Record(o.clone())).to_vec())
        .collect()
}

pub fn history_row(r: &Record) -> [String; 6] {
    [
        r.session_id().to_string(),
        short_kind(r),
        record_providers(r).join(","),
        record_status(r),
        record_schedule(r),
        time::short(r.created_at()),
    ]
}

fn s(o: &Map<String, Value>, k: &str) -> String {
    match o.get(k) {
        Some(Value::String(v)) => v.clone(),
        Some(Value::Null) | None => String::new(),
        Some(v) => v.to_string(),
    }
}

/// Retry decision columns.
pub const DECISION_HEADER: [&str; 7] = [
    "ACTION",
    "PROVIDER",
    "TARGET",
    "RETRIES",
    "NEXT RETRY",
    "CODES",
    "REASON",
];

pub fn decision_row(d: &Map<String, Value>) -> [String; 7] {
    let target = ["delivery_id", "export_id"]
        .iter()
        .map(|k| s(d, k))
        .find(|v| !v.is_empty())
        .unwrap_or_default();
    let codes: Vec<String> = d
        .get("failed_status_codes")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|c| c.to_string()).collect())
        .unwrap_or_default();
    let glyph = match s(d, "action").as_str() {
        "retry" => "↻ retry",
        "wait" => "… wait",
        "suppress" => "✗ suppress",
        _ => "?",
    };
    [
        glyph.to_string(),
        s(d, "provider"),
        target,
        format!("{}/{}", s(d, "retry_count"), s(d, "max_retry_attempts")),
        time::short(&s(d, "next_retry_at")),
        codes.join(","),
        s(d, "reason"),
    ]
}

/// The decisions of a plan object.
pub fn decisions(plan: &Map<String, Value>) -> Vec<Map<String, Value>> {
    plan.get("retry_decisions")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_object).cloned().collect())
        .unwrap_or_default()
}

/// An `alerts[]` entry as `severity category/id: message`.
pub fn alert_line(a: &Value) -> (String, String) {
    let sev = a
        .get("severity")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let cat = a
        .get("category")
        .or_else(|| a.get("alert_id"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let msg = a.get("message").and_then(Value::as_str).unwrap_or("");
    let target = a
        .get("export_id")
        .and_then(Value::as_str)
        .map(|e| format!(" [{e}]"))
        .unwrap_or_default();
    (sev, format!("{cat}: {msg}{target}"))
}

/// Formats age / SLO as the web console does: `70m / 60m`. A row whose data could not be read
/// says so instead of showing a made-up figure: `? / 60m` (no usable date), `>10y / 60m`
/// (clamped), `70m / 60m?` (unusable SLO, the default used).
pub fn age_slo(r: &RouteRow) -> String {
    let age = if r.age_unknown() {
        "?".to_string()
    } else if r
        .flaws
        .iter()
        .any(|f| matches!(f, Flaw::ImplausibleDate(_)))
    {
        ">10y".to_string()
    } else {
        format!("{}m", r.age_minutes.floor() as i64)
    };
    let slo_mark = if r.flaws.iter().any(|f| matches!(f, Flaw::InvalidSlo(_))) {
        "?"
    } else {
        ""
    };
    format!("{age} / {}m{slo_mark}", r.acknowledgement_minutes)
}

/// The short mark of a flawed row's date for a narrow cell: `invalid`, `future`, `old`, or `""`.
pub fn flaw_mark(r: &RouteRow) -> &'static str {
    let date = r.flaws.iter().find(|f| f.is_date());
    match date {
        Some(Flaw::InvalidDate(_)) => "invalid",
        Some(Flaw::FutureDate(_)) => "future",
        Some(Flaw::ImplausibleDate(_)) => "old",
        _ => "",
    }
}

/// The notice for rows whose records could not be read, e.g. `2 of 45 routes come from records
/// that could not be read as CAVRA writes them (marked; an unknown age counts as breached)`.
pub fn flaw_notice(rows: &[RouteRow]) -> Option<String> {
    let n = rows.iter().filter(|r| !r.flaws.is_empty()).count();
    (n > 0).then(|| {
        format!(
            "{n} of {} routes come from records that could not be read as CAVRA writes them (marked; an unknown age counts as breached)",
            rows.len()
        )
    })
}
