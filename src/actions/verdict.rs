//! What an action's answer says about its connector deliveries: which providers failed (and
//! with what status), which the console cannot tell (a delivery result or an execution status
//! it cannot read), which destinations the server has not configured, and whether the delivery was simulated
//! (sample mode only). A failed delivery is never reported as a success, and an unknown
//! outcome is reported as neither.

use serde_json::Value;

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
    /// or not a boolean; an execution status that is missing, not text, or not one CAVRA
    /// reports): not known to be delivered, nor to have failed.
    pub unknown: Vec<String>,
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

impl Verdict {
    /// Reads an action's answer (any shape: fields that are missing count as absent).
    pub fn of(out: &Json) -> Verdict {
        let mut v = Verdict::default();
        let delivery = out.get("delivery").filter(|d| d.is_object());
        if let Some(d) = delivery {
            v.simulated = d.get("simulated").and_then(Value::as_bool).unwrap_or(false);
            for item in d
                .get("deliveries")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                v.delivery(item);
            }
            let overall = out.get("success").and_then(Value::as_bool);
            if overall == Some(false) && v.failed.is_empty() {
                v.failed
                    .push("the server reports the delivery failed".into());
            }
        }
        v.executions(out);
        // The plan says which destinations were asked for and which the server could serve.
        let plan = out
            .get("delivery_plan")
            .or_else(|| out.get("plan"))
            .and_then(Value::as_object);
        if let Some(p) = plan {
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

    /// One delivery of a plain delivery answer (`delivery.deliveries[]`): `success` true is
    /// delivered, false is failed; missing, null or not a boolean is unknown (the answer does
    /// not say whether it went out).
    fn delivery(&mut self, item: &Value) {
        let provider = text(item.get("provider").unwrap_or(&Value::Null));
        let code = text(item.get("status_code").unwrap_or(&Value::Null));
        let err = text(item.get("error").unwrap_or(&Value::Null));
        let err = if err.is_empty() {
            String::new()
        } else {
            format!(" ({err})")
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

    /// A worker run's execution records (`retry_results[].execution_record`): `delivered`
    /// is a success; `failed` and `skipped` (with the reason) are failures, as CAVRA counts;
    /// any other status (missing, not text, another word) is unknown (CONTRACT §3.5).
    fn executions(&mut self, out: &Json) {
        for r in out
            .get("retry_results")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(e) = r.get("execution_record").and_then(Value::as_object) else {
                continue;
            };
            let delivery = r.get("delivery").filter(|d| d.is_object());
            if delivery
                .and_then(|d| d.get("simulated"))
                .and_then(Value::as_bool)
                == Some(true)
            {
                self.simulated = true;
            }
            let status = e.get("execution_status").unwrap_or(&Value::Null);
            let known = status
                .as_str()
                .filter(|s| ["delivered", "failed", "skipped"].contains(s));
            let said = match (known, status) {
                (Some(s), _) => format!("execution {s}"),
                (None, Value::Null) => "execution status missing".into(),
                (None, Value::String(s)) => {
                    format!("execution status {s:?} is not one CAVRA reports")
                }
                (None, other) => format!("execution status {other} is not text"),
            };
            let mut line = format!(
                "{}: {said}",
                text(e.get("provider").unwrap_or(&Value::Null))
            );
            let code = delivery
                .and_then(|d| d.get("deliveries"))
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .and_then(|d| d.get("status_code"));
            if let Some(c) = code {
                line.push_str(&format!(" (status {})", text(c)));
            }
            let skipped = text(e.get("skipped").unwrap_or(&Value::Null));
            if !skipped.is_empty() {
                line.push_str(&format!(" ({skipped})"));
            }
            match known {
                Some("delivered") => self.delivered.push(line),
                Some(_) => self.failed.push(line),
                None => self.unknown.push(line),
            }
        }
    }

    /// Did every delivery that was attempted succeed, to destinations the server knows? An
    /// outcome the console cannot confirm is not a success.
    pub fn ok(&self) -> bool {
        self.failed.is_empty() && self.unknown.is_empty() && self.unconfigured.is_empty()
    }

    /// Is the outcome of some delivery unknown (check the history before trying again)?
    pub fn outcome_unknown(&self) -> bool {
        !self.unknown.is_empty()
    }

    /// The words a report's title adds after "recorded" (`None` when all is well).
    pub fn heading(&self) -> Option<&'static str> {
        let failed = !self.failed.is_empty() || !self.unconfigured.is_empty();
        match (failed, self.outcome_unknown()) {
            (false, false) => None,
            (true, false) => Some("DELIVERY FAILED"),
            (false, true) => Some("DELIVERY OUTCOME UNKNOWN"),
            (true, true) => Some("DELIVERY FAILED · OUTCOME UNKNOWN"),
        }
    }

    /// One line for a notice: what failed or is unknown, or nothing when all is well.
    pub fn problem(&self) -> Option<String> {
        let mut parts = Vec::new();
        if !self.failed.is_empty() {
            parts.push(format!("delivery FAILED: {}", self.failed.join("; ")));
        }
        if !self.unknown.is_empty() {
            parts.push(format!(
                "delivery outcome unknown: {} — check the History pane or `cavra-tui history` \
                 before trying again",
                self.unknown.join("; ")
            ));
        }
        if !self.unconfigured.is_empty() {
            parts.push(format!(
                "not configured on the server: {}",
                self.unconfigured.join(", ")
            ));
        }
        (!parts.is_empty()).then(|| parts.join(" · "))
    }

    /// Lines for a report: each delivery with ✓, ✗ or ? (unknown), "(simulated)" only when it
    /// was.
    pub fn lines(&self) -> Vec<String> {
        let tag = if self.simulated { " (simulated)" } else { "" };
        let mut out: Vec<String> = self
            .delivered
            .iter()
            .map(|d| format!("  ✓ {d}{tag}"))
            .collect();
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
