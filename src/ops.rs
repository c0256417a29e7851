//! Operations shared by the TUI and the non-interactive commands: bulk planning (the dry-run
//! preview), audit export, and resolving route names. One code path for both front ends.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::backend::{Backend, BackendError, BulkRequest};
use crate::domain::ack::{AckState, chunk_count};
use crate::domain::audit::AuditScope;
use crate::domain::filter::RouteFilter;
use crate::domain::route::{RouteKey, RouteRow};
use crate::export::{Written, write_with_digest};

/// The two bulk actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkKind {
    /// Acknowledge every outstanding route in the filter.
    AckOutstanding,
    /// Escalate every breached route in the filter, skipping those already escalated.
    EscalateBreached,
}

impl BulkKind {
    pub fn title(self) -> &'static str {
        match self {
            BulkKind::AckOutstanding => "Bulk Ack Outstanding",
            BulkKind::EscalateBreached => "Bulk Escalate Breached",
        }
    }
    pub fn state(self) -> AckState {
        match self {
            BulkKind::AckOutstanding => AckState::Acknowledged,
            BulkKind::EscalateBreached => AckState::Escalated,
        }
    }
}

/// One route in a preview: its state now and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedRoute {
    pub route: RouteKey,
    pub owner: String,
    pub plan_id: String,
    pub state_now: String,
    pub state_after: String,
}

/// A dry-run preview of an action over some routes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionPlan {
    pub state: &'static str,
    pub routes: Vec<PlannedRoute>,
    /// Requests a CAVRA server takes for this (chunks of at most 100 routes).
    pub requests: usize,
    /// Routes the filter matched but the action leaves alone, with why.
    pub skipped: Vec<(RouteKey, String)>,
}

/// Plans a bulk action over the rows that pass `filter`. Routes are deduplicated by key.
pub fn plan_bulk(rows: &[RouteRow], filter: &RouteFilter, kind: BulkKind) -> ActionPlan {
    plan_bulk_over(rows.iter().filter(|r| filter.matches(r)), kind)
}

/// Plans a bulk action over rows already filtered, in the order given (the pane's view order).
pub fn plan_bulk_over<'a>(rows: impl Iterator<Item = &'a RouteRow>, kind: BulkKind) -> ActionPlan {
    let mut seen = std::collections::HashSet::new();
    let mut routes = Vec::new();
    let mut skipped = Vec::new();
    for r in rows {
        let wanted = match kind {
            BulkKind::AckOutstanding => r.is_outstanding(),
            BulkKind::EscalateBreached => r.breached,
        };
        if !wanted || !seen.insert(r.key()) {
            continue;
        }
        if kind == BulkKind::EscalateBreached && r.state == crate::domain::RouteState::Escalated {
            skipped.push((r.key(), "already escalated".to_string()));
            continue;
        }
        routes.push(planned(r, kind.state()));
    }
    ActionPlan {
        state: kind.state().as_str(),
        requests: chunk_count(routes.len()),
        routes,
        skipped,
    }
}

/// Plans one state for chosen routes (the cursor row or the selection).
pub fn plan_routes(rows: &[&RouteRow], state: AckState) -> ActionPlan {
    let mut seen = std::collections::HashSet::new();
    let routes: Vec<PlannedRoute> = rows
        .iter()
        .filter(|r| seen.insert(r.key()))
        .map(|r| planned(r, state))
        .collect();
    ActionPlan {
        state: state.as_str(),
        requests: routes.len(),
        routes,
        skipped: Vec::new(),
    }
}

fn planned(r: &RouteRow, state: AckState) -> PlannedRoute {
    PlannedRoute {
        route: r.key(),
        owner: r.owner.clone(),
        plan_id: r.plan_id.clone(),
        state_now: r.state.as_str().to_string(),
        state_after: state.as_str().to_string(),
    }
}

impl ActionPlan {
    /// The request to record this plan.
    pub fn request(
        &self,
        state: AckState,
        by: &str,
        external_ref: &str,
        notes: &str,
    ) -> BulkRequest {
        BulkRequest {
            routes: self
                .routes
                .iter()
                .map(|p| (p.route.clone(), p.plan_id.clone()))
                .collect(),
            state,
            acknowledged_by: by.to_string(),
            external_ref: external_ref.to_string(),
            notes: notes.to_string(),
            seen: self
                .routes
                .iter()
                .map(|p| (p.route.clone(), p.state_now.clone()))
                .collect(),
            actors: Vec::new(),
        }
    }
}

/// The audit scope a route filter implies (owner, provider, schedule; other fields do not apply).
pub fn audit_scope(filter: &RouteFilter) -> AuditScope {
    AuditScope {
        schedule_id: filter.schedule.clone().unwrap_or_default(),
        provider: filter.provider.clone().unwrap_or_default(),
        owner: filter.owner.clone().unwrap_or_default(),
    }
}

/// Names the filter fields an audit package ignores, for an honest preview.
pub fn audit_ignored_fields(filter: &RouteFilter) -> Vec<&'static str> {
    let mut out = Vec::new();
    if filter.state.is_some() {
        out.push("state");
    }
    if filter.action.is_some() {
        out.push("action");
    }
    if filter.category.is_some() {
        out.push("category");
    }
    if !filter.text.is_empty() {
        out.push("free text");
    }
    out
}

/// A finished audit export.
#[derive(Debug, Clone)]
pub struct Exported {
    pub package: Map<String, Value>,
    pub written: Written,
}

/// Builds and persists the audit package, then writes it to `out` (or the export dir).
pub async fn export_audit(
    backend: &dyn Backend,
    scope: AuditScope,
    generated_by: &str,
    out: Option<&Path>,
    export_dir: &Path,
) -> Result<Exported, ExportError> {
    let package = backend
        .audit_package(scope, generated_by.to_string())
        .await?;
    // The id is the server's: it names the file only once it cannot leave the directory.
    let audit_id = crate::export::file_name_part(
        package
            .get("audit_id")
            .and_then(Value::as_str)
            .unwrap_or("audit"),
    );
    let stamp = crate::domain::time::compact(chrono::Utc::now()).replace(':', "");
    let (out, dir) = (out.map(Path::to_path_buf), export_dir.to_path_buf());
    let mut bytes = serde_json::to_vec_pretty(&package).expect("a JSON map always serialises");
    bytes.push(b'\n');
    // The file and its digest are written on the blocking pool (a slow disk must not hold
    // the loop).
    let written = crate::blocking::run(move || {
        // An export never overwrites an earlier one in the export directory (two ids may
        // reduce to one name, and two exports may share a second).
        let path: PathBuf = out.unwrap_or_else(|| {
            let base = format!("ack-audit-{audit_id}-{stamp}");
            (1..)
                .map(|n| match n {
                    1 => dir.join(format!("{base}.json")),
                    n => dir.join(format!("{base}-{n}.json")),
                })
                .find(|p| !p.exists())
                .expect("an unused name")
        });
        write_with_digest(&path, &bytes).map_err(|e| ExportError::Write { path, source: e })
    })
    .await?;
    Ok(Exported { package, written })
}

/// Why an export failed; the package may already be recorded when writing fails.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Backend(#[from] BackendError),
    #[error("the package was recorded, but writing {path} failed: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Route names that name no route.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown route(s): {} (see `cavra-tui routes`)", .0.join(", "))]
pub struct UnknownRoutes(pub Vec<String>);

/// Finds the rows for route names, or says which names are unknown.
pub fn resolve_routes<'a>(
    rows: &'a [RouteRow],
    keys: &[RouteKey],
) -> Result<Vec<&'a RouteRow>, UnknownRoutes> {
    let mut out = Vec::new();
    let mut unknown = Vec::new();
    for k in keys {
        match rows.iter().find(|r| r.key() == *k) {
            Some(r) => out.push(r),
            None => unknown.push(k.to_string()),
        }
    }
    if unknown.is_empty() {
        Ok(out)
    } else {
        Err(UnknownRoutes(unknown))
    }
}

#[cfg(test)]
#[path = "ops_tests.rs"]
mod tests;

/// Records a plan: one route through the single-route endpoint (§4.4), several through bulk
/// (§4.5). `actors` are the names a stored record may carry: after a lost answer the server is
/// re-read for the record, and the route reported recorded, not recorded, or unknown.
pub async fn record(
    backend: &dyn Backend,
    plan: &ActionPlan,
    state: AckState,
    by: &str,
    external_ref: &str,
    notes: &str,
    actors: &[String],
) -> Result<crate::backend::BulkOutcome, BackendError> {
    let mut req = plan.request(state, by, external_ref, notes);
    req.actors = actors.to_vec();
    let inputs = req.inputs();
    if inputs.len() != 1 {
        return backend.bulk_acknowledge(req).await;
    }
    let Some(input) = inputs.into_iter().next() else {
        return backend.bulk_acknowledge(req).await;
    };
    let mut out = crate::backend::BulkOutcome {
        requests: 1,
        ..Default::default()
    };
    let expect = crate::actions::verify::Expect::route_ack(&input, actors);
    let before = crate::actions::verify::before(backend, std::slice::from_ref(&expect)).await?;
    let sent_at = chrono::Utc::now();
    // (The remote backend takes an answer that contradicts what was sent for a lost one.)
    let answer = backend.acknowledge(input.clone()).await;
    match answer {
        Ok(record) => {
            out.recorded.push(input.route.clone());
            out.results.push(record.0);
        }
        Err(e) if e.outcome_unknown() => {
            let lost = e.to_string();
            match crate::actions::verify::find(backend, &[expect], sent_at, &before).await {
                Ok(found) => match found.into_iter().next().flatten() {
                    Some(r) => {
                        out.recorded.push(input.route.clone());
                        out.found.push((input.route.clone(), lost));
                        out.results.push(r.0);
                    }
                    None => out.not_recorded.push((
                        input.route.clone(),
                        format!("{lost}; a re-read finds nothing stored as sent"),
                    )),
                },
                Err(re) => out.unknown.push((
                    input.route.clone(),
                    format!("{lost}; re-reading failed: {re}"),
                )),
            }
        }
        Err(e) => return Err(e),
    }
    Ok(out)
}
