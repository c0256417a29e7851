//! What the console reads for a pane (side-effect-free calls only: refresh never writes):
//! panes 2–6, pane 1's routing history, and the Execute Retry preview.

use crate::actions::{PaneAction, choose, preview};
use crate::app::panes::{PaneData, RetryExtra};
use crate::backend::calls::Call;
use crate::backend::{ArchiveHealthRequest, Backend, BackendError, HealthParams, Json};
use crate::domain::archive::ArchiveRules;
use crate::domain::histories::RoutingQuery;
use crate::domain::history::HistoryQuery;
use crate::domain::query::Page;
use crate::domain::record::{kind, nested};
use crate::domain::worker::AlertQuery;
use crate::pane::Pane;

/// The records of a kind, newest first (top-level fields: provider, delivery_id, audit_id).
async fn records(backend: &dyn Backend, k: &str) -> Result<Vec<Json>, BackendError> {
    let q = HistoryQuery {
        metadata_kind: Some(k.to_string()),
        ..Default::default()
    };
    let page = backend.history(q, Page::first(200)).await?;
    Ok(crate::history_scan::records(&page)
        .into_iter()
        .map(|r| r.0)
        .collect())
}

/// Pane 4's approvals and recovery (each read on its own: an older server lacks some kinds).
async fn retry_extra(backend: &dyn Backend) -> RetryExtra {
    RetryExtra {
        approval: choose::stored(backend, &choose::APPROVAL_PLAN, None)
            .await
            .ok()
            .flatten(),
        playbook: choose::stored(backend, &choose::PLAYBOOK, None)
            .await
            .ok()
            .flatten(),
        executions: choose::executions(backend).await.unwrap_or_default(),
        acks: records(backend, kind::RETRY_ACK).await.unwrap_or_default(),
        decisions: records(backend, kind::RETRY_APPROVAL_DECISION)
            .await
            .unwrap_or_default(),
    }
}

/// A read-only call whose endpoint an older server may lack (`None` then).
async fn optional(backend: &dyn Backend, call: Call) -> Option<Json> {
    debug_assert!(!call.writes());
    backend.call(call).await.ok()
}

/// Pane 1's routing history for a query.
pub async fn routing(backend: &dyn Backend, query: RoutingQuery) -> Result<PaneData, BackendError> {
    let call = Call::Routes {
        query,
        page: Page::first(500),
    };
    Ok(PaneData::Routing(backend.call(call).await?))
}

/// What an action will do, read before its dialog (Execute Retry: re-sends and skips). An
/// error opens no dialog: the operator is told the preview could not be read.
pub async fn preview(
    backend: &dyn Backend,
    action: &PaneAction,
) -> Result<Vec<String>, BackendError> {
    match action {
        PaneAction::ExecuteRetry(req) => preview::execute_retry(backend, req)
            .await
            .map(|p| preview::lines(&p)),
        _ => Ok(Vec::new()),
    }
}

/// Reads one pane's data through side-effect-free calls only (archive health with persist off).
pub async fn load_pane(
    backend: &dyn Backend,
    pane: Pane,
    history: Option<(HistoryQuery, usize, usize)>,
) -> Result<PaneData, crate::backend::BackendError> {
    let newest = |k: &'static str| HistoryQuery {
        metadata_kind: Some(k.to_string()),
        ..Default::default()
    };
    let first = |page: Json, nested: &str| {
        page.get("items")
            .and_then(|i| i.get(0))
            .and_then(|r| r.get(nested))
            .and_then(|v| v.as_object())
            .cloned()
    };
    Ok(match pane {
        // The routes pane loads through `LoadRoutes`; a stray request reads the dashboard.
        Pane::Routes | Pane::Health => PaneData::Health {
            dashboard: backend.dashboard().await?,
            // How many records the server holds (its dashboard reads the newest 500).
            records: backend
                .history(HistoryQuery::default(), Page::first(1))
                .await
                .ok()
                .and_then(|p| p.get("total").and_then(|t| t.as_u64()))
                .map(|n| n as usize),
        },
        Pane::History => {
            let (q, limit, offset) = history.unwrap_or_default();
            PaneData::History(crate::history_scan::page(backend, &q, limit.max(1), offset).await?)
        }
        Pane::Retry => PaneData::Retry {
            recovery: Box::new(retry_extra(backend).await),
            audit: first(
                backend
                    .history(newest(kind::RETRY_PLAN), Page::first(1))
                    .await?,
                nested::RETRY_PLAN,
            ),
            auditor: first(
                backend
                    .history(newest(kind::AUDITOR_EXPORT_RETRY_PLAN), Page::first(1))
                    .await?,
                nested::AUDITOR_EXPORT_RETRY_PLAN,
            ),
        },
        Pane::Worker => PaneData::Worker {
            health: backend.worker_health(HealthParams::default()).await?,
            run: first(
                backend
                    .history(newest(kind::WORKER_RUN), Page::first(1))
                    .await?,
                nested::WORKER_RUN,
            ),
            // The alert parts are shown as not read when they fail; health still shows.
            alerts: backend.worker_alert_dashboard().await.ok(),
            history: (backend.worker_alerts(AlertQuery::default(), Page::first(20)))
                .await
                .ok(),
            runs: optional(
                backend,
                Call::WorkerRuns {
                    dry_run: None,
                    page: Page::first(50),
                },
            )
            .await,
            dashboard: optional(backend, Call::WorkerDashboard).await,
        },
        Pane::Archive => PaneData::Archive {
            alerts: optional(
                backend,
                Call::ArchiveAlerts {
                    query: AlertQuery::default(),
                    page: Page::first(50),
                },
            )
            .await,
            board: optional(backend, Call::ArchiveAlertDashboard).await,
            health: backend
                .archive_health(ArchiveHealthRequest {
                    rules: ArchiveRules::default(),
                    generated_by: "console".into(),
                    persist: false,
                })
                .await?
                .get("health")
                .and_then(|v| v.as_object())
                .cloned()
                .unwrap_or_default(),
        },
    })
}
