//! A worker run's answer read for the verdict: which selected retries went out, each by its
//! execution record (delivered, failed or skipped as CAVRA counts), and which the console
//! cannot tell: no readable record, a status not CAVRA's, one its delivery contradicts or does
//! not confirm for the record's provider, or in a live run a result that does not answer a
//! decision the run selected (once each) with that decision's provider and ids.

use serde_json::{Map, Value};

use super::{Verdict, field, text};
use crate::backend::Json;
use crate::domain::retry::normalise;

/// What a live run's results are checked against: the decisions the run lists as selected
/// (`None`: it lists none readable), and which of them a result has answered.
struct Selection<'a> {
    chosen: Option<&'a Vec<Value>>,
    answered: Vec<bool>,
    /// Why the run is not known to be live (its `dry_run` is not `false`).
    not_live: Option<String>,
}

impl Verdict {
    /// A worker run's results (`retry_results[]`). A live run (`live`) must answer with them,
    /// one for each retry it selected (its summary's `selected_retry_count` and its
    /// `selected_retries` list must both agree with the results, and one of them must be
    /// there; none is fine when it selected none), each with a readable execution record;
    /// otherwise which retries went out is unknown.
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
        let chosen = (run.and_then(|r| r.get("selected_retries"))).and_then(Value::as_array);
        let count = (run.and_then(|r| r.get("summary")))
            .and_then(|s| s.get("selected_retry_count"))
            .and_then(Value::as_u64);
        let listed = chosen.map(|c| c.len() as u64);
        let shown = results.len() as u64;
        if live {
            match count.into_iter().chain(listed).find(|n| *n != shown) {
                Some(n) => self.unknown.push(format!(
                    "the run selected {n} retries, but the answer shows {shown} result(s)"
                )),
                None if count.is_none() && listed.is_none() => self.unknown.push(
                    "the answer does not say how many retries the run selected (no \
                     `selected_retry_count`, no `selected_retries`)"
                        .into(),
                ),
                None => {}
            }
        }
        let not_live = match run.and_then(|r| r.get("dry_run")) {
            Some(Value::Bool(false)) => None,
            Some(Value::Bool(true)) => Some("but the run says it was a dry run".to_string()),
            other => Some(format!(
                "but the run does not say it was live (`dry_run`: {})",
                other.map_or("missing".to_string(), Value::to_string)
            )),
        };
        let mut selection = Selection {
            chosen,
            answered: vec![false; chosen.map_or(0, Vec::len)],
            not_live,
        };
        for r in results {
            self.execution(r, live.then_some(&mut selection));
        }
    }

    /// One result's execution record: `delivered` is a success; `failed` and `skipped` (with
    /// the reason) are failures, as CAVRA counts; any other status (missing, not text, another
    /// word) is unknown (CONTRACT §3.5), and so is a status its delivery contradicts (delivered
    /// next to a failed delivery, failed next to one that succeeded) or, for `delivered`, does
    /// not confirm (no delivery entry for the record's provider, or one whose `success` is not
    /// a boolean).
    ///
    /// In a live run (`selection`) a result must also answer a decision the run selected, not
    /// answered before, and its record carry that decision's provider and ids.
    fn execution(&mut self, r: &Value, selection: Option<&mut Selection>) {
        let live = selection.is_some();
        let delivery = r.get("delivery").filter(|d| d.is_object());
        let get = |k: &str| delivery.and_then(|d| d.get(k));
        if get("simulated").and_then(Value::as_bool) == Some(true) {
            self.simulated = true;
        }
        let deliveries = get("deliveries").and_then(Value::as_array);
        let entries = || deliveries.into_iter().flatten();
        let Some(e) = r.get("execution_record").and_then(Value::as_object) else {
            if live {
                let provider = r.get("decision").map(|d| field(d, "provider"));
                let code = status_code(entries().next());
                self.unknown.push(format!(
                    "{}: no readable execution record{code}",
                    provider.unwrap_or_default()
                ));
            }
            return;
        };
        let provider = text(e.get("provider").unwrap_or(&Value::Null));
        let own: Vec<&Value> = entries()
            .filter(|d| normalise(&field(d, "provider")) == normalise(&provider))
            .collect();
        let code = status_code(own.first().copied().or(entries().next()));
        let status = e.get("execution_status").unwrap_or(&Value::Null);
        let known = status
            .as_str()
            .filter(|s| ["delivered", "failed", "skipped"].contains(s));
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
        // A delivery that failed, says its success in a way that is not a boolean, or has no
        // entry for the record's provider does not confirm a delivered execution.
        let unconfirmed = own.is_empty()
            || own.iter().any(|d| not_boolean(d.get("success")))
            || not_boolean(get("success"));
        let answers_other = answers_other(r.get("decision"), e, selection);
        // A result skipped (with its reason) next to a record that says it was delivered.
        let skipped_result = r
            .get("skipped")
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim();
        let skipped_said = format!("but its result says it was skipped ({skipped_result})");
        let contradiction = match known {
            _ if answers_other.is_some() => answers_other.as_deref(),
            Some("delivered") if !skipped_result.is_empty() => Some(skipped_said.as_str()),
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
        let mut line = format!("{provider}: {said}{code}");
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

/// ` (status N)` of a delivery entry, or nothing.
fn status_code(entry: Option<&Value>) -> String {
    match entry.map(|d| field(d, "status_code")) {
        Some(c) if !c.is_empty() => format!(" (status {c})"),
        _ => String::new(),
    }
}

/// The fields that say which retry a decision or an execution record is about.
const IDENTITY: [&str; 4] = ["provider", "delivery_id", "audit_id", "export_id"];

/// A decision's or record's identity field, as compared (providers normalised).
fn identity(o: &Value, k: &str) -> String {
    match k {
        "provider" => normalise(&field(o, k)),
        _ => field(o, k).trim().to_string(),
    }
}

/// Why an execution `record` is not the outcome of the decision its result names (`None`: it
/// is): a record that lacks or differs in a provider or id its decision has; in a live run
/// (`selection`) also a result that names no decision, a decision the run did not select,
/// one already answered, or a run that lists no readable `selected_retries`.
fn answers_other(
    decision: Option<&Value>,
    record: &Map<String, Value>,
    selection: Option<&mut Selection>,
) -> Option<String> {
    let record = Value::Object(record.clone());
    let named = decision.filter(|d| !identity(d, "provider").is_empty());
    let Some(d) = named else {
        return selection.map(|_| "but its result names no decision".to_string());
    };
    for k in IDENTITY {
        let (want, got) = (identity(d, k), identity(&record, k));
        if !want.is_empty() && want != got {
            return Some(match (k, got.is_empty()) {
                ("provider", false) => format!("but it answers the decision for {want}"),
                (_, true) => format!("but it does not name its decision's {k} ({want})"),
                (_, false) => format!("but its {k} {got} is not its decision's ({want})"),
            });
        }
    }
    let sel = selection?;
    if let Some(why) = &sel.not_live {
        return Some(why.clone());
    }
    let Some(chosen) = sel.chosen else {
        return Some("but the run lists no readable `selected_retries`".into());
    };
    let same = |c: &Value| IDENTITY.iter().all(|k| identity(c, k) == identity(d, k));
    if chosen.iter().filter(|c| same(c)).count() > 1 {
        let p = identity(d, "provider");
        return Some(format!(
            "but the run lists its decision for {p} more than once"
        ));
    }
    let open = (chosen.iter().enumerate()).find(|(i, c)| !sel.answered[*i] && same(c));
    match open {
        Some((i, _)) => {
            sel.answered[i] = true;
            None
        }
        None if chosen.iter().any(same) => Some(format!(
            "but the run answered its decision for {} already",
            identity(d, "provider")
        )),
        None => Some(format!(
            "but the run did not select the decision for {}",
            identity(d, "provider")
        )),
    }
}
