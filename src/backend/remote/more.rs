//! The issue-12 operations over HTTP (CONTRACT §4.10, §4.18, §5, bodies as §6.5) and endpoint
//! discovery from `GET /console/config`.

use super::client::Client;
use super::seg;
use crate::backend::calls::Call;
use crate::backend::wire;
use crate::backend::{BackendError, Capabilities, Endpoint, Json};
use crate::domain::worker::AlertQuery;

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

fn path(e: Endpoint, id: &str) -> String {
    let t = e.template();
    match (t.find('{'), t.find('}')) {
        (Some(a), Some(b)) if a < b => format!("{}{}{}", &t[..a], seg(id), &t[b + 1..]),
        _ => t,
    }
}

fn alert_query(q: &AlertQuery, limit: usize, offset: usize) -> Vec<(&'static str, String)> {
    let mut out = q.pairs();
    out.push(("limit", limit.to_string()));
    out.push(("offset", offset.to_string()));
    out
}

/// Sends one call.
pub async fn call(client: &Client, call: Call) -> Result<Json, BackendError> {
    let e = call.endpoint();
    match call {
        Call::RetryApprovalPlan(r) => {
            let body = wire::ApprovalPlanBody::from(&r);
            client.post(&e.template(), &body).await
        }
        Call::DecideRetryApproval(i) => {
            let body = wire::DecisionBody::from(&i);
            client.post(&path(e, &i.approval_plan_id), &body).await
        }
        Call::ExecuteRetry(r) => {
            let body = wire::WorkerRunBody::from(&r);
            client.post(&e.template(), &body).await
        }
        Call::WorkerRuns {
            dry_run,
            limit,
            offset,
        } => {
            let mut q = vec![("limit", limit.to_string()), ("offset", offset.to_string())];
            if let Some(d) = dry_run {
                q.insert(0, ("dry_run", d.to_string()));
            }
            client.get(&e.template(), &q).await
        }
        Call::RecoveryPlaybook(r) => {
            let body = wire::PlaybookBody::from(&r);
            client.post(&e.template(), &body).await
        }
        Call::CloseRecovery(i) => {
            let body = wire::ClosureBody::from(&i);
            client.post(&path(e, &i.playbook_id), &body).await
        }
        Call::RetryRecoveryReport(r) => {
            let q = [
                ("recovery_slo_minutes", r.recovery_slo_minutes.to_string()),
                ("generated_by", r.generated_by),
            ];
            client.get_write(&e.template(), &q).await
        }
        Call::AuditorRetryWorker(r) => {
            let body = wire::WorkerRunBody::from(&r);
            client.post(&e.template(), &body).await
        }
        Call::SendArchiveAlert(r) => {
            let body = wire::SendAlertBody::from(&r);
            client.post(&e.template(), &body).await
        }
        Call::AckArchiveAlert(i) => {
            let body = wire::AlertAckBody::from(&i);
            client.post(&path(e, &i.health_id), &body).await
        }
        Call::ArchiveAlerts {
            query,
            limit,
            offset,
        } => {
            client
                .get(&e.template(), &alert_query(&query, limit, offset))
                .await
        }
        Call::WorkerDashboard | Call::ArchiveAlertDashboard => client.get(&e.template(), &[]).await,
        Call::Routes {
            query,
            limit,
            offset,
        } => {
            let mut q = query.pairs();
            q.push(("limit", limit.to_string()));
            q.push(("offset", offset.to_string()));
            client.get(&e.template(), &q).await
        }
        Call::SuppressionTrend(r) => {
            let mut q = r.query.pairs();
            q.retain(|(k, _)| !matches!(*k, "action" | "category"));
            q.push(("generated_by", r.generated_by));
            client.get_write(&e.template(), &q).await
        }
    }
}
