//! The sample backend: [`Backend`] over the SQLite [`Store`], computing with `domain`.
//!
//! All SQLite work runs on tokio's blocking pool behind one mutex-guarded connection, so the
//! async threads (and the UI) never wait on the disk.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::actions;
use super::answers::{Decided, recorded};
use super::calls;
use super::checkpoint::Checkpoints;
use super::fresh_acks::Decision;
use super::seed::{EMBEDDED_SCENARIO, scenario_records};
use super::store::{Store, StoreError};
use super::worker_runs::{self, RetryPlans, retry_plan};
use crate::backend::delta::{RouteDelta, RouteMark};
use crate::backend::{
    AlertAckInput, ArchiveHealthRequest, AuditDeliveryRequest, Backend, BackendError, BackendInfo,
    BulkOutcome, BulkRequest, Call, HealthParams, Json, RetryPlanRequest, RouteRecords,
    SendAlertRequest, WorkerRunRequest,
};
use crate::domain::Record;
use crate::domain::ack::{AckInput, ack_record, build_ack, bulk_response, chunk_count};
use crate::domain::audit::{AuditScope, audit_package_record, build_audit_package};
use crate::domain::history::HistoryQuery;
use crate::domain::query::Page;
use crate::domain::record::kind;
use crate::domain::retry::{RetryAckInput, retry_ack};
use crate::domain::route::{RouteKey, RouteRow};
use crate::domain::time;
use crate::domain::worker::{AlertQuery, alert_ack};

/// Routes in the first page a console shows before the full load lands.
pub const FIRST_PAGE: usize = 200;

/// A sample-mode backend over one store file.
#[derive(Clone)]
pub struct SampleBackend {
    store: Arc<Mutex<Store>>,
    path: PathBuf,
    /// The identity of the file the open store reads (a store replaced on disk is reopened).
    file: Arc<Mutex<String>>,
    checkpoints: Checkpoints,
}

impl SampleBackend {
    /// Opens (or creates and seeds) the store at `path`.
    pub fn open(path: &Path) -> Result<SampleBackend, StoreError> {
        let mut store = Store::open(path)?;
        if store.was_created() {
            seed(&mut store)?;
        }
        Ok(SampleBackend {
            store: Arc::new(Mutex::new(store)),
            path: path.to_path_buf(),
            file: Arc::new(Mutex::new(super::store::file_identity(path))),
            checkpoints: Checkpoints::default(),
        })
    }

    /// Whether a deferred WAL checkpoint is still running (checkpoint.rs).
    pub fn checkpointing(&self) -> bool {
        self.checkpoints.running()
    }

    /// Runs `f` with the store on the blocking pool.
    async fn with_store<T, F>(&self, f: F) -> Result<T, BackendError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, BackendError> + Send + 'static,
    {
        let store = Arc::clone(&self.store);
        let (checkpoints, path) = (self.checkpoints.clone(), self.path.clone());
        tokio::task::spawn_blocking(move || {
            let mut guard = store
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let out = f(&mut guard);
            if guard.write_refusal().is_none() {
                checkpoints.after_call(&path);
            }
            out
        })
        .await
        .map_err(|e| BackendError::Internal(format!("store task failed: {e}")))?
    }

    /// Validates and records one operator's decision with `decide` (see [`recorded`]).
    async fn decide<I: Send + 'static>(
        &self,
        input: I,
        key: &'static str,
        decide: fn(&I, DateTime<Utc>) -> Decided,
    ) -> Result<Json, BackendError> {
        self.with_store(move |s| recorded(s, key, &input, Utc::now(), decide))
            .await
    }

    /// Runs one action on `request` with the store, as of the moment it runs.
    async fn act<R: Send + 'static>(
        &self,
        request: R,
        action: fn(&mut Store, &R, DateTime<Utc>) -> Result<Json, BackendError>,
    ) -> Result<Json, BackendError> {
        self.with_store(move |s| action(s, &request, Utc::now()))
            .await
    }
}

/// Replaces the store's records with the embedded scenario, as of now.
pub fn seed(store: &mut Store) -> Result<(), StoreError> {
    let now = Utc::now();
    let records = scenario_records(EMBEDDED_SCENARIO, now)
        .expect("the embedded scenario is checked by the test suite");
    store.replace_all(&records)?;
    let connectors =
        super::seed::scenario_connectors(EMBEDDED_SCENARIO).expect("checked by the test suite");
    store.set_meta(
        "connectors",
        &serde_json::to_string(&connectors).expect("a map serialises"),
    )?;
    store.set_meta("seeded_at", &time::iso(now))
}

#[async_trait]
impl Backend for SampleBackend {
    fn info(&self) -> BackendInfo {
        BackendInfo {
            mode: "sample".into(),
            location: self.path.display().to_string(),
        }
    }

    async fn routes(&self) -> Result<Vec<RouteRow>, BackendError> {
        self.with_store(|s| Ok(s.routes(Utc::now())?)).await
    }

    async fn route_delta(&self, since: Option<RouteMark>) -> Result<RouteDelta, BackendError> {
        let (path, file) = (self.path.clone(), Arc::clone(&self.file));
        self.with_store(move |s| {
            let mut held = file.lock().unwrap_or_else(|p| p.into_inner());
            let now = super::store::file_identity(&path);
            if *held != now {
                // The file was replaced (or moved away): read the one at the path now.
                *s = Store::open(&path)?;
                *held = now;
            }
            Ok(s.route_delta(since.as_ref(), &held, Utc::now())?)
        })
        .await
    }

    async fn first_routes(&self) -> Option<RouteDelta> {
        self.with_store(|s| Ok(s.first_routes(FIRST_PAGE, Utc::now())?))
            .await
            .ok()
    }

    async fn route_records(&self, key: &RouteKey) -> Result<RouteRecords, BackendError> {
        let key = key.clone();
        self.with_store(move |s| {
            let plan = s
                .latest_per_schedule(kind::NOTIFICATION_PLAN)?
                .into_iter()
                .find(|p| p.str("schedule_id") == key.schedule_id);
            let acks = s.route_records(kind::NOTIFICATION_ACK, &key.schedule_id, &key.provider)?;
            Ok(RouteRecords { plan, acks })
        })
        .await
    }

    async fn acknowledge(&self, input: AckInput) -> Result<Record, BackendError> {
        input
            .validate()
            .map_err(|e| BackendError::Rejected(e.to_string()))?;
        self.with_store(move |s| {
            let record = ack_record(&build_ack(&input, Utc::now()));
            s.put_records(std::slice::from_ref(&record))?;
            Ok(record)
        })
        .await
    }

    async fn bulk_acknowledge(&self, req: BulkRequest) -> Result<BulkOutcome, BackendError> {
        let inputs = req.inputs();
        if inputs.is_empty() {
            return Err(BackendError::Rejected("routes are required".into()));
        }
        for i in &inputs {
            i.validate()
                .map_err(|e| BackendError::Rejected(format!("{}: {e}", i.route)))?;
        }
        let state = req.state;
        let seen = req.seen;
        self.with_store(move |s| {
            // Sample mode records the whole bulk action in one transaction: all or nothing,
            // deciding on the route states inside that transaction (decide on fresh data).
            let now = Utc::now();
            let written = s.put_acks_fresh(&inputs, |i, current| {
                crate::domain::ack::changed_since_preview(
                    seen.get(&i.route).map(String::as_str),
                    current,
                    state,
                )
                .map(Decision::Skip)
                .unwrap_or_else(|| Decision::Write(ack_record(&build_ack(i, now))))
            });
            match written {
                Ok((records, skipped)) => {
                    let (recorded, mut records): (Vec<_>, Vec<_>) = records.into_iter().unzip();
                    // The answer CAVRA gives for each request of at most BULK_LIMIT routes.
                    let mut results = Vec::new();
                    while !records.is_empty() {
                        let rest =
                            records.split_off(records.len().min(crate::domain::ack::BULK_LIMIT));
                        results.push(bulk_response(state, std::mem::replace(&mut records, rest)));
                    }
                    Ok(BulkOutcome {
                        requests: 1,
                        recorded,
                        results,
                        skipped,
                        ..Default::default()
                    })
                }
                Err(e) => {
                    let reason = e.to_string();
                    Ok(BulkOutcome {
                        requests: chunk_count(inputs.len()).min(1),
                        not_recorded: inputs
                            .iter()
                            .map(|i| (i.route.clone(), reason.clone()))
                            .collect(),
                        ..Default::default()
                    })
                }
            }
        })
        .await
    }

    async fn audit_package(
        &self,
        scope: AuditScope,
        generated_by: String,
    ) -> Result<Map<String, Value>, BackendError> {
        self.with_store(move |s| {
            let plans = s.records_of_kind(kind::NOTIFICATION_PLAN)?;
            let acks = s.records_of_kind(kind::NOTIFICATION_ACK)?;
            let pkg = build_audit_package(&plans, &acks, &scope, &generated_by, Utc::now());
            s.put_records(&[audit_package_record(&pkg)])?;
            Ok(pkg)
        })
        .await
    }

    async fn dashboard(&self) -> Result<Json, BackendError> {
        self.with_store(|s| actions::dashboard_json(s, Utc::now()))
            .await
    }

    async fn history(&self, query: HistoryQuery, page: Page) -> Result<Json, BackendError> {
        self.with_store(move |s| actions::history_json(s, &query, page))
            .await
    }

    async fn deliver_audit(&self, req: AuditDeliveryRequest) -> Result<Json, BackendError> {
        self.act(req, actions::deliver_audit).await
    }

    async fn plan_retries(&self, r: RetryPlanRequest) -> Result<Json, BackendError> {
        let plans = RetryPlans::of(r.family);
        self.with_store(move |s| retry_plan(s, plans, &r.policy, &r.generated_by, Utc::now()))
            .await
    }

    async fn retry_ack(&self, input: RetryAckInput) -> Result<Json, BackendError> {
        self.decide(input, "acknowledgement", retry_ack).await
    }

    async fn worker_run(&self, req: WorkerRunRequest) -> Result<Json, BackendError> {
        self.act(req, worker_runs::worker_run).await
    }

    async fn worker_health(&self, p: HealthParams) -> Result<Json, BackendError> {
        self.act(p, actions::health).await
    }

    async fn send_worker_alert(&self, req: SendAlertRequest) -> Result<Json, BackendError> {
        self.act(req, actions::send_alert).await
    }

    async fn ack_worker_alert(&self, input: AlertAckInput) -> Result<Json, BackendError> {
        self.decide(input, "acknowledgement", alert_ack).await
    }

    async fn worker_alerts(&self, query: AlertQuery, page: Page) -> Result<Json, BackendError> {
        self.with_store(move |s| actions::alerts(s, &query, page))
            .await
    }

    async fn worker_alert_dashboard(&self) -> Result<Json, BackendError> {
        self.with_store(|s| actions::alert_board(s, Utc::now()))
            .await
    }

    async fn archive_health(&self, req: ArchiveHealthRequest) -> Result<Json, BackendError> {
        self.act(req, actions::archive).await
    }

    async fn call(&self, call: Call) -> Result<Json, BackendError> {
        self.with_store(move |s| calls::run(s, call, Utc::now()))
            .await
    }
}
