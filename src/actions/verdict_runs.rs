//! A worker run's answer read for the verdict: which selected retries went out, each by its
//! execution record (delivered, failed or skipped as CAVRA counts), and which the console
//! cannot tell (no readable record, a status not CAVRA's, one its delivery contradicts, or a
//! record for another provider than its decision).

use serde_json::{Map, Value};

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
        let run = out.get("run");
        let chosen = run
            .and_then(|r| r.get("selected_retries"))
            .and_then(Value::as_array);
        // How many the run selected: its summary's count, else its list of selected retries.
        let selected = (run.and_then(|r| r.get("summary")))
            .and_then(|s| s.get("selected_retry_count"))
            .and_then(Value::as_u64)
            .or(chosen.map(|c| c.len() as u64));
        match selected {
            Some(n) if live && n != results.len() as u64 => self.unknown.push(format!(
                "the run selected {n} retries, but the answer shows {} results",
                results.len()
            )),
            None if live => self.unknown.push(
                "the answer does not say how many retries the run selected (no \
                 `selected_retry_count`, no `selected_retries`)"
                    .into(),
            ),
            _ => {}
        }
        for r in results {
            self.execution(r, live.then_some(chosen));
        }
    }

    /// One result's execution record: `delivered` is a success; `failed` and `skipped` (with
    /// the reason) are failures, as CAVRA counts; any other status (missing, not text, another
    /// word) is unknown (CONTRACT §3.5), and so is a status its delivery contradicts (delivered
    /// next to a failed delivery, failed next to one that succeeded).
    ///
    /// In a live run (`chosen`: the run's `selected_retries`, when it lists them) a result must
    /// answer a selected decision, and its record name that decision's provider and ids.
    fn execution(&mut self, r: &Value, chosen: Option<Option<&Vec<Value>>>) {
        let live = chosen.is_some();
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
        let answers_other = answers_other(r.get("decision"), e, chosen);
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

/// The fields that say which retry a decision or an execution record is about.
const IDENTITY: [&str; 4] = ["provider", "delivery_id", "audit_id", "export_id"];

/// Why an execution `record` is not the outcome of the decision its result names (`None`: it
/// is): a record naming another provider or id than its decision; in a live run (`chosen`
/// set) also a result that names no decision, or one the run did not select.
fn answers_other(
    decision: Option<&Value>,
    record: &Map<String, Value>,
    chosen: Option<Option<&Vec<Value>>>,
) -> Option<String> {
    let value = |o: &Value, k: &str| match k {
        "provider" => normalise(&field(o, k)),
        _ => field(o, k).trim().to_string(),
    };
    let record = Value::Object(record.clone());
    let named = decision.filter(|d| !value(d, "provider").is_empty());
    let Some(d) = named else {
        return chosen
            .is_some()
            .then(|| "but its result names no decision".to_string());
    };
    for k in IDENTITY {
        let (want, got) = (value(d, k), value(&record, k));
        if !want.is_empty() && !got.is_empty() && want != got {
            return Some(match k {
                "provider" => format!("but it answers the decision for {want}"),
                _ => format!("but its {k} {got} is not its decision's ({want})"),
            });
        }
    }
    let selected = |c: &Value| IDENTITY.iter().all(|k| value(c, k) == value(d, k));
    match chosen.flatten() {
        Some(list) if !list.iter().any(selected) => Some(format!(
            "but the run did not select the decision for {}",
            value(d, "provider")
        )),
        _ => None,
    }
}
