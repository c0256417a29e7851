//! The shape of the scenario file (`sample-data/scenario.json`): schedules and their routes,
//! acknowledgements, deliveries, audit packages, worker runs, auditor exports and archive
//! references, with times given as minutes before seeding; and what can be wrong with one.
//! A field may be left out when it is an `Option` (read as `None`) or says `#[serde(default)]`.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct Scenario {
    pub schedules: Vec<ScheduleSpec>,
    #[serde(default)]
    pub acknowledgements: Vec<AckSpec>,
    #[serde(default)]
    pub notification_deliveries: Vec<NotificationDeliverySpec>,
    #[serde(default)]
    pub audit_packages: Vec<AuditPackageSpec>,
    #[serde(default)]
    pub audit_deliveries: Vec<AuditDeliverySpec>,
    /// Simulated connectors: provider -> the HTTP status it answers with.
    #[serde(default)]
    pub connectors: BTreeMap<String, u16>,
    #[serde(default)]
    pub worker_runs: Vec<WorkerRunSpec>,
    #[serde(default)]
    pub auditor_exports: Vec<AuditorExportSpec>,
    #[serde(default)]
    pub auditor_export_deliveries: Vec<AuditorDeliverySpec>,
}

#[derive(Debug, Deserialize)]
pub struct WorkerRunSpec {
    pub minutes_ago: i64,
    pub interval_minutes: u32,
    pub cadence: String,
}

#[derive(Debug, Deserialize)]
pub struct AuditorExportSpec {
    pub release_record_ref: String,
    pub verification_state: String,
    pub minutes_ago: i64,
    pub archive: Option<ArchiveSpec>,
}

#[derive(Debug, Deserialize)]
pub struct ArchiveSpec {
    pub archive_ref: String,
    #[serde(default)]
    pub retention_until: String,
    pub minutes_ago: i64,
}

#[derive(Debug, Deserialize)]
pub struct AuditorDeliverySpec {
    pub release_record_ref: String,
    pub minutes_ago: i64,
    pub status: BTreeMap<String, u16>,
}

#[derive(Debug, Deserialize)]
pub struct ScheduleSpec {
    pub schedule_id: String,
    #[serde(default)]
    pub environment: String,
    pub status: String,
    pub plans_minutes_ago: Vec<i64>,
    pub routes: Vec<RouteSpec>,
}

#[derive(Debug, Deserialize)]
pub struct RouteSpec {
    pub provider: String,
    pub owner: String,
    pub escalation_owner: Option<String>,
    pub slo: Option<u32>,
    /// Suppression category when the route is suppressed.
    pub suppress: Option<String>,
    pub window: Option<String>,
    pub calendar_reason: Option<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct AckSpec {
    pub route: String,
    pub state: String,
    pub by: String,
    pub minutes_ago: i64,
    #[serde(default)]
    pub external_ref: String,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Deserialize)]
pub struct NotificationDeliverySpec {
    pub schedule_id: String,
    pub minutes_ago: i64,
    pub status: BTreeMap<String, u16>,
}

#[derive(Debug, Deserialize)]
pub struct AuditPackageSpec {
    pub name: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub provider: String,
    #[serde(default)]
    pub schedule_id: String,
    pub by: String,
    pub minutes_ago: i64,
}

#[derive(Debug, Deserialize)]
pub struct AuditDeliverySpec {
    pub package: String,
    pub cadence: String,
    pub schedule_ref: String,
    pub minutes_ago: i64,
    pub status: BTreeMap<String, u16>,
}

/// Why a scenario could not be turned into records.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("scenario is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("scenario acknowledgement names route '{0}', which is not SCHEDULE_ID/PROVIDER")]
    BadRoute(String),
    #[error("scenario acknowledgement for {route}: {source}")]
    BadState {
        route: String,
        source: crate::domain::ack::AckError,
    },
    #[error("scenario audit delivery names unknown package '{0}'")]
    UnknownPackage(String),
    #[error("scenario auditor export delivery names unknown release record '{0}'")]
    UnknownExport(String),
}
