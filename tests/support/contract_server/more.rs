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
use cavra_tui::backend::{AlertAckInput, Backend, Call, Endpoint};
use cavra_tui::domain::retry::{RetryPolicy, truthy};
use cavra_tui::domain::worker::{AlertRequest, WorkerSchedule};

use super::more_reads::reads_call;
use super::writes::{policy, with_actor, worker_run as dry_worker_run};
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

fn n(m: &Map<String, Value>, k: &str, d: u64) -> u32 {
    m.get(k).and_then(Value::as_u64).unwrap_or(d) as u32
}

fn schedule(m: &Map<String, Value>) -> WorkerSchedule {
    let sched = m
        .get("schedule")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let interval = n(&sched, "interval_minutes", 60);
    WorkerSchedule {
        interval_minutes: interval,
        cadence: sched
            .get("cadence")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or(format!("every_{interval}_minutes")),
        enabled: sched.get("enabled").is_none_or(truthy),
    }
}

fn timeout(m: &Map<String, Value>) -> f64 {
    m.get("timeout_seconds")
        .and_then(Value::as_f64)
        .unwrap_or(10.0)
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
    let (m, actor) = prelude!(state, method, uri, headers, body);
    let require = m
        .get("approval_policy")
        .and_then(|p| p.get("require_retry_ack"))
        .is_none_or(truthy);
    let by = who(&actor, &m, "generated_by", Some("console")).unwrap();
    let call = Call::RetryApprovalPlan(ApprovalPlanRequest {
        require_retry_ack: require,
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
    let (m, actor) = prelude!(state, method, uri, headers, body);
    if s(&m, "provider").trim().is_empty() {
        return detail(StatusCode::BAD_REQUEST, "provider is required");
    }
    let by = match who(&actor, &m, "decided_by", None)
        .or_else(|_| who(&actor, &m, "approved_by", None))
    {
        Ok(b) => b,
        Err(_) => return detail(StatusCode::BAD_REQUEST, "decided_by is required"),
    };
    let input = ApprovalDecisionInput {
        approval_plan_id: id,
        provider: s(&m, "provider"),
        decided_by: by,
        approval_state: s(&m, "approval_state"),
        retry_plan_id: s(&m, "retry_plan_id"),
        delivery_id: s(&m, "delivery_id"),
        audit_id: s(&m, "audit_id"),
        external_ref: s(&m, "external_ref"),
        notes: s(&m, "notes"),
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
    let live = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("execute").cloned())
        .is_some_and(|v| truthy(&v));
    if !live {
        return dry_worker_run(State(state), method, uri, headers, body).await;
    }
    let (m, actor) = prelude!(state, method, uri, headers, body);
    let p: RetryPolicy = match policy(&m) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let req = ExecuteRetryRequest {
        policy: p,
        schedule: schedule(&m),
        max_retry_deliveries: n(&m, "max_retry_deliveries", 5),
        retries: n(&m, "retries", 2),
        timeout_seconds: timeout(&m),
        generated_by: who(&actor, &m, "generated_by", Some("console")).unwrap(),
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
    let (m, actor) = prelude!(state, method, uri, headers, body);
    let req = PlaybookRequest {
        min_failure_count: n(&m, "min_failure_count", 2),
        lookback_hours: n(&m, "lookback_hours", 24),
        generated_by: who(&actor, &m, "generated_by", Some("console")).unwrap(),
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
    let (m, actor) = prelude!(state, method, uri, headers, body);
    let by = match who(&actor, &m, "closed_by", None) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let refs = m
        .get("verification_refs")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let input = ClosureInput {
        playbook_id: id,
        provider: s(&m, "provider"),
        closed_by: by,
        closure_state: s(&m, "closure_state"),
        external_ref: s(&m, "external_ref"),
        notes: s(&m, "notes"),
        verification_refs: refs,
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
    let (m, actor) = prelude!(state, method, uri, headers, body);
    let p = match policy(&m) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let execute = m.get("execute").is_some_and(truthy);
    let req = AuditorWorkerRequest {
        policy: p,
        schedule: schedule(&m),
        max_retry_deliveries: n(&m, "max_retry_deliveries", 5),
        execute: m.get("dry_run").map(|d| !truthy(d)).unwrap_or(execute),
        retries: n(&m, "retries", 2),
        timeout_seconds: timeout(&m),
        generated_by: who(&actor, &m, "generated_by", Some("console")).unwrap(),
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
    let (m, actor) = prelude!(state, method, uri, headers, body);
    let provider = match s(&m, "provider") {
        p if p.is_empty() => "all".to_string(),
        p => p,
    };
    let req = ArchiveAlertRequest {
        alert: AlertRequest {
            provider,
            suppression_window_minutes: Some(n(&m, "suppression_window_minutes", 60)),
            force: m.get("force").is_some_and(truthy),
            generated_by: who(&actor, &m, "generated_by", Some("console")).unwrap(),
        },
        retries: n(&m, "retries", 2),
        timeout_seconds: timeout(&m),
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
    let (m, actor) = prelude!(state, method, uri, headers, body);
    if s(&m, "provider").trim().is_empty() {
        return detail(StatusCode::BAD_REQUEST, "provider is required");
    }
    let by = match who(&actor, &m, "acknowledged_by", None) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let input = AlertAckInput {
        health_id: id,
        plan_id: s(&m, "plan_id"),
        provider: s(&m, "provider"),
        acknowledged_by: by,
        state: s(&m, "acknowledgement_state"),
        external_ref: s(&m, "external_ref"),
        notes: s(&m, "notes"),
    };
    run(&state, Call::AckArchiveAlert(input), &actor).await
}
