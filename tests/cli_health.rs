//! The delivery-health subcommands (issue #3), run as a script on a bastion would run them.

mod support;

use assert_cmd::assert::OutputAssertExt;
use predicates::prelude::*;
use serde_json::Value;

use support::cavra;

fn json(home: &std::path::Path, args: &[&str]) -> Value {
    let out = cavra(home)
        .args(args)
        .args(["--output", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn dashboard_history_and_the_recommended_flow_as_subcommands() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let board = json(h, &["dashboard"]);
    assert_eq!(board["acknowledgement_audit_delivery_health"], "critical");
    assert_eq!(
        board["schema_version"],
        "cavra.go-backend-pilot.rollback-drill-notification-dashboard.v1"
    );
    let failed_siem = json(h, &["history", "--filter", "provider:siem state:failed"]);
    assert!(
        failed_siem["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["delivery_success"] == false)
    );
    assert!(!failed_siem["items"].as_array().unwrap().is_empty());

    let plan = json(h, &["retry", "plan", "--yes"]);
    assert_eq!(plan["plan"]["retryable_count"], 2);
    let run = json(h, &["worker", "run", "--dry-run", "--yes"]);
    assert_eq!(run["run"]["dry_run"], true);
    assert_eq!(json(h, &["worker", "health"])["missed_run_count"], 0);
    let alert = json(
        h,
        &["worker", "alert", "send", "--provider", "webhook", "--yes"],
    );
    assert_eq!(
        alert["plan"]["selected_providers"],
        serde_json::json!(["webhook"])
    );
    let ack = json(h, &["retry", "ack", "--yes", "--note", "owner paged"]);
    assert_eq!(ack["acknowledgement"]["acknowledgement_state"], "accepted");
    assert_eq!(ack["acknowledgement"]["acknowledged_by"], "tester");
    let hist = json(h, &["history", "--filter", "kind:retry-ack"]);
    assert_eq!(hist["total"], 1);
    let alert_ack = json(h, &["worker", "alert", "ack", "--yes"]);
    assert_eq!(alert_ack["acknowledgement"]["provider"], "webhook");
    assert_eq!(
        json(h, &["worker", "alert", "dashboard"])["outstanding_acknowledgement_count"],
        0
    );
    let after = json(h, &["dashboard"]);
    assert_eq!(after["acknowledgement_audit_delivery_retry_ack_count"], 1);
    assert_eq!(
        after["acknowledgement_audit_delivery_worker_health_alert_ack_count"],
        1
    );
}

#[test]
fn audit_deliver_auditor_retry_and_archive_health() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let out = cavra(h)
        .args([
            "audit",
            "deliver",
            "--provider",
            "servicenow",
            "--filter",
            "owner:payments",
            "--yes",
            "--output",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "a failed (simulated) delivery exits non-zero"
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["delivery"]["deliveries"][0]["status_code"], 500);
    assert_eq!(v["audit_package"]["filters"]["owner"], "payments");
    let plan = json(h, &["auditor-retry", "plan", "--yes"]);
    let actions: Vec<&str> = plan["plan"]["retry_decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"suppress"), "{actions:?}");
    let look = json(h, &["archive", "health"]);
    assert_eq!(look["health"]["missing_archive_reference_count"], 1);
    assert_eq!(
        json(h, &["dashboard"])["acknowledgement_audit_delivery_final_reporting_archive_reference_health_count"],
        0
    );
    json(h, &["archive", "health", "--record", "--yes"]);
    assert_eq!(
        json(h, &["dashboard"])["acknowledgement_audit_delivery_final_reporting_archive_reference_health_count"],
        1
    );
}

#[test]
fn recording_subcommands_refuse_without_yes_and_bad_input_is_clear() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    for args in [
        vec!["retry", "plan"],
        vec!["retry", "ack"],
        vec!["auditor-retry", "plan"],
        vec!["worker", "alert", "send"],
        vec!["audit", "deliver", "--provider", "jira"],
        vec!["archive", "health", "--record"],
        vec!["worker", "run"],
    ] {
        cavra(h)
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--"));
    }
    cavra(h)
        .args(["audit", "deliver", "--provider", "pagerduty", "--yes"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "connector provider is not configured: pagerduty",
        ));
    cavra(h)
        .args(["history", "--filter", "colour:red"])
        .assert()
        .code(2);
    cavra(h)
        .args(["retry", "ack", "--yes", "--state", "approved"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "has no retry decision: run `cavra-tui retry plan --yes`",
        ));
    cavra(h).args(["retry", "plan", "--yes"]).assert().success();
    cavra(h)
        .args(["retry", "ack", "--yes", "--state", "approved"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "acknowledgement_state must be accepted, deferred, escalated, resolved, or dismissed",
        ));
    let table = cavra(h)
        .args(["dashboard", "--output", "table"])
        .output()
        .unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(
        text.contains("Audit success rate") && text.contains("50.0%"),
        "{text}"
    );
}
