//! CAVRA's record model and the pure derivations the console shows (no IO, no clock reads).
//!
//! Every function here takes "now" as an argument so tests can pin time, and every rule
//! mirrors `../shared/cavra-api/CONTRACT.md`, quirks included.

pub mod ack;
pub mod audit;
pub mod delivery;
pub mod filter;
pub mod ids;
pub mod record;
pub mod route;
pub mod routing;
pub mod sort;
pub mod time;

pub use record::Record;
pub use route::{RouteAction, RouteKey, RouteRow, RouteState};
