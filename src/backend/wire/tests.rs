//! The bodies' bytes pinned: field order and presence as the console has always sent them.

use serde_json::json;

use super::*;
use crate::backend::WorkerRunRequest;
use crate::backend::calls::{AuditorWorkerRequest, ExecuteRetryRequest};
use crate::domain::retry::RetryPolicy;
use crate::domain::worker::WorkerSchedule;

fn text<T: serde::Serialize>(body: &T) -> String {
    serde_json::to_string(body).unwrap()
}

#[test]
fn bodies_keep_their_fields_in_the_order_sent() {
    let policy = RetryPolicy::default().normalised();
    let schedule = WorkerSchedule::default();
    let run = WorkerRunRequest {
        policy,
        schedule: schedule.clone(),
        max_retry_deliveries: 5,
        generated_by: "ops".into(),
    };
    let execute = ExecuteRetryRequest {
        run: run.clone(),
        retries: 0,
        timeout_seconds: 0.1,
    };
    let auditor = |execute| AuditorWorkerRequest {
        run: run.clone(),
        execute,
        retries: 0,
        timeout_seconds: 0.1,
    };
    let sched = r#""schedule":{"interval_minutes":30,"cadence":"every_30_minutes","enabled":true}"#;
    let pol = text(&policy.to_json());
    assert_eq!(
        text(&WorkerRunBody::from(&auditor(false))),
        format!(
            r#"{{"generated_by":"ops","dry_run":true,"execute":false,"max_retry_deliveries":5,"retry_policy":{pol},{sched}}}"#
        )
    );
    assert_eq!(
        text(&WorkerRunBody::from(&auditor(true))),
        format!(
            r#"{{"generated_by":"ops","dry_run":false,"execute":true,"max_retry_deliveries":5,"retry_policy":{pol},{sched},"retries":0,"timeout_seconds":0.1}}"#
        )
    );
    assert_eq!(
        text(&WorkerRunBody::from(&execute)),
        text(&WorkerRunBody::from(&auditor(true)))
    );
    let scope = crate::domain::audit::AuditScope {
        owner: "payments".into(),
        ..Default::default()
    };
    let package = AuditPackageBody {
        scope: (&scope).into(),
        generated_by: "ops".into(),
    };
    assert_eq!(
        text(&package),
        r#"{"owner":"payments","generated_by":"ops"}"#
    );
    let closure = ClosureBody {
        provider: "webhook".into(),
        closed_by: "ops".into(),
        closure_state: "resolved".into(),
        verification_refs: vec!["CHG-1".into()],
        ..Default::default()
    };
    assert_eq!(
        text(&closure),
        r#"{"provider":"webhook","closed_by":"ops","closure_state":"resolved","verification_refs":["CHG-1"]}"#
    );
}

#[test]
fn a_body_read_back_is_the_body_sent_and_missing_fields_take_cavras_defaults() {
    let sent = SendAlertBody {
        generated_by: "ops".into(),
        provider: "webhook".into(),
        force: true,
        expected_interval_minutes: Some(30),
        stale_metadata_minutes: Some(120),
        retries: 0,
        timeout_seconds: 0.1,
        suppression_window_minutes: None,
    };
    assert_eq!(
        text(&sent),
        r#"{"generated_by":"ops","provider":"webhook","force":true,"expected_interval_minutes":30,"stale_metadata_minutes":120,"retries":0,"timeout_seconds":0.1}"#
    );
    let read: SendAlertBody = serde_json::from_str(&text(&sent)).unwrap();
    assert_eq!(read, sent);
    let bare: WorkerRunBody = serde_json::from_value(json!({"unknown": 1})).unwrap();
    assert_eq!(bare, WorkerRunBody::default());
    assert_eq!(bare.schedule.schedule().cadence, "every_60_minutes");
    assert_eq!(bare.connector(), (2, 10.0));
    let plan: ApprovalPlanBody = serde_json::from_value(json!({})).unwrap();
    assert!(plan.approval_policy.require_retry_ack);
}

#[test]
fn a_history_page_is_read_tolerantly() {
    let page = |v: serde_json::Value| HistoryPage::from_json(v.as_object().unwrap().clone());
    let p = page(json!({"items": [{"session_id": "a"}, 3], "total": 7, "offset": 2, "x": 1}));
    assert_eq!((p.total, p.offset, p.limit), (7, Some(2), None));
    let records: Vec<_> = HistoryPage::records(p.items.unwrap()).collect();
    assert_eq!(records.len(), 1);
    let p = page(json!({"items": "no", "total": "7", "offset": -1}));
    assert_eq!((p.items, p.total, p.offset), (None, 0, None));
    let p: HistoryPage =
        serde_json::from_value(json!({"items": [], "total": null, "limit": 5})).unwrap();
    assert_eq!((p.items, p.total, p.limit), (Some(vec![]), 0, Some(5)));
}

#[test]
fn decisions_and_retry_acks_send_the_inputs_fields_without_the_path_id() {
    let decision = crate::domain::approval::ApprovalDecisionInput {
        approval_plan_id: "in-the-path".into(),
        provider: "splunk".into(),
        decided_by: "ops".into(),
        approval_state: "approved".into(),
        retry_plan_id: "rp".into(),
        ..Default::default()
    };
    let sent = text(&DecisionBody::from(&decision));
    assert_eq!(
        sent,
        r#"{"provider":"splunk","decided_by":"ops","approval_state":"approved","retry_plan_id":"rp","delivery_id":"","audit_id":"","external_ref":"","notes":""}"#
    );
    let read: DecisionBody =
        serde_json::from_value(json!({"provider": "splunk", "approved_by": "old"})).unwrap();
    assert_eq!(read.decision.provider, "splunk");
    assert_eq!(
        (read.decision.decided_by.as_str(), read.approved_by.as_str()),
        ("", "old")
    );
    let ack = RetryAckBody {
        retry_plan_id: "in-the-path".into(),
        provider: "webhook".into(),
        acknowledged_by: "ops".into(),
        state: "accepted".into(),
        ..Default::default()
    };
    assert_eq!(
        text(&ack),
        r#"{"provider":"webhook","acknowledged_by":"ops","acknowledgement_state":"accepted","delivery_id":"","audit_id":"","external_ref":"","notes":""}"#
    );
    let read: RetryAckBody = serde_json::from_str(&text(&ack)).unwrap();
    assert_eq!(
        read,
        RetryAckBody {
            retry_plan_id: String::new(),
            ..ack
        }
    );
}

#[test]
fn a_history_page_is_written_in_the_servers_field_order() {
    let page = HistoryPage {
        schema_version: "s.v1".into(),
        product: "CAVRA".into(),
        items: Some(vec![json!({"id": 1})]),
        total: 3,
        limit: Some(1),
        offset: Some(2),
    };
    assert_eq!(
        text(&page),
        r#"{"schema_version":"s.v1","product":"CAVRA","items":[{"id":1}],"total":3,"limit":1,"offset":2}"#
    );
    let read = HistoryPage::from_json(
        serde_json::to_value(&page)
            .unwrap()
            .as_object()
            .unwrap()
            .clone(),
    );
    assert_eq!(read, page);
}
