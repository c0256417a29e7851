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
use cavra_tui::domain::audit::AuditScope;
use cavra_tui::remote::{Client, RemoteBackend};

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
            vec!["worker", "run", "--dry-run"],
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
