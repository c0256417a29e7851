//! The issue-12 operations over HTTP (CONTRACT §4.10, §4.18, §5, bodies as §6.5) and endpoint
//! discovery from `GET /console/config`.

use serde::Serialize;
use serde_json::Value;

use super::client::Client;
use super::seg;
use crate::backend::calls::Call;
use crate::backend::wire;
use crate::backend::{BackendError, Capabilities, Endpoint, Json};
use crate::domain::input::Recorded;
use crate::domain::query::{self, Page};
use crate::domain::worker::AlertQuery;
use crate::domain::{approval, archive_alert, recovery};
use chrono::{DateTime, Utc};

/// Asks the server which endpoints it offers; `None` when it could not be asked (try again).
pub async fn discover(client: &Client) -> Option<Capabilities> {
    match client.get_without_token("/console/config").await {
        Ok(config) => Some(Capabilities::from_config(&config)),
        Err(BackendError::Rejected(m)) if m.contains("not found") => Some(Capabilities::all(
            "this server has no /console/config (an older CAVRA)",
        )),
        Err(e) => {
            tracing::debug!("cannot read /console/config: {e}");
            None
        }
    }
}

/// The endpoint's path, with the id the call names filled into its `{placeholder}`.
fn path(e: Endpoint, id: Option<&str>) -> String {
    let t = e.template();
    match (id, t.find('{'), t.find('}')) {
        (Some(id), Some(a), Some(b)) if a < b => format!("{}{}{}", &t[..a], seg(id), &t[b + 1..]),
        _ => t,
    }
}

/// The id a call puts in its path.
fn path_id(call: &Call) -> Option<&str> {
    match call {
        Call::DecideRetryApproval(i) => Some(&i.approval_plan_id),
        Call::CloseRecovery(i) => Some(&i.playbook_id),
        Call::AckArchiveAlert(i) => Some(&i.health_id),
        _ => None,
    }
}

/// The alert-history filters that are set, then the page.
pub(super) fn alert_query(q: &AlertQuery, page: Page) -> Vec<(String, String)> {
    let mut out = query::pairs(q);
    out.extend(page.pairs());
    out
}

/// What one call carries: a body (POST) or a query (GET).
enum Carried {
    Body(Value),
    Query(Vec<(String, String)>),
}

fn body(b: impl Serialize) -> Result<Carried, BackendError> {
    let body = serde_json::to_value(b).map_err(|e| BackendError::Internal(e.to_string()))?;
    Ok(Carried::Body(body))
}

/// `input` as the server's checks (`check`, the domain's, which sample mode records with)
/// settle it: input they refuse never goes on the wire, and the state sent (`field`, reached by
/// `state`) is the one they settled on (trimmed, lower case, the default for a blank), never
/// the raw text typed.
pub(super) fn settled<I>(
    mut input: I,
    check: fn(&I, DateTime<Utc>) -> Recorded,
    field: &str,
    state: fn(&mut I) -> &mut String,
) -> Result<I, BackendError> {
    let (checked, _) = check(&input, Utc::now())?;
    *state(&mut input) = checked
        .get(field)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    Ok(input)
}

/// The state field of an acknowledgement.
pub(super) const ACK_STATE: &str = "acknowledgement_state";

/// The body or query of one call, as the web console sends it (§6.5). A decision, closure or
/// alert acknowledgement is first put through the checks the server makes (the domain's, as
/// sample mode records): input it would refuse never goes on the wire.
fn carried(call: Call) -> Result<Carried, BackendError> {
    let query = |q: Vec<(String, String)>| Ok(Carried::Query(q));
    match call {
        Call::RetryApprovalPlan(r) => body(wire::ApprovalPlanBody::from(&r)),
        Call::DecideRetryApproval(i) => {
            let i = settled(i, approval::decide, "approval_state", |i| {
                &mut i.approval_state
            })?;
            body(wire::DecisionBody::from(&i))
        }
        Call::ExecuteRetry(r) => body(wire::WorkerRunBody::from(&r)),
        Call::RecoveryPlaybook(r) => body(wire::PlaybookBody::from(&r)),
        Call::CloseRecovery(i) => body(&settled(i, recovery::close, "closure_state", |i| {
            &mut i.closure_state
        })?),
        Call::AuditorRetryWorker(r) => body(wire::WorkerRunBody::from(&r)),
        Call::SendArchiveAlert(r) => body(wire::SendAlertBody::from(&r)),
        Call::AckArchiveAlert(i) => body(&settled(i, archive_alert::alert_ack, ACK_STATE, |i| {
            &mut i.state
        })?),
        Call::WorkerRuns { dry_run, page } => {
            let dry_run = dry_run.map(|d| ("dry_run".into(), d.to_string()));
            query(dry_run.into_iter().chain(page.pairs()).collect())
        }
        Call::RetryRecoveryReport(r) => query(vec![
            (
                "recovery_slo_minutes".into(),
                r.recovery_slo_minutes.to_string(),
            ),
            ("generated_by".into(), r.generated_by),
        ]),
        Call::ArchiveAlerts { query: q, page } => query(alert_query(&q, page)),
        Call::WorkerDashboard | Call::ArchiveAlertDashboard => query(Vec::new()),
        Call::Routes { query: q, page } => {
            let mut q = query::pairs(&q);
            q.extend(page.pairs());
            query(q)
        }
        Call::SuppressionTrend(r) => {
            let mut q = query::pairs(&r.query.trend_part());
            q.push(("generated_by".into(), r.generated_by));
            query(q)
        }
    }
}

/// Sends one call: a body is posted; a query is read, or sent once as a write when the call
/// stores a record.
pub async fn call(client: &Client, call: Call) -> Result<Json, BackendError> {
    let path = path(call.endpoint(), path_id(&call));
    let writes = call.writes();
    match carried(call)? {
        Carried::Body(body) => client.post(&path, &body).await,
        Carried::Query(q) if writes => client.get_write(&path, &q).await,
        Carried::Query(q) => client.get(&path, &q).await,
    }
}
