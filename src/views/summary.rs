//! The one-line summary (and the table under it) of each record an action answers with:
//! approval plan and decision, recovery playbook, closure and report, suppression trend,
//! archive alert plan. Which object of the answer, which fields and in what words are said
//! here once; the CLI printers and the console's result report print them.

use serde_json::Value;

use super::facts;
use crate::backend::Json;

/// A list field of a record shown as a table: one row an entry, one cell a column (the column
/// names are the entries' field names).
pub struct Listing {
    pub list: &'static str,
    pub columns: &'static [&'static str],
}

/// How one record kind is summarised.
pub struct Summary {
    /// The object of the action's answer that is the record.
    pub object: &'static str,
    /// The record's id field: an answer holds this record when its object has it.
    pub id: &'static str,
    /// The line: each `{field}` stands for that field of the record, as text.
    pub line: &'static str,
    /// The list shown as a table under the line, if any.
    pub listing: Option<Listing>,
}

/// Plan Retry Approval's answer.
pub const APPROVAL_PLAN: Summary = Summary {
    object: "plan",
    id: "approval_plan_id",
    line: "approval plan {approval_plan_id} ({alert_level}): {approval_required_count} ask for approval, {waiting_count} wait for a retry ack, {approved_count} already approved",
    listing: Some(Listing {
        list: "approval_decisions",
        columns: &[
            "provider",
            "action",
            "retry_action",
            "delivery_id",
            "audit_id",
            "retry_plan_id",
        ],
    }),
};

/// Decide Retry Approval's answer.
pub const APPROVAL_DECISION: Summary = Summary {
    object: "decision",
    id: "decision_id",
    line: "{provider} {approval_state}: {decision_id} (delivery {delivery_id}, audit {audit_id}, plan {approval_plan_id})",
    listing: None,
};

/// Recovery Playbook's answer.
pub const PLAYBOOK: Summary = Summary {
    object: "playbook",
    id: "playbook_id",
    line: "playbook {playbook_id} ({alert_level}): {provider_count} providers, {failure_count} failures in {lookback_hours} h",
    listing: Some(Listing {
        list: "provider_playbooks",
        columns: &[
            "provider",
            "category",
            "failure_count",
            "latest_failure_at",
            "status_codes",
        ],
    }),
};

/// Close Recovery's answer.
pub const CLOSURE: Summary = Summary {
    object: "closure",
    id: "closure_id",
    line: "{provider} {closure_state}: {closure_id} (playbook {playbook_id}, verified by {verification_refs})",
    listing: None,
};

/// The Retry Recovery report.
pub const RECOVERY_REPORT: Summary = Summary {
    object: "report",
    id: "report_id",
    line: "retry recovery report {report_id} ({alert_level}): {execution_count} executions, {execution_failed_count} failed or skipped, {recovery_open_count} open recoveries, {recovery_slo_breached_count} SLO breached",
    listing: Some(Listing {
        list: "provider_summary",
        columns: &[
            "provider",
            "execution_count",
            "execution_failed_count",
            "open_recovery_count",
            "slo_breached_count",
            "latest_closure_at",
        ],
    }),
};

/// The suppression trend (its `category_counts` are listed apart).
pub const SUPPRESSION_TREND: Summary = Summary {
    object: "trend",
    id: "trend_id",
    line: "suppression trend {trend_id} ({alert_level}): {suppression_event_count} suppressed, maintenance {maintenance_suppressed_count}, calendar {calendar_suppressed_count}",
    listing: None,
};

/// Send Archive Alert's answer.
pub const ARCHIVE_ALERT_PLAN: Summary = Summary {
    object: "plan",
    id: "plan_id",
    line: "archive alert plan {plan_id} for health {health_id} ({alert_level}): selected {selected_providers}",
    listing: None,
};

/// Pane 4's line for the latest approval plan (`{field}` as in [`Summary::line`]).
pub const APPROVAL_PLAN_STATUS: &str = "Approval plan {approval_plan_id} · {approval_required_count} ask · {approved_count} approved · {waiting_count} wait for a retry ack";

/// Pane 4's line for the latest recovery playbook: its id and its failing providers (none:
/// `no failing provider`).
pub fn playbook_status(playbook: &Json) -> String {
    let providers: Vec<String> = facts::entries(playbook, "provider_playbooks")
        .filter_map(Value::as_object)
        .map(|p| facts::text(p, "provider"))
        .collect();
    format!(
        "Recovery playbook {} · {}",
        facts::text(playbook, "playbook_id"),
        if providers.is_empty() {
            "no failing provider".to_string()
        } else {
            providers.join(", ")
        }
    )
}

/// The records of the retry approval and recovery actions and the suppression trend, each
/// known by its own id field (the console's result report looks for them in any answer).
pub const RECORDED: [&Summary; 6] = [
    &APPROVAL_PLAN,
    &APPROVAL_DECISION,
    &PLAYBOOK,
    &CLOSURE,
    &RECOVERY_REPORT,
    &SUPPRESSION_TREND,
];

impl Summary {
    /// The record in an action's answer (empty when the answer lacks it).
    pub fn record(&self, answer: &Json) -> Json {
        facts::object(answer, self.object)
    }

    /// The record, when the answer holds one of this kind (its id field is set).
    pub fn found_in(&self, answer: &Json) -> Option<Json> {
        let record = self.record(answer);
        (!facts::text(&record, self.id).is_empty()).then_some(record)
    }

    /// The summary line of `record`, every field's text passed through `escape` first.
    pub fn line(&self, record: &Json, escape: impl Fn(&str) -> String) -> String {
        fill(self.line, |field| escape(&facts::text(record, field)))
    }
}

impl Listing {
    /// The rows of the list's object entries, one cell a column.
    pub fn rows(&self, record: &Json) -> Vec<Vec<String>> {
        cells(
            facts::entries(record, self.list).filter(|e| e.is_object()),
            self.columns,
        )
    }
}

/// One row of `columns` for each of `entries` (an entry that is no object gives empty cells).
pub fn cells<'a>(entries: impl Iterator<Item = &'a Value>, columns: &[&str]) -> Vec<Vec<String>> {
    entries
        .map(|e| {
            let empty = Json::new();
            let entry = e.as_object().unwrap_or(&empty);
            columns.iter().map(|c| facts::text(entry, c)).collect()
        })
        .collect()
}

/// `template` with each `{name}` replaced by `value(name)`; what `value` gives is not read
/// again, and an unclosed `{` stays as it is.
pub fn fill(template: &str, value: impl Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&value(&rest[open + 1..open + close]));
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fill_replaces_each_name_and_never_reads_a_value_again() {
        let line = fill("a {x} b {y}{x} {", |n| format!("<{n}{{x}}>"));
        assert_eq!(line, "a <x{x}> b <y{x}><x{x}> {");
    }

    #[test]
    fn lines_read_strings_numbers_and_absent_fields_as_the_printers_did() {
        let answer = json!({"plan": {"approval_plan_id": "AP1", "alert_level": "warning",
            "approval_required_count": 2, "waiting_count": 0}});
        let plan = APPROVAL_PLAN.record(answer.as_object().unwrap());
        assert_eq!(
            APPROVAL_PLAN.line(&plan, str::to_string),
            "approval plan AP1 (warning): 2 ask for approval, 0 wait for a retry ack,  already approved"
        );
        let closure = json!({"provider": "jira", "closure_state": "resolved",
            "closure_id": "C1", "playbook_id": "PB", "verification_refs": ["e1", "e2"]});
        assert_eq!(
            CLOSURE.line(closure.as_object().unwrap(), str::to_string),
            r#"jira resolved: C1 (playbook PB, verified by ["e1","e2"])"#
        );
        let plan = json!({"plan_id": "P", "health_id": "H", "alert_level": null,
            "selected_providers": ["slack"]});
        assert_eq!(
            ARCHIVE_ALERT_PLAN.line(plan.as_object().unwrap(), |s| format!("[{s}]")),
            r#"archive alert plan [P] for health [H] ([]): selected [["slack"]]"#
        );
    }

    #[test]
    fn listings_tabulate_the_object_entries_only() {
        let playbook = json!({"provider_playbooks": [
            {"provider": "splunk", "failure_count": 3, "status_codes": [500]}, "junk", null]});
        let listing = PLAYBOOK.listing.as_ref().unwrap();
        let rows = listing.rows(playbook.as_object().unwrap());
        assert_eq!(rows, [["splunk", "", "3", "", "[500]"]]);
        assert_eq!(
            cells([json!("junk"), json!({"a": 1})].iter(), &["a"]),
            [vec![String::new()], vec!["1".to_string()]]
        );
    }
}
