//! A CAVRA-contract HTTP server for tests: axum handlers over the sample engine, so the remote
//! backend is checked against the same behaviour the sample backend has. It follows CONTRACT
//! §2.2 for auth (a fixed token table stands in for OIDC validation, which needs CAVRA's
//! keys), §4.5's non-atomic bulk, reads the bodies as the `cavra_tui::backend::wire` types the
//! console sends, and records every request for assertions. Used in-process by
//! tests/remote_*.rs and as a real process by examples/contract_server.rs.
#![allow(dead_code, clippy::result_large_err)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Map, Value, json};

use cavra_tui::backend::BackendError;
use cavra_tui::backend::sample::SampleBackend;

pub const BASE: &str = "/runtime/go-pilot/rollback-drill-notifications";

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: String,
    pub authorization: Option<String>,
    pub body: Option<Value>,
}

/// Server settings and state.
pub struct ServerState {
    pub backend: SampleBackend,
    /// `Some(tokens)`: auth on (OIDC configured); token -> actor email. `None`: auth off.
    pub auth: Option<HashMap<String, String>>,
    /// RBAC configured without OIDC (§2.5): writes need an actor, and a bearer token gets 400
    /// "console OIDC config is not configured"; only unverified actor_claims would pass.
    pub rbac_only: std::sync::atomic::AtomicBool,
    pub seen: Mutex<Vec<Seen>>,
    /// Added to every request (slow-server tests).
    pub delay: Mutex<Duration>,
    /// What `GET /console/config` answers.
    pub config: Mutex<ConfigMode>,
}

pub type Shared = Arc<ServerState>;

/// A server running on 127.0.0.1.
pub struct Running {
    pub addr: SocketAddr,
    pub state: Shared,
}

impl Running {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
    pub fn seen(&self) -> Vec<Seen> {
        self.state.seen.lock().unwrap().clone()
    }
    pub fn posts(&self, path_end: &str) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|s| s.method == "POST" && s.path.ends_with(path_end))
            .collect()
    }
}

/// Starts a server on an ephemeral port over the store at `db`.
pub async fn start(db: &std::path::Path, auth: Option<HashMap<String, String>>) -> Running {
    start_on("127.0.0.1:0", db, auth).await
}

pub async fn start_on(
    bind: &str,
    db: &std::path::Path,
    auth: Option<HashMap<String, String>>,
) -> Running {
    let state = Arc::new(ServerState {
        backend: SampleBackend::open(db).unwrap(),
        auth,
        rbac_only: Default::default(),
        seen: Mutex::new(Vec::new()),
        delay: Mutex::new(Duration::ZERO),
        config: Mutex::new(ConfigMode::default()),
    });
    let listener = tokio::net::TcpListener::bind(bind).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = router(Arc::clone(&state));
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    Running { addr, state }
}

const AUDIT: &str =
    "/runtime/go-pilot/rollback-drill-notifications/acknowledgements/audit-delivery";

pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/console/session", get(session))
        .route(BASE, get(history))
        .route(&format!("{BASE}/dashboard"), get(dashboard))
        .route(
            &format!("{BASE}/{{schedule_id}}/acknowledgements"),
            post(ack),
        )
        .route(&format!("{BASE}/acknowledgements/bulk"), post(bulk))
        .route(
            &format!("{BASE}/acknowledgements/audit-package"),
            post(audit_package),
        )
        .route(
            &format!("{BASE}/acknowledgements/audit-delivery"),
            post(audit_delivery),
        )
        .route(&format!("{AUDIT}/retry-plan"), post(retry_plan))
        .route(
            &format!("{AUDIT}/retry-plans/{{id}}/acknowledgements"),
            post(retry_ack),
        )
        .route(&format!("{AUDIT}/worker-health"), get(worker_health))
        .route(
            &format!("{AUDIT}/worker-health-alerts/deliver"),
            post(alert_deliver),
        )
        .route(
            &format!("{AUDIT}/worker-health-alerts/{{health_id}}/acknowledgements"),
            post(alert_ack),
        )
        .route(&format!("{AUDIT}/worker-health-alerts"), get(alerts))
        .route(
            &format!("{AUDIT}/worker-health-alert-dashboard"),
            get(alert_dashboard),
        )
        .route(
            &format!("{AUDIT}/final-reporting-auditor-export/delivery-retry-plan"),
            post(auditor_plan),
        )
        .route(
            &format!("{AUDIT}/final-reporting-archive-reference-health"),
            get(archive),
        )
        .merge(more::routes())
        .with_state(state)
}

pub(crate) fn detail(status: StatusCode, msg: &str) -> Response {
    (status, axum::Json(json!({"detail": msg}))).into_response()
}

pub(crate) fn ok(v: Map<String, Value>) -> Response {
    (StatusCode::OK, axum::Json(Value::Object(v))).into_response()
}

pub(crate) fn backend_error(e: BackendError) -> Response {
    detail(StatusCode::BAD_REQUEST, &e.to_string())
}

pub(crate) async fn record(
    state: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Option<Value>,
) {
    state.seen.lock().unwrap().push(Seen {
        method: method.to_string(),
        path: uri.path().to_string(),
        query: uri.query().unwrap_or("").to_string(),
        authorization: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        body,
    });
    let delay = *state.delay.lock().unwrap();
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
}

pub(crate) fn body_object(body: &Bytes) -> Result<Map<String, Value>, Response> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(other) => Err((
            StatusCode::UNPROCESSABLE_ENTITY,
            axum::Json(json!({"detail": [{"type": "dict_type", "loc": ["body"], "msg": "Input should be a valid dictionary", "input": other}]})),
        )
            .into_response()),
        Err(_) => Err(detail(StatusCode::UNPROCESSABLE_ENTITY, "JSON decode error")),
    }
}

/// A body read as its `cavra_tui::backend::wire` type; a field of the wrong type is a 422.
pub(crate) fn typed<T: serde::de::DeserializeOwned>(m: &Map<String, Value>) -> Result<T, Response> {
    serde_json::from_value(Value::Object(m.clone())).map_err(|e| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            axum::Json(
                json!({"detail": [{"type": "model_type", "loc": ["body"], "msg": e.to_string()}]}),
            ),
        )
            .into_response()
    })
}

/// Records the request, reads its body as `$ty` and says who is acting (or answers the error).
macro_rules! prelude {
    ($state:ident, $method:ident, $uri:ident, $headers:ident, $body:ident => $ty:ty) => {{
        let m = match body_object(&$body) {
            Ok(m) => m,
            Err(r) => return r,
        };
        record(
            &$state,
            &$method,
            &$uri,
            &$headers,
            Some(Value::Object(m.clone())),
        )
        .await;
        let actor = match actor(&$state, &$headers) {
            Ok(a) => a,
            Err(r) => return r,
        };
        let b: $ty = match typed(&m) {
            Ok(b) => b,
            Err(r) => return r,
        };
        (b, actor)
    }};
}

// After `prelude!`: macro_rules are visible only below their definition.

mod auth;
mod more;
mod more_reads;
mod reads;
mod writes;

pub use more::ConfigMode;

use auth::*;
use reads::*;
use writes::*;
