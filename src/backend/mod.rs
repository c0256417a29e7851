//! The one interface every pane and command talks to, and its backend-neutral error.
//!
//! `sample` implements it over a local SQLite store, `remote` over the CAVRA HTTP API. Methods are async; implementations keep blocking work
//! (SQLite, keyring) off the async threads.

pub mod calls;
pub mod capabilities;
pub mod delta;
mod error;
pub mod remote;
pub mod requests;
mod route_row;
pub mod sample;
pub mod wire;

use async_trait::async_trait;
use serde_json::{Map, Value};

use crate::domain::Record;
use crate::domain::ack::{AckInput, AckState};
use crate::domain::audit::AuditScope;
use crate::domain::history::HistoryQuery;
use crate::domain::query::Page;
use crate::domain::retry::{RetryAckInput, RetryPolicy};
use crate::domain::route::{RouteKey, RouteRow};
use crate::domain::worker::AlertQuery;
pub use calls::Call;
pub use capabilities::{Capabilities, Endpoint};
pub use error::{BackendError, StoreFailure, StoreFailureKind};
pub use requests::{
    AlertAckInput, ArchiveHealthRequest, AuditDeliveryRequest, HealthParams, SendAlertRequest,
    WorkerRunRequest,
};

/// A JSON object as CAVRA returns it.
pub type Json = Map<String, Value>;

/// What the status bar and confirmations say about where actions go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackendInfo {
    /// `sample` or a context name.
    pub mode: String,
    /// The database path or the server URL.
    pub location: String,
}

/// The records behind one route: its latest plan and every acknowledgement, newest first.
#[derive(Debug, Clone, Default)]
pub struct RouteRecords {
    pub plan: Option<Record>,
    pub acks: Vec<Record>,
}

/// One bulk action: the same state, notes and reference for many routes.
#[derive(Debug, Clone)]
pub struct BulkRequest {
    /// Each route with the plan it was seen in.
    pub routes: Vec<(RouteKey, String)>,
    pub state: AckState,
    pub acknowledged_by: String,
    pub external_ref: String,
    pub notes: String,
    /// The state each route had when the operator confirmed (absent: not checked). A route
    /// found already in the target state it was not in then is skipped, not recorded twice.
    pub seen: std::collections::HashMap<RouteKey, String>,
    /// Whom a stored acknowledgement may name as its signer: the name sent and the verified
    /// actor (empty: `acknowledged_by`). A re-read takes no record signed by anyone else.
    pub actors: Vec<String>,
}

impl BulkRequest {
    /// The per-route inputs this request records.
    pub fn inputs(&self) -> Vec<AckInput> {
        self.routes
            .iter()
            .map(|(route, plan_id)| AckInput {
                route: route.clone(),
                plan_id: plan_id.clone(),
                state: self.state,
                acknowledged_by: self.acknowledged_by.clone(),
                external_ref: self.external_ref.clone(),
                notes: self.notes.clone(),
            })
            .collect()
    }
}

/// What a bulk action did, route by route.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BulkOutcome {
    /// Requests (remote) or transactions (sample) it took.
    pub requests: usize,
    pub recorded: Vec<RouteKey>,
    /// Routes not recorded, with the reason.
    pub not_recorded: Vec<(RouteKey, String)>,
    /// Routes already in the target state when the write was made (changed since the preview).
    pub skipped: Vec<(RouteKey, String)>,
    /// Routes whose answer was lost and could not be re-read: recorded or not, nobody knows yet.
    pub unknown: Vec<(RouteKey, String)>,
    /// Routes of `recorded` that the answer did not confirm and a re-read found stored, with
    /// what was wrong with the answer.
    pub found: Vec<(RouteKey, String)>,
    /// The bulk result objects (CONTRACT §4.5), one per request.
    pub results: Vec<Map<String, Value>>,
}

/// Whose failed deliveries a retry plan is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryFamily {
    /// Acknowledgement-audit deliveries (§4.8).
    AuditDeliveries,
    /// Final auditor export deliveries (§4.16).
    AuditorExports,
}

impl RetryFamily {
    /// The request that plans this family's retries under `policy`.
    pub fn plan(self, policy: RetryPolicy, generated_by: String) -> RetryPlanRequest {
        RetryPlanRequest {
            family: self,
            policy,
            generated_by,
        }
    }
}

/// Plan retries of one family's failed deliveries (§4.8, §4.16).
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPlanRequest {
    pub family: RetryFamily,
    pub policy: RetryPolicy,
    pub generated_by: String,
}

/// Who the server says we are (`GET /console/session`), and whether we may record.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Session {
    /// `authenticated`, `auth_required`, `local_or_demo`, or `sample`.
    pub mode: String,
    pub authenticated: bool,
    pub auth_required: bool,
    pub actor: Option<String>,
    /// `permissions.acknowledge_drill_notifications` (reported, not enforced, by CAVRA).
    pub may_acknowledge: bool,
    /// The console sent a bearer token when it asked.
    pub token_sent: bool,
    /// The server answered the token with "console OIDC config is not configured": it accepts
    /// no bearer token, so every write that carries one fails with 400.
    pub no_oidc: bool,
}

impl Session {
    /// The local session of sample mode: no auth, everything allowed.
    pub fn sample() -> Session {
        Session {
            mode: "sample".into(),
            authenticated: false,
            auth_required: false,
            actor: None,
            may_acknowledge: true,
            token_sent: false,
            no_oidc: false,
        }
    }

    /// The identity the server records for our writes, when it verified one.
    pub fn verified_actor(&self) -> Option<&str> {
        self.actor.as_deref().filter(|_| self.authenticated)
    }

    /// Why mutations are disabled, if they are (`auth status` and the TUI say exactly this).
    pub fn blocked_reason(&self) -> Option<String> {
        if self.no_oidc && self.auth_required {
            return Some(
                "this server checks RBAC without console OIDC: it accepts only unverified actor_claims, which cavra-tui never sends, so no write can be recorded from this console (ask the CAVRA administrator to configure console OIDC)".into(),
            );
        }
        if self.no_oidc {
            return Some(
                "this server has no console OIDC, so the token this console sends makes every write fail: run `cavra-tui logout` (or unset CAVRA_TOKEN); the server needs no token".into(),
            );
        }
        if self.auth_required && !self.authenticated {
            return Some(if self.token_sent {
                "the server did not verify the token: run `cavra-tui login` again".into()
            } else {
                "the server requires a verified console session and no token is stored for it: run `cavra-tui login`".into()
            });
        }
        if self.auth_required && !self.may_acknowledge {
            return Some("the session lacks acknowledge_drill_notifications".into());
        }
        None
    }
}

/// The console's view of CAVRA, whichever side computes it.
#[async_trait]
pub trait Backend: Send + Sync {
    fn info(&self) -> BackendInfo;
    /// Can a write's answer be lost after the write was stored (a server over a network)?
    /// Then the console reads what the server holds before writing, so that a re-read after a
    /// lost answer never takes an older record for the new one.
    fn answers_can_be_lost(&self) -> bool {
        false
    }
    /// Who we are to the server (sample mode: a local session).
    async fn session(&self) -> Result<Session, BackendError> {
        Ok(Session::sample())
    }
    /// Every route of the latest plan per schedule, derived as CAVRA's escalation plan does.
    async fn routes(&self) -> Result<Vec<RouteRow>, BackendError>;
    /// The routes changed since `since` (every route when `since` is `None` or cannot be
    /// trusted); a backend without change tracking reads every route.
    async fn route_delta(
        &self,
        since: Option<delta::RouteMark>,
    ) -> Result<delta::RouteDelta, BackendError> {
        let _ = since;
        Ok(delta::RouteDelta::full(
            self.routes().await?,
            chrono::Utc::now(),
        ))
    }
    /// A quick first answer for the console's first frame (the first page, or a local
    /// cache), when the backend has one; the full load follows.
    async fn first_routes(&self) -> Option<delta::RouteDelta> {
        None
    }
    /// The records behind one route (detail and raw JSON views).
    async fn route_records(&self, key: &RouteKey) -> Result<RouteRecords, BackendError>;
    /// Records one route acknowledgement (CONTRACT §4.4); returns the stored record.
    async fn acknowledge(&self, input: AckInput) -> Result<Record, BackendError>;
    /// Records one state for many routes (CONTRACT §4.5).
    async fn bulk_acknowledge(&self, req: BulkRequest) -> Result<BulkOutcome, BackendError>;
    /// Builds and persists an acknowledgement audit package (CONTRACT §4.6); returns the package.
    async fn audit_package(
        &self,
        scope: AuditScope,
        generated_by: String,
    ) -> Result<Map<String, Value>, BackendError>;

    /// §4.2 the delivery-health dashboard.
    async fn dashboard(&self) -> Result<Json, BackendError>;
    /// §4.1 one page of the notification history.
    async fn history(&self, query: HistoryQuery, page: Page) -> Result<Json, BackendError>;
    /// §4.7 package + delivery plan + delivery.
    async fn deliver_audit(&self, req: AuditDeliveryRequest) -> Result<Json, BackendError>;
    /// §4.8, §4.16 plan retries of one family's failed deliveries.
    async fn plan_retries(&self, req: RetryPlanRequest) -> Result<Json, BackendError>;
    /// §4.8 plan retries of failed acknowledgement-audit deliveries.
    async fn retry_plan(
        &self,
        policy: RetryPolicy,
        generated_by: String,
    ) -> Result<Json, BackendError> {
        let req = RetryFamily::AuditDeliveries.plan(policy, generated_by);
        self.plan_retries(req).await
    }
    /// §4.9 record a decision on a retry.
    async fn retry_ack(&self, input: RetryAckInput) -> Result<Json, BackendError>;
    /// §4.10 a dry run of the audit retry worker.
    async fn worker_run(&self, req: WorkerRunRequest) -> Result<Json, BackendError>;
    /// §4.11 the worker's health (side-effect free).
    async fn worker_health(&self, params: HealthParams) -> Result<Json, BackendError>;
    /// §4.12 route worker health to connectors.
    async fn send_worker_alert(&self, req: SendAlertRequest) -> Result<Json, BackendError>;
    /// §4.13 acknowledge a worker-health alert.
    async fn ack_worker_alert(&self, input: AlertAckInput) -> Result<Json, BackendError>;
    /// §4.14 worker-health alert history.
    async fn worker_alerts(&self, query: AlertQuery, page: Page) -> Result<Json, BackendError>;
    /// §4.15 worker-health alert dashboard.
    async fn worker_alert_dashboard(&self) -> Result<Json, BackendError>;
    /// §4.16 plan retries of failed final auditor export deliveries.
    async fn auditor_retry_plan(
        &self,
        policy: RetryPolicy,
        generated_by: String,
    ) -> Result<Json, BackendError> {
        let req = RetryFamily::AuditorExports.plan(policy, generated_by);
        self.plan_retries(req).await
    }
    /// §4.3 plan and send drill notifications from the server's schedule file.
    async fn deliver(
        &self,
        _provider: String,
        _force: bool,
        _generated_by: String,
    ) -> Result<Json, BackendError> {
        Err(BackendError::NotAllowed(
            "deliver reads CAVRA's rollback drill schedule file on the server: use a remote context (--context or --api)".into(),
        ))
    }
    /// §4.17 archive-reference health; records a report only when `persist`.
    async fn archive_health(&self, req: ArchiveHealthRequest) -> Result<Json, BackendError>;
    /// Which endpoints the server offers (asked once per connection; sample: everything).
    async fn capabilities(&self) -> Capabilities {
        Capabilities::all("sample mode")
    }
    /// An issue-12 operation (approvals, Execute Retry, recovery, worker history, archive
    /// alerts, routing history); see [`calls::checked`] to refuse unoffered ones first.
    async fn call(&self, call: Call) -> Result<Json, BackendError>;
}
