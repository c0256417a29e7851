//! Issue 12 on a real 127.0.0.1 contract server and on the sample engine: one suite both
//! backends pass (approvals, Execute Retry, worker history, recovery, the auditor worker,
//! archive alerts, routing history, suppression trends), what goes over the wire, reads that
//! never write, and endpoint discovery (`/console/config`) refusing before anything is sent.

mod support;

#[path = "support/contract_server/mod.rs"]
mod contract_server;

use std::time::Duration;

use serde_json::{Value, json};

use cavra_tui::actions::select::{self, DecisionChoice};
use cavra_tui::actions::{Acted, PaneAction, choose, defaults, perform, preview};
use cavra_tui::backend::calls::checked;
use cavra_tui::backend::remote::{Client, RemoteBackend};
use cavra_tui::backend::sample::SampleBackend;
use cavra_tui::backend::{Backend, BackendError, Call, Endpoint, Json};
use cavra_tui::domain::histories::RoutingQuery;
use cavra_tui::domain::history::HistoryQuery;
use cavra_tui::domain::query::Page;
use contract_server::ConfigMode;

const BY: &str = "release-manager";

fn remote(url: &str) -> RemoteBackend {
    let client = Client::new(url.parse().unwrap(), None, None, Duration::from_secs(10)).unwrap();
    RemoteBackend::new("t", client)
}

async fn act(b: &dyn Backend, a: PaneAction) -> (Json, bool) {
    match perform(b, a, BY, &[BY.into()]).await.unwrap() {
        Acted::Answered { response, verdict } => (response, verdict.ok()),
        other => panic!("{other:?}"),
    }
}

fn obj<'a>(v: &'a Json, k: &str) -> &'a Json {
    v.get(k).and_then(Value::as_object).unwrap()
}

async fn count(b: &dyn Backend) -> u64 {
    let page = b
        .history(HistoryQuery::default(), Page::first(1))
        .await
        .unwrap();
    page.get("total").and_then(Value::as_u64).unwrap()
}

/// The journey of issue 12, and what both backends must compute alike. Returns facts to compare.
async fn suite(b: &dyn Backend) -> Vec<Value> {
    let mut facts = Vec::new();
    // Reads never write.
    let before = count(b).await;
    for call in [
        Call::WorkerRuns {
            dry_run: None,
            page: Page::first(50),
        },
        Call::WorkerDashboard,
        Call::ArchiveAlertDashboard,
        Call::Routes {
            query: RoutingQuery::default(),
            page: Page::first(50),
        },
    ] {
        assert!(!call.writes());
        checked(b, call).await.unwrap();
    }
    preview::records(b).await.unwrap();
    assert_eq!(count(b).await, before, "a refresh read wrote a record");

    // Plan a retry, ack splunk's decision, plan approvals, approve it, execute.
    let (plan, _) = act(b, PaneAction::PlanAuditRetry(defaults::retry_policy())).await;
    let plan = obj(&plan, "plan").clone();
    let choice = DecisionChoice {
        provider: Some("splunk"),
        ..Default::default()
    };
    let d = select::retry_decision(&plan, &choice).unwrap();
    act(
        b,
        PaneAction::AckRetry(select::retry_ack(&plan, &d, "accepted", BY)),
    )
    .await;
    let (ap, _) = act(b, defaults::plan_retry_approval(BY)).await;
    let ap = obj(&ap, "plan").clone();
    facts.push(json!(ap["approval_required_count"]));
    let stored = choose::stored(b, &choose::APPROVAL_PLAN, None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored["approval_plan_id"], ap["approval_plan_id"],
        "the latest plan is read back"
    );
    let decision = choose::approval_decision(&ap, &DecisionChoice::default()).unwrap();
    assert_eq!(
        decision["provider"], "splunk",
        "the decision asking for approval"
    );
    let input = choose::approval_input(&ap, &decision, "approved", BY);
    let (dec, _) = act(b, PaneAction::DecideRetryApproval(input)).await;
    assert_eq!(obj(&dec, "decision")["delivery_id"], d["delivery_id"]);
    let PaneAction::ExecuteRetry(req) = defaults::execute_retry(BY) else {
        unreachable!()
    };
    let shown = preview::execute_retry(b, &req).await.unwrap();
    assert!(shown.incomplete.is_empty(), "{:?}", shown.incomplete);
    let sends: Vec<&str> = shown
        .rows
        .iter()
        .filter(|r| r.send)
        .map(|r| r.provider.as_str())
        .collect();
    assert_eq!(sends, ["splunk"]);
    let (run, ok) = act(b, PaneAction::ExecuteRetry(req)).await;
    assert!(!ok, "splunk answers 503: the failed execution is a failure");
    let exec = run["retry_results"][0]["execution_record"]
        .as_object()
        .unwrap()
        .clone();
    assert_eq!(
        (
            exec["provider"].clone(),
            exec["execution_status"].clone(),
            exec["delivery_success"].clone()
        ),
        (json!("splunk"), json!("failed"), json!(false))
    );
    assert!(
        exec["execution_id"]
            .as_str()
            .unwrap()
            .starts_with("gordackretryexec-")
    );

    // Worker history.
    let live = checked(
        b,
        Call::WorkerRuns {
            dry_run: Some(false),
            page: Page::first(50),
        },
    )
    .await
    .unwrap();
    assert_eq!(live["total"], 1);
    let board = checked(b, Call::WorkerDashboard).await.unwrap();
    assert_eq!(board["executed_count"], 1);

    // Recovery: playbook, close splunk citing the execution, the report.
    let (pb, _) = act(b, defaults::recovery_playbook(BY)).await;
    let pb = obj(&pb, "playbook").clone();
    facts.push(json!(pb["provider_count"]));
    let executions = choose::executions(b).await.unwrap();
    let closure = choose::closure(&pb, Some("splunk"), &executions, "resolved", BY).unwrap();
    assert_eq!(
        closure.verification_refs,
        [exec["execution_id"].as_str().unwrap()]
    );
    let (c, _) = act(b, PaneAction::CloseRecovery(closure)).await;
    assert_eq!(obj(&c, "closure")["closure_state"], "resolved");
    let (rep, _) = act(b, defaults::retry_recovery_report(BY)).await;
    let rep = obj(&rep, "report").clone();
    assert_eq!(
        (
            rep["execution_count"].clone(),
            rep["execution_failed_count"].clone()
        ),
        (json!(1), json!(1))
    );
    facts.push(json!([
        rep["recovery_closed_count"],
        rep["recovery_open_count"]
    ]));

    // The auditor-export retry worker: a dry run skips with "dry_run", a live run re-sends.
    let (dry, ok) = act(b, defaults::run_auditor_worker(false, BY)).await;
    assert!(
        ok && dry["retry_results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["skipped"] == "dry_run")
    );
    let (live, ok) = act(b, defaults::run_auditor_worker(true, BY)).await;
    facts.push(json!(live["run"]["summary"]["selected_retry_count"]));
    assert!(ok, "webhook answers 200 in the scenario");

    // Archive alerts: send, then acknowledge the outstanding one.
    let (sent, ok) = act(b, defaults::send_archive_alert("webhook", BY)).await;
    assert!(ok);
    assert_eq!(obj(&sent, "plan")["selected_providers"], json!(["webhook"]));
    let aboard = checked(b, Call::ArchiveAlertDashboard).await.unwrap();
    let entry = select::outstanding_alert(&aboard, None, None).unwrap();
    act(
        b,
        PaneAction::AckArchiveAlert(select::alert_ack(&entry, "acknowledged", BY)),
    )
    .await;
    let aboard = checked(b, Call::ArchiveAlertDashboard).await.unwrap();
    assert_eq!(
        (
            aboard["acknowledgement_count"].clone(),
            aboard["outstanding_acknowledgement_count"].clone()
        ),
        (json!(1), json!(0))
    );

    // Routing history and the suppression trend.
    let suppress = RoutingQuery {
        action: Some("suppress".into()),
        ..Default::default()
    };
    let routes = checked(
        b,
        Call::Routes {
            query: suppress.clone(),
            page: Page::first(500),
        },
    )
    .await
    .unwrap();
    let (trend, _) = act(b, defaults::suppression_trend(suppress, BY)).await;
    assert_eq!(
        obj(&trend, "trend")["suppression_event_count"],
        routes["total"]
    );
    facts.push(routes["total"].clone());
    facts.push(obj(&trend, "trend")["category_counts"].clone());
    facts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_backends_pass_the_issue12_suite_and_compute_alike() {
    let dir = tempfile::tempdir().unwrap();
    let sample = SampleBackend::open(&dir.path().join("local.db")).unwrap();
    let local = suite(&sample).await;
    let server = contract_server::start(&dir.path().join("server.db"), None).await;
    let far = suite(&remote(&server.url())).await;
    assert_eq!(local, far);
    // On the wire: the web console's bodies and queries (§5, §6.5).
    let body = |end: &str| server.posts(end).last().unwrap().body.clone().unwrap();
    assert_eq!(
        body("/retry-execution-approval-plan"),
        json!({"generated_by": BY, "approval_policy": {"require_retry_ack": true}})
    );
    assert_eq!(
        body("/connector-recovery-playbook"),
        json!({"min_failure_count": 1, "lookback_hours": 24, "generated_by": BY})
    );
    let seen = server.seen();
    let report = seen
        .iter()
        .find(|s| s.path.ends_with("/retry-recovery-report"))
        .unwrap();
    assert_eq!(
        report.query,
        format!("recovery_slo_minutes=240&generated_by={BY}")
    );
    let execute = server
        .posts("/worker-run")
        .into_iter()
        .last()
        .unwrap()
        .body
        .unwrap();
    assert_eq!(
        (
            execute["execute"].clone(),
            execute["retries"].clone(),
            execute["timeout_seconds"].clone(),
            execute["schedule"]["cadence"].clone()
        ),
        (json!(true), json!(0), json!(0.1), json!("manual_retry"))
    );
    // Writing GETs are sent once each: never on a read.
    assert_eq!(
        seen.iter()
            .filter(|s| s.path.ends_with("/suppression-trends"))
            .count(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endpoint_the_server_lacks_is_refused_before_anything_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let server = contract_server::start(&dir.path().join("s.db"), None).await;
    *server.state.config.lock().unwrap() =
        ConfigMode::Without(vec![Endpoint::RecoveryPlaybook, Endpoint::Routes]);
    let b = remote(&server.url());
    let caps = b.capabilities().await;
    assert!(
        caps.known()
            && !caps.offers(Endpoint::RecoveryPlaybook)
            && caps.offers(Endpoint::RetryApprovalPlan)
    );
    let e = perform(&b, defaults::recovery_playbook(BY), BY, &[BY.into()])
        .await
        .unwrap_err();
    assert!(
        matches!(e, BackendError::NotAllowed(ref m) if m.contains("does not offer POST")),
        "{e}"
    );
    let e = checked(
        &b,
        Call::Routes {
            query: RoutingQuery::default(),
            page: Page::first(5),
        },
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("/routes"), "{e}");
    assert!(
        server.posts("/connector-recovery-playbook").is_empty(),
        "nothing was sent"
    );
    assert!(!server.seen().iter().any(|s| s.path.ends_with("/routes")));
    act(&b, defaults::plan_retry_approval(BY)).await;
    let asked = server
        .seen()
        .iter()
        .filter(|s| s.path == "/console/config")
        .count();
    assert_eq!(asked, 1, "asked once per connection");

    // Older servers: no map, or no /console/config at all: everything is tried.
    for mode in [ConfigMode::NoMap, ConfigMode::Missing] {
        *server.state.config.lock().unwrap() = mode;
        let b = remote(&server.url());
        assert!(!b.capabilities().await.known());
        act(&b, defaults::recovery_playbook(BY)).await;
    }
    // Sample mode offers everything.
    let sample = SampleBackend::open(&dir.path().join("local.db")).unwrap();
    assert!(Endpoint::ALL.iter().all(|e| futures_free(&sample, *e)));

    // The CLI says so and exits 1 before sending.
    *server.state.config.lock().unwrap() = ConfigMode::Without(vec![Endpoint::RecoveryPlaybook]);
    let before = server.posts("/connector-recovery-playbook").len();
    let home = tempfile::tempdir().unwrap();
    let url = server.url();
    let out = tokio::task::spawn_blocking(move || {
        support::cavra(home.path())
            .args([
                "--api",
                &url,
                "--operator",
                BY,
                "--output",
                "json",
                "recovery",
                "playbook",
                "--yes",
            ])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not offer POST"));
    assert_eq!(server.posts("/connector-recovery-playbook").len(), before);
}

fn futures_free(b: &SampleBackend, e: Endpoint) -> bool {
    tokio::task::block_in_place(|| tokio::runtime::Handle::current().block_on(b.capabilities()))
        .offers(e)
}
