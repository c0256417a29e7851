//! Every error path of the remote backend, injected with wiremock on 127.0.0.1: each gives a
//! clear error, reads retry transient failures, writes are never retried.

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use cavra_tui::backend::remote::client::READ_ATTEMPTS;
use cavra_tui::backend::remote::{Client, RemoteBackend};
use cavra_tui::backend::{Backend, BackendError};
use cavra_tui::domain::retry::RetryPolicy;

const DASH: &str = "/runtime/go-pilot/rollback-drill-notifications/dashboard";
const PLAN: &str =
    "/runtime/go-pilot/rollback-drill-notifications/acknowledgements/audit-delivery/retry-plan";

fn backend(url: &str, timeout: Duration) -> RemoteBackend {
    let client = Client::new(url.parse().unwrap(), None, None, timeout)
        .unwrap()
        .with_backoff(Duration::from_millis(5));
    RemoteBackend::new("t", client)
}

async fn server_answering(m: &str, p: &str, resp: ResponseTemplate, times: u64) -> MockServer {
    let s = MockServer::start().await;
    Mock::given(method(m))
        .and(path(p))
        .respond_with(resp)
        .expect(times)
        .mount(&s)
        .await;
    s
}

#[tokio::test]
async fn a_5xx_read_is_retried_then_reported_unavailable() {
    let s = server_answering(
        "GET",
        DASH,
        ResponseTemplate::new(503).set_body_string("upstream down"),
        READ_ATTEMPTS as u64,
    )
    .await;
    let err = backend(&s.uri(), Duration::from_secs(2))
        .dashboard()
        .await
        .unwrap_err();
    assert!(matches!(err, BackendError::Unavailable(_)), "{err}");
    assert!(err.to_string().contains("server error 503"), "{err}");
    s.verify().await;
}

#[tokio::test]
async fn a_5xx_write_is_not_retried() {
    let s = server_answering(
        "POST",
        PLAN,
        ResponseTemplate::new(500).set_body_json(json!({"detail": "boom"})),
        1,
    )
    .await;
    let err = backend(&s.uri(), Duration::from_secs(2))
        .retry_plan(RetryPolicy::default(), "a".into())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("server error 500 (boom)"), "{err}");
    s.verify().await;
}

#[tokio::test]
async fn client_errors_keep_the_servers_words() {
    let s = server_answering(
        "POST",
        PLAN,
        ResponseTemplate::new(400)
            .set_body_json(json!({"detail": "max_retry_attempts must be a number"})),
        1,
    )
    .await;
    let err = backend(&s.uri(), Duration::from_secs(2))
        .retry_plan(RetryPolicy::default(), "a".into())
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "max_retry_attempts must be a number");
    let body = json!({"detail": [{"type": "bool_parsing", "loc": ["query", "delivery_success"], "msg": "Input should be a valid boolean", "input": "maybe"}]});
    let s = server_answering(
        "GET",
        DASH,
        ResponseTemplate::new(422).set_body_json(body),
        1,
    )
    .await;
    let err = backend(&s.uri(), Duration::from_secs(2))
        .dashboard()
        .await
        .unwrap_err();
    assert!(matches!(err, BackendError::Invalid(_)));
    assert!(
        err.to_string()
            .contains("query.delivery_success: Input should be a valid boolean"),
        "{err}"
    );
    let s = server_answering(
        "GET",
        DASH,
        ResponseTemplate::new(404).set_body_json(json!({"detail": "Not Found"})),
        1,
    )
    .await;
    let err = backend(&s.uri(), Duration::from_secs(2))
        .dashboard()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not found (Not Found)"), "{err}");
    let s = server_answering(
        "GET",
        DASH,
        ResponseTemplate::new(401).set_body_json(json!({"detail": "OIDC token is expired"})),
        1,
    )
    .await;
    let err = backend(&s.uri(), Duration::from_secs(2))
        .dashboard()
        .await
        .unwrap_err();
    // No token was sent: the message says so (a sent token would be "rejected or expired").
    assert_eq!(
        err.to_string(),
        "this server requires a verified console session and no token was sent: run cavra-tui login for it (OIDC token is expired)"
    );
}

#[tokio::test]
async fn a_malformed_answer_names_the_endpoint() {
    let s = server_answering(
        "GET",
        DASH,
        ResponseTemplate::new(200).set_body_string("{not json"),
        1,
    )
    .await;
    let err = backend(&s.uri(), Duration::from_secs(2))
        .dashboard()
        .await
        .unwrap_err();
    assert!(matches!(err, BackendError::Decode(_)));
    assert!(
        err.to_string()
            .contains("GET /runtime/go-pilot/rollback-drill-notifications/dashboard"),
        "{err}"
    );
    let s = server_answering(
        "GET",
        DASH,
        ResponseTemplate::new(200).set_body_json(json!([1, 2])),
        1,
    )
    .await;
    assert!(matches!(
        backend(&s.uri(), Duration::from_secs(2)).dashboard().await,
        Err(BackendError::Decode(_))
    ));
}

#[tokio::test]
async fn missing_and_unknown_fields_are_tolerated() {
    let s = server_answering(
        "GET",
        DASH,
        ResponseTemplate::new(200)
            .set_body_json(json!({"alert_level": "critical", "brand_new_counter": 7})),
        1,
    )
    .await;
    let d = backend(&s.uri(), Duration::from_secs(2))
        .dashboard()
        .await
        .unwrap();
    assert_eq!(d["brand_new_counter"], 7, "kept for the raw JSON view");
    let cards = cavra_tui::views::cards::dashboard_cards(&d);
    assert_eq!(
        cards
            .iter()
            .find(|c| c.label == "Audit success rate")
            .unwrap()
            .value,
        "n/a"
    );
    assert_eq!(
        cards.iter().find(|c| c.label == "Plans").unwrap().value,
        "0"
    );
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let s = server_answering(
        "GET",
        DASH,
        ResponseTemplate::new(200)
            .set_body_json(json!({}))
            .set_delay(Duration::from_secs(3)),
        READ_ATTEMPTS as u64,
    )
    .await;
    let err = backend(&s.uri(), Duration::from_millis(300))
        .dashboard()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("timed out"), "{err}");
}

#[tokio::test]
async fn a_server_that_is_gone_and_a_name_that_does_not_resolve() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let err = backend(&url, Duration::from_secs(2))
        .dashboard()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("connection refused"), "{err}");
    let err = backend("http://cavra.invalid", Duration::from_secs(2))
        .dashboard()
        .await
        .unwrap_err();
    assert!(matches!(err, BackendError::Unavailable(_)), "{err}");
}

#[tokio::test]
async fn deliver_posts_provider_force_and_operator_and_sample_mode_refuses_it() {
    use wiremock::matchers::body_json;
    let s = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(
            "/runtime/go-pilot/rollback-drill-notifications/deliver",
        ))
        .and(body_json(
            json!({"provider": "webhook", "generated_by": "alice", "force": true}),
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"plan": {"plan_id": "gordn-1"}, "success": true})),
        )
        .expect(1)
        .mount(&s)
        .await;
    let out = backend(&s.uri(), Duration::from_secs(2))
        .deliver("webhook".into(), true, "alice".into())
        .await
        .unwrap();
    assert_eq!(out["success"], true);
    s.verify().await;
    let dir = tempfile::tempdir().unwrap();
    let sample = cavra_tui::backend::sample::SampleBackend::open(&dir.path().join("s.db")).unwrap();
    let err = sample
        .deliver("all".into(), false, "a".into())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("use a remote context"), "{err}");
}

#[tokio::test]
async fn pane_5_shows_worker_health_when_its_alert_parts_fail() {
    use cavra_tui::app::Pane;
    use cavra_tui::app::panes::PaneData;
    use cavra_tui::backend::capabilities::audit_path;
    use cavra_tui::backend::remote::BASE;
    let s = MockServer::start().await;
    let health = json!({"health": {"alert_level": "critical"}, "alerts": []});
    Mock::given(method("GET"))
        .and(path(audit_path("worker-health")))
        .respond_with(ResponseTemplate::new(200).set_body_json(health))
        .mount(&s)
        .await;
    Mock::given(method("GET"))
        .and(path(BASE))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"items": [], "total": 0})))
        .mount(&s)
        .await;
    // The alert dashboard and the alert list answer 503 (every other path 404).
    for p in ["worker-health-alert-dashboard", "worker-health-alerts"] {
        Mock::given(method("GET"))
            .and(path(audit_path(p)))
            .respond_with(ResponseTemplate::new(503))
            .mount(&s)
            .await;
    }
    let b = backend(&s.uri(), Duration::from_secs(2));
    let data = cavra_tui::pane_load::load_pane(&b, Pane::Worker, None).await;
    let Ok(PaneData::Worker {
        health,
        alerts,
        history,
        ..
    }) = data
    else {
        panic!("pane 5 failed as a whole: {data:?}");
    };
    assert!(health.contains_key("health"), "{health:?}");
    assert!(alerts.is_none() && history.is_none());
}

#[tokio::test]
async fn an_audit_package_id_from_the_server_cannot_leave_the_export_directory() {
    let s = MockServer::start().await;
    let package = json!({"audit_package": {"audit_id": "../../../escaped\u{1b}]0;x\u{7}"}});
    Mock::given(method("POST"))
        .and(path(
            "/runtime/go-pilot/rollback-drill-notifications/acknowledgements/audit-package",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(package))
        .mount(&s)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let exports = dir.path().join("a/b/c/exports");
    let b = backend(&s.uri(), Duration::from_secs(2));
    let scope = Default::default();
    let out = cavra_tui::ops::export_audit(&b, scope, "alice", None, &exports)
        .await
        .unwrap();
    assert_eq!(out.written.path.parent(), Some(exports.as_path()));
    let name = out.written.path.file_name().unwrap().to_string_lossy();
    assert!(
        name.starts_with("ack-audit-_.._.._escaped__0_x_-"),
        "{name}"
    );
    // The same id again (and likely the same second): a new file, the first one kept.
    let again = cavra_tui::ops::export_audit(&b, Default::default(), "alice", None, &exports)
        .await
        .unwrap();
    assert_ne!(again.written.path, out.written.path);
    assert!(out.written.path.exists() && again.written.path.exists());
}
