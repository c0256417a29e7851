//! The issue-12 operations over HTTP (CONTRACT §4.10, §4.18, §5, bodies as §6.5) and endpoint
//! discovery from `GET /console/config`.

use serde_json::{Value, json};

use super::client::Client;
use super::seg;
use crate::backend::calls::{AuditorWorkerRequest, Call, ExecuteRetryRequest};
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
    let mut out: Vec<(&'static str, String)> = [
        ("health_id", &q.health_id),
        ("provider", &q.provider),
        ("metadata_kind", &q.metadata_kind),
        ("acknowledgement_state", &q.acknowledgement_state),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.clone().filter(|v| !v.is_empty()).map(|v| (k, v)))
    .collect();
    if let Some(s) = q.suppressed {
        out.push(("suppressed", s.to_string()));
    }
    out.push(("limit", limit.to_string()));
    out.push(("offset", offset.to_string()));
    out
}

/// The Execute Retry body: Run Audit Worker's, live, with the web console's connector settings.
pub fn execute_body(r: &ExecuteRetryRequest) -> Value {
    json!({
        "generated_by": r.generated_by, "execute": true, "dry_run": false,
        "max_retry_deliveries": r.max_retry_deliveries, "retries": r.retries, "timeout_seconds": r.timeout_seconds,
        "retry_policy": r.policy.to_json(),
        "schedule": {"interval_minutes": r.schedule.interval_minutes, "cadence": r.schedule.cadence, "enabled": r.schedule.enabled},
    })
}

/// The auditor-export retry worker body (connector settings only when executing).
pub fn auditor_body(r: &AuditorWorkerRequest) -> Value {
    let mut body = json!({
        "generated_by": r.generated_by, "dry_run": !r.execute, "execute": r.execute,
        "max_retry_deliveries": r.max_retry_deliveries, "retry_policy": r.policy.to_json(),
        "schedule": {"interval_minutes": r.schedule.interval_minutes, "cadence": r.schedule.cadence, "enabled": r.schedule.enabled},
    });
    if r.execute {
        body["retries"] = json!(r.retries);
        body["timeout_seconds"] = json!(r.timeout_seconds);
    }
    body
}

/// Sends one call.
pub async fn call(client: &Client, call: Call) -> Result<Json, BackendError> {
    let e = call.endpoint();
    match call {
        Call::RetryApprovalPlan(r) => {
            let body = json!({"generated_by": r.generated_by, "approval_policy": {"require_retry_ack": r.require_retry_ack}});
            client.post(&e.template(), &body).await
        }
        Call::DecideRetryApproval(i) => {
            let body = json!({"provider": i.provider, "decided_by": i.decided_by, "approval_state": i.approval_state,
                "retry_plan_id": i.retry_plan_id, "delivery_id": i.delivery_id, "audit_id": i.audit_id,
                "external_ref": i.external_ref, "notes": i.notes});
            client.post(&path(e, &i.approval_plan_id), &body).await
        }
        Call::ExecuteRetry(r) => client.post(&e.template(), &execute_body(&r)).await,
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
            let body = json!({"min_failure_count": r.min_failure_count, "lookback_hours": r.lookback_hours,
                              "generated_by": r.generated_by});
            client.post(&e.template(), &body).await
        }
        Call::CloseRecovery(i) => {
            let mut body = json!({"provider": i.provider, "closed_by": i.closed_by, "closure_state": i.closure_state,
                                  "verification_refs": i.verification_refs});
            for (k, v) in [("external_ref", &i.external_ref), ("notes", &i.notes)] {
                if !v.is_empty() {
                    body[k] = json!(v);
                }
            }
            client.post(&path(e, &i.playbook_id), &body).await
        }
        Call::RetryRecoveryReport(r) => {
            let q = [
                ("recovery_slo_minutes", r.recovery_slo_minutes.to_string()),
                ("generated_by", r.generated_by),
            ];
            client.get_write(&e.template(), &q).await
        }
        Call::AuditorRetryWorker(r) => client.post(&e.template(), &auditor_body(&r)).await,
        Call::SendArchiveAlert(r) => {
            let mut body = json!({"generated_by": r.alert.generated_by, "provider": r.alert.provider,
                "force": r.alert.force, "retries": r.retries, "timeout_seconds": r.timeout_seconds});
            if let Some(w) = r.alert.suppression_window_minutes {
                body["suppression_window_minutes"] = json!(w);
            }
            client.post(&e.template(), &body).await
        }
        Call::AckArchiveAlert(i) => {
            let state = if i.state.is_empty() {
                "acknowledged"
            } else {
                i.state.as_str()
            };
            let body = json!({"provider": i.provider, "acknowledged_by": i.acknowledged_by, "acknowledgement_state": state,
                              "external_ref": i.external_ref, "notes": i.notes, "plan_id": i.plan_id});
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
