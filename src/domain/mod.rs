//! CAVRA's record model and the pure derivations the console shows (no IO, no clock reads).
//!
//! Every function here takes "now" as an argument so tests can pin time, and every rule
//! mirrors `../shared/cavra-api/CONTRACT.md`, quirks included.

pub mod ack;
pub mod alert_routing;
pub mod answer;
pub mod approval;
pub mod archive;
pub mod archive_alert;
pub mod audit;
pub mod auditor_worker;
pub mod carries;
pub mod dashboard;
pub mod delivery;
pub mod execution;
pub mod filter;
pub mod histories;
pub mod history;
pub mod history_filter;
pub mod ids;
pub mod input;
pub mod kinds;
pub mod level;
pub mod provider;
pub mod query;
pub mod record;
pub mod recovery;
pub mod recovery_report;
pub mod retry;
pub mod retry_ack;
pub mod route;
pub mod route_model;
pub mod routing;
pub mod sort;
#[cfg(test)]
pub(crate) mod test_fixtures;
pub mod time;
pub mod worker;
pub mod worker_alerts;
pub mod worker_health;

pub use input::InputError;
pub use record::Record;
pub use route::{RouteAction, RouteKey, RouteRow, RouteState};
