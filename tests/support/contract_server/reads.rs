//! The test server's GET handlers (history, dashboards, health): never write, except archive health with `persist`.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use cavra_tui::backend::{ArchiveHealthRequest, Backend, HealthParams};
use cavra_tui::domain::archive::ArchiveRules;
use cavra_tui::domain::history::HistoryQuery;
use cavra_tui::domain::worker::AlertQuery;

use super::*;
use cavra_tui::domain::query::Page;

pub(crate) fn parse_bool(q: &HashMap<String, String>, k: &str) -> Result<Option<bool>, Response> {
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

pub(crate) fn num(q: &HashMap<String, String>, k: &str, default: usize) -> Result<usize, Response> {
    match q.get(k) {
        None => Ok(default),
        Some(v) => v.parse().map_err(|_| {
            (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(json!({"detail": [{"type": "int_parsing", "loc": ["query", k], "msg": "Input should be a valid integer"}]}))).into_response()
        }),
    }
}

pub(crate) async fn history(
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
        ..Default::default()
    };
    match state.backend.history(query, Page::at(limit, offset)).await {
        Ok(v) => ok(v),
        Err(e) => backend_error(e),
    }
}

pub(crate) async fn dashboard(
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

pub(crate) async fn worker_health(
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

pub(crate) async fn alerts(
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
            Page::at(
                num(&q, "limit", 50).unwrap_or(50),
                num(&q, "offset", 0).unwrap_or(0),
            ),
        )
        .await
    {
        Ok(v) => ok(v),
        Err(e) => backend_error(e),
    }
}

pub(crate) async fn alert_dashboard(
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

pub(crate) async fn archive(
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
