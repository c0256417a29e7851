//! Incremental route refreshes: a [`RouteMark`] says what a console already holds, a
//! [`RouteDelta`] says what changed since (or carries every route when the mark cannot be
//! trusted). The app merges deltas into the routes pane; the runner passes the mark back.

use chrono::{DateTime, Utc};

use crate::domain::route::RouteRow;

/// How far a console's routes go: the store (or server) they came from and its change number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteMark {
    /// Identifies what the change numbers count in (the store's generation, schema version and
    /// file identity); a mark from another source is never trusted.
    pub source: String,
    /// The last change included.
    pub seq: i64,
}

/// The routes a refresh read.
#[derive(Debug, Clone)]
pub struct RouteDelta {
    /// `rows` is every route (replace everything); else only the routes of `schedules`.
    pub full: bool,
    /// The schedules whose routes `rows` replace (an incremental delta; removed routes of
    /// these schedules are simply absent from `rows`).
    pub schedules: Vec<String>,
    pub rows: Vec<RouteRow>,
    /// Continue from here next time; `None`: the next refresh reads everything.
    pub mark: Option<RouteMark>,
    /// The instant the rows were evaluated at (ages and breaches are as of then).
    pub at: DateTime<Utc>,
    /// Only the first page of a full load: more is on its way.
    pub partial: bool,
    /// The rows come from a local cache of the server, saved at this instant (nothing has been
    /// read from the server yet).
    pub cached_at: Option<DateTime<Utc>>,
}

impl RouteDelta {
    /// Every route, as of `at`.
    pub fn full(rows: Vec<RouteRow>, at: DateTime<Utc>) -> RouteDelta {
        RouteDelta {
            full: true,
            schedules: Vec::new(),
            rows,
            mark: None,
            at,
            partial: false,
            cached_at: None,
        }
    }
}
