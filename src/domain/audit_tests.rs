//! Unit tests pinning the audit package to CONTRACT §4.6.

use super::*;
use crate::domain::ack::{AckInput, AckState, ack_record, build_ack};
use crate::domain::test_fixtures::{contract_sample, fields_of, keys_of, notification_plan};
use chrono::{Duration, TimeZone};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 20, 10, 30, 0).unwrap()
}

fn plan(schedule: &str, minutes_ago: i64, decisions: Value) -> Record {
    notification_plan(now(), schedule, minutes_ago, decisions)
}

fn ack(schedule: &str, provider: &str, state: AckState, minutes_ago: i64) -> Record {
    let input = AckInput {
        route: RouteKey::new(schedule, provider),
        plan_id: String::new(),
        state,
        acknowledged_by: "release-manager".into(),
        external_ref: "CHG-456".into(),
        notes: "n".into(),
    };
    ack_record(&build_ack(&input, now() - Duration::minutes(minutes_ago)))
}

fn d(provider: &str, owner: &str, action: &str) -> Value {
    json!({"provider": provider, "owner": owner, "escalation_owner": "release-governance", "action": action})
}

#[test]
fn contract_test_expectation_after_ack_then_bulk_resolve() {
    let plans = [plan(
        "go_backend_stale_schedule",
        30,
        json!([d("webhook", "release-governance", "deliver")]),
    )];
    let acks = [
        ack(
            "go_backend_stale_schedule",
            "webhook",
            AckState::Acknowledged,
            10,
        ),
        ack(
            "go_backend_stale_schedule",
            "webhook",
            AckState::Resolved,
            5,
        ),
    ];
    let scope = AuditScope {
        owner: "release-governance".into(),
        provider: "webhook".into(),
        ..Default::default()
    };
    let pkg = build_audit_package(&plans, &acks, &scope, "release-manager", now());
    assert_eq!(pkg["route_count"], 1);
    assert_eq!(pkg["resolved_count"], 1);
    assert_eq!(pkg["acknowledgement_count"], 2);
    assert_eq!(pkg["outstanding_count"], 0);
    assert_eq!(pkg["alert_level"], "healthy");
    assert_eq!(pkg["schema_version"], AUDIT_PACKAGE_SCHEMA);
    let route = &pkg["routes"][0];
    assert_eq!(route["acknowledgement_state"], "resolved");
    assert_eq!(route["acknowledged"], true);
    assert_eq!(route["external_ref"], "CHG-456");

    let sample: Value = contract_sample("audit-package-response.json");
    assert_eq!(
        keys_of(&Value::Object(pkg.clone())),
        keys_of(&sample["audit_package"])
    );
    assert_eq!(
        keys_of(route),
        keys_of(&sample["audit_package"]["routes"][0])
    );
    let rec = audit_package_record(&pkg);
    assert_eq!(
        keys_of(&Value::Object(rec.0.clone())),
        keys_of(&sample["metadata"])
    );
}

#[test]
fn escalated_counts_as_outstanding_and_makes_the_package_critical() {
    let plans = [plan(
        "s1",
        30,
        json!([d("slack", "a", "deliver"), d("teams", "b", "deliver")]),
    )];
    let acks = [
        ack("s1", "slack", AckState::Escalated, 1),
        ack("s1", "teams", AckState::Dismissed, 1),
    ];
    let pkg = build_audit_package(&plans, &acks, &AuditScope::default(), "console", now());
    let counts = ["escalated_count", "dismissed_count", "outstanding_count"];
    assert_eq!(fields_of(&pkg, &counts), json!([1, 1, 2]));
    assert_eq!(pkg["alert_level"], "critical");
}

#[test]
fn rows_come_from_every_plan_and_suppressed_rows_are_left_out() {
    let plans = [
        plan("s1", 300, json!([d("slack", "a", "deliver")])),
        plan(
            "s1",
            30,
            json!([d("slack", "a", "deliver"), d("webhook", "a", "suppress")]),
        ),
    ];
    let pkg = build_audit_package(&plans, &[], &AuditScope::default(), "console", now());
    assert_eq!(
        pkg["route_count"], 2,
        "one row per plan, as CAVRA's routing history"
    );
    assert!(
        pkg["routes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["route_action"] == "deliver")
    );
}

#[test]
fn scope_filters_owner_substring_provider_and_schedule_exactly() {
    let plans = [
        plan(
            "s1",
            30,
            json!([
                d("slack", "Payments-Oncall", "deliver"),
                d("teams", "identity", "deliver")
            ]),
        ),
        plan("s2", 30, json!([d("slack", "payments-oncall", "deliver")])),
    ];
    let scope = AuditScope {
        owner: "payments".into(),
        provider: "slack".into(),
        schedule_id: "s1".into(),
    };
    let pkg = build_audit_package(&plans, &[], &scope, "console", now());
    assert_eq!(pkg["route_count"], 1);
    assert_eq!(
        pkg["filters"],
        json!({"schedule_id": "s1", "provider": "slack", "owner": "payments"})
    );
    let scope = AuditScope {
        owner: "governance".into(),
        ..Default::default()
    };
    let pkg = build_audit_package(&plans, &[], &scope, "console", now());
    assert_eq!(pkg["route_count"], 3, "escalation owner matches too");
}

#[test]
fn identical_input_gives_the_same_audit_id() {
    let plans = [plan("s1", 30, json!([d("slack", "a", "deliver")]))];
    let a = build_audit_package(&plans, &[], &AuditScope::default(), "console", now());
    let b = build_audit_package(
        &plans,
        &[],
        &AuditScope::default(),
        "console",
        now() + Duration::minutes(1),
    );
    assert_eq!(a["audit_id"], b["audit_id"]);
    assert_ne!(a["generated_at"], b["generated_at"]);
}

#[test]
fn route_ids_hash_cavras_json_and_routes_keep_plan_and_decision_order() {
    // Two plans at the same instant: ascending plan id first; decisions in plan order.
    let mut b = plan(
        "s2",
        30,
        json!([d("teams", "b", "deliver"), d("slack", "a", "deliver")]),
    );
    let a = plan("s1", 30, json!([d("webhook", "c", "deliver")]));
    b.0.insert("session_id".into(), json!("gordn-z"));
    let pkg = build_audit_package(&[b, a], &[], &AuditScope::default(), "console", now());
    let routes = pkg["routes"].as_array().unwrap();
    let order: Vec<(&str, &str)> = routes
        .iter()
        .map(|r| {
            (
                r["schedule_id"].as_str().unwrap(),
                r["provider"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(order, [("s1", "webhook"), ("s2", "teams"), ("s2", "slack")]);
    let r = &routes[0];
    let material = json!({"plan_id": "gordn-s1-30", "schedule_id": "s1", "provider": "webhook",
                          "owner": "c", "action": "deliver", "reason": "",
                          "created_at": r["route_created_at"]});
    assert_eq!(
        r["route_id"],
        make_id("gordroute", &crate::domain::ids::py_json(&material))
    );
    assert_eq!(
        crate::domain::ids::py_json(&material),
        format!(
            r#"{{"action": "deliver", "created_at": "{}", "owner": "c", "plan_id": "gordn-s1-30", "provider": "webhook", "reason": "", "schedule_id": "s1"}}"#,
            r["route_created_at"].as_str().unwrap()
        )
    );
    let expected_audit = make_id(
        "gordackaudit",
        &crate::domain::ids::py_json(
            &json!({"filters": pkg["filters"], "generated_by": "console",
                                             "route_entries": pkg["routes"]}),
        ),
    );
    assert_eq!(pkg["audit_id"], expected_audit);
    let rec = audit_package_record(&pkg);
    assert_eq!(
        rec.0["decision_count"], 3,
        "decision_count is the route count"
    );
    assert_eq!(rec.0["blocked_count"], 3, "outstanding plus escalated");
    assert_eq!(rec.0["approval_required_count"], 3, "outstanding");
}
