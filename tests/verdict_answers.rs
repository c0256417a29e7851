//! What an action's answer must hold, read from outside: the contract's samples show each
//! record and say how each delivery went; a delivery answer without its delivery part (or
//! without an entry for a selected provider) is an unknown outcome, and `delivery: null` is
//! fine only when the plan selected no provider (CONTRACT §4.3, §4.7, §4.12).

use cavra_tui::actions::expected::expected;
use cavra_tui::actions::verdict::Verdict;
use cavra_tui::actions::{PaneAction, defaults};
use serde_json::json;

/// What `action`'s answer `out` says, read against what that answer must hold.
fn answer(action: &PaneAction, out: serde_json::Value) -> Verdict {
    Verdict::answer(out.as_object().unwrap(), expected(action))
}

fn contract(name: &str) -> serde_json::Value {
    let path = format!(
        "{}/tests/fixtures/contract/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_contract_samples_show_each_record_and_say_how_each_delivery_went() {
    let ack = cavra_tui::domain::retry::RetryAckInput::default();
    let shown = [
        (PaneAction::AckRetry(ack), "retry-ack-response.json"),
        (defaults::run_worker("a"), "worker-run-response.json"),
        (
            PaneAction::PlanAuditRetry(defaults::retry_policy()),
            "retry-plan-response.json",
        ),
    ];
    for (action, name) in shown {
        let v = answer(&action, contract(name));
        assert!(v.ok() && v.problem().is_none(), "{name}: {v:?}");
    }
    // Both delivering samples record a webhook delivery that failed (status 0).
    let audit = cavra_tui::domain::audit::AuditScope::default();
    for (action, name) in [
        (
            defaults::deliver_audit(audit, "webhook", "a"),
            "audit-delivery-response.json",
        ),
        (
            defaults::send_alert("webhook", "a"),
            "worker-health-alert-deliver-response.json",
        ),
    ] {
        let v = answer(&action, contract(name));
        assert!(v.unshown.is_none() && v.unknown.is_empty(), "{name}: {v:?}");
        assert_eq!(
            v.failed,
            ["webhook: status 0 (connector endpoint unreachable)"],
            "{name}"
        );
        assert_eq!(v.heading().as_deref(), Some("DELIVERY FAILED"));
    }
}

#[test]
fn a_delivery_answer_without_its_delivery_part_is_unknown() {
    let alert = defaults::send_alert("slack", "a");
    let plan =
        |selected: serde_json::Value| json!({"plan_id": "P", "selected_providers": selected});
    let unknown = |out: serde_json::Value| answer(&alert, out).unknown;
    // Nothing selected: `delivery: null` is how the server says nothing was sent.
    let v = answer(
        &alert,
        json!({"plan": plan(json!([])), "delivery": null, "success": true}),
    );
    assert!(v.ok(), "{v:?}");
    assert_eq!(
        unknown(json!({"plan": plan(json!(["slack"])), "delivery": null, "success": true})),
        [
            "the answer does not say how the delivery went: `delivery` is null, and no plan shows that none was selected"
        ]
    );
    assert_eq!(
        unknown(json!({"plan": plan(json!(["slack"])), "delivery": "sent", "success": true})),
        ["the answer does not say how the delivery went: its `delivery` is not an object"]
    );
    assert_eq!(
        unknown(
            json!({"plan": plan(json!(["slack"])), "delivery": {"success": true}, "success": true})
        ),
        ["the answer's `delivery` has no `deliveries` list"]
    );
    let two = json!({"plan": plan(json!(["slack", "Teams"])), "success": true,
        "delivery": {"deliveries": [{"provider": "slack", "status_code": 200, "success": true}]}});
    let v = answer(&alert, two);
    assert_eq!(v.delivered, ["slack: status 200"]);
    assert_eq!(v.unknown, ["teams: no delivery result in the answer"]);
    assert_eq!(v.heading().as_deref(), Some("DELIVERY OUTCOME UNKNOWN"));
}
