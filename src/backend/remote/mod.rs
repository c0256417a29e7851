//! The remote backend: the CAVRA HTTP API (CONTRACT §4), one endpoint per action, bodies as
//! the web Evidence Console sends them (§6.5), typed in `backend::wire`. The server computes;
//! routes are derived here from the history with the same `domain` function as sample mode.

mod bulk;
pub mod cache;
pub mod client;
mod more;
mod reads;
mod session;
mod sync;

use async_trait::async_trait;
use serde_json::Value;

use crate::backend::capabilities::{AUDIT, FAMILY, audit_path};
use crate::backend::wire;
use crate::backend::{
    AlertAckInput, ArchiveHealthRequest, AuditDeliveryRequest, Backend, BackendError, BackendInfo,
    BulkOutcome, BulkRequest, HealthParams, Json, RetryFamily, RetryPlanRequest, RouteRecords,
    SendAlertRequest, Session, WorkerRunRequest,
};
use crate::domain::ack::AckInput;
use crate::domain::audit::AuditScope;
use crate::domain::carries::contradiction;
use crate::domain::history::HistoryQuery;
use crate::domain::query::Page;
use crate::domain::retry::RetryAckInput;
use crate::domain::route::{RouteKey, RouteRow};
use crate::domain::worker::AlertQuery;
use crate::domain::{self, Record};
pub use client::{Client, ClientError, NO_QUERY};

/// The family's base path.
pub const BASE: &str = FAMILY;

/// One path segment, percent-encoded (schedule ids and plan ids go into paths).
pub fn seg(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// A remote CAVRA server.
pub struct RemoteBackend {
    pub client: Client,
    pub name: String,
    /// What `/console/config` said, asked once per connection.
    caps: tokio::sync::OnceCell<crate::backend::Capabilities>,
    /// The routes' records held between refreshes (and the server's cache, if any).
    routes: sync::RouteSync,
}

impl RemoteBackend {
    pub fn new(name: impl Into<String>, client: Client) -> RemoteBackend {
        let routes = sync::RouteSync::new(client.base(), None);
        RemoteBackend {
            client,
            name: name.into(),
            caps: tokio::sync::OnceCell::new(),
            routes,
        }
    }

    /// Waits for the last routes sync's cache save (tests, and a console about to exit).
    pub async fn cache_saved(&self) {
        self.routes.saved().await;
    }

    /// Keeps the routes' records in the server's cache file under `cache_dir`.
    pub fn with_cache(mut self, cache_dir: &std::path::Path) -> RemoteBackend {
        let cache = cache::Cache::for_server(cache_dir, self.client.base());
        self.routes = sync::RouteSync::new(self.client.base(), Some(cache));
        self
    }
}

#[async_trait]
impl Backend for RemoteBackend {
    fn info(&self) -> BackendInfo {
        BackendInfo {
            mode: self.name.clone(),
            location: self.client.base().to_string(),
        }
    }

    fn answers_can_be_lost(&self) -> bool {
        true
    }

    async fn session(&self) -> Result<Session, BackendError> {
        let token_sent = self.client.has_token();
        let s = match self.client.get("/console/session", NO_QUERY).await {
            Err(BackendError::Rejected(m)) if token_sent && m.contains(client::NO_OIDC) => {
                // Ask again without the token to learn whether the server requires auth at all.
                let bare = self.client.get_without_token("/console/session").await?;
                let mut session = session::session_from(&bare, false);
                session.token_sent = true;
                session.no_oidc = true;
                return Ok(session);
            }
            other => other?,
        };
        Ok(session::session_from(&s, token_sent))
    }

    async fn routes(&self) -> Result<Vec<RouteRow>, BackendError> {
        sync::full_routes(&self.client).await
    }

    async fn route_delta(
        &self,
        since: Option<crate::backend::delta::RouteMark>,
    ) -> Result<crate::backend::delta::RouteDelta, BackendError> {
        self.routes.routes(&self.client, since.as_ref()).await
    }

    async fn first_routes(&self) -> Option<crate::backend::delta::RouteDelta> {
        self.routes.cached().await
    }

    async fn route_records(&self, key: &RouteKey) -> Result<RouteRecords, BackendError> {
        reads::route_records(&self.client, key).await
    }

    async fn acknowledge(&self, i: AckInput) -> Result<Record, BackendError> {
        let body = wire::AckBody::from(&i);
        let out = self
            .client
            .post(
                &format!("{BASE}/{}/acknowledgements", seg(&i.route.schedule_id)),
                &body,
            )
            .await?;
        // A 200 that does not show the record, or says `success: false`, may still have
        // stored it: the caller re-reads.
        if let Some(doubt) = crate::domain::answer::success(&out).doubt() {
            return Err(BackendError::OutcomeUnknown(format!(
                "POST {BASE}/{{schedule_id}}/acknowledgements: {doubt}"
            )));
        }
        // An answer whose acknowledgement or record is not of what was sent confirms nothing.
        let sent = i.stored_fields();
        for o in ["acknowledgement", "metadata"] {
            let shown = out.get(o).and_then(Value::as_object);
            if let Some(why) = shown.and_then(|r| contradiction(r, &sent)) {
                return Err(BackendError::OutcomeUnknown(format!(
                    "POST {BASE}/{{schedule_id}}/acknowledgements: the answer's `{o}` is not the \
                     record of what was sent: {why}"
                )));
            }
        }
        shown_ack(&out).ok_or_else(|| {
            BackendError::OutcomeUnknown(format!(
                "POST {BASE}/{{schedule_id}}/acknowledgements: the server answered 200 but its \
                 answer does not show the acknowledgement record"
            ))
        })
    }

    async fn bulk_acknowledge(&self, req: BulkRequest) -> Result<BulkOutcome, BackendError> {
        bulk::bulk(&self.client, &req).await
    }

    async fn audit_package(
        &self,
        scope: AuditScope,
        generated_by: String,
    ) -> Result<Json, BackendError> {
        let body = wire::AuditPackageBody {
            scope: (&scope).into(),
            generated_by,
        };
        let out = self
            .client
            .post(&format!("{BASE}/acknowledgements/audit-package"), &body)
            .await?;
        out.get("audit_package")
            .and_then(Value::as_object)
            .cloned()
            .ok_or_else(|| {
                BackendError::Decode("POST audit-package: no audit_package in the answer".into())
            })
    }

    async fn deliver(
        &self,
        provider: String,
        force: bool,
        generated_by: String,
    ) -> Result<Json, BackendError> {
        let body = wire::DeliverBody {
            provider,
            generated_by,
            force,
        };
        self.client.post(&format!("{BASE}/deliver"), &body).await
    }

    async fn dashboard(&self) -> Result<Json, BackendError> {
        self.client
            .get(&format!("{BASE}/dashboard"), NO_QUERY)
            .await
    }

    async fn history(&self, q: HistoryQuery, page: Page) -> Result<Json, BackendError> {
        let mut query = domain::query::pairs(&q);
        query.extend(page.pairs());
        self.client.get(BASE, &query).await
    }

    async fn deliver_audit(&self, r: AuditDeliveryRequest) -> Result<Json, BackendError> {
        let body = wire::AuditDeliveryBody {
            scope: (&r.scope).into(),
            delivery_provider: r.delivery_provider,
            generated_by: r.generated_by,
            cadence: r.cadence,
            schedule_ref: r.schedule_ref,
        };
        self.client.post(AUDIT, &body).await
    }

    async fn plan_retries(&self, r: RetryPlanRequest) -> Result<Json, BackendError> {
        let path = match r.family {
            RetryFamily::AuditDeliveries => audit_path("retry-plan"),
            RetryFamily::AuditorExports => {
                audit_path("final-reporting-auditor-export/delivery-retry-plan")
            }
        };
        let body = wire::RetryPlanBody::new(&r.policy, &r.generated_by);
        self.client.post(&path, &body).await
    }

    async fn retry_ack(&self, i: RetryAckInput) -> Result<Json, BackendError> {
        // The server's checks first (sample mode makes the same): refused input is not sent,
        // and the state sent is the one they settled on.
        let i = more::settled(i, domain::retry::retry_ack, more::ACK_STATE, |i| {
            &mut i.state
        })?;
        self.client
            .post(
                &audit_path(&format!(
                    "retry-plans/{}/acknowledgements",
                    seg(&i.retry_plan_id)
                )),
                &i,
            )
            .await
    }

    async fn worker_run(&self, r: WorkerRunRequest) -> Result<Json, BackendError> {
        let body = wire::WorkerRunBody::from(&r);
        self.client.post(&audit_path("worker-run"), &body).await
    }

    async fn worker_health(&self, p: HealthParams) -> Result<Json, BackendError> {
        let q = [
            (
                "expected_interval_minutes",
                p.expected_interval_minutes.to_string(),
            ),
            (
                "stale_metadata_minutes",
                p.stale_metadata_minutes.to_string(),
            ),
        ];
        self.client.get(&audit_path("worker-health"), &q).await
    }

    async fn send_worker_alert(&self, r: SendAlertRequest) -> Result<Json, BackendError> {
        let body = wire::SendAlertBody::from(&r);
        self.client
            .post(&audit_path("worker-health-alerts/deliver"), &body)
            .await
    }

    async fn ack_worker_alert(&self, i: AlertAckInput) -> Result<Json, BackendError> {
        let check = domain::worker_alerts::alert_ack;
        let i = more::settled(i, check, more::ACK_STATE, |i| &mut i.state)?;
        self.client
            .post(
                &audit_path(&format!(
                    "worker-health-alerts/{}/acknowledgements",
                    seg(&i.health_id)
                )),
                &i,
            )
            .await
    }

    async fn worker_alerts(&self, q: AlertQuery, page: Page) -> Result<Json, BackendError> {
        let query = more::alert_query(&q, page);
        self.client
            .get(&audit_path("worker-health-alerts"), &query)
            .await
    }

    async fn worker_alert_dashboard(&self) -> Result<Json, BackendError> {
        self.client
            .get(&audit_path("worker-health-alert-dashboard"), NO_QUERY)
            .await
    }

    async fn capabilities(&self) -> crate::backend::Capabilities {
        let found = self
            .caps
            .get_or_try_init(|| async { more::discover(&self.client).await.ok_or(()) })
            .await;
        found.cloned().unwrap_or_else(|_| {
            crate::backend::Capabilities::all("/console/config could not be read just now")
        })
    }

    async fn call(&self, call: crate::backend::Call) -> Result<Json, BackendError> {
        more::call(&self.client, call).await
    }

    async fn archive_health(&self, r: ArchiveHealthRequest) -> Result<Json, BackendError> {
        let q = [
            ("generated_by", r.generated_by.clone()),
            (
                "require_archive_hash",
                r.rules.require_archive_hash.to_string(),
            ),
            (
                "require_retention_until",
                r.rules.require_retention_until.to_string(),
            ),
            ("persist", r.persist.to_string()),
        ];
        self.client
            .get(&audit_path("final-reporting-archive-reference-health"), &q)
            .await
    }
}

/// The acknowledgement record an answer to §4.4 shows: its `metadata` with a `session_id`,
/// or nothing.
fn shown_ack(out: &Json) -> Option<Record> {
    let m = out.get("metadata").and_then(Value::as_object)?;
    let r = Record(m.clone());
    (!r.session_id().is_empty()).then_some(r)
}
