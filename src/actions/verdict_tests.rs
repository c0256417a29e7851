//! The delivery verdict's tests: failures, unknown outcomes (delivery results and execution
//! statuses the console cannot read) and destinations the server lacks.

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
        {"execution_record": {"provider": "slack", "execution_status": "delivered", "skipped": ""}},
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
    assert!(
        !v.ok(),
        "an outcome the console cannot confirm is not a success"
    );
    assert!(v.outcome_unknown());
    assert_eq!(v.heading(), Some("DELIVERY OUTCOME UNKNOWN"));
    let p = v.problem().unwrap();
    assert!(
        p.starts_with("delivery outcome unknown: splunk: execution status missing")
            && p.contains("`cavra-tui history`")
            && !p.contains("FAILED"),
        "{p}"
    );
    assert!(v.lines()[0].starts_with("  ? splunk: execution status missing"));
    assert!(v.lines().iter().all(|l| l.starts_with("  ? ")));
}

#[test]
fn a_failure_next_to_an_unknown_outcome_is_both() {
    let out = json!({"retry_results": [
        {"execution_record": {"provider": "splunk", "execution_status": "failed"}},
        {"execution_record": {"provider": "jira"}},
        {"execution_record": {"provider": "slack", "execution_status": "delivered"}}]});
    let v = Verdict::of(out.as_object().unwrap());
    assert_eq!(v.failed, ["splunk: execution failed"]);
    assert_eq!(v.unknown, ["jira: execution status missing"]);
    assert_eq!(v.delivered, ["slack: execution delivered"]);
    assert_eq!(v.heading(), Some("DELIVERY FAILED · OUTCOME UNKNOWN"));
    let p = v.problem().unwrap();
    assert!(
        p.contains("delivery FAILED: splunk") && p.contains("delivery outcome unknown: jira"),
        "{p}"
    );
    let clean = json!({"retry_results": [
        {"execution_record": {"provider": "slack", "execution_status": "delivered"}}]});
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
    assert!(!v.ok() && v.outcome_unknown());
    assert_eq!(v.heading(), Some("DELIVERY OUTCOME UNKNOWN"));
    let p = v.problem().unwrap();
    assert!(
        p.starts_with("delivery outcome unknown: splunk: delivery result missing")
            && p.contains("`cavra-tui history`")
            && !p.contains("FAILED"),
        "{p}"
    );
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
    assert_eq!(v.heading(), Some("DELIVERY FAILED · OUTCOME UNKNOWN"));
    assert_eq!(
        v.lines(),
        [
            "  ✗ splunk: status 503 (simulated)",
            "  ? jira: delivery result missing (status 200) (simulated)"
        ]
    );
}
