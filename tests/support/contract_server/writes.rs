//! The test server's POST handlers: acknowledgements, the non-atomic bulk, audit, retry, worker and alerts.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use serde_json::{Map, Value, json};

use cavra_tui::backend::{
    AlertAckInput, AuditDeliveryRequest, Backend, BackendError, HealthParams, SendAlertRequest,
    WorkerRunRequest,
};
use cavra_tui::domain::ack::{AckInput, AckState};
use cavra_tui::domain::audit::AuditScope;
use cavra_tui::domain::retry::{RetryAckInput, RetryPolicy, truthy};
use cavra_tui::domain::route::RouteKey;
use cavra_tui::domain::worker::{AlertRequest, WorkerSchedule};

use super::*;

pub(crate) fn ack_input(
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

pub(crate) async fn ack(
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
pub(crate) async fn bulk(
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

pub(crate) fn scope(m: &Map<String, Value>) -> AuditScope {
    AuditScope {
        schedule_id: s(m, "schedule_id"),
        provider: s(m, "provider"),
        owner: s(m, "owner"),
    }
}

pub(crate) async fn audit_package(
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

pub(crate) async fn audit_delivery(
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

pub(crate) fn policy(m: &Map<String, Value>) -> Result<RetryPolicy, Response> {
    RetryPolicy::from_json(m.get("retry_policy"))
        .map_err(|e| detail(StatusCode::BAD_REQUEST, &e.to_string()))
}

pub(crate) async fn retry_plan(
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

pub(crate) fn with_actor(
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

pub(crate) async fn retry_ack(
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

pub(crate) async fn worker_run(
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

pub(crate) async fn alert_deliver(
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
            suppression_window_minutes: Some(n("suppression_window_minutes", 60)),
            force: m.get("force").is_some_and(truthy),
            generated_by: who(&actor, &m, "generated_by", Some("console")).unwrap(),
        },
        health: HealthParams {
            expected_interval_minutes: n("expected_interval_minutes", 30),
            stale_metadata_minutes: n("stale_metadata_minutes", 120),
        },
        retries: n("retries", 2),
        timeout_seconds: m
            .get("timeout_seconds")
            .and_then(Value::as_f64)
            .unwrap_or(10.0),
    };
    with_actor(state.backend.send_worker_alert(req).await, &actor)
}

pub(crate) async fn alert_ack(
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

pub(crate) async fn auditor_plan(
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
