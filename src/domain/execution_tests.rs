//! Execute Retry: the live run selects approved retries, execution records, and the preview.

use super::*;
use crate::domain::approval::tests::{ack, failures_and_plan, now};
use crate::domain::approval::{ApprovalDecisionInput, decide};
use crate::domain::delivery::{ProviderOutcome, connector_delivery_record};
use crate::domain::record::source;
use crate::domain::test_fixtures::{column, fields_of, text_starts_with};
use crate::domain::worker::WorkerSchedule;

fn approve(plan: &Map<String, Value>, provider: &str, d: &str, a: &str) -> Record {
    let i = ApprovalDecisionInput {
        approval_plan_id: "AP".into(),
        provider: provider.into(),
        decided_by: "rm".into(),
        approval_state: "approved".into(),
        retry_plan_id: plan["retry_plan_id"].as_str().unwrap_or("").into(),
        delivery_id: d.into(),
        audit_id: a.into(),
        ..Default::default()
    };
    decide(&i, now()).unwrap().1
}

fn immediate() -> RetryPolicy {
    RetryPolicy {
        retry_delay_minutes: 0.0,
        allow_immediate_retry: true,
        ..Default::default()
    }
}

#[test]
fn a_live_run_resends_only_approved_retries() {
    let (mut records, plan) = failures_and_plan();
    records.push(ack(&plan, "splunk", "d1", "a1"));
    records.push(approve(&plan, "splunk", "d1", "a1"));
    let schedule = WorkerSchedule {
        cadence: "manual_retry".into(),
        ..Default::default()
    };
    let live = live_run(&RunInput {
        records: &records,
        policy: &immediate(),
        schedule: &schedule,
        max_retry_deliveries: 5,
        generated_by: "rm",
        now: now(),
    });
    assert_eq!(live.selected.len(), 1);
    assert_eq!(live.selected[0].0["provider"], "splunk");
    assert_eq!(live.run["dry_run"], false);
    assert_eq!(live.run["summary"]["approval_pending_count"], 1);
    assert_eq!(live.run["schedule"]["cadence"], "manual_retry");
    let states = column(&live.run["follow_up_actions"], "approval_state");
    assert_eq!(states, ["approved", "approval_required"]);

    let (d, a) = (&live.selected[0].0, &live.selected[0].1);
    let failed = connector_delivery_record(
        source::ACK_AUDIT,
        "t",
        "x",
        &[ProviderOutcome {
            provider: "splunk".into(),
            status_code: 503,
        }],
        now(),
        &[],
    );
    let done = Executed {
        delivery_plan: None,
        delivery_metadata: Some(&failed),
        skipped: None,
    };
    let (rec, stored) = execution_record(&live.run, d, a, &done, "rm", now());
    assert_eq!(
        fields_of(&rec, &["execution_status", "delivery_success"]),
        json!(["failed", false])
    );
    assert!(text_starts_with(&rec["execution_id"], "gordackretryexec-"));
    assert_eq!(rec["approval_decision_id"], a["decision_id"]);
    assert_eq!(
        (stored.kind(), stored.0["blocked_count"].clone()),
        (kind::RETRY_EXECUTION, json!(1))
    );
    let skipped = Executed {
        delivery_plan: None,
        delivery_metadata: None,
        skipped: Some("audit_package_not_found"),
    };
    assert_eq!(
        execution_record(&live.run, d, a, &skipped, "rm", now()).0["execution_status"],
        "skipped"
    );
}

#[test]
fn the_preview_says_what_is_resent_and_why_the_rest_is_skipped() {
    let (mut records, plan) = failures_and_plan();
    records.push(approve(&plan, "splunk", "d1", "a1"));
    let rows = preview(&records, &immediate(), 5, None, now());
    let by = |p: &str| rows.iter().find(|r| r.provider == p).unwrap().clone();
    assert!(!by("jira").send && by("jira").reason.starts_with("approval_required"));
    assert_eq!(
        (by("splunk").send, by("splunk").reason.as_str()),
        (false, "audit_package_not_found")
    );
    records.push(Record(
        json!({"metadata_kind": kind::AUDIT_PACKAGE, "audit_id": "a1", "created_at": "2026-05-20T10:00:00+00:00"})
            .as_object()
            .cloned()
            .unwrap(),
    ));
    let rows = preview(
        &records,
        &immediate(),
        5,
        Some(&["slack".to_string()]),
        now(),
    );
    assert_eq!(
        rows.iter().find(|r| r.provider == "splunk").unwrap().reason,
        "connector_config_not_configured"
    );
    let rows = preview(&records, &immediate(), 5, None, now());
    assert!(rows.iter().find(|r| r.provider == "splunk").unwrap().send);
    let waiting = preview(
        &records,
        &RetryPolicy::default(),
        5,
        None,
        now() - chrono::Duration::minutes(50),
    );
    assert!(
        waiting
            .iter()
            .all(|r| !r.send && r.reason.starts_with("wait:")),
        "{waiting:?}"
    );
}
