//! The counters of the worker dashboard and of the archive alert dashboard, and one worker
//! run of the run history: what panes 5 and 6 and `worker dashboard|runs`, `archive alert
//! dashboard` show, each field named here once.

use serde_json::Value;

/// The alert dashboards' list of acknowledgements still owed (`{health_id, provider,
/// plan_id}` each).
pub const OWED: &str = "outstanding_acknowledgements";

/// The objects of the list `field` of `v`; `None` when it was not read: no `v`, the field
/// missing or not a list, or an entry that is not an object (so it never shows as "none").
pub fn list_of_objects(v: Option<&Json>, field: &str) -> Option<Vec<Json>> {
    let list = v?.get(field)?.as_array()?;
    list.iter().map(|e| e.as_object().cloned()).collect()
}

/// The owed alert acknowledgements a dashboard lists; `None` when it has no readable list
/// (see [`list_of_objects`]), an entry whose ids are not text, or an empty list next to a
/// count that is not zero (the list may be shorter than the count: CAVRA lists the first 20).
pub fn owed(board: Option<&Json>) -> Option<Vec<Json>> {
    let list = list_of_objects(board, OWED)?;
    let counted = board?.get("outstanding_acknowledgement_count");
    let none_counted = match counted {
        None | Some(Value::Null) => true,
        Some(n) => n.as_f64() == Some(0.0),
    };
    let text = |e: &Json| {
        ["health_id", "provider", "plan_id"]
            .iter()
            .all(|k| e.get(*k).is_none_or(Value::is_string))
    };
    (list.iter().all(text) && (!list.is_empty() || none_counted)).then_some(list)
}

use super::facts;
use crate::backend::Json;
use crate::domain::time;

/// A dashboard counter: its field and the label the pane gives it (the CLI prints the field).
pub type Counter = (&'static str, &'static str);

/// The worker dashboard's counters.
pub const WORKER_COUNTERS: [Counter; 5] = [
    ("run_count", "Runs"),
    ("dry_run_count", "Dry runs"),
    ("executed_count", "Executed"),
    ("retryable_count", "Retryable"),
    ("selected_retry_count", "Selected retries"),
];

/// The archive alert dashboard's counters.
pub const ARCHIVE_ALERT_COUNTERS: [Counter; 6] = [
    ("plan_count", "Alert plans"),
    ("delivery_count", "Alert deliveries"),
    ("failed_delivery_count", "Failed deliveries"),
    ("acknowledgement_count", "Acknowledgements"),
    ("outstanding_acknowledgement_count", "Owed"),
    ("suppressed_provider_count", "Suppressed providers"),
];

/// The field every dashboard starts with in the CLI.
const LEVEL: &str = "alert_level";

/// Label and value of each counter the dashboard has (the pane's reading).
pub fn labelled(d: &Json, counters: &[Counter]) -> Vec<(&'static str, String)> {
    counters
        .iter()
        .filter(|(field, _)| d.contains_key(*field))
        .map(|(field, label)| (*label, facts::text(d, field)))
        .collect()
}

/// Field and value of the alert level and then of every counter, present or not (the CLI's
/// reading).
pub fn by_field(d: &Json, counters: &[Counter]) -> Vec<(&'static str, String)> {
    std::iter::once(LEVEL)
        .chain(counters.iter().map(|(field, _)| *field))
        .map(|field| (field, facts::text(d, field)))
        .collect()
}

/// One worker run of the run history.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerRun {
    pub run_id: String,
    /// When it was created, short.
    pub created: String,
    /// `dry run`, `live` or `mode unknown` ([`facts::run_mode`]).
    pub mode: &'static str,
    pub retryable: String,
    pub selected: String,
}

impl WorkerRun {
    /// The run a record of the history is.
    pub fn read(r: &Json) -> WorkerRun {
        WorkerRun {
            run_id: facts::text(r, "run_id"),
            created: time::short(&facts::text(r, "created_at")),
            mode: facts::run_mode(r),
            retryable: facts::text(r, "retryable_count"),
            selected: facts::text(r, "selected_retry_count"),
        }
    }

    /// The run an entry of a page's `items` is (an entry that is no object reads as empty).
    pub fn of_entry(entry: &Value) -> WorkerRun {
        WorkerRun::read(entry.as_object().unwrap_or(&Json::new()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_pane_shows_present_counters_and_the_cli_every_field_after_the_level() {
        let d = json!({"run_count": 3, "executed_count": 1, "alert_level": "warning"});
        let d = d.as_object().unwrap();
        assert_eq!(
            labelled(d, &WORKER_COUNTERS),
            [("Runs", "3".to_string()), ("Executed", "1".to_string())]
        );
        let fields = by_field(d, &WORKER_COUNTERS);
        assert_eq!(fields.len(), 6);
        assert_eq!(fields[0], ("alert_level", "warning".to_string()));
        assert_eq!(fields[2], ("dry_run_count", String::new()));
    }

    #[test]
    fn a_run_is_live_or_dry_only_when_it_says_so() {
        let run = WorkerRun::of_entry(&json!({"run_id": "R1", "dry_run": false,
            "created_at": "2026-03-01T10:00:00Z", "retryable_count": 2, "selected_retry_count": 1}));
        assert_eq!(run.mode, "live");
        assert_eq!((run.run_id.as_str(), run.retryable.as_str()), ("R1", "2"));
        assert_eq!(
            WorkerRun::of_entry(&json!({"run_id": "R2"})).mode,
            "mode unknown"
        );
        let dry = json!({"run_id": "R3", "dry_run": true});
        assert_eq!(WorkerRun::of_entry(&dry).mode, "dry run");
        assert_eq!(WorkerRun::of_entry(&json!("junk")).run_id, "");
    }

    #[test]
    fn an_owed_list_is_read_only_when_it_is_a_list_of_objects_that_agrees_with_its_count() {
        let owed_of = |v: Value| owed(v.as_object());
        let one = json!({"health_id": "H", "provider": "webhook", "plan_id": "P"});
        assert_eq!(owed_of(json!({OWED: [one]})).unwrap().len(), 1);
        assert_eq!(
            owed_of(json!({OWED: [], "outstanding_acknowledgement_count": 0})),
            Some(vec![])
        );
        // CAVRA lists the first 20 of more: a shorter list than the count is read.
        let listed = owed_of(json!({OWED: [one], "outstanding_acknowledgement_count": 25}));
        assert_eq!(listed.unwrap().len(), 1);
        for unread in [
            json!({"outstanding_acknowledgement_count": 3}),
            json!({OWED: "lots"}),
            json!({OWED: ["x", 1], "outstanding_acknowledgement_count": 1}),
            json!({OWED: [], "outstanding_acknowledgement_count": 1}),
            json!({OWED: [], "outstanding_acknowledgement_count": 2.0}),
            json!({OWED: [], "outstanding_acknowledgement_count": "2"}),
            json!({OWED: [{"health_id": 123, "provider": 5, "plan_id": ["a"]}]}),
        ] {
            assert_eq!(owed_of(unread.clone()), None, "{unread}");
        }
        assert_eq!(owed(None), None);
    }
}
