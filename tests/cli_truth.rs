//! The CLI says exactly what happened (issue #8): failed deliveries and unknown destinations
//! exit non-zero and say so, ids come from the item named, and output into a closed pipe ends
//! quietly. Sample mode on a real SQLite store, the real binary.

mod support;

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use serde_json::Value;

use support::cavra;

fn run(home: &std::path::Path, args: &[&str]) -> (Option<i32>, Value, String) {
    let out = cavra(home)
        .args(args)
        .args(["--output", "json"])
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        out.status.code(),
        v,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_failed_delivery_and_an_unknown_destination_exit_non_zero() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    // The scenario's splunk connector answers 503.
    let (code, v, err) = run(
        h,
        &["worker", "alert", "send", "--provider", "splunk", "--yes"],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("delivery FAILED: splunk: status 503"), "{err}");
    assert_eq!(v["success"], false);
    let (code, _, err) = run(
        h,
        &["worker", "alert", "send", "--provider", "nosuch", "--yes"],
    );
    assert_eq!(code, Some(2), "{err}");
    // Named as such before anything is sent, as the console's dialog does.
    assert!(
        err.contains("'nosuch' is not a provider") && err.contains("nothing was sent"),
        "{err}"
    );
    // A destination that names nothing is refused too: never widened to every connector.
    let plans = [
        "history",
        "--filter",
        "kind:acknowledgement-audit-delivery-plan",
    ];
    let (_, before, _) = run(h, &plans);
    for blank in ["", " , "] {
        for cmd in [
            &["audit", "deliver", "--provider", blank, "--yes"][..],
            &["archive", "alert", "send", "--provider", blank, "--yes"][..],
        ] {
            let (code, _, err) = run(h, cmd);
            assert_eq!(code, Some(2), "{cmd:?}: {err}");
            assert!(err.contains("nothing was sent"), "{cmd:?}: {err}");
        }
    }
    let (_, after, _) = run(h, &plans);
    assert!(before["total"].as_u64().is_some());
    assert_eq!(
        after["total"], before["total"],
        "no audit delivery recorded"
    );
    let (code, _, err) = run(
        h,
        &["worker", "alert", "send", "--provider", "webhook", "--yes"],
    );
    assert_eq!(code, Some(0), "{err}");
    // The table says "(simulated)" in sample mode, next to the ✓ or ✗ of each delivery.
    let out = cavra(h)
        .args([
            "worker",
            "alert",
            "send",
            "--provider",
            "splunk",
            "--yes",
            "--output",
            "table",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("✗ splunk: status 503"), "{text}");
    assert!(text.contains("(simulated)"), "{text}");
}

#[test]
fn an_alert_ack_uses_the_named_alerts_own_plan() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    // Two alerts: each evaluation has its own health id and plan.
    let (_, first, _) = run(h, &["worker", "alert", "send", "--yes"]);
    let (_, second, _) = run(h, &["worker", "alert", "send", "--yes"]);
    let (h1, p1) = (
        first["plan"]["health_id"].clone(),
        first["plan"]["plan_id"].clone(),
    );
    let (h2, p2) = (
        second["plan"]["health_id"].clone(),
        second["plan"]["plan_id"].clone(),
    );
    assert_ne!(h1, h2);
    let (code, ack, err) = run(
        h,
        &[
            "worker",
            "alert",
            "ack",
            "--health-id",
            h2.as_str().unwrap(),
            "--yes",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(ack["acknowledgement"]["health_id"], h2);
    assert_eq!(
        ack["acknowledgement"]["plan_id"], p2,
        "not the first alert's {p1}"
    );
    let (code, _, err) = run(
        h,
        &[
            "worker",
            "alert",
            "ack",
            "--health-id",
            "gordackhealth-none",
            "--yes",
        ],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("no outstanding worker alert for health gordackhealth-none"),
        "{err}"
    );
}

#[test]
fn a_retry_ack_takes_the_chosen_providers_decision_of_the_chosen_plan() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let (_, older, _) = run(h, &["retry", "plan", "--yes"]);
    let (_, newer, _) = run(h, &["retry", "plan", "--yes"]);
    let older_id = older["plan"]["retry_plan_id"].as_str().unwrap().to_string();
    assert_ne!(
        Value::from(older_id.clone()),
        newer["plan"]["retry_plan_id"]
    );
    let decision = older["plan"]["retry_decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["provider"] == "servicenow")
        .unwrap()
        .clone();
    let (code, ack, err) = run(
        h,
        &[
            "retry",
            "ack",
            "--plan",
            &older_id,
            "--provider",
            "servicenow",
            "--yes",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let a = &ack["acknowledgement"];
    assert_eq!(a["retry_plan_id"], Value::from(older_id.clone()));
    assert_eq!(a["provider"], "servicenow");
    assert_eq!(a["delivery_id"], decision["delivery_id"]);
    assert_eq!(a["audit_id"], decision["audit_id"]);
    // A provider with no decision in that plan is an error before anything is sent.
    let (code, _, err) = run(
        h,
        &[
            "retry",
            "ack",
            "--plan",
            &older_id,
            "--provider",
            "slack",
            "--yes",
        ],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("no decision for provider slack"), "{err}");
    let (_, hist, _) = run(h, &["history", "--filter", "kind:retry-ack"]);
    assert_eq!(
        hist["total"], 1,
        "only the servicenow acknowledgement was recorded"
    );
}

#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let generated = cavra(h)
        .args([
            "sample",
            "generate",
            "--routes",
            "2000",
            "--history",
            "6000",
            "--yes",
        ])
        .output()
        .unwrap();
    assert!(
        generated.status.success(),
        "{}",
        String::from_utf8_lossy(&generated.stderr)
    );
    for args in [
        &["routes", "--output", "json"][..],
        &["history", "--limit", "500", "--output", "table"][..],
    ] {
        let mut child = cavra(h)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        // The reader is gone (like `| head -1`): the console must not panic.
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!first.is_empty());
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(
            matches!(out.status.code(), Some(0) | Some(141)),
            "{args:?}: {:?} {err}",
            out.status
        );
    }
}
