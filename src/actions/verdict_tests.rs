//! The verdict's tests: failures, unknown outcomes (delivery results and execution statuses
//! the console cannot read, or an execution status its delivery contradicts), destinations the
//! server lacks, and answers read against what their action's answer must hold (the record,
//! the delivery part, a live run's results); `success: false` is a failure on its own.

use super::*;
use serde_json::json;

#[test]
fn a_503_is_a_failure_and_real_deliveries_are_not_called_simulated() {
    let out = json!({"success": false, "delivery": {"deliveries": [
        {"provider": "splunk", "status_code": 503, "success": false, "error": "HTTP Error 503"}]},
        "delivery_plan": {"requested_providers": ["splunk"], "selected_providers": ["splunk"]}});
    let v = Verdict::of(out.as_object().unwrap());
    assert!(!v.ok());
    assert_eq!(v.failed, vec!["splunk: status 503 (HTTP Error 503)"]);
    assert!(!v.simulated);
    assert!(v.lines()[0].starts_with("  ✗ splunk") && !v.lines()[0].contains("simulated"));
}

#[test]
fn a_failed_or_skipped_execution_is_a_failure() {
    let out = json!({"run": {}, "retry_results": [
        {"execution_record": {"provider": "splunk", "execution_status": "failed", "skipped": ""},
         "delivery": {"simulated": true, "deliveries": [{"provider": "splunk", "status_code": 503, "success": false}]}},
        {"execution_record": {"provider": "jira", "execution_status": "skipped", "skipped": "connector_config_not_configured"}},
        {"execution_record": {"provider": "slack", "execution_status": "delivered", "skipped": ""},
         "delivery": {"deliveries": [{"provider": "slack", "success": true}]}},
        {"execution_record": null, "skipped": "dry_run"}]});
    let v = Verdict::of(out.as_object().unwrap());
    assert!(!v.ok() && v.simulated);
    assert_eq!(
        v.failed,
        [
            "splunk: execution failed (status 503)",
            "jira: execution skipped (connector_config_not_configured)"
        ]
    );
    assert_eq!(v.delivered, ["slack: execution delivered"]);
}

/// `v` is an unknown outcome and no failure: not a success, titled "DELIVERY OUTCOME
/// UNKNOWN", its problem starting with `first` and sending the operator to the history.
fn says_unknown_only(v: &Verdict, first: &str) {
    assert!(
        !v.ok() && v.outcome_unknown(),
        "an outcome the console cannot confirm is not a success: {v:?}"
    );
    assert_eq!(v.heading().as_deref(), Some("DELIVERY OUTCOME UNKNOWN"));
    let p = v.problem().unwrap();
    assert!(
        p.starts_with(&format!("delivery outcome unknown: {first}"))
            && p.contains("`cavra-tui history`")
            && !p.contains("FAILED"),
        "{p}"
    );
}

#[test]
fn an_execution_status_the_console_cannot_read_is_unknown_not_failed() {
    let out = json!({"run": {}, "retry_results": [
        {"execution_record": {"provider": "splunk", "skipped": ""},
         "delivery": {"deliveries": [{"provider": "splunk", "status_code": 200}]}},
        {"execution_record": {"provider": "jira", "execution_status": null}},
        {"execution_record": {"provider": "slack", "execution_status": 7}},
        {"execution_record": {"provider": "webhook", "execution_status": {"s": "delivered"}}},
        {"execution_record": {"provider": "pagerduty", "execution_status": "queued"}},
        {"execution_record": {"provider": "teams", "execution_status": "Delivered"}}]});
    let v = Verdict::of(out.as_object().unwrap());
    assert!(v.failed.is_empty() && v.delivered.is_empty(), "{v:?}");
    assert_eq!(
        v.unknown,
        [
            "splunk: execution status missing (status 200)",
            "jira: execution status missing",
            "slack: execution status 7 is not text",
            r#"webhook: execution status {"s":"delivered"} is not text"#,
            r#"pagerduty: execution status "queued" is not one CAVRA reports"#,
            r#"teams: execution status "Delivered" is not one CAVRA reports"#,
        ]
    );
    says_unknown_only(&v, "splunk: execution status missing");
    assert!(v.lines()[0].starts_with("  ? splunk: execution status missing"));
    assert!(v.lines().iter().all(|l| l.starts_with("  ? ")));
}

#[test]
fn a_failure_next_to_an_unknown_outcome_is_both() {
    let out = json!({"retry_results": [
        {"execution_record": {"provider": "splunk", "execution_status": "failed"}},
        {"execution_record": {"provider": "jira"}},
        {"execution_record": {"provider": "slack", "execution_status": "delivered"},
         "delivery": {"deliveries": [{"provider": "slack", "success": true}]}}]});
    let v = Verdict::of(out.as_object().unwrap());
    assert_eq!(v.failed, ["splunk: execution failed"]);
    assert_eq!(v.unknown, ["jira: execution status missing"]);
    assert_eq!(v.delivered, ["slack: execution delivered"]);
    assert_eq!(
        v.heading().as_deref(),
        Some("DELIVERY FAILED · OUTCOME UNKNOWN")
    );
    let p = v.problem().unwrap();
    assert!(
        p.contains("delivery FAILED: splunk") && p.contains("delivery outcome unknown: jira"),
        "{p}"
    );
    let clean = json!({"retry_results": [
        {"execution_record": {"provider": "slack", "execution_status": "delivered"},
         "delivery": {"deliveries": [{"provider": "slack", "success": true}]}}]});
    let v = Verdict::of(clean.as_object().unwrap());
    assert!(v.ok() && !v.outcome_unknown() && v.problem().is_none());
    assert_eq!(v.heading(), None);
}

#[test]
fn an_unknown_destination_is_named() {
    let out = json!({"success": true, "delivery": null,
        "plan": {"requested_provider": "nosuch", "eligible_providers": [], "selected_providers": []}});
    let v = Verdict::of(out.as_object().unwrap());
    assert_eq!(v.unconfigured, vec!["nosuch"]);
    assert!(
        v.problem()
            .unwrap()
            .contains("not configured on the server: nosuch")
    );
}

#[test]
fn a_delivery_without_a_boolean_success_is_unknown_not_failed() {
    let out = json!({"success": true, "delivery": {"deliveries": [
        {"provider": "splunk", "status_code": 200},
        {"provider": "jira", "status_code": 200, "success": null},
        {"provider": "slack", "status_code": 200, "success": "true"},
        {"provider": "teams", "success": 1, "error": "odd"},
        {"provider": "webhook", "status_code": 200, "success": true}]}});
    let v = Verdict::of(out.as_object().unwrap());
    assert!(v.failed.is_empty(), "not known to have failed: {v:?}");
    assert_eq!(v.delivered, ["webhook: status 200"]);
    assert_eq!(
        v.unknown,
        [
            "splunk: delivery result missing (status 200)",
            "jira: delivery result missing (status 200)",
            r#"slack: delivery result "true" is not true or false (status 200)"#,
            "teams: delivery result 1 is not true or false (odd)",
        ]
    );
    says_unknown_only(&v, "splunk: delivery result missing");
    assert_eq!(v.lines()[0], "  ✓ webhook: status 200");
    assert!(
        v.lines()[1..].iter().all(|l| l.starts_with("  ? ")),
        "{:?}",
        v.lines()
    );
}

#[test]
fn an_unknown_delivery_next_to_a_failed_one_is_both() {
    let out = json!({"success": false, "delivery": {"simulated": true, "deliveries": [
        {"provider": "splunk", "status_code": 503, "success": false},
        {"provider": "jira", "status_code": 200}]}});
    let v = Verdict::of(out.as_object().unwrap());
    assert_eq!(v.failed, ["splunk: status 503"]);
    assert_eq!(v.unknown, ["jira: delivery result missing (status 200)"]);
    assert_eq!(
        v.heading().as_deref(),
        Some("DELIVERY FAILED · OUTCOME UNKNOWN")
    );
    assert_eq!(
        v.lines(),
        [
            "  ✗ splunk: status 503 (simulated)",
            "  ? jira: delivery result missing (status 200) (simulated)"
        ]
    );
}

use crate::actions::{PaneAction, defaults, expected::expected};

/// What `action`'s answer `out` says, read against what that answer must hold.
pub(super) fn answer(action: &PaneAction, out: serde_json::Value) -> Verdict {
    Verdict::answer(out.as_object().unwrap(), expected(action))
}

#[test]
fn a_bare_answer_to_a_delivering_action_shows_neither_record_nor_delivery() {
    let audit = crate::domain::audit::AuditScope::default();
    let cases = [
        (
            defaults::deliver_audit(audit, "splunk", "a"),
            "no `delivery_plan` with its `delivery_id`",
            "the answer does not say how the delivery went: it has no `delivery`",
        ),
        (
            defaults::send_archive_alert("webhook", "a"),
            "no `plan` with its `plan_id`",
            "the answer does not say how the delivery went: it has no `delivery`",
        ),
        (
            defaults::execute_retry("a"),
            "no `run` with its `run_id`",
            "the answer does not say which retries went out: it has no `retry_results`",
        ),
        (
            defaults::run_auditor_worker(true, "a"),
            "no `run` with its `run_id`",
            "the answer does not say which retries went out: it has no `retry_results`",
        ),
    ];
    for (action, unshown, unknown) in cases {
        let v = answer(&action, json!({}));
        assert_eq!(v.unshown.as_deref(), Some(unshown));
        assert_eq!(v.unknown, [unknown]);
        assert!(!v.ok() && v.outcome_unknown() && v.failed.is_empty());
        assert_eq!(
            v.heading().as_deref(),
            Some("RECORD NOT SHOWN · OUTCOME UNKNOWN")
        );
        let p = v.problem().unwrap();
        assert!(
            p.starts_with(&format!("the answer did not show the record ({unshown})"))
                && p.contains(unknown)
                && p.ends_with("check the History pane or `cavra-tui history` before trying again"),
            "{p}"
        );
        assert_eq!(
            v.lines()[0],
            format!("  ? the answer did not show the record ({unshown})")
        );
    }
    // A dry run delivers nothing: only its record is required.
    let v = answer(
        &defaults::run_auditor_worker(false, "a"),
        json!({"run": {"run_id": "R"}}),
    );
    assert!(v.ok(), "{v:?}");
}

#[test]
fn a_recording_action_whose_answer_lacks_its_record_is_unknown() {
    let ack = PaneAction::AckRetry(Default::default());
    for out in [
        json!({}),
        json!({"acknowledgement": null, "metadata": {}}),
        json!({"acknowledgement": {"acknowledgement_id": ""}}),
        json!({"acknowledgement": "ack-1"}),
    ] {
        let v = answer(&ack, out.clone());
        assert_eq!(
            v.unshown.as_deref(),
            Some("no `acknowledgement` with its `acknowledgement_id`"),
            "{out}"
        );
        assert!(!v.ok() && v.outcome_unknown(), "{out}");
        assert!(v.unknown.is_empty() && v.failed.is_empty(), "{out}");
    }
    let v = answer(
        &ack,
        json!({"acknowledgement": {"acknowledgement_id": "gordackretryack-1"}}),
    );
    assert!(v.ok() && v.heading().is_none(), "{v:?}");
    // Read with no expectations, a bare answer says nothing is wrong (the old reading).
    assert!(Verdict::of(json!({}).as_object().unwrap()).ok());
}

#[test]
fn success_false_is_a_failure_even_without_a_delivery() {
    let audit = defaults::deliver_audit(Default::default(), "splunk", "a");
    let plan = json!({"delivery_id": "D", "selected_providers": ["splunk"]});
    let v = answer(&audit, json!({"delivery_plan": plan, "success": false}));
    assert!(v.unknown.is_empty() && !v.outcome_unknown(), "{v:?}");
    assert_eq!(
        v.failed,
        ["the server reports `success: false` (the answer does not show which delivery failed)"]
    );
    assert_eq!(v.heading().as_deref(), Some("DELIVERY FAILED"));
    let v = answer(
        &audit,
        json!({"delivery_plan": plan, "delivery": null, "success": false}),
    );
    assert_eq!(v.failed.len(), 1, "{v:?}");
    // Without expectations too (the old reading needed a `delivery` object).
    assert!(!Verdict::of(json!({"success": false}).as_object().unwrap()).ok());
}

#[test]
fn success_false_on_an_action_that_sends_nothing_is_a_failure_but_not_a_delivery() {
    let ack = PaneAction::AckRetry(Default::default());
    let shown = json!({"acknowledgement": {"acknowledgement_id": "A1"}, "success": false});
    let v = answer(&ack, shown);
    assert!(v.refused && v.failed.is_empty() && !v.ok(), "{v:?}");
    assert_eq!(v.heading().as_deref(), Some("SERVER REPORTS FAILURE"));
    assert!(!v.problem().unwrap().contains("delivery"), "{v:?}");
    assert!(v.lines()[0].contains("✗"), "{:?}", v.lines());
    // Without `success: false` the same answer is a plain success.
    let v = answer(
        &ack,
        json!({"acknowledgement": {"acknowledgement_id": "A1"}}),
    );
    assert!(v.ok() && v.heading().is_none(), "{v:?}");
}

#[test]
fn a_success_that_is_not_true_or_false_is_unknown() {
    let ack = PaneAction::AckRetry(Default::default());
    for odd in [json!("false"), json!(0), json!({})] {
        let v = answer(
            &ack,
            json!({"acknowledgement": {"acknowledgement_id": "A1"}, "success": odd}),
        );
        assert!(v.outcome_unknown() && !v.ok() && !v.refused, "{odd}: {v:?}");
        assert_eq!(
            v.unknown,
            [format!(
                "the answer's `success` is {odd}, which is not true or false"
            )]
        );
    }
}

#[test]
fn a_delivery_answer_that_contradicts_its_plan_is_unknown() {
    let audit = defaults::deliver_audit(Default::default(), "webhook", "a");
    let ok = json!({"deliveries": [{"provider": "webhook", "status_code": 200, "success": true}]});
    let plan = |selected: serde_json::Value, audit_id: &str| {
        json!({"delivery_id": "D", "audit_id": audit_id, "requested_provider": "webhook",
               "selected_providers": selected})
    };
    let out = |plan: serde_json::Value| json!({"audit_package": {"audit_id": "A1"}, "delivery_plan": plan, "delivery": ok, "success": true});
    assert!(answer(&audit, out(plan(json!(["webhook"]), "A1"))).ok());
    let v = answer(&audit, out(plan(json!(["webhook"]), "A2")));
    assert_eq!(
        v.unknown,
        ["the delivery plan is for audit A2, not the package A1 the answer shows"]
    );
    let v = answer(&audit, out(plan(json!(["splunk"]), "A1")));
    assert!(v.delivered.is_empty() && !v.ok(), "{v:?}");
    assert!(
        v.unknown[0]
            .starts_with("webhook: a delivery result for a provider the plan did not select"),
        "{v:?}"
    );
}
