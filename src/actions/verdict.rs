//! What an action's answer says about what happened: whether it shows the record the action
//! writes, which connector deliveries failed (and with what status), which the console cannot
//! tell (a delivery result or an execution status it cannot read, a delivering answer without
//! its delivery part, an execution status its delivery contradicts), which destinations the
//! server has not configured, and whether the delivery was simulated (sample mode only). A
//! failed delivery is never reported as a success, and an unknown outcome is reported as neither.

use serde_json::{Map, Value};

pub use super::expected::{Delivers, Expected};
use crate::backend::Json;
use crate::domain::answer::Success;
use crate::domain::retry::normalise;

/// What a report says when the server answered `success: false` to an action that sends
/// nothing.
const REFUSED: &str = "the server reports `success: false` (this action sends nothing): check the history for the record";

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
    /// The server answered `success: false` for an action that sends nothing (what it says
    /// failed is not a delivery).
    pub refused: bool,
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
        let said = crate::domain::answer::success(out);
        let said_failed = said == Success::Said(false);
        if let Success::Unreadable(odd) = &said {
            v.unknown.push(format!(
                "the answer's `success` is {odd}, which is not true or false"
            ));
        }
        let delivering = expected.delivers == Delivers::Delivery && !said_failed;
        v.deliveries(out, delivering);
        v.executions(out, expected.delivers == Delivers::Executions);
        if said_failed && expected.delivers == Delivers::Nothing && expected.record.is_some() {
            v.refused = true;
        } else if said_failed && v.failed.is_empty() {
            v.failed.push(
                match out.get("delivery").and_then(|d| d.get("deliveries")) {
                    Some(Value::Array(_)) => "the server reports the delivery failed".into(),
                    _ => "the server reports `success: false` (the answer does not show which \
                      delivery failed)"
                        .into(),
                },
            );
        }
        // A delivery plan for another audit package than the one the answer shows.
        let audit = |o: &str| out.get(o).map(|p| field(p, "audit_id")).unwrap_or_default();
        let (package, planned) = (audit("audit_package"), audit("delivery_plan"));
        if !package.is_empty() && !planned.is_empty() && package != planned {
            v.unknown.push(format!(
                "the delivery plan is for audit {planned}, not the package {package} the answer shows"
            ));
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
                for item in list {
                    // A result for a provider the plan did not select is not its delivery.
                    let p = normalise(&field(item, "provider"));
                    match &selected {
                        Some(sel) if !sel.contains(&p) => self.unknown.push(format!(
                            "{p}: a delivery result for a provider the plan did not select"
                        )),
                        _ => self.delivery(item),
                    }
                }
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

    /// Did the answer show the record, and every delivery that was attempted succeed, to
    /// destinations the server knows? An outcome the console cannot confirm is not a success.
    pub fn ok(&self) -> bool {
        self.failed.is_empty()
            && !self.outcome_unknown()
            && self.unconfigured.is_empty()
            && !self.refused
    }

    /// Is the outcome of some delivery, or the record itself, unknown (check the history
    /// before trying again)?
    pub fn outcome_unknown(&self) -> bool {
        !self.unknown.is_empty() || self.unshown.is_some()
    }

    /// Does the answer stand for a stored record ("recorded"), or only for an answer
    /// ("answered": the record is not shown, or the server says it failed)?
    pub fn recorded(&self) -> bool {
        self.unshown.is_none() && !self.refused
    }

    /// The words a report's title adds (after "recorded", or "answered" when the record is not
    /// shown; `None` when all is well).
    pub fn heading(&self) -> Option<String> {
        let failed = !self.failed.is_empty() || !self.unconfigured.is_empty();
        let mut words = Vec::new();
        if self.unshown.is_some() {
            words.push("RECORD NOT SHOWN");
        }
        if self.refused {
            words.push("SERVER REPORTS FAILURE");
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
        if self.refused {
            parts.push(REFUSED.to_string());
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
        out.extend(self.refused.then(|| format!("  ✗ {REFUSED}")));
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

#[path = "verdict_runs.rs"]
mod runs;

#[cfg(test)]
#[path = "verdict_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "verdict_runs_tests.rs"]
mod runs_tests;
