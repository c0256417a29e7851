//! Inputs of the delivery-health actions (CONTRACT §4.7–4.17), shared by both backends.

use chrono::{DateTime, Utc};

use crate::domain::Record;
use crate::domain::archive::ArchiveRules;
use crate::domain::audit::AuditScope;
use crate::domain::retry::RetryPolicy;
use crate::domain::worker::{AlertRequest, DEFAULT_MAX_RETRY_DELIVERIES, RunInput, WorkerSchedule};

/// Deliver Ack Audit (§4.7).
#[derive(Debug, Clone, PartialEq)]
pub struct AuditDeliveryRequest {
    pub scope: AuditScope,
    /// Destination: one provider, a comma list, or `all`.
    pub delivery_provider: String,
    pub cadence: String,
    pub schedule_ref: String,
    pub generated_by: String,
}

/// Run Audit Worker (§4.10), dry run. The default: the default retry policy and schedule (every
/// 30 minutes), `max_retry_deliveries` as the server defaults it, no name.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerRunRequest {
    pub policy: RetryPolicy,
    pub schedule: WorkerSchedule,
    pub max_retry_deliveries: u32,
    pub generated_by: String,
}

impl Default for WorkerRunRequest {
    fn default() -> Self {
        WorkerRunRequest {
            policy: RetryPolicy::default(),
            schedule: WorkerSchedule::default(),
            max_retry_deliveries: DEFAULT_MAX_RETRY_DELIVERIES,
            generated_by: String::new(),
        }
    }
}

impl WorkerRunRequest {
    /// What a worker with these settings plans from: `records`, as of `now`.
    pub fn input<'a>(&'a self, records: &'a [Record], now: DateTime<Utc>) -> RunInput<'a> {
        RunInput {
            records,
            policy: &self.policy,
            schedule: &self.schedule,
            max_retry_deliveries: self.max_retry_deliveries,
            generated_by: &self.generated_by,
            now,
        }
    }
}

/// Worker health thresholds (§4.11 query).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HealthParams {
    pub expected_interval_minutes: u32,
    pub stale_metadata_minutes: u32,
}

impl Default for HealthParams {
    fn default() -> Self {
        HealthParams {
            expected_interval_minutes: 30,
            stale_metadata_minutes: 120,
        }
    }
}

/// Send Worker Alert (§4.12).
#[derive(Debug, Clone, PartialEq)]
pub struct SendAlertRequest {
    pub alert: AlertRequest,
    pub health: HealthParams,
    /// Connector retries on the server (the web console sends 0).
    pub retries: u32,
    /// Connector timeout on the server, in seconds (the web console sends 0.1).
    pub timeout_seconds: f64,
}

pub use crate::domain::worker::AlertAckInput;

/// Archive health (§4.17): `persist` records the report (the explicit "check" action).
#[derive(Debug, Clone, PartialEq)]
pub struct ArchiveHealthRequest {
    pub rules: ArchiveRules,
    pub generated_by: String,
    pub persist: bool,
}
