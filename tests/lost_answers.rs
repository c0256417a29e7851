//! A write whose answer is lost is found out, never guessed: through a proxy on 127.0.0.1 that
//! forwards a write to a real contract server and then drops the answer, the console reports
//! the write recorded (and the server holds exactly one); when the re-read fails too, the
//! outcome is "unknown" (CLI exit 4); when the server is gone before sending, "not recorded".
//! A delivering action found recorded is not a success: how its deliveries went was in the
//! lost answer, so the CLI says they were not seen and exits 4.

mod support;

#[path = "support/contract_server/mod.rs"]
mod contract_server;
#[path = "support/lossy_proxy.rs"]
mod lossy_proxy;

use std::sync::atomic::Ordering;
use std::time::Duration;

use cavra_tui::actions::{Acted, PaneAction, defaults, perform};
use cavra_tui::backend::remote::{Client, RemoteBackend};
use cavra_tui::backend::{Backend, BackendError};
use cavra_tui::domain::ack::AckState;
use cavra_tui::domain::history::HistoryQuery;
use cavra_tui::domain::query::Page;
use cavra_tui::domain::record::kind;

fn remote(url: &str) -> RemoteBackend {
    let client = Client::new(url.parse().unwrap(), None, None, Duration::from_secs(5))
        .unwrap()
        .with_backoff(Duration::from_millis(5));
    RemoteBackend::new("t", client)
}

async fn count(server: &contract_server::Running, k: &str, note: Option<&str>) -> usize {
    let q = HistoryQuery {
        metadata_kind: Some(k.into()),
        ..Default::default()
    };
    let page = server
        .state
        .backend
        .history(q, Page::first(500))
        .await
        .unwrap();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| note.is_none_or(|n| r.to_string().contains(n)))
        .count()
}

#[tokio::test]
async fn a_route_ack_whose_answer_is_lost_is_reported_recorded_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = contract_server::start(&dir.path().join("s.db"), None).await;
    let proxy = lossy_proxy::start(server.addr).await;
    let b = remote(&proxy.url());
    let rows = b.routes().await.unwrap();
    let row = rows.iter().find(|r| r.is_outstanding()).unwrap();
    let plan = cavra_tui::ops::plan_routes(&[row], AckState::Acknowledged);
    proxy.lossy.drop_post_answers.store(true, Ordering::SeqCst);
    let out = cavra_tui::ops::record(
        &b,
        &plan,
        AckState::Acknowledged,
        "alice",
        "CHG-7",
        "lost-answer-note-1",
        &["alice".into()],
    )
    .await
    .unwrap();
    assert_eq!(
        proxy.lossy.dropped.load(Ordering::SeqCst),
        1,
        "the answer was dropped"
    );
    assert_eq!(out.recorded, vec![row.key()], "{out:?}");
    assert!(
        out.not_recorded.is_empty() && out.unknown.is_empty(),
        "{out:?}"
    );
    assert_eq!(
        count(&server, kind::NOTIFICATION_ACK, Some("lost-answer-note-1")).await,
        1,
        "exactly one record on the server"
    );
}

#[tokio::test]
async fn a_pane_action_whose_answer_is_lost_is_found_on_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let server = contract_server::start(&dir.path().join("s.db"), None).await;
    let proxy = lossy_proxy::start(server.addr).await;
    let b = remote(&proxy.url());
    let before = count(&server, kind::RETRY_PLAN, None).await;
    proxy.lossy.drop_post_answers.store(true, Ordering::SeqCst);
    let action = PaneAction::PlanAuditRetry(defaults::retry_policy());
    let acted = perform(&b, action, "alice", &["alice".into()])
        .await
        .unwrap();
    let Acted::FoundStored { record, .. } = &acted else {
        panic!("{acted:?}")
    };
    assert_eq!(record.kind(), kind::RETRY_PLAN);
    assert!(acted.summary("Plan Audit Retry").contains("recorded"));
    assert_eq!(count(&server, kind::RETRY_PLAN, None).await, before + 1);
}

#[tokio::test]
async fn a_lost_answer_that_cannot_be_re_read_is_unknown_not_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = contract_server::start(&dir.path().join("s.db"), None).await;
    let proxy = lossy_proxy::start(server.addr).await;
    let b = remote(&proxy.url());
    proxy.lossy.drop_post_answers.store(true, Ordering::SeqCst);
    proxy.lossy.refuse_after_drop.store(true, Ordering::SeqCst);
    let action = defaults::run_worker("alice");
    let acted = perform(&b, action, "alice", &["alice".into()])
        .await
        .unwrap();
    assert!(matches!(acted, Acted::Unknown { .. }), "{acted:?}");
    assert_eq!(acted.stored(), None);
    let line = acted.summary("Run Audit Worker");
    assert!(
        line.contains("OUTCOME UNKNOWN") && !line.contains("nothing recorded"),
        "{line}"
    );
    assert!(
        count(&server, kind::WORKER_RUN, Some("alice")).await >= 1,
        "it was stored"
    );
}

#[tokio::test]
async fn a_write_to_a_server_that_is_gone_was_provably_not_sent() {
    // Bind and drop a listener: nothing listens on that port any more.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let b = remote(&format!("http://{addr}"));
    let err = perform(&b, defaults::run_worker("alice"), "alice", &[])
        .await
        .unwrap_err();
    assert!(matches!(err, BackendError::Unavailable(_)), "{err:?}");
    assert!(err.to_string().contains("refused"), "{err}");
}

#[test]
fn the_cli_exits_4_when_the_outcome_is_unknown_and_0_when_found_recorded() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (server, proxy) = rt.block_on(async {
        let server = contract_server::start(&dir.path().join("s.db"), None).await;
        let proxy = lossy_proxy::start(server.addr).await;
        (server, proxy)
    });
    let _keep = &server;
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_cavra-tui"));
        support::isolate(&mut c, home.path());
        c.args(["--api", &proxy.url(), "--output", "json"])
            .args(args);
        c.output().unwrap()
    };
    proxy.lossy.drop_post_answers.store(true, Ordering::SeqCst);
    let found = run(&["retry", "plan", "--yes"]);
    let err = String::from_utf8_lossy(&found.stderr);
    assert_eq!(found.status.code(), Some(0), "{err}");
    assert!(
        err.contains("found on the server after the answer was lost"),
        "{err}"
    );
    let out: serde_json::Value = serde_json::from_slice(&found.stdout).unwrap();
    assert_eq!(out["outcome"], "recorded");
    proxy.lossy.refuse_after_drop.store(true, Ordering::SeqCst);
    let unknown = run(&["retry", "plan", "--yes"]);
    let err = String::from_utf8_lossy(&unknown.stderr);
    assert_eq!(unknown.status.code(), Some(4), "{err}");
    assert!(err.contains("OUTCOME UNKNOWN"), "{err}");
}

#[tokio::test]
async fn issue12_writes_whose_answer_is_lost_are_found_on_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let server = contract_server::start(&dir.path().join("s.db"), None).await;
    let proxy = lossy_proxy::start(server.addr).await;
    let b = remote(&proxy.url());
    // Those that deliver to connectors: the record is found, their deliveries are not seen.
    let cases = [
        (
            defaults::plan_retry_approval("alice"),
            kind::RETRY_APPROVAL_PLAN,
            false,
        ),
        (defaults::execute_retry("alice"), kind::WORKER_RUN, true),
        (
            defaults::recovery_playbook("alice"),
            kind::RECOVERY_PLAYBOOK,
            false,
        ),
        (
            defaults::run_auditor_worker(true, "alice"),
            kind::AUDITOR_RETRY_WORKER_RUN,
            true,
        ),
        (
            defaults::run_auditor_worker(false, "alice"),
            kind::AUDITOR_RETRY_WORKER_RUN,
            false,
        ),
        (
            defaults::send_archive_alert("webhook", "alice"),
            kind::ARCHIVE_ALERT_PLAN,
            true,
        ),
    ];
    for (action, k, delivers) in cases {
        let title = action.title();
        let before = count(&server, k, None).await;
        proxy.lossy.drop_post_answers.store(true, Ordering::SeqCst);
        let acted = perform(&b, action, "alice", &["alice".into()])
            .await
            .unwrap();
        proxy.lossy.drop_post_answers.store(false, Ordering::SeqCst);
        let Acted::FoundStored {
            record,
            unseen_deliveries,
            ..
        } = &acted
        else {
            panic!("{k}: {acted:?}")
        };
        assert_eq!(record.kind(), k);
        assert_eq!(*unseen_deliveries, delivers, "{title}");
        assert_eq!(acted.outcome_unknown(), delivers, "{title}");
        assert_eq!(
            acted
                .summary(title)
                .contains("recorded, but the delivery outcomes were not seen"),
            delivers,
            "{title}: {}",
            acted.summary(title)
        );
        assert_eq!(
            count(&server, k, None).await,
            before + 1,
            "{k}: stored once"
        );
    }
}

use support::remote_cli as run_cli;

#[test]
fn a_delivering_action_whose_answer_is_lost_is_recorded_with_its_deliveries_unknown() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (server, proxy) = rt.block_on(async {
        let server = contract_server::start(&dir.path().join("s.db"), None).await;
        let proxy = lossy_proxy::start(server.addr).await;
        (server, proxy)
    });
    let (url, home) = (proxy.url(), dir.path().join("home"));
    // Splunk's audit delivery is approved for a retry (its connector answers 503).
    for args in [
        &["retry", "plan", "--yes"][..],
        &["retry", "ack", "--provider", "splunk", "--yes"],
        &["retry", "approval", "plan", "--yes"],
        &[
            "retry",
            "approval",
            "decide",
            "--provider",
            "splunk",
            "--yes",
        ],
    ] {
        let (code, _, err) = run_cli(&home, &url, args);
        assert_eq!(code, Some(0), "{args:?}: {err}");
    }
    proxy.lossy.drop_post_answers.store(true, Ordering::SeqCst);
    let cases: [(&[&str], &str, &str); 2] = [
        (
            &["worker", "run", "--execute", "--yes", "--output", "json"],
            "Execute Retry",
            "/worker-run",
        ),
        (
            &[
                "audit",
                "deliver",
                "--provider",
                "splunk",
                "--yes",
                "--output",
                "json",
            ],
            "Deliver Ack Audit",
            "/acknowledgements/audit-delivery",
        ),
    ];
    for (args, title, post) in cases {
        let dropped = proxy.lossy.dropped.load(Ordering::SeqCst);
        let (code, out, err) = run_cli(&home, &url, args);
        assert_eq!(server.posts(post).len(), 1, "{title} was sent once: {err}");
        assert_eq!(proxy.lossy.dropped.load(Ordering::SeqCst), dropped + 1);
        assert_eq!(code, Some(4), "{title}: outcome unknown: {err}");
        assert!(
            err.contains(&format!(
                "error: {title}: recorded, but the delivery outcomes were not seen ("
            )) && err.contains("found on the server after the answer was lost")
                && err.contains("`cavra-tui history`"),
            "{title}: {err}"
        );
        let out: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(out["outcome"], "recorded_delivery_unknown", "{title}");
        assert!(out["record"]["session_id"].is_string(), "{out}");
    }
}
