//! The verdict's tests of worker-run answers: a live run must show each selected retry with a
//! readable execution record, and a record its delivery contradicts or that answers another
//! provider's decision is unknown.

use super::tests::answer;
use super::*;
use crate::actions::defaults;
use serde_json::json;

#[test]
fn a_live_run_must_show_each_selected_retry_with_a_readable_execution() {
    let execute = defaults::execute_retry("a");
    let run =
        |n: u64| json!({"run_id": "R", "dry_run": false, "summary": {"selected_retry_count": n}});
    let failed_503 =
        json!({"deliveries": [{"provider": "splunk", "status_code": 503, "success": false}]});
    // Nothing to do: the contract's live run with nothing approved answers an empty list.
    let v = answer(&execute, json!({"run": run(0), "retry_results": []}));
    assert!(v.ok(), "{v:?}");
    assert_eq!(
        answer(&execute, json!({"run": run(1), "retry_results": []})).unknown,
        ["the run selected 1 retries, but the answer shows 0 result(s)"]
    );
    assert_eq!(
        answer(&execute, json!({"run": run(1), "retry_results": {"0": {}}})).unknown,
        ["the answer does not say which retries went out: its `retry_results` is not a list"]
    );
    for record in [json!(null), json!("gordackretryexec-1"), json!([])] {
        let out = json!({"run": run(1), "retry_results": [{"decision": {"provider": "splunk"},
            "delivery": failed_503, "execution_record": record, "skipped": null}]});
        let v = answer(&execute, out);
        assert_eq!(
            v.unknown,
            ["splunk: no readable execution record (status 503)"],
            "{record}"
        );
        assert!(v.failed.is_empty() && v.delivered.is_empty(), "{v:?}");
        // In a dry run a result has no execution record: nothing was sent.
        assert!(
            answer(
                &defaults::run_worker("a"),
                json!({"run": run(1),
            "retry_results": [{"execution_record": record, "skipped": "dry_run"}]})
            )
            .ok()
        );
    }
}

#[test]
fn an_execution_status_its_delivery_contradicts_is_unknown() {
    let execute = defaults::run_auditor_worker(true, "a");
    let result = |status: &str, success: bool, code: u16| {
        json!({"decision": {"provider": "splunk"},
               "delivery": {"deliveries": [{"provider": "splunk", "status_code": code, "success": success}]},
               "execution_record": {"provider": "splunk", "execution_status": status}})
    };
    let out = |r: serde_json::Value| {
        json!({"run": {"run_id": "R", "dry_run": false, "summary": {"selected_retry_count": 1},
            "selected_retries": [r["decision"]]}, "retry_results": [r]})
    };
    let v = answer(&execute, out(result("delivered", false, 503)));
    assert_eq!(
        v.unknown,
        ["splunk: execution delivered, but its delivery failed (status 503)"]
    );
    assert!(v.delivered.is_empty() && v.failed.is_empty(), "{v:?}");
    let v = answer(&execute, out(result("failed", true, 200)));
    assert_eq!(
        v.unknown,
        ["splunk: execution failed, but its delivery succeeded (status 200)"]
    );
    // The record's own `delivery_success` counts too.
    let r = json!({"decision": {"provider": "jira"},
        "execution_record": {"provider": "jira", "execution_status": "delivered", "delivery_success": false}});
    assert_eq!(
        answer(&execute, out(r)).unknown,
        ["jira: execution delivered, but its delivery failed"]
    );
    // Agreeing statuses stay what they were.
    assert_eq!(
        answer(&execute, out(result("delivered", true, 200))).delivered,
        ["splunk: execution delivered (status 200)"]
    );
    assert_eq!(
        answer(&execute, out(result("failed", false, 503))).failed,
        ["splunk: execution failed (status 503)"]
    );
}

#[test]
fn a_delivered_execution_its_delivery_does_not_confirm_is_unknown() {
    let run = |delivery: Value| {
        json!({"run": {"dry_run": false, "summary": {"selected_retry_count": 1}},
            "retry_results": [{"decision": {"provider": "webhook"}, "delivery": delivery,
            "execution_record": {"provider": "webhook", "execution_status": "delivered"}}]})
    };
    for delivery in [
        json!({"deliveries": [{"provider": "webhook", "status_code": 503}]}),
        json!({"deliveries": [{"provider": "webhook", "success": "false"}]}),
        json!({"success": "false", "deliveries": [{"provider": "webhook", "status_code": 200}]}),
        json!({"success": true, "deliveries": [{"provider": "webhook", "status_code": 503, "success": true}]}),
        json!({"deliveries": []}),
    ] {
        let v = Verdict::of(run(delivery.clone()).as_object().unwrap());
        assert!(
            v.delivered.is_empty() && !v.unknown.is_empty(),
            "{delivery}: {v:?}"
        );
        assert!(!v.ok(), "{delivery}");
    }
    let fine = json!({"success": true, "deliveries": [{"provider": "webhook", "status_code": 202, "success": true}]});
    assert!(Verdict::of(run(fine).as_object().unwrap()).ok());
}

#[test]
fn an_execution_for_another_provider_than_its_decision_is_unknown() {
    let execute = defaults::execute_retry("a");
    let result = |record_provider: &str| {
        json!({"run": {"run_id": "R", "dry_run": false, "summary": {"selected_retry_count": 1},
            "selected_retries": [{"provider": "Jira"}]}, "retry_results": [{
            "decision": {"provider": "Jira"},
            "delivery": {"deliveries": [{"provider": record_provider, "status_code": 200, "success": true}]},
            "execution_record": {"provider": record_provider, "execution_status": "delivered"}}]})
    };
    let v = answer(&execute, result("splunk"));
    assert_eq!(
        v.unknown,
        ["splunk: execution delivered, but it answers the decision for jira (status 200)"]
    );
    assert!(v.delivered.is_empty() && !v.ok(), "{v:?}");
    // The same provider, written another way, is the decision's outcome.
    let v = answer(&execute, result("jira"));
    assert!(v.ok() && v.delivered.len() == 1, "{v:?}");
}

#[test]
fn a_live_result_must_answer_a_decision_the_run_selected_with_its_ids() {
    let execute = defaults::execute_retry("a");
    let splunk = json!({"provider": "splunk", "delivery_id": "d1", "audit_id": "a1"});
    let out = |decision: Value, record: Value| {
        json!({"run": {"run_id": "R", "dry_run": false, "summary": {"selected_retry_count": 1}, "selected_retries": [splunk]},
            "retry_results": [{"decision": decision,
                "delivery": {"deliveries": [{"provider": record["provider"], "status_code": 200, "success": true}]},
                "execution_record": record}]})
    };
    let record = |p: &str, d: &str| json!({"provider": p, "delivery_id": d, "audit_id": "a1", "execution_status": "delivered"});
    let cases = [
        // A result that names no decision (none, or one without a provider).
        (
            Value::Null,
            record("jira", "d9"),
            "jira: execution delivered, but its result names no decision",
        ),
        (
            json!({"provider": ""}),
            record("jira", "d9"),
            "jira: execution delivered, but its result names no decision",
        ),
        // A record about another delivery than its decision.
        (
            splunk.clone(),
            record("splunk", "d0"),
            "splunk: execution delivered, but its delivery_id d0 is not its decision's (d1)",
        ),
        // A decision the run did not select.
        (
            json!({"provider": "jira", "delivery_id": "d1", "audit_id": "a1"}),
            record("jira", "d1"),
            "jira: execution delivered, but the run did not select the decision for jira",
        ),
    ];
    for (decision, rec, said) in cases {
        let v = answer(&execute, out(decision, rec));
        assert_eq!(v.unknown, [format!("{said} (status 200)")]);
        assert!(v.delivered.is_empty() && !v.ok(), "{v:?}");
    }
    let v = answer(&execute, out(splunk.clone(), record("Splunk", "d1")));
    assert!(v.ok() && v.delivered.len() == 1, "{v:?}");
    // A live run that says nothing of how many it selected is unknown, even with no results.
    let bare =
        json!({"run": {"run_id": "R", "dry_run": false, "summary": {}}, "retry_results": []});
    let v = answer(&execute, bare);
    assert!(
        v.outcome_unknown() && v.unknown[0].contains("how many retries"),
        "{v:?}"
    );
}

#[test]
fn a_live_result_is_counted_once_for_a_selected_decision_its_record_and_delivery_confirm() {
    let execute = defaults::execute_retry("a");
    let d = json!({"provider": "webhook", "delivery_id": "d1", "audit_id": "a1"});
    let ok_delivery =
        json!({"deliveries": [{"provider": "webhook", "status_code": 200, "success": true}]});
    let record = json!({"provider": "webhook", "delivery_id": "d1", "audit_id": "a1", "execution_status": "delivered"});
    let result = |record: &Value, delivery: &Value| json!({"decision": d, "delivery": delivery, "execution_record": record});
    let run = |selected: Value, count: u64, results: Vec<Value>| {
        json!({"run": {"run_id": "R", "dry_run": false, "summary": {"selected_retry_count": count}, "selected_retries": selected},
               "retry_results": results})
    };
    let unknown = |out: Value| {
        let v = answer(&execute, out);
        assert!(v.outcome_unknown() && !v.ok(), "{v:?}");
        v.unknown
    };
    // The run lists no readable selection.
    for selected in [Value::Null, json!({"a": 1}), json!("webhook")] {
        let u = unknown(run(selected, 1, vec![result(&record, &ok_delivery)]));
        assert_eq!(
            u,
            [
                "webhook: execution delivered, but the run lists no readable `selected_retries` (status 200)"
            ]
        );
    }
    // Two results for one selected decision: the second is not a second delivery.
    let twice = vec![result(&record, &ok_delivery), result(&record, &ok_delivery)];
    let u = unknown(run(json!([d, d]), 2, twice.clone()));
    assert!(
        u.iter()
            .all(|l| l.contains("lists its decision for webhook more than once")),
        "{u:?}"
    );
    let u = unknown(run(json!([d]), 2, twice));
    assert!(
        u.iter()
            .any(|l| l.contains("answered its decision for webhook already")),
        "{u:?}"
    );
    // A listed selection disagreeing with the count.
    let u = unknown(run(json!([d]), 0, vec![]));
    assert_eq!(
        u,
        ["the run selected 1 retries, but the answer shows 0 result(s)"]
    );
    // A record without the decision's provider or ids.
    for (field, said) in [
        ("provider", "provider (webhook)"),
        ("delivery_id", "delivery_id (d1)"),
    ] {
        let mut lacking = record.clone();
        lacking.as_object_mut().unwrap().remove(field);
        let u = unknown(run(json!([d]), 1, vec![result(&lacking, &ok_delivery)]));
        assert!(
            u[0].contains(&format!("does not name its decision's {said}")),
            "{u:?}"
        );
    }
    // A delivery that has no entry for the record's provider, or none at all.
    let other =
        json!({"deliveries": [{"provider": "splunk", "status_code": 200, "success": true}]});
    for delivery in [other, Value::Null] {
        let u = unknown(run(json!([d]), 1, vec![result(&record, &delivery)]));
        assert!(
            u[0].starts_with("webhook: execution delivered, but its delivery does not confirm it"),
            "{u:?}"
        );
    }
}

#[test]
fn a_live_result_of_a_run_not_known_live_or_skipped_is_unknown() {
    let execute = defaults::execute_retry("a");
    let d = json!({"provider": "webhook"});
    let ok = json!({"deliveries": [{"provider": "webhook", "status_code": 200, "success": true}]});
    let result = json!({"decision": d, "delivery": ok,
        "execution_record": {"provider": "webhook", "execution_status": "delivered"}});
    let run = |dry: Value, result: &Value| {
        json!({"run": {"run_id": "R", "dry_run": dry, "summary": {"selected_retry_count": 1},
            "selected_retries": [d]}, "retry_results": [result]})
    };
    for (dry, said) in [
        (json!(true), "but the run says it was a dry run"),
        (
            json!("false"),
            "but the run does not say it was live (`dry_run`: \"false\")",
        ),
        (
            Value::Null,
            "but the run does not say it was live (`dry_run`: null)",
        ),
    ] {
        let v = answer(&execute, run(dry, &result));
        assert_eq!(
            v.unknown,
            [format!("webhook: execution delivered, {said} (status 200)")]
        );
    }
    let mut skipped = result.clone();
    skipped["skipped"] = json!("connector_config_not_configured");
    let v = answer(&execute, run(json!(false), &skipped));
    assert!(
        v.unknown[0]
            .contains("but its result says it was skipped (connector_config_not_configured)"),
        "{v:?}"
    );
    assert!(answer(&execute, run(json!(false), &result)).ok());
}

#[test]
fn a_result_skipped_false_or_blank_is_not_skipped() {
    let execute = defaults::execute_retry("a");
    let d = json!({"provider": "webhook"});
    for skipped in [json!(false), json!("  "), Value::Null, json!("")] {
        let out = json!({"run": {"run_id": "R", "dry_run": false, "summary": {"selected_retry_count": 1},
            "selected_retries": [d]}, "retry_results": [{"decision": d, "skipped": skipped,
            "delivery": {"deliveries": [{"provider": "webhook", "status_code": 200, "success": true}]},
            "execution_record": {"provider": "webhook", "execution_status": "delivered"}}]});
        assert!(answer(&execute, out).ok(), "{skipped}");
    }
}
