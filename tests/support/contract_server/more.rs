//! The test server's issue-12 routes, answered by the sample engine's `Backend::call`: retry
//! execution approvals, the live worker (Execute Retry), worker history, connector recovery,
//! the auditor-export retry worker, archive alerts, routing history and suppression trends —
//! and `GET /console/config` with the endpoints map (or without it, or a 404, as older servers).

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::{Map, Value, json};

use cavra_tui::backend::calls::{
    ApprovalDecisionInput, ApprovalPlanRequest, ArchiveAlertRequest, AuditorWorkerRequest,
    ClosureInput, ExecuteRetryRequest, PlaybookRequest,
};
use cavra_tui::backend::wire::{
    AlertAckBody, ApprovalPlanBody, ClosureBody, DecisionBody, PlaybookBody, SendAlertBody,
    WorkerRunBody,
};
use cavra_tui::backend::{Backend, Call, Endpoint};

use super::more_reads::reads_call;
use super::writes::{
    alert_ack_input, alert_request, with_actor, worker_request, worker_run as dry_worker_run,
};
use super::*;

/// What `GET /console/config` answers.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum ConfigMode {
    /// An endpoints map naming every issue-12 endpoint.
    #[default]
    Full,
    /// The map without these endpoints.
    Without(Vec<Endpoint>),
    /// A config without an endpoints map.
    NoMap,
    /// 404: a server older than `/console/config`.
    Missing,
}

pub(crate) fn routes() -> Router<Shared> {
    let t = |e: Endpoint| e.template();
    Router::new()
        .route("/console/config", get(config))
        .route(&t(Endpoint::RetryApprovalPlan), post(approval_plan))
        .route(&t(Endpoint::RetryApprovalDecision), post(decide))
        .route(&t(Endpoint::WorkerRun), post(worker_run))
        .route(&t(Endpoint::WorkerRuns), get(reads_call))
        .route(&t(Endpoint::WorkerDashboard), get(reads_call))
        .route(&t(Endpoint::RecoveryPlaybook), post(playbook))
        .route(&t(Endpoint::RecoveryClosure), post(close))
        .route(&t(Endpoint::RetryRecoveryReport), get(reads_call))
        .route(&t(Endpoint::AuditorRetryWorker), post(auditor_worker))
        .route(&t(Endpoint::ArchiveAlertDeliver), post(archive_send))
        .route(&t(Endpoint::ArchiveAlertAck), post(archive_ack))
        .route(&t(Endpoint::ArchiveAlerts), get(reads_call))
        .route(&t(Endpoint::ArchiveAlertDashboard), get(reads_call))
        .route(&t(Endpoint::Routes), get(reads_call))
        .route(&t(Endpoint::SuppressionTrends), get(reads_call))
}

async fn config(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    record(&state, &method, &uri, &headers, None).await;
    let mode = state.config.lock().unwrap().clone();
    let offered: Vec<Endpoint> = match &mode {
        ConfigMode::Missing => return detail(StatusCode::NOT_FOUND, "Not Found"),
        ConfigMode::NoMap => return ok(json!({"product": "CAVRA"}).as_object().cloned().unwrap()),
        ConfigMode::Full => Endpoint::ALL.to_vec(),
        ConfigMode::Without(gone) => Endpoint::ALL
            .iter()
            .filter(|e| !gone.contains(e))
            .copied()
            .collect(),
    };
    let map: Map<String, Value> = offered
        .iter()
        .map(|e| (format!("{e:?}"), Value::String(e.template())))
        .collect();
    ok(json!({"product": "CAVRA", "endpoints": map})
        .as_object()
        .cloned()
        .unwrap())
}

async fn run(state: &Shared, call: Call, actor: &Option<(String, Value)>) -> Response {
    with_actor(state.backend.call(call).await, actor)
}

async fn approval_plan(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (b, actor) = prelude!(state, method, uri, headers, body => ApprovalPlanBody);
    let by = who(&actor, &b.generated_by, "generated_by", Some("console")).unwrap();
    let call = Call::RetryApprovalPlan(ApprovalPlanRequest {
        require_retry_ack: b.approval_policy.require_retry_ack,
        generated_by: by,
    });
    run(&state, call, &actor).await
}

async fn decide(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let (b, actor) = prelude!(state, method, uri, headers, body => DecisionBody);
    if b.decision.provider.trim().is_empty() {
        return detail(StatusCode::BAD_REQUEST, "provider is required");
    }
    let by = match who(&actor, &b.decision.decided_by, "decided_by", None)
        .or_else(|_| who(&actor, &b.approved_by, "approved_by", None))
    {
        Ok(by) => by,
        Err(_) => return detail(StatusCode::BAD_REQUEST, "decided_by is required"),
    };
    let input = ApprovalDecisionInput {
        approval_plan_id: id,
        decided_by: by,
        ..b.decision
    };
    run(&state, Call::DecideRetryApproval(input), &actor).await
}

/// `worker-run`: a dry run goes to the older handler, `execute: true` to the live worker.
async fn worker_run(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let live =
        serde_json::from_slice::<WorkerRunBody>(&body).is_ok_and(|b| b.execute == Some(true));
    if !live {
        return dry_worker_run(State(state), method, uri, headers, body).await;
    }
    let (b, actor) = prelude!(state, method, uri, headers, body => WorkerRunBody);
    let worker = match worker_request(&b, &actor) {
        Ok(w) => w,
        Err(r) => return r,
    };
    let (retries, timeout_seconds) = b.connector();
    let req = ExecuteRetryRequest {
        run: worker,
        retries,
        timeout_seconds,
    };
    run(&state, Call::ExecuteRetry(req), &actor).await
}

async fn playbook(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (b, actor) = prelude!(state, method, uri, headers, body => PlaybookBody);
    let req = PlaybookRequest {
        min_failure_count: b.min_failure_count,
        lookback_hours: b.lookback_hours,
        generated_by: who(&actor, &b.generated_by, "generated_by", Some("console")).unwrap(),
    };
    run(&state, Call::RecoveryPlaybook(req), &actor).await
}

async fn close(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let (b, actor) = prelude!(state, method, uri, headers, body => ClosureBody);
    let by = match who(&actor, &b.closed_by, "closed_by", None) {
        Ok(by) => by,
        Err(r) => return r,
    };
    let input = ClosureInput {
        playbook_id: id,
        closed_by: by,
        ..b
    };
    run(&state, Call::CloseRecovery(input), &actor).await
}

async fn auditor_worker(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (b, actor) = prelude!(state, method, uri, headers, body => WorkerRunBody);
    let worker = match worker_request(&b, &actor) {
        Ok(w) => w,
        Err(r) => return r,
    };
    let (retries, timeout_seconds) = b.connector();
    let req = AuditorWorkerRequest {
        run: worker,
        execute: !b.dry_run,
        retries,
        timeout_seconds,
    };
    run(&state, Call::AuditorRetryWorker(req), &actor).await
}

async fn archive_send(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (b, actor) = prelude!(state, method, uri, headers, body => SendAlertBody);
    let req = ArchiveAlertRequest {
        retries: b.retries,
        timeout_seconds: b.timeout_seconds,
        alert: alert_request(b, &actor),
    };
    run(&state, Call::SendArchiveAlert(req), &actor).await
}

async fn archive_ack(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let (b, actor) = prelude!(state, method, uri, headers, body => AlertAckBody);
    if b.provider.trim().is_empty() {
        return detail(StatusCode::BAD_REQUEST, "provider is required");
    }
    match alert_ack_input(id, b, &actor) {
        Ok(input) => run(&state, Call::AckArchiveAlert(input), &actor).await,
        Err(r) => r,
    }
}
