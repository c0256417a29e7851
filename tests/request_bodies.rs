//! One request per action: the body the TUI sends (the dialog's defaults, fields untouched) is
//! the body the CLI sends (its flags' defaults) and the web console's body (CONTRACT §6.5),
//! checked on the wire at a real contract server on 127.0.0.1.

mod support;

#[path = "support/contract_server/mod.rs"]
mod contract_server;

use std::time::Duration;

use serde_json::{Value, json};

use cavra_tui::actions::{PaneAction, defaults, perform};
use cavra_tui::app::dialog::Field;
use cavra_tui::backend::remote::{Client, RemoteBackend};
use cavra_tui::domain::audit::AuditScope;

const BY: &str = "release-manager";

fn remote(url: &str) -> RemoteBackend {
    let client = Client::new(url.parse().unwrap(), None, None, Duration::from_secs(10)).unwrap();
    RemoteBackend::new("t", client)
}

/// The TUI path: the dialog offers the action's fields, the operator presses y unchanged.
fn through_the_dialog(mut action: PaneAction) -> PaneAction {
    let fields: Vec<Field> = action.fields();
    action.apply_fields(&fields).unwrap();
    action
}

fn cli(url: &str, home: &std::path::Path, args: &[&str]) {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_cavra-tui"));
    support::isolate(&mut c, home);
    let out = c
        .args(["--api", url, "--operator", BY, "--output", "json"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0) | Some(1)),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The last two bodies POSTed to `path_end`: (TUI, CLI).
fn last_two(server: &contract_server::Running, path_end: &str) -> (Value, Value) {
    let posts = server.posts(path_end);
    assert!(posts.len() >= 2, "{path_end}: {} posts", posts.len());
    let n = posts.len();
    (
        posts[n - 2].body.clone().unwrap(),
        posts[n - 1].body.clone().unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tui_and_cli_send_the_web_consoles_bodies() {
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let server = contract_server::start(&dir.path().join("s.db"), None).await;
    let url = server.url();
    let b = remote(&url);
    let cases: Vec<(PaneAction, Vec<&str>, &str, Value)> = vec![
        (
            defaults::run_worker(BY),
            vec!["worker", "run", "--dry-run", "--yes"],
            "/worker-run",
            json!({"generated_by": BY, "dry_run": true, "max_retry_deliveries": 5,
                   "retry_policy": {"max_retry_attempts": 3, "retry_delay_minutes": 0, "allow_immediate_retry": true, "backoff_multiplier": 2},
                   "schedule": {"interval_minutes": 30, "cadence": "every_30_minutes", "enabled": true}}),
        ),
        (
            defaults::send_alert(defaults::ALERT_PROVIDER, BY),
            vec!["worker", "alert", "send", "--yes"],
            "/worker-health-alerts/deliver",
            json!({"generated_by": BY, "provider": "webhook", "force": true, "expected_interval_minutes": 30,
                   "stale_metadata_minutes": 120, "retries": 0, "timeout_seconds": 0.1}),
        ),
        (
            PaneAction::PlanAuditRetry(defaults::retry_policy()),
            vec!["retry", "plan", "--yes"],
            "/retry-plan",
            json!({"generated_by": BY, "retry_policy": {"max_retry_attempts": 3, "retry_delay_minutes": 15, "backoff_multiplier": 2}}),
        ),
        (
            PaneAction::PlanAuditorRetry(defaults::retry_policy()),
            vec!["auditor-retry", "plan", "--yes"],
            "/final-reporting-auditor-export/delivery-retry-plan",
            json!({"generated_by": BY, "retry_policy": {"max_retry_attempts": 3, "retry_delay_minutes": 15, "backoff_multiplier": 2}}),
        ),
        (
            defaults::deliver_audit(
                AuditScope {
                    owner: "payments".into(),
                    ..Default::default()
                },
                "splunk",
                BY,
            ),
            vec![
                "audit",
                "deliver",
                "--provider",
                "splunk",
                "--filter",
                "owner:payments",
                "--yes",
            ],
            "/acknowledgements/audit-delivery",
            json!({"owner": "payments", "delivery_provider": "splunk", "generated_by": BY,
                   "cadence": "on_demand", "schedule_ref": "evidence-console"}),
        ),
    ];
    let web_worker = |cadence: &str| {
        json!({"retry_policy": {"max_retry_attempts": 3, "retry_delay_minutes": 0, "allow_immediate_retry": true, "backoff_multiplier": 2},
               "schedule": {"interval_minutes": 30, "cadence": cadence, "enabled": true}, "max_retry_deliveries": 5, "generated_by": BY})
    };
    let mut execute = web_worker("manual_retry");
    for (k, v) in [
        ("execute", json!(true)),
        ("dry_run", json!(false)),
        ("retries", json!(0)),
        ("timeout_seconds", json!(0.1)),
    ] {
        execute[k] = v;
    }
    let mut auditor = web_worker("every_30_minutes");
    auditor["execute"] = json!(false);
    auditor["dry_run"] = json!(true);
    let cases: Vec<(PaneAction, Vec<&str>, &str, Value)> = cases
        .into_iter()
        .chain([
            (
                defaults::plan_retry_approval(BY),
                vec!["retry", "approval", "plan", "--yes"],
                "/retry-execution-approval-plan",
                json!({"generated_by": BY, "approval_policy": {"require_retry_ack": true}}),
            ),
            (
                defaults::execute_retry(BY),
                vec!["worker", "run", "--execute", "--yes"],
                "/worker-run",
                execute,
            ),
            (
                defaults::recovery_playbook(BY),
                vec!["recovery", "playbook", "--yes"],
                "/connector-recovery-playbook",
                json!({"min_failure_count": 1, "lookback_hours": 24, "generated_by": BY}),
            ),
            (
                defaults::run_auditor_worker(false, BY),
                vec!["auditor-retry", "run", "--yes"],
                "/final-reporting-auditor-export/delivery-retry-worker-run",
                auditor,
            ),
            (
                defaults::send_archive_alert("webhook", BY),
                vec!["archive", "alert", "send", "--yes"],
                "/final-reporting-archive-reference-health-alerts/deliver",
                json!({"generated_by": BY, "provider": "webhook", "force": true, "retries": 0, "timeout_seconds": 0.1}),
            ),
        ])
        .collect();
    for (action, args, path_end, web) in cases {
        let action = through_the_dialog(action);
        perform(&b, action, BY, &[BY.into()]).await.unwrap();
        let url2 = url.clone();
        let home2 = home.path().to_path_buf();
        let args2: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        tokio::task::spawn_blocking(move || {
            let a: Vec<&str> = args2.iter().map(String::as_str).collect();
            cli(&url2, &home2, &a)
        })
        .await
        .unwrap();
        let (tui, cli_body) = last_two(&server, path_end);
        assert_eq!(tui, cli_body, "{path_end}: TUI and CLI differ");
        assert_eq!(tui, web, "{path_end}: differs from the web console (§6.5)");
    }
}

/// Decisions and closures take their ids from the chosen item: the TUI (dialog untouched) and
/// the CLI send the same body, the web console's (§6.5).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approval_decisions_and_closures_send_the_chosen_items_ids() {
    use cavra_tui::actions::choose;
    use cavra_tui::actions::select::{self, DecisionChoice};
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let server = contract_server::start(&dir.path().join("s.db"), None).await;
    let url = server.url();
    let b = remote(&url);
    let actors = [BY.to_string()];
    let run = |a: PaneAction| perform(&b, a, BY, &actors);
    let plan = match run(PaneAction::PlanAuditRetry(defaults::retry_policy()))
        .await
        .unwrap()
    {
        cavra_tui::actions::Acted::Answered { response, .. } => {
            response["plan"].as_object().cloned().unwrap()
        }
        other => panic!("{other:?}"),
    };
    let choice = DecisionChoice {
        provider: Some("splunk"),
        ..Default::default()
    };
    let d = select::retry_decision(&plan, &choice).unwrap();
    run(PaneAction::AckRetry(select::retry_ack(
        &plan, &d, "accepted", BY,
    )))
    .await
    .unwrap();
    run(defaults::plan_retry_approval(BY)).await.unwrap();
    run(defaults::recovery_playbook(BY)).await.unwrap();
    let ap = choose::stored(&b, &choose::APPROVAL_PLAN, None)
        .await
        .unwrap()
        .unwrap();
    let decision = choose::approval_decision(&ap, &DecisionChoice::default()).unwrap();
    let pb = choose::stored(&b, &choose::PLAYBOOK, None)
        .await
        .unwrap()
        .unwrap();
    let closure = choose::closure(&pb, Some("splunk"), &[], "resolved", BY).unwrap();
    let cases = [
        (
            PaneAction::DecideRetryApproval(choose::approval_input(&ap, &decision, "approved", BY)),
            vec![
                "retry",
                "approval",
                "decide",
                "--provider",
                "splunk",
                "--yes",
            ],
            "/decisions",
            json!({"provider": "splunk", "decided_by": BY, "approval_state": "approved", "retry_plan_id": decision["retry_plan_id"].clone(),
                   "delivery_id": d["delivery_id"], "audit_id": d["audit_id"], "external_ref": "", "notes": ""}),
        ),
        (
            PaneAction::CloseRecovery(closure),
            vec!["recovery", "close", "--provider", "splunk", "--yes"],
            "/closures",
            json!({"provider": "splunk", "closed_by": BY, "closure_state": "resolved", "verification_refs": []}),
        ),
    ];
    let mut web_ids = Vec::new();
    for (action, args, path_end, web) in cases {
        if path_end == "/decisions" {
            web_ids.push(ap["approval_plan_id"].as_str().unwrap().to_string());
        } else {
            web_ids.push(pb["playbook_id"].as_str().unwrap().to_string());
        }
        run(through_the_dialog(action)).await.unwrap();
        let (url2, home2) = (url.clone(), home.path().to_path_buf());
        let args2: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        tokio::task::spawn_blocking(move || {
            cli(
                &url2,
                &home2,
                &args2.iter().map(String::as_str).collect::<Vec<_>>(),
            )
        })
        .await
        .unwrap();
        let (tui, cli_body) = last_two(&server, path_end);
        assert_eq!(tui, cli_body, "{path_end}: TUI and CLI differ");
        assert_eq!(tui, web, "{path_end}: differs from the web console (§6.5)");
        let posts = server.posts(path_end);
        let id = web_ids.last().unwrap();
        assert!(
            posts.iter().all(|p| p.path.contains(id.as_str())),
            "{path_end}: the chosen item's id is in the path"
        );
    }
}

/// A state the server would refuse is refused before sending: nothing goes on the wire, and
/// the operator reads the server's words (the domain's checks, shared with sample mode). The
/// TUI and the CLI both send through these backend calls.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_state_the_server_refuses_is_never_sent() {
    use cavra_tui::backend::Backend;
    use cavra_tui::backend::calls::{ApprovalDecisionInput, Call, ClosureInput};
    use cavra_tui::domain::retry::RetryAckInput;
    use cavra_tui::domain::worker_alerts::AlertAckInput;
    let dir = tempfile::tempdir().unwrap();
    let server = contract_server::start(&dir.path().join("s.db"), None).await;
    let b = remote(&server.url());
    let alert = AlertAckInput {
        health_id: "H1".into(),
        provider: "jira".into(),
        acknowledged_by: BY.into(),
        state: "bogus".into(),
        ..Default::default()
    };
    let refused = [
        b.retry_ack(RetryAckInput {
            retry_plan_id: "P1".into(),
            provider: "jira".into(),
            acknowledged_by: BY.into(),
            state: "bogus".into(),
            ..Default::default()
        })
        .await,
        b.call(Call::DecideRetryApproval(ApprovalDecisionInput {
            approval_plan_id: "AP1".into(),
            provider: "jira".into(),
            decided_by: BY.into(),
            approval_state: "bogus".into(),
            ..Default::default()
        }))
        .await,
        b.call(Call::CloseRecovery(ClosureInput {
            playbook_id: "PB1".into(),
            provider: "jira".into(),
            closed_by: BY.into(),
            closure_state: "bogus".into(),
            ..Default::default()
        }))
        .await,
        b.ack_worker_alert(alert.clone()).await,
        b.call(Call::AckArchiveAlert(alert)).await,
    ];
    for r in refused {
        let err = r.expect_err("refused").to_string();
        assert!(err.contains("must be"), "the server's words: {err}");
    }
    let posted: Vec<String> = server
        .seen()
        .into_iter()
        .filter(|s| s.method == "POST")
        .map(|s| s.path)
        .collect();
    assert!(posted.is_empty(), "nothing was POSTed: {posted:?}");
    // What passes the checks is sent as they settled it, never as typed.
    let _ = b
        .call(Call::CloseRecovery(ClosureInput {
            playbook_id: "PB1".into(),
            provider: "jira".into(),
            closed_by: BY.into(),
            closure_state: " Mitigated ".into(),
            ..Default::default()
        }))
        .await;
    let sent = server.posts("/closures");
    let body = sent
        .last()
        .and_then(|s| s.body.clone())
        .expect("the closure was sent");
    assert_eq!(body["closure_state"], "mitigated", "{body}");
}
