//! Retry execution approval plans and decisions: which retries ask for approval, validation, keys.

use super::*;
use crate::domain::delivery::{ProviderOutcome, connector_delivery_record};
use crate::domain::record::source;
use crate::domain::retry::{
    RetryAckInput, RetryPolicy, audit_retry_plan, retry_ack, retry_plan_record,
};
use crate::domain::test_fixtures::{fields_of, fields_of_rows, text_starts_with};
use chrono::TimeZone;

pub(crate) fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 20, 12, 0, 0).unwrap()
}

/// Two failed audit deliveries (splunk, jira) an hour ago and a retry plan over them.
pub(crate) fn failures_and_plan() -> (Vec<Record>, Map<String, Value>) {
    let mut records = Vec::new();
    for (p, d, a) in [("splunk", "d1", "a1"), ("jira", "d2", "a2")] {
        records.push(connector_delivery_record(
            source::ACK_AUDIT,
            "t",
            d,
            &[ProviderOutcome {
                provider: p.into(),
                status_code: 503,
            }],
            now() - chrono::Duration::minutes(60),
            &[("audit_id", a), ("delivery_id", d)],
        ));
    }
    let plan = audit_retry_plan(&records, &RetryPolicy::default(), "rm", now());
    records.push(retry_plan_record(
        &plan,
        kind::RETRY_PLAN,
        "acknowledgement_audit_delivery_retry_plan",
    ));
    (records, plan)
}

pub(crate) fn ack(plan: &Map<String, Value>, provider: &str, d: &str, a: &str) -> Record {
    let input = RetryAckInput {
        retry_plan_id: plan["retry_plan_id"].as_str().unwrap().into(),
        provider: provider.into(),
        acknowledged_by: "rm".into(),
        state: "accepted".into(),
        delivery_id: d.into(),
        audit_id: a.into(),
        ..Default::default()
    };
    retry_ack(&input, now()).unwrap().1
}

/// `[provider, action]` of each decision of an approval plan.
fn actions(plan: &Map<String, Value>) -> Vec<Value> {
    fields_of_rows(&plan["approval_decisions"], &["provider", "action"])
}

#[test]
fn only_acknowledged_retries_ask_for_approval_and_approved_ones_say_so() {
    let (mut records, plan) = failures_and_plan();
    records.push(ack(&plan, "splunk", "d1", "a1"));
    let ap = approval_plan(&records, true, "rm", now());
    assert_eq!(
        actions(&ap),
        [
            json!(["splunk", "request_approval"]),
            json!(["jira", "wait_for_retry_ack"])
        ]
    );
    assert_eq!(
        fields_of(&ap, &["approval_required_count", "alert_level"]),
        json!([1, "critical"])
    );
    assert!(text_starts_with(
        &ap["approval_plan_id"],
        "gordackretryapproval-"
    ));
    let without_ack = approval_plan(&records, false, "rm", now());
    assert_eq!(without_ack["approval_required_count"], 2);

    let input = ApprovalDecisionInput {
        approval_plan_id: ap["approval_plan_id"].as_str().unwrap().into(),
        provider: "Splunk".into(),
        decided_by: "rm".into(),
        approval_state: "approved".into(),
        retry_plan_id: plan["retry_plan_id"].as_str().unwrap().into(),
        delivery_id: "d1".into(),
        audit_id: "a1".into(),
        ..Default::default()
    };
    let (decision, rec) = decide(&input, now()).unwrap();
    assert_eq!(decision["provider"], "splunk", "provider normalised");
    assert!(
        rec.session_id()
            .starts_with("gordackretryapprovaldecision-")
    );
    assert_eq!(
        (rec.kind(), rec.0["blocked_count"].clone()),
        (kind::RETRY_APPROVAL_DECISION, json!(0))
    );
    records.push(rec);
    let again = approval_plan(&records, true, "rm", now());
    assert_eq!(actions(&again)[0], json!(["splunk", "already_approved"]));
    assert!(approved(&records).contains_key(&("splunk".into(), "d1".into(), "a1".into())));
}

#[test]
fn a_decision_is_refused_as_the_server_refuses_it() {
    let mut i = ApprovalDecisionInput {
        approval_plan_id: "AP".into(),
        provider: "splunk".into(),
        decided_by: "rm".into(),
        approval_state: "maybe".into(),
        ..Default::default()
    };
    assert_eq!(
        decide(&i, now()).unwrap_err().to_string(),
        "approval_state must be approved, denied, deferred, or expired"
    );
    i.approval_state = "denied".into();
    let (_, rec) = decide(&i, now()).unwrap();
    assert_eq!(rec.0["blocked_count"], 1);
    i.provider = " ".into();
    assert_eq!(
        decide(&i, now()).unwrap_err().to_string(),
        "provider is required"
    );
}
