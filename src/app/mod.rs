//! Application state and its update logic: keys become actions, actions change state and
//! return effects (IO requests); outcomes (IO results) are applied back. No IO happens here.

pub mod dialog;
pub mod effect;
pub mod overlay;
pub mod routes;

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::backend::BackendInfo;
use crate::domain::ack::AckState;
use crate::domain::filter::RouteFilter;
use crate::keymap::{Action, Keymap};
use crate::ops::{self, BulkKind};
use dialog::{ConfirmDialog, DialogResult};
use effect::{Effect, Outcome};
use overlay::Overlay;
use routes::{FilterInput, RoutesPane};

/// How long an info notice stays on screen; errors stay until dismissed.
pub const INFO_NOTICE_TTL: Duration = Duration::from_secs(6);

/// A message in the notice line.
#[derive(Debug, Clone)]
pub struct Notice {
    pub text: String,
    pub error: bool,
    pub at: Instant,
}

/// Everything the console shows.
pub struct App {
    pub info: BackendInfo,
    pub operator: String,
    pub keymap: Keymap,
    pub routes: RoutesPane,
    pub overlay: Option<Overlay>,
    pub notices: Vec<Notice>,
    pub last_refresh: Option<DateTime<Utc>>,
    pub in_flight: usize,
    pub quit: bool,
    route_seq: u64,
    applied_seq: u64,
    /// Routes recorded but not yet re-read: they keep their pending mark until the reload `seq` lands.
    settling: Vec<(u64, Vec<crate::domain::route::RouteKey>)>,
}

impl App {
    pub fn new(info: BackendInfo, operator: String, keymap: Keymap) -> App {
        App {
            info,
            operator,
            keymap,
            routes: RoutesPane::default(),
            overlay: None,
            notices: Vec::new(),
            last_refresh: None,
            in_flight: 0,
            quit: false,
            route_seq: 0,
            applied_seq: 0,
            settling: Vec::new(),
        }
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.notices.push(Notice {
            text: text.into(),
            error: false,
            at: Instant::now(),
        });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.notices.push(Notice {
            text: text.into(),
            error: true,
            at: Instant::now(),
        });
    }

    /// Drops expired info notices; true when something changed.
    pub fn expire_notices(&mut self, now: Instant) -> bool {
        let before = self.notices.len();
        self.notices
            .retain(|n| n.error || now.duration_since(n.at) < INFO_NOTICE_TTL);
        before != self.notices.len()
    }

    /// Asks for a refresh of the routes pane.
    pub fn refresh(&mut self) -> Vec<Effect> {
        self.route_seq += 1;
        self.in_flight += 1;
        vec![Effect::LoadRoutes {
            seq: self.route_seq,
        }]
    }

    /// Handles one key press.
    pub fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if key.code == KeyCode::Char('c')
            && key.modifiers.contains(KeyModifiers::CONTROL)
            && self.overlay.is_none()
            && self.routes.input.is_none()
        {
            self.quit = true;
            return Vec::new();
        }
        if let Some(ov) = self.overlay.take() {
            return self.on_overlay_key(ov, key);
        }
        if self.routes.input.is_some() {
            self.on_filter_key(key);
            return Vec::new();
        }
        match self.keymap.resolve(&key) {
            Some(action) => self.on_action(action),
            None => Vec::new(),
        }
    }

    fn on_overlay_key(&mut self, ov: Overlay, key: KeyEvent) -> Vec<Effect> {
        match ov {
            Overlay::Confirm(mut d) => match d.on_key(&key) {
                DialogResult::Open => self.overlay = Some(Overlay::Confirm(d)),
                DialogResult::Cancelled => self.info("cancelled: nothing was recorded"),
                DialogResult::Confirmed => return self.release(d.pending),
            },
            mut other => {
                let action = self.keymap.resolve(&key);
                let close = matches!(key.code, KeyCode::Esc | KeyCode::Char('q'))
                    || (matches!(other, Overlay::Help { .. }) && action == Some(Action::Help));
                if close {
                    return Vec::new();
                }
                if let (Overlay::Detail { row, .. }, Some(Action::RawJson)) = (&other, action) {
                    let key = row.key();
                    self.overlay = Some(Overlay::loading_json(&key));
                    self.in_flight += 1;
                    return vec![Effect::LoadRecords { key, json: true }];
                }
                other.scroll(&key, action);
                self.overlay = Some(other);
            }
        }
        Vec::new()
    }

    fn on_filter_key(&mut self, key: KeyEvent) {
        let Some(input) = self.routes.input.as_mut() else {
            return;
        };
        match key.code {
            KeyCode::Esc => {
                self.routes.input = None;
                self.routes.set_filter(RouteFilter::default());
                return;
            }
            KeyCode::Enter => {
                if let Some(err) = input.error.clone() {
                    self.error(format!("filter not applied: {err}"));
                }
                self.routes.input = None;
                return;
            }
            KeyCode::Backspace => {
                input.text.pop();
            }
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                input.text.clear()
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                input.text.push(c)
            }
            _ => return,
        }
        match RouteFilter::parse(&input.text) {
            Ok(f) => {
                input.error = None;
                self.routes.set_filter(f);
            }
            Err(e) => input.error = Some(e.to_string()),
        }
    }

    fn on_action(&mut self, action: Action) -> Vec<Effect> {
        let page = self.routes.page.max(1) as isize;
        match action {
            Action::Up => self.routes.move_by(-1),
            Action::Down => self.routes.move_by(1),
            Action::Top => self.routes.move_to(0),
            Action::Bottom => self.routes.move_to(usize::MAX),
            Action::PageUp => self.routes.move_by(-page),
            Action::PageDown => self.routes.move_by(page),
            Action::HalfPageUp => self.routes.move_by(-(page / 2).max(1)),
            Action::HalfPageDown => self.routes.move_by((page / 2).max(1)),
            Action::Filter => {
                self.routes.input = Some(FilterInput {
                    text: self.routes.filter.to_string(),
                    error: None,
                });
            }
            Action::Back => self.back(),
            Action::ToggleSelect => {
                self.routes.toggle_selected();
                self.routes.move_by(1);
            }
            Action::SelectAllFiltered => self.routes.toggle_select_all(),
            Action::Acknowledge => return self.confirm_routes(AckState::Acknowledged),
            Action::Escalate => return self.confirm_routes(AckState::Escalated),
            Action::Resolve => return self.confirm_routes(AckState::Resolved),
            Action::Dismiss => return self.confirm_routes(AckState::Dismissed),
            Action::BulkAckOutstanding => return self.confirm_bulk(BulkKind::AckOutstanding),
            Action::BulkEscalateBreached => return self.confirm_bulk(BulkKind::EscalateBreached),
            Action::ExportAudit => self.confirm_export(),
            Action::Detail | Action::RawJson => {
                let Some(row) = self.routes.cursor_row().cloned() else {
                    return Vec::new();
                };
                let json = action == Action::RawJson;
                let key = row.key();
                self.overlay = Some(if json {
                    Overlay::loading_json(&key)
                } else {
                    Overlay::detail(row)
                });
                self.in_flight += 1;
                return vec![Effect::LoadRecords { key, json }];
            }
            Action::SortNext => {
                let next = self.routes.sort.next();
                self.routes.set_sort(next, self.routes.descending);
            }
            Action::SortReverse => self
                .routes
                .set_sort(self.routes.sort, !self.routes.descending),
            Action::NextPane | Action::Pane(1) => {}
            Action::Pane(n) => self.info(format!(
                "pane {n} is not available in this version; routes is pane 1"
            )),
            Action::Refresh => return self.refresh(),
            Action::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
            Action::Quit => self.quit = true,
        }
        Vec::new()
    }

    fn back(&mut self) {
        if let Some(pos) = self.notices.iter().rposition(|n| n.error) {
            self.notices.remove(pos);
        } else if !self.routes.filter.is_empty() {
            self.routes.set_filter(RouteFilter::default());
        } else {
            self.routes.selected.clear();
        }
    }

    fn where_line(&self) -> String {
        format!("Where: {} · {}", self.info.mode, self.info.location)
    }

    fn confirm_routes(&mut self, state: AckState) -> Vec<Effect> {
        let targets = self.routes.targets();
        if targets.is_empty() {
            self.info("no route under the cursor");
            return Vec::new();
        }
        let plan = ops::plan_routes(&targets, state);
        let mut preview = vec![
            self.where_line(),
            format!(
                "Records: acknowledgement_state={} acknowledged_by={}",
                state.as_str(),
                self.operator
            ),
            format!("Routes: {}", plan.routes.len()),
        ];
        preview.extend(preview_lines(&plan));
        let title = format!("{} {} route(s)", state.verb(), plan.routes.len());
        let eff = Effect::Record {
            title: title.clone(),
            plan,
            state,
            notes: String::new(),
            external_ref: String::new(),
        };
        self.overlay = Some(Overlay::Confirm(ConfirmDialog::new(
            title, preview, true, eff,
        )));
        Vec::new()
    }

    fn confirm_bulk(&mut self, kind: BulkKind) -> Vec<Effect> {
        let plan = ops::plan_bulk_over(self.routes.filtered(), kind);
        if plan.routes.is_empty() {
            let skipped = if plan.skipped.is_empty() {
                String::new()
            } else {
                format!(" ({} already escalated)", plan.skipped.len())
            };
            self.info(format!(
                "{}: no matching routes in the current filter{skipped}",
                kind.title()
            ));
            return Vec::new();
        }
        let filter = if self.routes.filter.is_empty() {
            "(none)".to_string()
        } else {
            self.routes.filter.to_string()
        };
        let mut preview = vec![
            self.where_line(),
            format!("Filter: {filter}"),
            format!("Dry run: {} routes -> {}", plan.routes.len(), plan.state),
            format!(
                "Requests: {} (chunks of <=100 on a server; one transaction in sample mode)",
                plan.requests
            ),
        ];
        if !plan.skipped.is_empty() {
            preview.push(format!("Skipped: {} already escalated", plan.skipped.len()));
        }
        preview.extend(preview_lines(&plan));
        let title = format!("{}: {} routes", kind.title(), plan.routes.len());
        let eff = Effect::Record {
            title: kind.title().to_string(),
            plan,
            state: kind.state(),
            notes: String::new(),
            external_ref: String::new(),
        };
        self.overlay = Some(Overlay::Confirm(ConfirmDialog::new(
            title, preview, true, eff,
        )));
        Vec::new()
    }

    fn confirm_export(&mut self) {
        let scope = ops::audit_scope(&self.routes.filter);
        let mut preview = vec![
            self.where_line(),
            format!("Scope: {}", scope.describe()),
            format!(
                "Records: an acknowledgement audit package generated_by={}",
                self.operator
            ),
            "Writes: a JSON file and its .sha256 in the export dir".to_string(),
        ];
        let ignored = ops::audit_ignored_fields(&self.routes.filter);
        if !ignored.is_empty() {
            preview.push(format!(
                "Note: CAVRA scopes packages by owner, provider and schedule only; {} not applied",
                ignored.join(", ")
            ));
        }
        let eff = Effect::Export { scope };
        self.overlay = Some(Overlay::Confirm(ConfirmDialog::new(
            "Export Ack Audit",
            preview,
            false,
            eff,
        )));
    }

    /// Releases a confirmed effect: marks rows pending and hands the effect to the runner.
    fn release(&mut self, eff: Effect) -> Vec<Effect> {
        if let Effect::Record { plan, .. } = &eff {
            self.routes
                .pending
                .extend(plan.routes.iter().map(|p| p.route.clone()));
        }
        self.in_flight += 1;
        vec![eff]
    }

    /// Applies an IO result.
    pub fn apply(&mut self, outcome: Outcome) -> Vec<Effect> {
        self.in_flight = self.in_flight.saturating_sub(1);
        match outcome {
            Outcome::Routes { seq, result } => {
                if seq < self.applied_seq {
                    return Vec::new(); // an older refresh finishing late
                }
                self.applied_seq = seq;
                let (done, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut self.settling)
                    .into_iter()
                    .partition(|(s, _)| *s <= seq);
                self.settling = waiting;
                for key in done.into_iter().flat_map(|(_, keys)| keys) {
                    self.routes.pending.remove(&key);
                }
                match result {
                    Ok(rows) => {
                        self.routes.set_rows(rows);
                        self.last_refresh = Some(Utc::now());
                    }
                    Err(e) => {
                        self.routes.stale = true;
                        self.error(format!("refresh failed, showing older data: {e}"));
                    }
                }
            }
            Outcome::Records { key, json, result } => {
                let open = self.overlay.as_ref().is_some_and(|o| o.is_for(&key, json));
                match result {
                    Ok(recs) if open => {
                        if let Some(ov) = self.overlay.as_mut() {
                            ov.fill(recs);
                        }
                    }
                    Ok(_) => {}
                    Err(e) => self.error(format!("cannot load records of {key}: {e}")),
                }
            }
            Outcome::Recorded {
                title,
                plan,
                result,
            } => {
                match result {
                    Ok(out) if out.not_recorded.is_empty() => {
                        self.routes.selected.clear();
                        self.info(format!(
                            "{title}: recorded {} route(s) as {}",
                            out.recorded.len(),
                            plan.state
                        ));
                    }
                    Ok(out) => {
                        let mut lines = vec![format!(
                            "Recorded {} of {} routes as {}. Not recorded:",
                            out.recorded.len(),
                            plan.routes.len(),
                            plan.state
                        )];
                        lines.extend(
                            out.not_recorded
                                .iter()
                                .map(|(k, why)| format!("  {k}: {why}")),
                        );
                        self.error(format!(
                            "{title}: {} route(s) not recorded",
                            out.not_recorded.len()
                        ));
                        self.overlay = Some(Overlay::Report {
                            title,
                            lines,
                            scroll: 0,
                        });
                    }
                    Err(e) => self.error(format!("{title} failed, nothing recorded: {e}")),
                }
                // Rows stay marked pending until the reload shows what the store now holds.
                let effects = self.refresh();
                self.settling.push((
                    self.route_seq,
                    plan.routes.iter().map(|p| p.route.clone()).collect(),
                ));
                return effects;
            }
            Outcome::Exported { result } => match result {
                Ok(s) => {
                    self.info(format!("exported {} to {}", s.audit_id, s.path));
                    self.overlay = Some(Overlay::Report {
                        title: "Export Ack Audit".into(),
                        lines: vec![
                            format!("audit id     {}", s.audit_id),
                            format!(
                                "routes       {} ({} outstanding)",
                                s.route_count, s.outstanding_count
                            ),
                            format!("written to   {}", s.path),
                            format!("digest       {}.sha256 (sha256sum -c checks it)", s.path),
                        ],
                        scroll: 0,
                    });
                }
                Err(e) => self.error(format!("export failed: {e}")),
            },
        }
        Vec::new()
    }
}

fn preview_lines(plan: &ops::ActionPlan) -> Vec<String> {
    plan.routes
        .iter()
        .map(|p| {
            format!(
                "  {}  {} -> {}  ({})",
                p.route, p.state_now, p.state_after, p.owner
            )
        })
        .collect()
}

#[cfg(test)]
#[path = "app_tests.rs"]
mod tests;
