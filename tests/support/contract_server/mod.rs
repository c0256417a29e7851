//! A CAVRA-contract HTTP server for tests: axum handlers over the sample engine, so the remote
//! backend is checked against the same behaviour the sample backend has. It follows CONTRACT
//! §2.2 for auth (a fixed token table stands in for OIDC validation, which needs CAVRA's
//! keys), §4.5's non-atomic bulk, and records every request for assertions. Used in-process by
//! tests/remote_*.rs and as a real process by examples/contract_server.rs.
#![allow(dead_code, clippy::result_large_err)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Map, Value, json};

use cavra_tui::backend::sample::SampleBackend;
use cavra_tui::backend::{
    AlertAckInput, ArchiveHealthRequest, AuditDeliveryRequest, Backend, BackendError, HealthParams,
    SendAlertRequest, WorkerRunRequest,
};
use cavra_tui::domain::ack::{AckInput, AckState};
use cavra_tui::domain::archive::ArchiveRules;
use cavra_tui::domain::audit::AuditScope;
use cavra_tui::domain::history::HistoryQuery;
use cavra_tui::domain::retry::{RetryAckInput, RetryPolicy, truthy};
use cavra_tui::domain::route::RouteKey;
use cavra_tui::domain::worker::{AlertQuery, AlertRequest, WorkerSchedule};

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
    pub seen: Mutex<Vec<Seen>>,
    /// Added to every request (slow-server tests).
    pub delay: Mutex<Duration>,
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
        seen: Mutex::new(Vec::new()),
        delay: Mutex::new(Duration::ZERO),
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
        .route(&format!("{AUDIT}/worker-run"), post(worker_run))
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
        .with_state(state)
}

fn detail(status: StatusCode, msg: &str) -> Response {
    (status, axum::Json(json!({"detail": msg}))).into_response()
}

fn ok(v: Map<String, Value>) -> Response {
    (StatusCode::OK, axum::Json(Value::Object(v))).into_response()
}

fn backend_error(e: BackendError) -> Response {
    detail(StatusCode::BAD_REQUEST, &e.to_string())
}

async fn record(
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

/// CONTRACT §2.2 for a mutating endpoint: `Ok(Some(actor))`, `Ok(None)` (auth off, no header), or the error.
fn actor(state: &Shared, headers: &HeaderMap) -> Result<Option<(String, Value)>, Response> {
    let header = headers.get("authorization").and_then(|v| v.to_str().ok());
    let Some(h) = header else {
        return match state.auth {
            Some(_) => Err(detail(
                StatusCode::UNAUTHORIZED,
                "console action requires verified actor context",
            )),
            None => Ok(None),
        };
    };
    let token = match h.split_once(' ') {
        Some((scheme, t)) if scheme.eq_ignore_ascii_case("bearer") && !t.trim().is_empty() => {
            t.trim()
        }
        _ => {
            return Err(detail(
                StatusCode::UNAUTHORIZED,
                "authorization header must use Bearer token",
            ));
        }
    };
    let Some(tokens) = &state.auth else {
        return Err(detail(
            StatusCode::BAD_REQUEST,
            "console OIDC config is not configured",
        ));
    };
    match tokens.get(token) {
        Some(email) => Ok(Some((
            email.clone(),
            json!({"actor": email, "subject": "00u1abcd", "issuer": "https://issuer.example", "groups": ["Platform Security"], "repository": null}),
        ))),
        None => Err(detail(
            StatusCode::UNAUTHORIZED,
            "OIDC token signature is invalid",
        )),
    }
}

fn body_object(body: &Bytes) -> Result<Map<String, Value>, Response> {
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

fn s(m: &Map<String, Value>, k: &str) -> String {
    m.get(k).and_then(Value::as_str).unwrap_or("").to_string()
}

/// The identity a mutation records: the verified actor, else the body's field (required).
fn who(
    actor: &Option<(String, Value)>,
    m: &Map<String, Value>,
    field: &str,
    default: Option<&str>,
) -> Result<String, Response> {
    if let Some((a, _)) = actor {
        return Ok(a.clone());
    }
    let v = s(m, field);
    if !v.is_empty() {
        return Ok(v);
    }
    default
        .map(str::to_string)
        .ok_or_else(|| detail(StatusCode::BAD_REQUEST, &format!("{field} is required")))
}

fn actor_json(actor: &Option<(String, Value)>) -> Value {
    actor
        .as_ref()
        .map(|(_, v)| v.clone())
        .unwrap_or(Value::Null)
}

macro_rules! prelude {
    ($state:ident, $method:ident, $uri:ident, $headers:ident, $body:ident) => {{
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
        (m, actor)
    }};
}

async fn session(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    record(&state, &method, &uri, &headers, None).await;
    let has_header = headers.contains_key("authorization");
    let actor = match (&state.auth, has_header) {
        (_, false) => None,
        (_, true) => match actor(&state, &headers) {
            Ok(a) => a,
            Err(r) => return r,
        },
    };
    let mode = match (&state.auth, &actor) {
        (_, Some(_)) => "authenticated",
        (Some(_), None) => "auth_required",
        (None, None) => "local_or_demo",
    };
    ok(json!({
        "schema_version": "cavra.console.session.v1", "product": "CAVRA", "mode": mode,
        "authenticated": actor.is_some(), "auth_required": state.auth.is_some(), "actor": actor_json(&actor),
        "repository_permissions": [],
        "permissions": {"read_activity": true, "acknowledge_drill_notifications": actor.is_some(), "create_break_glass": false},
        "operator_notes": [],
    }).as_object().cloned().unwrap())
}

fn parse_bool(q: &HashMap<String, String>, k: &str) -> Result<Option<bool>, Response> {
    match q.get(k).map(|v| v.to_lowercase()) {
        None => Ok(None),
        Some(v) if ["true", "1", "yes", "on"].contains(&v.as_str()) => Ok(Some(true)),
        Some(v) if ["false", "0", "no", "off"].contains(&v.as_str()) => Ok(Some(false)),
        Some(v) => Err((
            StatusCode::UNPROCESSABLE_ENTITY,
            axum::Json(json!({"detail": [{"type": "bool_parsing", "loc": ["query", k], "msg": "Input should be a valid boolean, unable to interpret input", "input": v}]})),
        )
            .into_response()),
    }
}

fn num(q: &HashMap<String, String>, k: &str, default: usize) -> Result<usize, Response> {
    match q.get(k) {
        None => Ok(default),
        Some(v) => v.parse().map_err(|_| {
            (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(json!({"detail": [{"type": "int_parsing", "loc": ["query", k], "msg": "Input should be a valid integer"}]}))).into_response()
        }),
    }
}

async fn history(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    record(&state, &method, &uri, &headers, None).await;
    let g = |k: &str| q.get(k).cloned();
    let success = match parse_bool(&q, "delivery_success") {
        Ok(b) => b,
        Err(r) => return r,
    };
    let (limit, offset) = match (num(&q, "limit", 50), num(&q, "offset", 0)) {
        (Ok(l), Ok(o)) => (l, o),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let query = HistoryQuery {
        schedule_id: g("schedule_id"),
        provider: g("provider"),
        metadata_kind: g("metadata_kind"),
        acknowledgement_state: g("acknowledgement_state"),
        connector_delivery_source: g("connector_delivery_source"),
        delivery_success: success,
        alert_level: g("alert_level"),
        audit_id: g("audit_id"),
        delivery_id: g("delivery_id"),
        cadence: g("cadence"),
    };
    match state.backend.history(query, limit, offset).await {
        Ok(v) => ok(v),
        Err(e) => backend_error(e),
    }
}

async fn dashboard(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    record(&state, &method, &uri, &headers, None).await;
    match state.backend.dashboard().await {
        Ok(v) => ok(v),
        Err(e) => backend_error(e),
    }
}

fn ack_input(
    schedule_id: &str,
    m: &Map<String, Value>,
    by: String,
    defaults: &Map<String, Value>,
) -> Result<AckInput, Response> {
    let provider = s(m, "provider").trim().to_string();
    let state_text = m
        .get("acknowledgement_state")
        .or(defaults.get("acknowledgement_state"))
        .and_then(Value::as_str)
        .unwrap_or("acknowledged");
    let state =
        AckState::parse(state_text).map_err(|e| detail(StatusCode::BAD_REQUEST, &e.to_string()))?;
    let pick = |k: &str| {
        let own = s(m, k);
        if own.is_empty() { s(defaults, k) } else { own }
    };
    Ok(AckInput {
        route: RouteKey::new(schedule_id.trim(), provider),
        plan_id: pick("plan_id"),
        state,
        acknowledged_by: by,
        external_ref: pick("external_ref"),
        notes: pick("notes"),
    })
}

async fn ack(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Path(schedule_id): Path<String>,
    body: Bytes,
) -> Response {
    let (m, actor) = prelude!(state, method, uri, headers, body);
    if s(&m, "provider").is_empty() {
        return detail(StatusCode::BAD_REQUEST, "provider is required");
    }
    let by = match who(&actor, &m, "acknowledged_by", None) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let input = match ack_input(&schedule_id, &m, by, &Map::new()) {
        Ok(i) => i,
        Err(r) => return r,
    };
    match state.backend.acknowledge(input).await {
        Ok(rec) => ok(json!({"acknowledgement": rec.0.get("acknowledgement").cloned(), "metadata": rec.0, "actor": actor_json(&actor)}).as_object().cloned().unwrap()),
        Err(e) => backend_error(e),
    }
}

/// CONTRACT §4.5: validates, then records route by route; a bad route fails the request with
/// the routes before it already stored (the server is not atomic).
async fn bulk(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (m, actor) = prelude!(state, method, uri, headers, body);
    let routes = match m.get("routes").and_then(Value::as_array) {
        Some(r) if !r.is_empty() => r.clone(),
        _ => return detail(StatusCode::BAD_REQUEST, "routes are required"),
    };
    if routes.len() > 100 {
        return detail(
            StatusCode::BAD_REQUEST,
            "bulk acknowledgement is limited to 100 routes",
        );
    }
    let by = match who(&actor, &m, "acknowledged_by", None) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let mut records = Vec::new();
    for r in &routes {
        let Some(ro) = r.as_object() else {
            return detail(StatusCode::BAD_REQUEST, "each route must be an object");
        };
        let (schedule, provider) = (s(ro, "schedule_id"), s(ro, "provider"));
        if schedule.trim().is_empty() || provider.trim().is_empty() {
            return detail(
                StatusCode::BAD_REQUEST,
                "each route requires schedule_id and provider",
            );
        }
        let input = match ack_input(&schedule, ro, by.clone(), &m) {
            Ok(i) => i,
            Err(r) => return r,
        };
        match state.backend.acknowledge(input).await {
            Ok(rec) => records.push(rec),
            Err(e) => return backend_error(e),
        }
    }
    let first = records
        .first()
        .map(|r| r.session_id().to_string())
        .unwrap_or_default();
    ok(json!({
        "schema_version": "cavra.go-backend-pilot.rollback-drill-bulk-acknowledgement.v1", "product": "CAVRA",
        "bulk_id": format!("gordbulkack-{}-{first}", records.len()),
        "acknowledgement_state": m.get("acknowledgement_state").cloned().unwrap_or(json!("acknowledged")),
        "acknowledgement_count": records.len(),
        "acknowledgements": records.iter().filter_map(|r| r.0.get("acknowledgement").cloned()).collect::<Vec<_>>(),
        "metadata": records.iter().map(|r| Value::Object(r.0.clone())).collect::<Vec<_>>(),
        "actor": actor_json(&actor),
    }).as_object().cloned().unwrap())
}

fn scope(m: &Map<String, Value>) -> AuditScope {
    AuditScope {
        schedule_id: s(m, "schedule_id"),
        provider: s(m, "provider"),
        owner: s(m, "owner"),
    }
}

async fn audit_package(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (m, actor) = prelude!(state, method, uri, headers, body);
    let by = who(&actor, &m, "generated_by", Some("console")).unwrap();
    match state.backend.audit_package(scope(&m), by).await {
        Ok(pkg) => {
            let meta = cavra_tui::domain::audit::audit_package_record(&pkg);
            ok(
                json!({"audit_package": pkg, "metadata": meta.0, "actor": actor_json(&actor)})
                    .as_object()
                    .cloned()
                    .unwrap(),
            )
        }
        Err(e) => backend_error(e),
    }
}

async fn audit_delivery(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (m, actor) = prelude!(state, method, uri, headers, body);
    let sc = scope(&m);
    let provider = if s(&m, "delivery_provider").is_empty() {
        if sc.provider.is_empty() {
            "all".into()
        } else {
            sc.provider.clone()
        }
    } else {
        s(&m, "delivery_provider")
    };
    let req = AuditDeliveryRequest {
        scope: sc,
        delivery_provider: provider,
        cadence: if s(&m, "cadence").is_empty() {
            "on_demand".into()
        } else {
            s(&m, "cadence")
        },
        schedule_ref: s(&m, "schedule_ref"),
        generated_by: who(&actor, &m, "generated_by", Some("console")).unwrap(),
    };
    match state.backend.deliver_audit(req).await {
        Ok(mut v) => {
            v.insert("actor".into(), actor_json(&actor));
            ok(v)
        }
        Err(e) => backend_error(e),
    }
}

fn policy(m: &Map<String, Value>) -> Result<RetryPolicy, Response> {
    RetryPolicy::from_json(m.get("retry_policy")).map_err(|e| detail(StatusCode::BAD_REQUEST, &e))
}

async fn retry_plan(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (m, actor) = prelude!(state, method, uri, headers, body);
    let p = match policy(&m) {
        Ok(p) => p,
        Err(r) => return r,
    };
    with_actor(
        state
            .backend
            .retry_plan(p, who(&actor, &m, "generated_by", Some("console")).unwrap())
            .await,
        &actor,
    )
}

fn with_actor(
    r: Result<Map<String, Value>, BackendError>,
    actor: &Option<(String, Value)>,
) -> Response {
    match r {
        Ok(mut v) => {
            v.insert("actor".into(), actor_json(actor));
            ok(v)
        }
        Err(e) => backend_error(e),
    }
}

async fn retry_ack(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let (m, actor) = prelude!(state, method, uri, headers, body);
    if s(&m, "provider").trim().is_empty() {
        return detail(StatusCode::BAD_REQUEST, "provider is required");
    }
    let by = match who(&actor, &m, "acknowledged_by", None) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let input = RetryAckInput {
        retry_plan_id: id,
        provider: s(&m, "provider"),
        acknowledged_by: by,
        state: s(&m, "acknowledgement_state"),
        delivery_id: s(&m, "delivery_id"),
        audit_id: s(&m, "audit_id"),
        external_ref: s(&m, "external_ref"),
        notes: s(&m, "notes"),
    };
    with_actor(state.backend.retry_ack(input).await, &actor)
}

async fn worker_run(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (m, actor) = prelude!(state, method, uri, headers, body);
    let p = match policy(&m) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let sched = m
        .get("schedule")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let interval = sched
        .get("interval_minutes")
        .and_then(Value::as_u64)
        .unwrap_or(60) as u32;
    let req = WorkerRunRequest {
        policy: p,
        schedule: WorkerSchedule {
            interval_minutes: interval,
            cadence: sched
                .get("cadence")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or(format!("every_{interval}_minutes")),
            enabled: sched.get("enabled").is_none_or(truthy),
        },
        max_retry_deliveries: m
            .get("max_retry_deliveries")
            .and_then(Value::as_u64)
            .unwrap_or(5) as u32,
        generated_by: who(&actor, &m, "generated_by", Some("console")).unwrap(),
    };
    with_actor(state.backend.worker_run(req).await, &actor)
}

async fn worker_health(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    record(&state, &method, &uri, &headers, None).await;
    let p = HealthParams {
        expected_interval_minutes: q
            .get("expected_interval_minutes")
            .and_then(|v| v.parse().ok())
            .unwrap_or(30),
        stale_metadata_minutes: q
            .get("stale_metadata_minutes")
            .and_then(|v| v.parse().ok())
            .unwrap_or(120),
    };
    match state.backend.worker_health(p).await {
        Ok(v) => ok(v),
        Err(e) => backend_error(e),
    }
}

async fn alert_deliver(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (m, actor) = prelude!(state, method, uri, headers, body);
    let n = |k: &str, d: u64| m.get(k).and_then(Value::as_u64).unwrap_or(d) as u32;
    let req = SendAlertRequest {
        alert: AlertRequest {
            provider: if s(&m, "provider").is_empty() {
                "all".into()
            } else {
                s(&m, "provider")
            },
            suppression_window_minutes: n("suppression_window_minutes", 60),
            force: m.get("force").is_some_and(truthy),
            generated_by: who(&actor, &m, "generated_by", Some("console")).unwrap(),
        },
        health: HealthParams {
            expected_interval_minutes: n("expected_interval_minutes", 30),
            stale_metadata_minutes: n("stale_metadata_minutes", 120),
        },
    };
    with_actor(state.backend.send_worker_alert(req).await, &actor)
}

async fn alert_ack(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Path(health_id): Path<String>,
    body: Bytes,
) -> Response {
    let (m, actor) = prelude!(state, method, uri, headers, body);
    let by = match who(&actor, &m, "acknowledged_by", None) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let input = AlertAckInput {
        health_id,
        plan_id: s(&m, "plan_id"),
        provider: s(&m, "provider"),
        acknowledged_by: by,
        state: s(&m, "acknowledgement_state"),
        external_ref: s(&m, "external_ref"),
        notes: s(&m, "notes"),
    };
    with_actor(state.backend.ack_worker_alert(input).await, &actor)
}

async fn alerts(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    record(&state, &method, &uri, &headers, None).await;
    let suppressed = match parse_bool(&q, "suppressed") {
        Ok(b) => b,
        Err(r) => return r,
    };
    let query = AlertQuery {
        health_id: q.get("health_id").cloned(),
        provider: q.get("provider").cloned(),
        metadata_kind: q.get("metadata_kind").cloned(),
        acknowledgement_state: q.get("acknowledgement_state").cloned(),
        suppressed,
    };
    match state
        .backend
        .worker_alerts(
            query,
            num(&q, "limit", 50).unwrap_or(50),
            num(&q, "offset", 0).unwrap_or(0),
        )
        .await
    {
        Ok(v) => ok(v),
        Err(e) => backend_error(e),
    }
}

async fn alert_dashboard(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    record(&state, &method, &uri, &headers, None).await;
    match state.backend.worker_alert_dashboard().await {
        Ok(v) => ok(v),
        Err(e) => backend_error(e),
    }
}

async fn auditor_plan(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (m, actor) = prelude!(state, method, uri, headers, body);
    let p = match policy(&m) {
        Ok(p) => p,
        Err(r) => return r,
    };
    with_actor(
        state
            .backend
            .auditor_retry_plan(p, who(&actor, &m, "generated_by", Some("console")).unwrap())
            .await,
        &actor,
    )
}

async fn archive(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    record(&state, &method, &uri, &headers, None).await;
    let b = |k: &str| parse_bool(&q, k).map(|v| v.unwrap_or(true));
    let (hash, retention, persist) = match (
        b("require_archive_hash"),
        b("require_retention_until"),
        b("persist"),
    ) {
        (Ok(h), Ok(r), Ok(p)) => (h, r, p),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return e,
    };
    let req = ArchiveHealthRequest {
        rules: ArchiveRules {
            require_archive_hash: hash,
            require_retention_until: retention,
        },
        generated_by: q
            .get("generated_by")
            .cloned()
            .unwrap_or_else(|| "console".into()),
        persist,
    };
    match state.backend.archive_health(req).await {
        Ok(v) => ok(v),
        Err(e) => backend_error(e),
    }
}
