//! Issue 10, thin and mistyped answers: a server answering `{}`, `[]`, `null`, a bare string,
//! a number, an object whose every known field has the wrong type, or history items that are
//! not records, to every request. Every subcommand in both formats must end with a clean exit
//! code (0 ok, 1 error, 2 usage, 3 partly recorded, 4 outcome unknown) and never panic. A
//! `deliver` answer without a boolean `success` is an outcome unknown (4), not a failure.

mod support;

#[path = "support/contract_server/mod.rs"]
mod contract_server;
#[path = "support/hostile.rs"]
mod hostile;

use serde_json::{Value, json};

use cavra_tui::domain::record::kind;

/// Every field the console reads, with a value of the wrong type.
fn wrong_types() -> Value {
    json!({
        "items": {"not": "a list"}, "total": "many", "offset": -3, "limit": [],
        "mode": 7, "authenticated": "yes", "auth_required": 1, "actor": {"x": 1},
        "permissions": "all", "acknowledge_drill_notifications": "true", "oidc_configured": [],
        "plan": "a plan", "run": 5, "health": [], "alerts": "none", "delivery_plan": 1,
        "delivery": "ok", "deliveries": {"a": 1}, "acknowledgement": [], "audit_package": 3,
        "success": "true", "retry_decisions": {"a": 1}, "selected_providers": "slack",
        "suppressed_providers": 9, "follow_up_actions": "x", "recommended_actions": {"a": 1},
        "outstanding_acknowledgements": "x", "alert_level": 3, "metadata": [], "detail": 5,
        "acknowledgement_audit_delivery_success_rate": "high", "created_at": 1e308,
    })
}

/// History items that are not records, and records whose fields are nonsense.
fn odd_items() -> Value {
    json!({
        "total": 7, "offset": 0, "limit": 200,
        "items": [
            null, 1, "s", [],
            {"metadata_kind": kind::NOTIFICATION_PLAN, "session_id": 5, "created_at": "not-a-date",
             "schedule_id": 1234, "plan": {"route_decisions": [null, 3, {"provider": {}},
                {"provider": "slack", "owner": 5, "acknowledgement_minutes": "sixty"},
                {"provider": 9, "acknowledgement_minutes": 1e308, "action": ["suppress"]}]}},
            {"metadata_kind": kind::NOTIFICATION_ACK, "schedule_id": 1234, "provider": "slack",
             "acknowledgement_state": 4, "created_at": {"t": 1}, "acknowledgement": "x"},
            {"metadata_kind": kind::RETRY_PLAN,
             "acknowledgement_audit_delivery_retry_plan": {"retry_decisions": [1, {"provider": 2}]}}
        ]
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn every_subcommand_survives_thin_and_mistyped_answers() {
    let bodies = [
        ("{}", json!({})),
        ("[]", json!([])),
        ("null", Value::Null),
        ("string", json!("ok")),
        ("number", json!(42)),
        ("wrong types", wrong_types()),
        ("odd items", odd_items()),
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut servers = Vec::new();
    for (name, body) in bodies {
        servers.push((name, hostile::thin(body).await));
    }
    let home = dir.path().join("home");
    let runs = tokio::task::spawn_blocking(move || {
        let mut runs = 0;
        for (name, url) in &servers {
            for output in ["table", "json"] {
                for args in hostile::subcommands("payments_api_monthly/teams") {
                    let o = hostile::run(&home, url, &args, output);
                    let what = format!("{name} {output} {}", args.join(" "));
                    let stderr = String::from_utf8_lossy(&o.stderr);
                    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
                    assert!(
                        matches!(o.status.code(), Some(0..=4)),
                        "{what}: exit {:?}: {stderr}",
                        o.status.code()
                    );
                    if o.status.code() != Some(0) {
                        let said = format!("{}{stderr}", String::from_utf8_lossy(&o.stdout));
                        assert!(
                            [
                                "error",
                                "unavailable",
                                "FAILED",
                                "UNKNOWN",
                                "not_recorded",
                                "unknown"
                            ]
                            .iter()
                            .any(|w| said.contains(w)),
                            "{what}: a failure says why: {said}"
                        );
                    }
                    hostile::assert_clean(&what, &o);
                    runs += 1;
                }
            }
        }
        runs
    })
    .await
    .unwrap();
    println!("thin answers: {runs} runs, none panicked");
}

#[tokio::test(flavor = "multi_thread")]
async fn unreadable_dates_and_slos_are_marked_and_numeric_ids_keep_their_routes() {
    let url = hostile::thin(odd_items()).await;
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let (table, json) = tokio::task::spawn_blocking(move || {
        let args = vec!["routes".to_string()];
        (
            hostile::run(&home, &url, &args, "table"),
            hostile::run(&home, &url, &args, "json"),
        )
    })
    .await
    .unwrap();
    let out = String::from_utf8_lossy(&table.stdout);
    let err = String::from_utf8_lossy(&table.stderr);
    assert_eq!(table.status.code(), Some(0), "{out}{err}");
    assert!(out.contains("DATA"), "{out}");
    for provider in ["slack", "9"] {
        let line = out
            .lines()
            .find(|l| l.split_whitespace().take(2).eq(["1234", provider]))
            .unwrap_or_else(|| panic!("1234/{provider}: {out}"));
        assert!(line.contains("? / 60m?"), "no made-up age: {line}");
        assert!(line.contains("BREACHED"), "a breach is not hidden: {line}");
        assert!(
            line.contains("invalid date") && line.contains("invalid SLO"),
            "{line}"
        );
    }
    assert!(
        out.contains("'not-a-date'") && out.contains("'sixty'") && out.contains("'1e+308'"),
        "{out}"
    );
    assert!(
        err.contains("warning: 2 of 2 routes come from records that could not be read"),
        "{err}"
    );
    let v: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        v[0]["flaws"][0],
        json!({"flaw": "invalid_date", "value": "not-a-date"})
    );
    assert_eq!(
        v[0]["flaws"][1],
        json!({"flaw": "invalid_slo", "value": "sixty"})
    );
    assert_eq!(
        v[1]["flaws"][1],
        json!({"flaw": "invalid_slo", "value": "1e+308"})
    );
    assert!(String::from_utf8_lossy(&json.stderr).contains("warning: 2 of 2 routes"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deliver_answer_without_a_boolean_success_is_an_unknown_outcome_not_a_failure() {
    let plan = json!({"plan_id": "gordn-1", "schedule_id": "payments_api_monthly",
                      "status": "planned", "deliverable_route_count": 1, "suppressed_route_count": 0});
    for (name, success) in [("missing", None), ("a string", Some(json!("true")))] {
        let mut body = json!({"plan": plan, "delivery": {"deliveries": []}});
        if let Some(s) = success {
            body["success"] = s;
        }
        let url = hostile::thin(body).await;
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        let o = tokio::task::spawn_blocking(move || {
            hostile::run(&home, &url, &["deliver".into(), "--yes".into()], "table")
        })
        .await
        .unwrap();
        let (out, err) = (
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        );
        assert_eq!(o.status.code(), Some(4), "{name}: {out}{err}");
        assert!(
            out.contains("delivery UNKNOWN") && !out.contains("FAILED"),
            "{name}: {out}"
        );
        assert!(
            err.contains("does not say whether the delivery succeeded")
                && err.contains("check `cavra-tui history` before trying again"),
            "{name}: {err}"
        );
    }
}
