//! Applying route loads: a full row set (`Outcome::Routes`) or a refresh delta
//! (`Outcome::RouteDelta`) merged into the routes pane; older loads are dropped by sequence
//! number, the watermark for the next incremental refresh is kept here.

use chrono::Utc;

use super::App;
use super::effect::Effect;
use super::overlay::Overlay;
use crate::backend::delta::{RouteDelta, RouteMark};
use crate::domain::route::RouteRow;

/// What a routes load brought.
pub enum RoutesUpdate {
    /// Every row (no watermark: the next load reads everything again).
    Rows(Vec<RouteRow>),
    Delta(RouteDelta),
}

impl App {
    /// The watermark the next routes load continues from; `None` reads everything.
    pub fn routes_since(&self) -> Option<RouteMark> {
        self.route_mark.clone()
    }

    /// True until the first routes load has landed (the runner asks for a quick first page).
    pub fn routes_first_load(&self) -> bool {
        !self.routes.loaded
    }

    /// Forgets the watermark: the next refresh reads every route (ctrl-r, a context switch).
    pub fn forget_route_mark(&mut self) {
        self.route_mark = None;
    }

    /// Applies a routes load numbered `seq`.
    pub(super) fn apply_routes(
        &mut self,
        seq: u64,
        result: Result<RoutesUpdate, crate::backend::BackendError>,
    ) {
        if seq < self.applied_seq {
            return; // an older refresh finishing late
        }
        if let Ok(RoutesUpdate::Delta(d)) = &result {
            if d.partial {
                // The first page of the first load: shown while the rest streams in (which
                // is still in flight).
                self.in_flight += 1;
                if !self.routes.loaded {
                    self.routes.cached = d.cached_at;
                    let old = self.routes.set_rows(d.rows.clone());
                    self.routes.at = Some(d.at);
                    self.retired.push(old);
                }
                return;
            }
        }
        self.applied_seq = seq;
        let (done, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut self.settling)
            .into_iter()
            .partition(|(s, _)| *s <= seq);
        self.settling = waiting;
        for key in done.into_iter().flat_map(|(_, keys)| keys) {
            self.routes.pending.remove(&key);
        }
        let wanted = self.bulk_wanted.filter(|(_, s)| *s <= seq);
        match result {
            Ok(update) => {
                let old = match update {
                    RoutesUpdate::Rows(rows) => {
                        self.route_mark = None;
                        self.routes.cached = None;
                        self.routes.set_rows(rows)
                    }
                    RoutesUpdate::Delta(d) => {
                        self.route_mark = d.mark.clone();
                        self.routes.apply_delta(d)
                    }
                };
                self.mark_outdated_preview();
                if !old.is_empty() {
                    self.retired.push(old);
                }
                self.last_refresh = Some(Utc::now());
                self.recovered(REFRESH_FAILED);
                if let Some((kind, _)) = wanted {
                    self.bulk_wanted = None;
                    self.open_bulk_preview(kind);
                }
            }
            Err(e) => {
                self.routes.stale = true;
                self.failed_again(REFRESH_FAILED, &e);
                if let Some((kind, _)) = wanted {
                    self.bulk_wanted = None;
                    self.error(format!(
                        "{}: not previewed, the latest route states could not be read",
                        kind.title()
                    ));
                }
            }
        }
    }

    /// A reload that changed a route of an open bulk preview makes that preview outdated: it
    /// says so, and `y` no longer confirms it.
    fn mark_outdated_preview(&mut self) {
        if let Some(Overlay::Confirm(d)) = self.overlay.as_mut() {
            if let Effect::Record { plan, .. } = &d.pending {
                if super::route_actions::preview_outdated(plan, &self.routes.rows) {
                    d.outdated = true;
                }
            }
        }
    }
}

/// The notices of failures that repeat with every refresh: one at a time, gone once a read
/// succeeds again (a server down for an hour leaves one notice, not sixty).
pub(super) const REFRESH_FAILED: &str = "refresh failed, showing older data: ";
pub(super) const SESSION_FAILED: &str = "cannot read the console session: ";

impl App {
    /// Says a repeating failure, replacing the notice of its earlier occurrence.
    pub(super) fn failed_again(&mut self, what: &str, e: &impl std::fmt::Display) {
        self.recovered(what);
        self.error(format!("{what}{e}"));
    }

    /// A read succeeded: the notices of its earlier failures no longer hold.
    pub(super) fn recovered(&mut self, what: &str) {
        self.notices.retain(|n| !n.text.starts_with(what));
    }
}
