//! Application state and its update logic: keys become actions, actions change state and
//! return effects (IO requests); outcomes (IO results) are applied back. No IO happens here.
//!
//! Files: `mod.rs` key dispatch; `route_actions.rs` pane 1's confirmations;
//! `pane_keys.rs` panes 2–6; `apply.rs` outcomes; `routes.rs` / `panes.rs` pane state.

mod apply;
pub mod dialog;
pub mod effect;
pub mod overlay;
pub mod pane_actions;
mod pane_keys;
pub mod panes;
mod route_actions;
pub mod routes;

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::backend::BackendInfo;
use crate::domain::ack::AckState;
use crate::domain::filter::RouteFilter;
use crate::keymap::{Action, Keymap};
use crate::ops::BulkKind;
use dialog::DialogResult;
use effect::Effect;
use overlay::Overlay;
use panes::{ArchivePane, HealthPane, HistoryPane, RetryPane, WorkerPane};
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
    /// The pane on screen, 1 (routes) to 6 (archive).
    pub pane: u8,
    pub routes: RoutesPane,
    pub health: HealthPane,
    pub history: HistoryPane,
    pub retry: RetryPane,
    pub worker: WorkerPane,
    pub archive: ArchivePane,
    pub overlay: Option<Overlay>,
    pub notices: Vec<Notice>,
    pub last_refresh: Option<DateTime<Utc>>,
    pub in_flight: usize,
    pub quit: bool,
    route_seq: u64,
    applied_seq: u64,
    pane_seq: [u64; 7],
    pane_applied: [u64; 7],
    /// Routes recorded but not yet re-read: they keep their pending mark until the reload `seq` lands.
    settling: Vec<(u64, Vec<crate::domain::route::RouteKey>)>,
    /// What the server says about us (sample mode: a local session).
    pub session: Option<crate::backend::Session>,
    /// The context hides mutations.
    pub readonly: bool,
    /// Where the token came from, for the status bar.
    pub token_source: String,
    /// Contexts the picker offers.
    pub contexts: Vec<String>,
    /// A bulk action waiting for the routes reload `seq` before its preview opens.
    bulk_wanted: Option<(BulkKind, u64)>,
}

impl App {
    pub fn new(info: BackendInfo, operator: String, keymap: Keymap) -> App {
        App {
            info,
            operator,
            keymap,
            pane: 1,
            routes: RoutesPane::default(),
            health: HealthPane::default(),
            history: HistoryPane::default(),
            retry: RetryPane::default(),
            worker: WorkerPane::default(),
            archive: ArchivePane::default(),
            overlay: None,
            notices: Vec::new(),
            last_refresh: None,
            in_flight: 0,
            quit: false,
            route_seq: 0,
            applied_seq: 0,
            pane_seq: [0; 7],
            pane_applied: [0; 7],
            settling: Vec::new(),
            session: None,
            readonly: false,
            token_source: String::new(),
            contexts: vec![crate::context::SAMPLE.to_string()],
            bulk_wanted: None,
        }
    }

    /// May this console record now? If not, says why in an error notice.
    pub fn may_record(&mut self) -> bool {
        if self.readonly {
            self.error(format!(
                "context {} is read-only: mutations are hidden",
                self.info.mode
            ));
            return false;
        }
        if let Some(reason) = self.session.as_ref().and_then(|s| s.blocked_reason()) {
            self.error(format!("recording is disabled: {reason}"));
            return false;
        }
        true
    }

    /// The name our writes are recorded under: the verified actor when the server verified
    /// one (it overrides what we send, CONTRACT §2.3), else the operator name.
    pub fn acting_as(&self) -> String {
        self.session
            .as_ref()
            .and_then(|s| s.verified_actor())
            .map(str::to_string)
            .unwrap_or_else(|| self.operator.clone())
    }

    /// The names a stored record of ours may carry (for re-reads after a lost answer).
    pub fn actors(&self) -> Vec<String> {
        let mut out = vec![self.operator.clone()];
        let acting = self.acting_as();
        if acting != self.operator {
            out.push(acting);
        }
        out
    }

    /// How a connector delivery is described here: simulated in sample mode only.
    pub fn delivery_words(&self) -> &'static str {
        if self.info.mode == crate::context::SAMPLE {
            "a simulated connector delivery (sample mode sends nothing)"
        } else {
            "a connector delivery from the server"
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

    /// Reloads the routes pane.
    pub fn refresh_routes(&mut self) -> Vec<Effect> {
        self.route_seq += 1;
        self.in_flight += 1;
        vec![Effect::LoadRoutes {
            seq: self.route_seq,
        }]
    }

    /// Reloads the pane on screen and the session (never anything that writes).
    pub fn refresh(&mut self) -> Vec<Effect> {
        let mut effects = if self.pane == 1 {
            self.refresh_routes()
        } else {
            self.load_pane(self.pane)
        };
        self.in_flight += 1;
        effects.push(Effect::LoadSession);
        effects
    }

    /// Asks for pane 2–6's data.
    pub fn load_pane(&mut self, pane: u8) -> Vec<Effect> {
        let i = pane as usize;
        self.pane_seq[i] += 1;
        self.in_flight += 1;
        let history = (pane == 3).then(|| {
            (
                self.history.filter.query.clone(),
                self.history.limit,
                self.history.offset,
            )
        });
        vec![Effect::LoadPane {
            pane,
            seq: self.pane_seq[i],
            history,
        }]
    }

    /// Switches panes and loads the new one.
    pub fn switch_to(&mut self, pane: u8) -> Vec<Effect> {
        self.pane = pane.clamp(1, 6);
        self.refresh()
    }

    /// The filter line being edited on this pane, if any.
    fn filter_input(&mut self) -> Option<&mut FilterInput> {
        match self.pane {
            1 => self.routes.input.as_mut(),
            3 => self.history.input.as_mut(),
            _ => None,
        }
    }

    /// Handles one key press. Esc and the next key arriving in one read (fast typing, SSH,
    /// tmux) reach us as Alt+key; the console binds no Alt key, so that is Esc, then the key.
    pub fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if !key.modifiers.contains(KeyModifiers::ALT) {
            return self.on_plain_key(key);
        }
        let mut effects = self.on_plain_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
        if !self.quit {
            let mut rest = key;
            rest.modifiers.remove(KeyModifiers::ALT);
            effects.extend(self.on_plain_key(rest));
        }
        effects
    }

    fn on_plain_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let ctrl_c =
            key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl_c && self.overlay.is_none() && self.filter_input().is_none() {
            self.quit = true;
            return Vec::new();
        }
        if let Some(ov) = self.overlay.take() {
            return self.on_overlay_key(ov, key);
        }
        if self.filter_input().is_some() {
            return self.on_filter_key(key);
        }
        match self.keymap.resolve_in(&key, self.pane) {
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
                let action = self.keymap.resolve_in(&key, self.pane);
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
                if let (Overlay::Contexts { names, cursor }, KeyCode::Enter) = (&other, key.code) {
                    let name = names[*cursor].clone();
                    self.info(format!("connecting to {name}…"));
                    self.in_flight += 1;
                    return vec![Effect::SwitchContext { name }];
                }
                if let (Overlay::Record { record, .. }, Some(Action::RawJson)) = (&other, action) {
                    self.overlay = Some(Overlay::record_json(record));
                    return Vec::new();
                }
                other.scroll(&key, action);
                self.overlay = Some(other);
            }
        }
        Vec::new()
    }

    fn on_filter_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let pane = self.pane;
        let Some(input) = self.filter_input() else {
            return Vec::new();
        };
        match key.code {
            KeyCode::Esc => {
                if pane == 1 {
                    self.routes.input = None;
                    self.routes.set_filter(RouteFilter::default());
                    return Vec::new();
                }
                self.history.input = None;
                return self.set_history_filter("");
            }
            KeyCode::Enter => {
                let (text, err) = (input.text.clone(), input.error.clone());
                if let Some(err) = err {
                    self.error(format!("filter not applied: {err}"));
                }
                if pane == 1 {
                    self.routes.input = None;
                    return Vec::new();
                }
                self.history.input = None;
                return self.set_history_filter(&text);
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
            _ => return Vec::new(),
        }
        let text = input.text.clone();
        if pane == 1 {
            match RouteFilter::parse(&text) {
                Ok(f) => {
                    if let Some(i) = self.routes.input.as_mut() {
                        i.error = None;
                    }
                    self.routes.set_filter(f);
                }
                Err(e) => {
                    if let Some(i) = self.routes.input.as_mut() {
                        i.error = Some(e.to_string());
                    }
                }
            }
        } else if let Some(i) = self.history.input.as_mut() {
            // The history is filtered by the server: check as you type, apply on Enter.
            i.error = crate::domain::history_filter::HistoryFilter::parse(&text).err();
        }
        Vec::new()
    }

    fn on_action(&mut self, action: Action) -> Vec<Effect> {
        if self.pane != 1 {
            if let Some(effects) = self.on_pane_action(action) {
                return effects;
            }
        }
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
            Action::NextPane => return self.switch_to(self.pane % 6 + 1),
            Action::Pane(n) => return self.switch_to(n),
            Action::Refresh => return self.refresh(),
            Action::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
            Action::Quit => self.quit = true,
            Action::SwitchContext => {
                let cursor = self
                    .contexts
                    .iter()
                    .position(|c| *c == self.info.mode)
                    .unwrap_or(0);
                self.overlay = Some(Overlay::Contexts {
                    names: self.contexts.clone(),
                    cursor,
                });
            }
            _ => {}
        }
        Vec::new()
    }

    fn back(&mut self) {
        if let Some(pos) = self.notices.iter().rposition(|n| n.error) {
            self.notices.remove(pos);
        } else if self.pane == 3 && !self.history.filter.is_empty() {
            // handled in pane_keys (needs a reload)
        } else if !self.routes.filter.is_empty() {
            self.routes.set_filter(RouteFilter::default());
        } else {
            self.routes.selected.clear();
        }
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
}

#[cfg(test)]
#[path = "app_tests.rs"]
mod tests;
