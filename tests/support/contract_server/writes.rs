//! The test server's POST handlers: acknowledgements, the non-atomic bulk, audit, retry, worker and alerts.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use serde_json::{Value, json};

use cavra_tui::backend::wire::{
    AckBody, AlertAckBody, AuditDeliveryBody, AuditPackageBody, BulkBody, RetryAckBody,
    RetryPlanBody, SendAlertBody, WorkerRunBody,
};
use cavra_tui::backend::{
    AlertAckInput, AuditDeliveryRequest, Backend, BackendError, HealthParams, SendAlertRequest,
    WorkerRunRequest,
};
use cavra_tui::domain::ack::{AckInput, AckState};
use cavra_tui::domain::retry::{RetryAckInput, RetryPolicy};
use cavra_tui::domain::route::RouteKey;
use cavra_tui::domain::worker::AlertRequest;

use super::*;

/// An acknowledgement's input from its body (state `acknowledged` when none is given).
pub(crate) fn ack_input(schedule_id: &str, b: AckBody, by: String) -> Result<AckInput, Response> {
    let state_text = match b.acknowledgement_state.as_str() {
        "" => "acknowledged",
        s => s,
    };
    let state =
        AckState::parse(state_text).map_err(|e| detail(StatusCode::BAD_REQUEST, &e.to_string()))?;
    Ok(AckInput {
        route: RouteKey::new(schedule_id.trim(), b.provider.trim()),
        plan_id: b.plan_id,
        state,
        acknowledged_by: by,
        external_ref: b.external_ref,
        notes: b.notes,
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
    let (b, actor) = prelude!(state, method, uri, headers, body => AckBody);
    if b.provider.is_empty() {
        return detail(StatusCode::BAD_REQUEST, "provider is required");
    }
    let by = match who(&actor, &b.acknowledged_by, "acknowledged_by", None) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let input = match ack_input(&schedule_id, b, by) {
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
    let (b, actor) = prelude!(state, method, uri, headers, body => BulkBody);
    if b.routes.is_empty() {
        return detail(StatusCode::BAD_REQUEST, "routes are required");
    }
    if b.routes.len() > 100 {
        return detail(
            StatusCode::BAD_REQUEST,
            "bulk acknowledgement is limited to 100 routes",
        );
    }
    let by = match who(&actor, &b.acknowledged_by, "acknowledged_by", None) {
        Ok(b) => b,
        Err(r) => return r,
    };
    // A route's own fields, else the request's.
    let or = |own: String, all: &str| if own.is_empty() { all.to_string() } else { own };
    let mut records = Vec::new();
    for r in b.routes.clone() {
        if r.schedule_id.trim().is_empty() || r.provider.trim().is_empty() {
            return detail(
                StatusCode::BAD_REQUEST,
                "each route requires schedule_id and provider",
            );
        }
        let one = AckBody {
            provider: r.provider,
            plan_id: r.plan_id,
            acknowledged_by: String::new(),
            acknowledgement_state: or(r.acknowledgement_state, &b.acknowledgement_state),
            external_ref: or(r.external_ref, &b.external_ref),
            notes: or(r.notes, &b.notes),
        };
        let input = match ack_input(&r.schedule_id, one, by.clone()) {
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
        "acknowledgement_state": if b.acknowledgement_state.is_empty() { "acknowledged" } else { &b.acknowledgement_state },
        "acknowledgement_count": records.len(),
        "acknowledgements": records.iter().filter_map(|r| r.0.get("acknowledgement").cloned()).collect::<Vec<_>>(),
        "metadata": records.iter().map(|r| Value::Object(r.0.clone())).collect::<Vec<_>>(),
        "actor": actor_json(&actor),
    }).as_object().cloned().unwrap())
}

pub(crate) async fn audit_package(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (b, actor) = prelude!(state, method, uri, headers, body => AuditPackageBody);
    let by = who(&actor, &b.generated_by, "generated_by", Some("console")).unwrap();
    match state.backend.audit_package(b.scope.scope(), by).await {
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
    let (b, actor) = prelude!(state, method, uri, headers, body => AuditDeliveryBody);
    let sc = b.scope.scope();
    let provider = match (b.delivery_provider.as_str(), sc.provider.as_str()) {
        ("", "") => "all".to_string(),
        ("", p) | (p, _) => p.to_string(),
    };
    let req = AuditDeliveryRequest {
        scope: sc,
        delivery_provider: provider,
        cadence: match b.cadence.as_str() {
            "" => "on_demand".into(),
            c => c.into(),
        },
        schedule_ref: b.schedule_ref,
        generated_by: who(&actor, &b.generated_by, "generated_by", Some("console")).unwrap(),
    };
    match state.backend.deliver_audit(req).await {
        Ok(mut v) => {
            v.insert("actor".into(), actor_json(&actor));
            ok(v)
        }
        Err(e) => backend_error(e),
    }
}

pub(crate) fn policy(v: &Value) -> Result<RetryPolicy, Response> {
    RetryPolicy::from_json(Some(v)).map_err(|e| detail(StatusCode::BAD_REQUEST, &e.to_string()))
}

pub(crate) async fn retry_plan(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (b, actor) = prelude!(state, method, uri, headers, body => RetryPlanBody);
    let p = match policy(&b.retry_policy) {
        Ok(p) => p,
        Err(r) => return r,
    };
    with_actor(
        state
            .backend
            .retry_plan(
                p,
                who(&actor, &b.generated_by, "generated_by", Some("console")).unwrap(),
            )
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
    let (b, actor) = prelude!(state, method, uri, headers, body => RetryAckBody);
    if b.provider.trim().is_empty() {
        return detail(StatusCode::BAD_REQUEST, "provider is required");
    }
    let by = match who(&actor, &b.acknowledged_by, "acknowledged_by", None) {
        Ok(by) => by,
        Err(r) => return r,
    };
    let input = RetryAckInput {
        retry_plan_id: id,
        acknowledged_by: by,
        ..b
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
    let (b, actor) = prelude!(state, method, uri, headers, body => WorkerRunBody);
    let req = match worker_request(&b, &actor) {
        Ok(req) => req,
        Err(r) => return r,
    };
    with_actor(state.backend.worker_run(req).await, &actor)
}

/// The worker settings of a worker-run body (§4.10, §4.16), or the server's refusal.
pub(crate) fn worker_request(
    b: &WorkerRunBody,
    actor: &Option<(String, Value)>,
) -> Result<WorkerRunRequest, Response> {
    Ok(WorkerRunRequest {
        policy: policy(&b.retry_policy)?,
        schedule: b.schedule.schedule(),
        max_retry_deliveries: b.max_retry_deliveries,
        generated_by: who(actor, &b.generated_by, "generated_by", Some("console")).unwrap(),
    })
}

pub(crate) async fn alert_deliver(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (b, actor) = prelude!(state, method, uri, headers, body => SendAlertBody);
    let health = HealthParams::default();
    let req = SendAlertRequest {
        health: HealthParams {
            expected_interval_minutes: b
                .expected_interval_minutes
                .unwrap_or(health.expected_interval_minutes),
            stale_metadata_minutes: b
                .stale_metadata_minutes
                .unwrap_or(health.stale_metadata_minutes),
        },
        retries: b.retries,
        timeout_seconds: b.timeout_seconds,
        alert: alert_request(b, &actor),
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
    let (b, actor) = prelude!(state, method, uri, headers, body => AlertAckBody);
    match alert_ack_input(health_id, b, &actor) {
        Ok(input) => with_actor(state.backend.ack_worker_alert(input).await, &actor),
        Err(r) => r,
    }
}

pub(crate) async fn auditor_plan(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (b, actor) = prelude!(state, method, uri, headers, body => RetryPlanBody);
    let p = match policy(&b.retry_policy) {
        Ok(p) => p,
        Err(r) => return r,
    };
    with_actor(
        state
            .backend
            .auditor_retry_plan(
                p,
                who(&actor, &b.generated_by, "generated_by", Some("console")).unwrap(),
            )
            .await,
        &actor,
    )
}

/// A worker-health or archive alert from its body (provider `all`, a 60-minute window when
/// not given).
pub(crate) fn alert_request(b: SendAlertBody, actor: &Option<(String, Value)>) -> AlertRequest {
    AlertRequest {
        provider: match b.provider.as_str() {
            "" => "all".into(),
            _ => b.provider,
        },
        suppression_window_minutes: Some(b.suppression_window_minutes.unwrap_or(60)),
        force: b.force,
        generated_by: who(actor, &b.generated_by, "generated_by", Some("console")).unwrap(),
    }
}

/// A worker-health or archive alert acknowledgement from its body.
pub(crate) fn alert_ack_input(
    health_id: String,
    b: AlertAckBody,
    actor: &Option<(String, Value)>,
) -> Result<AlertAckInput, Response> {
    Ok(AlertAckInput {
        health_id,
        acknowledged_by: who(actor, &b.acknowledged_by, "acknowledged_by", None)?,
        ..b
    })
}
