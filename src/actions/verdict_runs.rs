//! A worker run's answer read for the verdict: which selected retries went out, each by its
//! execution record (delivered, failed or skipped as CAVRA counts), and which the console
//! cannot tell (no readable record, a status not CAVRA's, one its delivery contradicts, or a
//! record for another provider than its decision).

use serde_json::Value;

use super::{Verdict, field, text};
use crate::backend::Json;
use crate::domain::retry::normalise;

impl Verdict {
    /// A worker run's results (`retry_results[]`). A live run (`live`) must answer with them,
    /// as many as its summary says it selected (none is fine when it selected none), each
    /// with a readable execution record; otherwise which retries went out is unknown.
    pub(super) fn executions(&mut self, out: &Json, live: bool) {
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
        // A record that names another provider than the decision it answers is not that
        // decision's outcome.
        let decided = r.get("decision").map(|d| normalise(&field(d, "provider")));
        let named = normalise(&text(e.get("provider").unwrap_or(&Value::Null)));
        let other = decided.filter(|d| !d.is_empty() && *d != named);
        let answers_other = other
            .as_ref()
            .map(|d| format!("but it answers the decision for {d}"));
        let contradiction = match known {
            _ if answers_other.is_some() => answers_other.as_deref(),
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
}
