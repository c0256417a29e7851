//! Remote mode against a real HTTP server on 127.0.0.1 speaking the contract (axum over the
//! sample engine): one suite both backends pass, and assertions on what goes over the wire
//! (paths, query strings, bodies compared with the contract's samples, Authorization).

mod support;

#[path = "support/contract_server/mod.rs"]
mod contract_server;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use cavra_tui::backend::remote::{Client, RemoteBackend};
use cavra_tui::backend::sample::SampleBackend;
use cavra_tui::backend::{
    Backend, BackendError, BulkRequest, HealthParams, SendAlertRequest, WorkerRunRequest,
};
use cavra_tui::credentials::Secret;
use cavra_tui::domain::ack::{AckInput, AckState};
use cavra_tui::domain::audit::AuditScope;
use cavra_tui::domain::history::HistoryQuery;
use cavra_tui::domain::query::Page;
use cavra_tui::domain::record::kind;
use cavra_tui::domain::retry::RetryPolicy;
use cavra_tui::domain::route::RouteKey;
use cavra_tui::domain::worker::{AlertRequest, WorkerSchedule};

fn remote(url: &str, token: Option<&str>) -> RemoteBackend {
    let client = Client::new(
        url.parse().unwrap(),
        token.map(Secret::new),
        None,
        Duration::from_secs(5),
    )
    .unwrap();
    RemoteBackend::new("test", client.with_backoff(Duration::from_millis(10)))
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

fn sample(name: &str) -> Value {
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/contract/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The same behaviour, whichever backend: routes, an ack, a bulk, an audit package, the flow.
async fn suite(b: &dyn Backend) {
    let routes = b.routes().await.unwrap();
    assert_eq!(routes.len(), 45);
    let teams = routes
        .iter()
        .find(|r| r.key() == RouteKey::new("payments_api_monthly", "teams"))
        .unwrap();
    assert!(teams.breached && teams.is_outstanding());
    let rec = b
        .acknowledge(AckInput {
            route: teams.key(),
            plan_id: teams.plan_id.clone(),
            state: AckState::Escalated,
            acknowledged_by: "alice".into(),
            external_ref: "INC-1".into(),
            notes: "paged".into(),
        })
        .await
        .unwrap();
    assert_eq!(rec.kind(), kind::NOTIFICATION_ACK);
    let after = b.routes().await.unwrap();
    let teams = after.iter().find(|r| r.key() == teams.key()).unwrap();
    assert_eq!(teams.state.as_str(), "escalated");
    assert!(teams.breached, "escalated stays breached (CONTRACT §3.4)");
    let out = b
        .bulk_acknowledge(BulkRequest {
            routes: after
                .iter()
                .filter(|r| r.owner.contains("identity") && r.is_outstanding())
                .map(|r| (r.key(), r.plan_id.clone()))
                .collect(),
            state: AckState::Acknowledged,
            acknowledged_by: "alice".into(),
            external_ref: String::new(),
            notes: String::new(),
            seen: Default::default(),
            actors: Vec::new(),
        })
        .await
        .unwrap();
    assert_eq!((out.recorded.len(), out.not_recorded.len()), (5, 0));
    let pkg = b
        .audit_package(
            AuditScope {
                owner: "identity".into(),
                ..Default::default()
            },
            "alice".into(),
        )
        .await
        .unwrap();
    assert_eq!(pkg["outstanding_count"], 0);
    let plan = b
        .retry_plan(RetryPolicy::default(), "alice".into())
        .await
        .unwrap();
    assert_eq!(plan["plan"]["retryable_count"], 2);
    let run = b
        .worker_run(WorkerRunRequest {
            policy: RetryPolicy::default(),
            schedule: WorkerSchedule::default(),
            max_retry_deliveries: 5,
            generated_by: "alice".into(),
        })
        .await
        .unwrap();
    assert_eq!(run["run"]["summary"]["selected_retry_count"], 2);
    let health = b.worker_health(HealthParams::default()).await.unwrap();
    assert_eq!(health["missed_run_count"], 0);
    let q = HistoryQuery {
        metadata_kind: Some(kind::WORKER_RUN.into()),
        ..Default::default()
    };
    assert_eq!(b.history(q, Page::first(50)).await.unwrap()["total"], 2);
}

#[tokio::test]
async fn both_backends_pass_the_same_suite() {
    let dir = tempfile::tempdir().unwrap();
    suite(&SampleBackend::open(&dir.path().join("local.db")).unwrap()).await;
    let server = contract_server::start(&dir.path().join("server.db"), None).await;
    suite(&remote(&server.url(), None)).await;
}

#[tokio::test]
async fn requests_match_the_contracts_paths_bodies_and_headers() {
    let dir = tempfile::tempdir().unwrap();
    let server = contract_server::start(&dir.path().join("s.db"), None).await;
    let b = remote(&server.url(), None);
    let routes = b.routes().await.unwrap();
    let r = &routes[0];
    let key = RouteKey::new("payments_api_monthly", "teams");
    let plan = routes
        .iter()
        .find(|x| x.key() == key)
        .unwrap()
        .plan_id
        .clone();
    b.acknowledge(AckInput {
        route: key.clone(),
        plan_id: plan.clone(),
        state: AckState::Acknowledged,
        acknowledged_by: "release-manager".into(),
        external_ref: String::new(),
        notes: String::new(),
    })
    .await
    .unwrap();
    let ack = &server.posts("/payments_api_monthly/acknowledgements")[0];
    let body = ack.body.as_ref().unwrap();
    for k in keys(&sample("ack-request.json")) {
        assert!(body.get(&k).is_some(), "ack body lacks {k}: {body}");
    }
    assert_eq!(body["acknowledgement_state"], "acknowledged");
    assert!(
        body.get("actor_claims").is_none(),
        "never send actor_claims"
    );
    assert!(ack.authorization.is_none(), "no token, no header");
    // History paging: the routes read used the contract's query parameters.
    let reads: Vec<_> = server
        .seen()
        .into_iter()
        .filter(|s| s.method == "GET" && s.path.ends_with("rollback-drill-notifications"))
        .collect();
    assert!(reads.iter().any(|s| {
        s.query
            .contains("metadata_kind=go-backend-rollback-drill-notification-plan")
            && s.query.contains("limit=")
            && s.query.contains("offset=0")
    }));
    // Bulk body: the web console's shape.
    b.bulk_acknowledge(BulkRequest {
        routes: vec![(r.key(), r.plan_id.clone()), (key, plan)],
        state: AckState::Resolved,
        acknowledged_by: "release-manager".into(),
        external_ref: "CHG-456".into(),
        notes: String::new(),
        seen: Default::default(),
        actors: Vec::new(),
    })
    .await
    .unwrap();
    let bulk = server.posts("/acknowledgements/bulk")[0]
        .body
        .clone()
        .unwrap();
    for k in keys(&sample("bulk-request.json")) {
        assert!(bulk.get(&k).is_some(), "bulk body lacks {k}");
    }
    assert_eq!(
        keys(&bulk["routes"][0]),
        [
            "external_ref",
            "notes",
            "plan_id",
            "provider",
            "schedule_id"
        ]
    );
    b.audit_package(
        AuditScope {
            owner: "release-governance".into(),
            provider: "webhook".into(),
            ..Default::default()
        },
        "release-manager".into(),
    )
    .await
    .unwrap();
    let pkg = server.posts("/audit-package")[0].body.clone().unwrap();
    assert_eq!(keys(&pkg), keys(&sample("audit-package-request.json")));
    b.retry_plan(
        RetryPolicy {
            max_retry_attempts: 3,
            retry_delay_minutes: 0.0,
            allow_immediate_retry: true,
            backoff_multiplier: 2.0,
        },
        "release-manager".into(),
    )
    .await
    .unwrap();
    let rp = server.posts("/retry-plan")[0].body.clone().unwrap();
    assert_eq!(rp["retry_policy"]["allow_immediate_retry"], true);
    assert_eq!(rp["retry_policy"]["retry_delay_minutes"], 0);
    b.send_worker_alert(SendAlertRequest {
        alert: AlertRequest {
            provider: "webhook".into(),
            suppression_window_minutes: Some(60),
            force: true,
            generated_by: "release-manager".into(),
        },
        health: HealthParams::default(),
        retries: 0,
        timeout_seconds: 0.1,
    })
    .await
    .unwrap();
    let alert = server.posts("/worker-health-alerts/deliver")[0]
        .body
        .clone()
        .unwrap();
    for k in [
        "generated_by",
        "provider",
        "force",
        "expected_interval_minutes",
        "stale_metadata_minutes",
    ] {
        assert!(alert.get(k).is_some(), "alert body lacks {k}");
    }
    // Viewing archive health never persists.
    let look = b
        .archive_health(cavra_tui::backend::ArchiveHealthRequest {
            rules: Default::default(),
            generated_by: "console".into(),
            persist: false,
        })
        .await
        .unwrap();
    assert_eq!(look["health"]["missing_archive_reference_count"], 1);
    assert!(
        server
            .seen()
            .iter()
            .any(|s| s.query.contains("persist=false"))
    );
}

#[tokio::test]
async fn bulk_of_250_routes_takes_three_requests_of_at_most_100() {
    let dir = tempfile::tempdir().unwrap();
    let server = contract_server::start(&dir.path().join("s.db"), None).await;
    let b = remote(&server.url(), None);
    let routes: Vec<(RouteKey, String)> = (0..250)
        .map(|i| {
            (
                RouteKey::new(format!("bulk_schedule_{i:03}"), "slack"),
                String::new(),
            )
        })
        .collect();
    let out = b
        .bulk_acknowledge(BulkRequest {
            routes,
            state: AckState::Acknowledged,
            acknowledged_by: "alice".into(),
            external_ref: String::new(),
            notes: String::new(),
            seen: Default::default(),
            actors: Vec::new(),
        })
        .await
        .unwrap();
    let posts = server.posts("/acknowledgements/bulk");
    let sizes: Vec<usize> = posts
        .iter()
        .map(|p| p.body.as_ref().unwrap()["routes"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [100, 100, 50]);
    assert_eq!((out.requests, out.recorded.len()), (3, 250));
}

#[tokio::test]
async fn a_failing_chunk_is_reported_route_by_route_and_later_chunks_are_not_sent() {
    let dir = tempfile::tempdir().unwrap();
    let server = contract_server::start(&dir.path().join("s.db"), None).await;
    let b = remote(&server.url(), None);
    // Route 150 (the 50th of chunk 2) has no provider: the server stores 49 routes, then 400s.
    let routes: Vec<(RouteKey, String)> = (0..250)
        .map(|i| {
            (
                RouteKey::new(
                    format!("bulk_schedule_{i:03}"),
                    if i == 149 { "" } else { "slack" },
                ),
                String::new(),
            )
        })
        .collect();
    let out = b
        .bulk_acknowledge(BulkRequest {
            routes,
            state: AckState::Acknowledged,
            acknowledged_by: "alice".into(),
            external_ref: String::new(),
            notes: String::new(),
            seen: Default::default(),
            actors: Vec::new(),
        })
        .await
        .unwrap();
    assert_eq!(
        server.posts("/acknowledgements/bulk").len(),
        2,
        "chunk 3 is not sent"
    );
    assert_eq!(
        out.recorded.len(),
        149,
        "100 of chunk 1 and the 49 the server stored before failing"
    );
    assert_eq!(out.not_recorded.len(), 101);
    let bad = out
        .not_recorded
        .iter()
        .find(|(k, _)| k.provider.is_empty())
        .unwrap();
    assert!(
        bad.1
            .contains("each route requires schedule_id and provider"),
        "{}",
        bad.1
    );
    assert!(
        out.not_recorded
            .iter()
            .filter(|(_, why)| why.contains("not sent"))
            .count()
            == 50
    );
    assert!(
        out.recorded
            .contains(&RouteKey::new("bulk_schedule_148", "slack"))
    );
    assert!(
        !out.recorded
            .contains(&RouteKey::new("bulk_schedule_150", "slack"))
    );
}

#[tokio::test]
async fn auth_on_needs_a_token_and_the_verified_actor_is_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let tokens = HashMap::from([("good-token".to_string(), "alice@example.com".to_string())]);
    let server = contract_server::start(&dir.path().join("s.db"), Some(tokens)).await;
    let anonymous = remote(&server.url(), None);
    let session = anonymous.session().await.unwrap();
    assert_eq!(session.mode, "auth_required");
    assert!(
        session
            .blocked_reason()
            .unwrap()
            .contains("cavra-tui login")
    );
    assert_eq!(
        anonymous.routes().await.unwrap().len(),
        45,
        "reads need no token"
    );
    let key = RouteKey::new("payments_api_monthly", "teams");
    let input = AckInput {
        route: key.clone(),
        plan_id: String::new(),
        state: AckState::Acknowledged,
        acknowledged_by: "mallory".into(),
        external_ref: String::new(),
        notes: String::new(),
    };
    let err = anonymous.acknowledge(input.clone()).await.unwrap_err();
    assert!(matches!(err, BackendError::Unauthorized(_)), "{err}");
    assert!(
        err.to_string()
            .starts_with("this server requires a verified console session and no token was sent"),
        "{err}"
    );
    let bad = remote(&server.url(), Some("stolen"))
        .acknowledge(input.clone())
        .await
        .unwrap_err();
    assert!(bad.to_string().contains("OIDC token signature is invalid"));
    let alice = remote(&server.url(), Some("good-token"));
    let s = alice.session().await.unwrap();
    assert_eq!(
        (s.authenticated, s.actor.as_deref()),
        (true, Some("alice@example.com"))
    );
    assert!(s.blocked_reason().is_none());
    let rec = alice.acknowledge(input).await.unwrap();
    assert_eq!(
        rec.0["acknowledgement"]["acknowledged_by"], "alice@example.com",
        "the verified actor overrides acknowledged_by"
    );
    let sent = server.posts("/payments_api_monthly/acknowledgements");
    assert_eq!(
        sent.last().unwrap().authorization.as_deref(),
        Some("Bearer good-token")
    );
}

#[tokio::test]
async fn a_token_sent_to_a_server_without_oidc_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let server = contract_server::start(&dir.path().join("s.db"), None).await;
    let b = remote(&server.url(), Some("some-token"));
    let input = AckInput {
        route: RouteKey::new("s", "slack"),
        plan_id: String::new(),
        state: AckState::Acknowledged,
        acknowledged_by: "a".into(),
        external_ref: String::new(),
        notes: String::new(),
    };
    let err = b.acknowledge(input).await.unwrap_err();
    assert!(err.to_string().contains("accepts no bearer token"), "{err}");
}

#[tokio::test]
async fn reads_run_concurrently_while_writes_go_one_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let server = contract_server::start(&dir.path().join("s.db"), None).await;
    *server.state.delay.lock().unwrap() = Duration::from_millis(200);
    let b = Arc::new(remote(&server.url(), None));
    let start = std::time::Instant::now();
    let reads: Vec<_> = (0..4)
        .map(|_| {
            let b = Arc::clone(&b);
            tokio::spawn(async move { b.dashboard().await.unwrap() })
        })
        .collect();
    for r in reads {
        r.await.unwrap();
    }
    let reads_took = start.elapsed();
    assert!(
        reads_took < Duration::from_millis(700),
        "4 reads overlap (cap {}): {reads_took:?}",
        cavra_tui::backend::remote::client::MAX_READS
    );
    let start = std::time::Instant::now();
    let writes: Vec<_> = (0..3)
        .map(|i| {
            let b = Arc::clone(&b);
            tokio::spawn(async move {
                b.retry_plan(RetryPolicy::default(), format!("w{i}"))
                    .await
                    .unwrap()
            })
        })
        .collect();
    for w in writes {
        w.await.unwrap();
    }
    assert!(
        start.elapsed() >= Duration::from_millis(600),
        "writes are serialised: {:?}",
        start.elapsed()
    );
}
