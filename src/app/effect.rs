//! Effects (IO the app asks for) and outcomes (IO results coming back).

use super::panes::PaneData;
use crate::actions::PaneAction;
use crate::backend::{BackendError, BulkOutcome, RouteRecords};
use crate::connect::ConnectError;
use crate::domain::ack::AckState;
use crate::domain::audit::AuditScope;
use crate::domain::history::HistoryQuery;
use crate::domain::route::{RouteKey, RouteRow};
use crate::ops::{ActionPlan, ExportError};
use crate::theme::ThemeError;

/// IO the app asks the runner to do.
#[derive(Debug, Clone)]
pub enum Effect {
    /// Reload the routes pane; `seq` lets stale results be dropped.
    LoadRoutes { seq: u64 },
    /// Load a route's records for the detail (`json: false`) or raw JSON view.
    LoadRecords { key: RouteKey, json: bool },
    /// Record a state for planned routes.
    Record {
        title: String,
        plan: ActionPlan,
        state: AckState,
        notes: String,
        external_ref: String,
        /// The names its records may carry (for re-reads after a lost answer).
        actors: Vec<String>,
    },
    /// Build, persist and write an audit package.
    Export { scope: AuditScope },
    /// Load pane 2–6 (`history` carries the history query and page).
    LoadPane {
        pane: crate::pane::Pane,
        seq: u64,
        history: Option<(HistoryQuery, usize, usize)>,
    },
    /// A recording action of panes 2–6; `actors` are the names its record may carry.
    Act {
        title: String,
        action: PaneAction,
        actors: Vec<String>,
    },
    /// Ask the server who we are (`GET /console/session`).
    LoadSession,
    /// Ask which endpoints the server offers (`GET /console/config`, a read).
    LoadCapabilities,
    /// Load pane 1's routing history for a query (a read); answered as a pane load.
    LoadRouting {
        seq: u64,
        query: crate::domain::histories::RoutingQuery,
    },
    /// Read what an action will do before its dialog opens (Execute Retry's preview).
    Preview { title: String, action: PaneAction },
    /// Connect to another context.
    SwitchContext { name: String },
    /// Put text on the clipboard (OSC 52, written by the loop to the terminal).
    Clipboard { text: String },
    /// Write raw JSON to `name` in the export dir.
    SaveJson { name: String, text: String },
    /// Switch the theme (a shipped name or a file), done by the loop that draws.
    SetTheme { name: String },
}

/// A finished export, as the app needs it.
#[derive(Debug, Clone)]
pub struct ExportSummary {
    pub path: String,
    pub audit_id: String,
    pub route_count: u64,
    pub outstanding_count: u64,
}

/// Results coming back to the app; backend failures arrive as [`BackendError`], so the app
/// can tell an expired session from a refused input.
#[derive(Debug)]
pub enum Outcome {
    Routes {
        seq: u64,
        result: Result<Vec<RouteRow>, BackendError>,
    },
    /// An incremental (or full) routes refresh; see `backend::delta`.
    RouteDelta {
        seq: u64,
        result: Result<crate::backend::delta::RouteDelta, BackendError>,
    },
    Records {
        key: RouteKey,
        json: bool,
        result: Result<RouteRecords, BackendError>,
    },
    Recorded {
        title: String,
        plan: ActionPlan,
        result: Result<BulkOutcome, BackendError>,
    },
    Exported {
        result: Result<ExportSummary, ExportError>,
    },
    Pane {
        pane: crate::pane::Pane,
        seq: u64,
        result: Result<PaneData, BackendError>,
    },
    Acted {
        title: String,
        pane: crate::pane::Pane,
        result: Result<crate::actions::Acted, BackendError>,
    },
    Session(Result<crate::backend::Session, BackendError>),
    Capabilities(crate::backend::Capabilities),
    /// A preview read: its lines, for the dialog of `action`.
    Previewed {
        title: String,
        action: PaneAction,
        result: Result<Vec<String>, BackendError>,
    },
    /// Something the loop did for the app: an info line, or an error.
    Notice(Result<String, LoopError>),
    Switched {
        name: String,
        result: Result<Switched, ConnectError>,
    },
}

impl Outcome {
    /// Did the server refuse our session (401) for this outcome? (Not asked of a session read
    /// itself: that one says so in the session it brings.)
    pub fn unauthorized(&self) -> bool {
        let backend = match self {
            Outcome::Routes { result, .. } => result.as_ref().err(),
            Outcome::RouteDelta { result, .. } => result.as_ref().err(),
            Outcome::Records { result, .. } => result.as_ref().err(),
            Outcome::Recorded { result, .. } => result.as_ref().err(),
            Outcome::Pane { result, .. } => result.as_ref().err(),
            Outcome::Acted { result, .. } => result.as_ref().err(),
            Outcome::Previewed { result, .. } => result.as_ref().err(),
            Outcome::Exported {
                result: Err(ExportError::Backend(e)),
            } => Some(e),
            Outcome::Exported { .. }
            | Outcome::Session(_)
            | Outcome::Capabilities(_)
            | Outcome::Notice(_)
            | Outcome::Switched { .. } => None,
        };
        matches!(backend, Some(BackendError::Unauthorized(_)))
    }
}

/// A failure of something the event loop did for the app (not the backend's).
#[derive(Debug, thiserror::Error)]
pub enum LoopError {
    #[error("theme {name}: {source}")]
    Theme { name: String, source: ThemeError },
    #[error("could not save {}: {source}", path.display())]
    Save {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    /// An effect only the event loop performs reached the effect runner.
    #[error("{0}")]
    NotHere(&'static str),
}

/// What the app learns when the context changes.
#[derive(Debug, Clone)]
pub struct Switched {
    pub info: crate::backend::BackendInfo,
    pub readonly: bool,
    pub token_source: String,
    pub operator: Option<String>,
}
