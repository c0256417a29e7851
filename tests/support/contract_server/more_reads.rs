//! The test server's issue-12 GETs (no auth; the retry recovery report and suppression trends
//! store a record, as CAVRA's do), answered by the sample engine's `Backend::call`.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;

use cavra_tui::backend::calls::{RecoveryReportRequest, SuppressionTrendRequest};
use cavra_tui::backend::{Backend, Call, Endpoint};
use cavra_tui::domain::histories::RoutingQuery;
use cavra_tui::domain::worker::AlertQuery;

use super::reads::{num, parse_bool};
use super::*;
use cavra_tui::domain::query::Page;

/// The GETs (no auth; two of them store a record, as CAVRA's do).
pub(crate) async fn reads_call(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    record(&state, &method, &uri, &headers, None).await;
    let g = |k: &str| q.get(k).cloned().filter(|v| !v.is_empty());
    let (limit, offset) = match (num(&q, "limit", 50), num(&q, "offset", 0)) {
        (Ok(l), Ok(o)) => (l, o),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let routing = RoutingQuery {
        schedule_id: g("schedule_id"),
        provider: g("provider"),
        owner: g("owner"),
        action: g("action"),
        category: g("category"),
    };
    let by = g("generated_by").unwrap_or_else(|| "console".into());
    let path = uri.path();
    let call = if path == Endpoint::WorkerRuns.template() {
        match parse_bool(&q, "dry_run") {
            Ok(dry_run) => Call::WorkerRuns {
                dry_run,
                page: Page::at(limit, offset),
            },
            Err(r) => return r,
        }
    } else if path == Endpoint::WorkerDashboard.template() {
        Call::WorkerDashboard
    } else if path == Endpoint::RetryRecoveryReport.template() {
        let slo = match num(&q, "recovery_slo_minutes", 240) {
            Ok(v) => v as u32,
            Err(r) => return r,
        };
        Call::RetryRecoveryReport(RecoveryReportRequest {
            recovery_slo_minutes: slo,
            generated_by: by,
        })
    } else if path == Endpoint::ArchiveAlerts.template() {
        let suppressed = match parse_bool(&q, "suppressed") {
            Ok(v) => v,
            Err(r) => return r,
        };
        let query = AlertQuery {
            health_id: g("health_id"),
            provider: g("provider"),
            metadata_kind: g("metadata_kind"),
            acknowledgement_state: g("acknowledgement_state"),
            suppressed,
        };
        Call::ArchiveAlerts {
            query,
            page: Page::at(limit, offset),
        }
    } else if path == Endpoint::ArchiveAlertDashboard.template() {
        Call::ArchiveAlertDashboard
    } else if path == Endpoint::Routes.template() {
        Call::Routes {
            query: routing,
            page: Page::at(limit, offset),
        }
    } else {
        Call::SuppressionTrend(SuppressionTrendRequest {
            query: routing,
            generated_by: by,
        })
    };
    match state.backend.call(call).await {
        Ok(v) => ok(v),
        Err(e) => backend_error(e),
    }
}
