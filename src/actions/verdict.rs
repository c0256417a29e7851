//! What an action's answer says about what happened: whether it shows the record the action
//! writes, which connector deliveries failed (and with what status), which the console cannot
//! tell (a delivery result or an execution status it cannot read, a delivering answer without
//! its delivery part, an execution status its delivery contradicts), which destinations the
//! server has not configured, and whether the delivery was simulated (sample mode only). A
//! failed delivery is never reported as a success, and an unknown outcome is reported as neither.

use serde_json::{Map, Value};

pub use super::expected::{Delivers, Expected};
use crate::backend::Json;
use crate::domain::retry::normalise;

/// The connector side of an action's answer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Verdict {
    /// `provider: status N (error)` for each delivery that succeeded.
    pub delivered: Vec<String>,
    /// The same for each delivery that failed.
    pub failed: Vec<String>,
    /// Deliveries whose outcome the answer does not say (a delivery's `success` that is missing
    /// or not a boolean; an execution status that is missing, not text, not one CAVRA reports
    /// or contradicted by its delivery; a delivering answer without its delivery part): not
    /// known to be delivered, nor to have failed.
    pub unknown: Vec<String>,
    /// What the answer lacks of the record the action writes (`None`: it shows it).
    pub unshown: Option<String>,
    /// Destinations asked for that the server has no connector for.
    pub unconfigured: Vec<String>,
    /// The delivery says it was simulated (sample mode).
    pub simulated: bool,
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn field(v: &Value, k: &str) -> String {
    text(v.get(k).unwrap_or(&Value::Null))
}

fn names(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a.iter().map(text).map(|s| normalise(&s)).collect(),
        Some(Value::String(s)) => s
            .split(',')
            .map(normalise)
            .filter(|s| !s.is_empty())
            .collect(),
        _ => Vec::new(),
    }
}

/// The plan an answer carries (`delivery_plan`, else `plan`).
fn plan(out: &Json) -> Option<&Map<String, Value>> {
    out.get("delivery_plan")
        .or_else(|| out.get("plan"))
        .and_then(Value::as_object)
}

impl Verdict {
    /// Reads an action's answer (any shape: fields that are missing count as absent), with no
    /// part required.
    pub fn of(out: &Json) -> Verdict {
        Verdict::answer(out, Expected::default())
    }

    /// Reads an action's answer; a part `expected` requires that is missing or unreadable makes
    /// the outcome unknown, and a top-level `success: false` is a failure.
    pub fn answer(out: &Json, expected: Expected) -> Verdict {
        let mut v = Verdict::default();
        if let Some((object, id)) = expected.record {
            let shown = out.get(object).map(|o| field(o, id)).unwrap_or_default();
            if shown.is_empty() {
                v.unshown = Some(format!("no `{object}` with its `{id}`"));
            }
        }
        let said_failed = out.get("success").and_then(Value::as_bool) == Some(false);
        let delivering = expected.delivers == Delivers::Delivery && !said_failed;
        v.deliveries(out, delivering);
        v.executions(out, expected.delivers == Delivers::Executions);
        if said_failed && v.failed.is_empty() {
            v.failed.push(
                match out.get("delivery").and_then(|d| d.get("deliveries")) {
                    Some(Value::Array(_)) => "the server reports the delivery failed".into(),
                    _ => "the server reports `success: false` (the answer does not show which \
                      delivery failed)"
                        .into(),
                },
            );
        }
        // The plan says which destinations were asked for and which the server could serve.
        if let Some(p) = plan(out) {
            let requested = names(
                p.get("requested_providers")
                    .or_else(|| p.get("requested_provider")),
            );
            let served = names(
                p.get("eligible_providers")
                    .or_else(|| p.get("selected_providers")),
            );
            let has_served =
                p.contains_key("eligible_providers") || p.contains_key("selected_providers");
            if has_served && !requested.iter().any(|r| r == "all") {
                v.unconfigured = requested
                    .into_iter()
                    .filter(|r| !served.contains(r))
                    .collect();
            }
        }
        v
    }

    /// A plain delivery answer's `delivery`. When the answer must say how the delivery went
    /// (`required`), a missing or unreadable `delivery`, a `null` one while the plan selected
    /// providers (or does not say it selected none), a `delivery` without its `deliveries`
    /// list, and a selected provider without an entry there are unknown.
    fn deliveries(&mut self, out: &Json, required: bool) {
        let selected = plan(out)
            .and_then(|p| p.get("selected_providers"))
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|p| normalise(&text(p))).collect::<Vec<_>>());
        let missing = match out.get("delivery") {
            Some(d @ Value::Object(_)) => {
                self.simulated = d.get("simulated").and_then(Value::as_bool).unwrap_or(false);
                let Some(list) = d.get("deliveries").and_then(Value::as_array) else {
                    if required {
                        self.unknown
                            .push("the answer's `delivery` has no `deliveries` list".into());
                    }
                    return;
                };
                list.iter().for_each(|item| self.delivery(item));
                for p in selected.iter().flatten().filter(|_| required) {
                    if !list.iter().any(|i| normalise(&field(i, "provider")) == *p) {
                        self.unknown
                            .push(format!("{p}: no delivery result in the answer"));
                    }
                }
                return;
            }
            Some(Value::Null) if selected.as_ref().is_some_and(Vec::is_empty) => return,
            Some(Value::Null) => "`delivery` is null, and no plan shows that none was selected",
            None => "it has no `delivery`",
            Some(_) => "its `delivery` is not an object",
        };
        if required {
            self.unknown.push(format!(
                "the answer does not say how the delivery went: {missing}"
            ));
        }
    }

    /// One delivery of a plain delivery answer (`delivery.deliveries[]`): `success` true is
    /// delivered, false is failed; missing, null or not a boolean is unknown (the answer does
    /// not say whether it went out).
    fn delivery(&mut self, item: &Value) {
        let (provider, code) = (field(item, "provider"), field(item, "status_code"));
        let err = match field(item, "error") {
            e if e.is_empty() => e,
            e => format!(" ({e})"),
        };
        match item.get("success") {
            Some(Value::Bool(true)) => self.delivered.push(format!("{provider}: status {code}")),
            Some(Value::Bool(false)) => self.failed.push(format!("{provider}: status {code}{err}")),
            other => {
                let said = match other {
                    None | Some(Value::Null) => "delivery result missing".to_string(),
                    Some(v) => format!("delivery result {v} is not true or false"),
                };
                let status = match item.get("status_code") {
                    None | Some(Value::Null) => String::new(),
                    Some(c) => format!(" (status {})", text(c)),
                };
                self.unknown
                    .push(format!("{provider}: {said}{status}{err}"));
            }
        }
    }

    /// A worker run's results (`retry_results[]`). A live run (`live`) must answer with them,
    /// as many as its summary says it selected (none is fine when it selected none), each
    /// with a readable execution record; otherwise which retries went out is unknown.
    fn executions(&mut self, out: &Json, live: bool) {
        let results = match out.get("retry_results") {
            Some(Value::Array(a)) => a,
            other => {
                if live {
                    self.unknown.push(format!(
                        "the answer does not say which retries went out: {}",
                        match other {
                            None => "it has no `retry_results`",
                            Some(_) => "its `retry_results` is not a list",
                        }
                    ));
                }
                return;
            }
        };
        let summary = out.get("run").and_then(|r| r.get("summary"));
        let selected = summary
            .and_then(|s| s.get("selected_retry_count"))
            .and_then(Value::as_u64);
        if let Some(n) = selected.filter(|n| live && *n != results.len() as u64) {
            self.unknown.push(format!(
                "the run selected {n} retries, but the answer shows {} results",
                results.len()
            ));
        }
        for r in results {
            self.execution(r, live);
        }
    }

    /// One result's execution record: `delivered` is a success; `failed` and `skipped` (with
    /// the reason) are failures, as CAVRA counts; any other status (missing, not text, another
    /// word) is unknown (CONTRACT §3.5), and so is a status its delivery contradicts (delivered
    /// next to a failed delivery, failed next to one that succeeded).
    fn execution(&mut self, r: &Value, live: bool) {
        let delivery = r.get("delivery").filter(|d| d.is_object());
        let get = |k: &str| delivery.and_then(|d| d.get(k));
        if get("simulated").and_then(Value::as_bool) == Some(true) {
            self.simulated = true;
        }
        let deliveries = get("deliveries").and_then(Value::as_array);
        let code = match deliveries
            .and_then(|a| a.first())
            .map(|d| field(d, "status_code"))
        {
            Some(c) if !c.is_empty() => format!(" (status {c})"),
            _ => String::new(),
        };
        let Some(e) = r.get("execution_record").and_then(Value::as_object) else {
            if live {
                let provider = r.get("decision").map(|d| field(d, "provider"));
                let provider = provider.unwrap_or_default();
                self.unknown
                    .push(format!("{provider}: no readable execution record{code}"));
            }
            return;
        };
        let status = e.get("execution_status").unwrap_or(&Value::Null);
        let known = status
            .as_str()
            .filter(|s| ["delivered", "failed", "skipped"].contains(s));
        let entries = || deliveries.into_iter().flatten();
        // What the delivery says: each entry's `success`, the result's, the record's own.
        let said: Vec<bool> = (entries().map(|d| d.get("success")))
            .chain([get("success"), e.get("delivery_success")])
            .filter_map(|v| v.and_then(Value::as_bool))
            .collect();
        let not_boolean = |v: Option<&Value>| v.is_some_and(|v| !v.is_boolean());
        let failed = said.contains(&false)
            || entries()
                .filter_map(|d| d.get("status_code").and_then(Value::as_u64))
                .any(|c| !(200..300).contains(&c));
        // A delivery that failed, says its success in a way that is not a boolean, or shows no
        // delivery at all does not confirm a delivered execution.
        let unconfirmed = entries().any(|d| not_boolean(d.get("success")))
            || not_boolean(get("success"))
            || (delivery.is_some() && entries().next().is_none());
        let contradiction = match known {
            Some("delivered") if failed => Some("but its delivery failed"),
            Some("delivered") if unconfirmed => Some("but its delivery does not confirm it"),
            Some("failed") if !said.is_empty() && !failed => Some("but its delivery succeeded"),
            _ => None,
        };
        let said = match (known, status, contradiction) {
            (Some(s), _, Some(but)) => format!("execution {s}, {but}"),
            (Some(s), _, None) => format!("execution {s}"),
            (None, Value::Null, _) => "execution status missing".into(),
            (None, Value::String(s), _) => {
                format!("execution status {s:?} is not one CAVRA reports")
            }
            (None, other, _) => format!("execution status {other} is not text"),
        };
        let mut line = format!(
            "{}: {said}{code}",
            text(e.get("provider").unwrap_or(&Value::Null))
        );
        let skipped = text(e.get("skipped").unwrap_or(&Value::Null));
        if !skipped.is_empty() {
            line.push_str(&format!(" ({skipped})"));
        }
        match known {
            _ if contradiction.is_some() => self.unknown.push(line),
            Some("delivered") => self.delivered.push(line),
            Some(_) => self.failed.push(line),
            None => self.unknown.push(line),
        }
    }

    /// Did the answer show the record, and every delivery that was attempted succeed, to
    /// destinations the server knows? An outcome the console cannot confirm is not a success.
    pub fn ok(&self) -> bool {
        self.failed.is_empty() && !self.outcome_unknown() && self.unconfigured.is_empty()
    }

    /// Is the outcome of some delivery, or the record itself, unknown (check the history
    /// before trying again)?
    pub fn outcome_unknown(&self) -> bool {
        !self.unknown.is_empty() || self.unshown.is_some()
    }

    /// The words a report's title adds (after "recorded", or "answered" when the record is not
    /// shown; `None` when all is well).
    pub fn heading(&self) -> Option<String> {
        let failed = !self.failed.is_empty() || !self.unconfigured.is_empty();
        let mut words = Vec::new();
        if self.unshown.is_some() {
            words.push("RECORD NOT SHOWN");
        }
        if failed {
            words.push("DELIVERY FAILED");
        }
        if self.outcome_unknown() {
            words.push(if words.is_empty() {
                "DELIVERY OUTCOME UNKNOWN"
            } else {
                "OUTCOME UNKNOWN"
            });
        }
        (!words.is_empty()).then(|| words.join(" · "))
    }

    /// One line for a notice: what is not shown, failed or unknown, or nothing when all is well.
    pub fn problem(&self) -> Option<String> {
        let mut parts = Vec::new();
        if let Some(u) = &self.unshown {
            parts.push(format!("the answer did not show the record ({u})"));
        }
        if !self.failed.is_empty() {
            parts.push(format!("delivery FAILED: {}", self.failed.join("; ")));
        }
        if !self.unknown.is_empty() {
            parts.push(format!(
                "delivery outcome unknown: {}",
                self.unknown.join("; ")
            ));
        }
        if !self.unconfigured.is_empty() {
            parts.push(format!(
                "not configured on the server: {}",
                self.unconfigured.join(", ")
            ));
        }
        let mut line = parts.join(" · ");
        if self.outcome_unknown() {
            line.push_str(" — check the History pane or `cavra-tui history` before trying again");
        }
        (!parts.is_empty()).then_some(line)
    }

    /// Lines for a report: a record the answer did not show, and each delivery with ✓, ✗ or ?
    /// (unknown), "(simulated)" only when it was.
    pub fn lines(&self) -> Vec<String> {
        let tag = if self.simulated { " (simulated)" } else { "" };
        let mut out: Vec<String> = (self.unshown.iter())
            .map(|u| format!("  ? the answer did not show the record ({u})"))
            .collect();
        out.extend(self.delivered.iter().map(|d| format!("  ✓ {d}{tag}")));
        out.extend(self.failed.iter().map(|d| format!("  ✗ {d}{tag}")));
        out.extend(self.unknown.iter().map(|d| format!("  ? {d}{tag}")));
        out.extend(
            self.unconfigured
                .iter()
                .map(|p| format!("  ✗ {p}: no connector configured on the server")),
        );
        out
    }
}

#[cfg(test)]
#[path = "verdict_tests.rs"]
mod tests;
