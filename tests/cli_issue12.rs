//! The issue-12 subcommands in sample mode, run as a script would run them (the real binary,
//! isolated XDG dirs, a real SQLite file), and the operator's journey from a failed audit
//! delivery to an executed retry and an acknowledged archive alert.

mod support;

use serde_json::Value;

use support::cavra;

/// Runs with `--output json`; returns (exit code, stdout JSON or Null, stderr).
fn run(home: &std::path::Path, args: &[&str]) -> (i32, Value, String) {
    let out = cavra(home)
        .args(["--output", "json"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        serde_json::from_slice(&out.stdout).unwrap_or(Value::Null),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(home: &std::path::Path, args: &[&str]) -> Value {
    let (code, v, err) = run(home, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    v
}

#[test]
fn journey_plan_ack_approve_execute_then_send_and_ack_an_archive_alert() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let plan = ok(h, &["retry", "plan", "--yes"]);
    assert_eq!(plan["plan"]["retryable_count"], 2);
    let ack = ok(h, &["retry", "ack", "--provider", "splunk", "--yes"]);
    assert_eq!(ack["acknowledgement"]["acknowledgement_state"], "accepted");
    let approvals = ok(h, &["retry", "approval", "plan", "--yes"]);
    assert_eq!(approvals["plan"]["approval_required_count"], 1);
    let decided = ok(
        h,
        &[
            "retry",
            "approval",
            "decide",
            "--provider",
            "splunk",
            "--state",
            "approved",
            "--note",
            "CAB ok",
            "--yes",
        ],
    );
    let decision = &decided["decision"];
    assert_eq!(
        (
            decision["approval_state"].as_str(),
            decision["notes"].as_str()
        ),
        (Some("approved"), Some("CAB ok"))
    );
    assert_eq!(
        decision["delivery_id"], ack["acknowledgement"]["delivery_id"],
        "ids of the chosen decision"
    );

    // Execute Retry: without --yes only the preview (exit 2, nothing sent).
    let (code, _, preview) = run(h, &["worker", "run", "--execute"]);
    assert_eq!(code, 2);
    assert!(
        preview.contains("re-send splunk") && preview.contains("skip    servicenow"),
        "{preview}"
    );
    assert_eq!(ok(h, &["worker", "runs", "--only", "live"])["total"], 0);
    // The simulated splunk connector answers 503: the execution is recorded and is a failure.
    let (code, out, err) = run(h, &["worker", "run", "--execute", "--yes"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("splunk: execution failed (status 503)"),
        "{err}"
    );
    let exec = &out["retry_results"][0]["execution_record"];
    assert_eq!(
        (exec["provider"].as_str(), exec["execution_status"].as_str()),
        (Some("splunk"), Some("failed"))
    );
    assert_eq!(out["run"]["dry_run"], false);
    let runs = ok(h, &["worker", "runs", "--only", "live"]);
    assert_eq!(runs["total"], 1);
    assert_eq!(ok(h, &["worker", "dashboard"])["executed_count"], 1);
    let history = ok(h, &["history", "--filter", "kind:retry-execution-record"]);
    assert_eq!(history["items"][0]["execution_id"], exec["execution_id"]);

    // Archive alert: send to webhook, acknowledge the outstanding one.
    let sent = ok(h, &["archive", "alert", "send", "--yes"]);
    assert_eq!(sent["success"], true);
    assert_eq!(
        sent["delivery"]["simulated"], true,
        "sample mode says it simulated"
    );
    let acked = ok(h, &["archive", "alert", "ack", "--yes"]);
    assert_eq!(
        acked["acknowledgement"]["health_id"],
        sent["plan"]["health_id"]
    );
    assert_eq!(acked["acknowledgement"]["plan_id"], sent["plan"]["plan_id"]);
    let board = ok(h, &["archive", "alert", "dashboard"]);
    assert_eq!(
        (
            board["acknowledgement_count"].as_u64(),
            board["outstanding_acknowledgement_count"].as_u64()
        ),
        (Some(1), Some(0))
    );
    assert_eq!(
        ok(h, &["archive", "alert", "list"])["total"],
        3,
        "plan, delivery, ack"
    );
    let (code, _, err) = run(h, &["archive", "alert", "ack", "--yes"]);
    assert_eq!(code, 1);
    assert!(err.contains("no outstanding archive alert"), "{err}");
}

#[test]
fn recovery_auditor_worker_routing_and_trends() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let pb = ok(h, &["recovery", "playbook", "--yes"]);
    let providers: Vec<&str> = pb["playbook"]["provider_playbooks"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["provider"].as_str())
        .collect();
    assert_eq!(providers, ["servicenow", "splunk"]);
    let closed = ok(
        h,
        &[
            "recovery",
            "close",
            "--provider",
            "splunk",
            "--ref",
            "gordackretryexec-1",
            "--yes",
        ],
    );
    assert_eq!(
        closed["closure"]["playbook_id"],
        pb["playbook"]["playbook_id"]
    );
    assert_eq!(
        closed["closure"]["verification_refs"],
        serde_json::json!(["gordackretryexec-1"])
    );
    let (code, _, err) = run(
        h,
        &[
            "recovery", "close", "--ref", "a", "--ref", "b", "--ref", "c", "--ref", "d", "--yes",
        ],
    );
    assert_eq!(code, 2, "{err}");
    let report = ok(h, &["recovery", "report", "--yes"]);
    assert_eq!(
        (
            report["report"]["recovery_closed_count"].as_u64(),
            report["report"]["recovery_open_count"].as_u64()
        ),
        (Some(1), Some(1))
    );
    let (code, _, _) = run(h, &["recovery", "report"]);
    assert_eq!(code, 2, "the report is recorded: --yes is required");

    let dry = ok(h, &["auditor-retry", "run", "--yes"]);
    assert!(
        dry["retry_results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["skipped"] == "dry_run")
    );
    let live = ok(h, &["auditor-retry", "run", "--execute", "--yes"]);
    assert!(
        live["retry_results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["execution_record"]["execution_status"] == "delivered")
    );

    let suppressed = ok(
        h,
        &["routing", "--filter", "action:suppress", "--limit", "500"],
    );
    assert!(
        suppressed["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["action"] == "suppress")
    );
    let (code, _, err) = run(h, &["routing", "--filter", "state:breached"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = run(h, &["suppression-trends"]);
    assert_eq!(code, 2);
    let trend = ok(h, &["suppression-trends", "--yes"]);
    assert_eq!(
        trend["trend"]["suppression_event_count"],
        suppressed["total"]
    );
    let (code, _, err) = run(h, &["worker", "run"]);
    assert_eq!(code, 2);
    assert!(err.contains("--dry-run|--execute"), "{err}");
}
