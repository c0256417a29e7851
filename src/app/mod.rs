//! Application state and its update logic: keys become actions, actions change state and
//! return effects (IO requests); outcomes (IO results) are applied back. No IO happens here.
//!
//! Files: `mod.rs` the state and the key dispatch (global keys, then the pane on screen, by an
//! exhaustive match); `routes_keys.rs` / `route_actions.rs` pane 1; `pane_keys.rs` panes 2–6;
//! `input_keys.rs` the filter line and overlays; `apply.rs` / `pane_apply.rs` outcomes;
//! `routes.rs` / `panes.rs` pane state.

mod acting;
mod apply;
pub mod command;
mod command_keys;
pub mod dialog;
pub mod effect;
mod input_keys;
pub mod lists;
pub mod overlay;
pub mod pane_actions;
mod pane_apply;
mod pane_keys;
pub mod panes;
mod recovery_keys;
mod route_actions;
mod route_sync;
pub mod routes;
mod routes_keys;
mod routing_view;
mod view;
mod worker_keys;
mod yank;

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::backend::BackendInfo;
use crate::keymap::{Action, Keymap};
use crate::ops::BulkKind;
pub use crate::pane::Pane;
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
    /// The pane on screen.
    pub pane: Pane,
    pub routes: RoutesPane,
    pub health: HealthPane,
    pub history: HistoryPane,
    pub retry: RetryPane,
    pub worker: WorkerPane,
    pub archive: ArchivePane,
    /// Pane 1's routing history view.
    pub routing: panes::RoutingView,
    /// What the server offers (loaded at connect and refresh; `None` until known).
    pub caps: Option<crate::backend::Capabilities>,
    pub overlay: Option<Overlay>,
    pub notices: Vec<Notice>,
    pub last_refresh: Option<DateTime<Utc>>,
    pub in_flight: usize,
    pub quit: bool,
    route_seq: u64,
    applied_seq: u64,
    pane_seq: [u64; 6],
    pane_applied: [u64; 6],
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
    /// Where the next incremental routes refresh continues from (`None`: a full read).
    route_mark: Option<crate::backend::delta::RouteMark>,
    /// Row sets replaced by a reload, for the runner to free off the key loop.
    pub retired: Vec<Vec<crate::domain::route::RouteRow>>,
    /// How far the content of each text pane (health, worker, archive) is scrolled.
    pane_scroll: [usize; 6],
    /// What the last frame could show, as the loop measured it (scroll limits).
    extent: Extent,
    /// The `/` filters of the list panes 4–6, and the one being edited.
    pub list_filters: lists::ListFilters,
    pub list_input: Option<FilterInput>,
    /// The confirmation whose effect is running: a refusal reopens it with what was typed.
    awaiting: Option<Box<dialog::ConfirmDialog>>,
    /// The recording under way and when it started (the status bar shows a spinner and time).
    pub writing: Option<(String, Instant)>,
    /// The `:` command line being edited, and the commands run this session (newest last).
    pub command: Option<command_keys::CommandInput>,
    command_history: Vec<String>,
}

pub use view::{Extent, Hit};

/// "cached, N min old": how old the cached routes on screen are.
pub fn cached_age(at: DateTime<Utc>) -> String {
    let minutes = (Utc::now() - at).num_minutes().max(0);
    format!("cached, {minutes} min old")
}

impl App {
    pub fn new(info: BackendInfo, operator: String, keymap: Keymap) -> App {
        App {
            info,
            operator,
            keymap,
            pane: Pane::Routes,
            routes: RoutesPane::default(),
            health: HealthPane::default(),
            history: HistoryPane::default(),
            retry: RetryPane::default(),
            worker: WorkerPane::default(),
            archive: ArchivePane::default(),
            routing: Default::default(),
            caps: None,
            overlay: None,
            notices: Vec::new(),
            last_refresh: None,
            in_flight: 0,
            quit: false,
            route_seq: 0,
            applied_seq: 0,
            pane_seq: [0; 6],
            pane_applied: [0; 6],
            settling: Vec::new(),
            session: None,
            readonly: false,
            token_source: String::new(),
            contexts: vec![crate::context::SAMPLE.to_string()],
            bulk_wanted: None,
            route_mark: None,
            retired: Vec::new(),
            pane_scroll: [0; 6],
            extent: Extent::default(),
            list_filters: Default::default(),
            list_input: None,
            command: None,
            command_history: Vec::new(),
            awaiting: None,
            writing: None,
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
        let mut effects = match self.pane {
            Pane::Routes => self.refresh_routes(),
            other => self.load_pane(other),
        };
        if self.pane == Pane::Routes && self.routing.on {
            effects.extend(self.load_routing());
        }
        self.in_flight += 2;
        effects.push(Effect::LoadSession);
        effects.push(Effect::LoadCapabilities);
        effects
    }

    /// Asks for a delivery-health pane's data (the routes pane reloads with `refresh_routes`).
    pub fn load_pane(&mut self, pane: Pane) -> Vec<Effect> {
        if pane == Pane::Routes {
            return self.refresh_routes();
        }
        let i = pane.index();
        self.pane_seq[i] += 1;
        self.in_flight += 1;
        let history = (pane == Pane::History).then(|| {
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
    pub fn switch_to(&mut self, pane: Pane) -> Vec<Effect> {
        self.pane = pane;
        self.refresh()
    }

    /// The filter line being edited on this pane, if any.
    fn filter_input(&mut self) -> Option<&mut FilterInput> {
        match self.pane {
            Pane::Routes if self.routing.on => self.list_input.as_mut(),
            Pane::Routes => self.routes.input.as_mut(),
            Pane::History => self.history.input.as_mut(),
            Pane::Retry | Pane::Worker | Pane::Archive => self.list_input.as_mut(),
            Pane::Health => None,
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
        if crate::keymap::is_interrupt(&key)
            && self.overlay.is_none()
            && self.filter_input().is_none()
        {
            self.quit = true;
            return Vec::new();
        }
        if let Some(ov) = self.overlay.take() {
            return self.on_overlay_key(ov, key);
        }
        if self.command.is_some() {
            return self.on_command_key(key);
        }
        if self.filter_input().is_some() {
            return self.on_filter_key(key);
        }
        match self.keymap.resolve_in(&key, self.pane) {
            Some(action) => self.on_action(action),
            None => Vec::new(),
        }
    }

    /// Global actions first, then the pane on screen handles the rest (exhaustively: a key a
    /// pane does not bind does nothing there).
    fn on_action(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::NextPane => return self.switch_to(self.pane.next()),
            Action::PrevPane => return self.switch_to(self.pane.prev()),
            Action::GoTo(p) => return self.switch_to(p),
            Action::Refresh => {
                // ctrl-r reads everything again; the timer's refreshes read what changed.
                self.forget_route_mark();
                return self.refresh();
            }
            Action::Help => {
                self.overlay = Some(Overlay::Help { scroll: 0 });
                return Vec::new();
            }
            Action::Quit => {
                self.quit = true;
                return Vec::new();
            }
            Action::SwitchContext => {
                self.open_context_picker();
                return Vec::new();
            }
            Action::Command => {
                self.command = Some(Default::default());
                return Vec::new();
            }
            Action::Back if self.dismiss_error() => return Vec::new(),
            _ => {}
        }
        if let Some(effects) = self.on_copy_action(action) {
            return effects;
        }
        match self.pane {
            Pane::Routes
                if self.routing.on
                    || matches!(action, Action::ToggleView | Action::RecordSuppressionTrend) =>
            {
                self.on_routing_action(action)
            }
            Pane::Routes => self.on_routes_action(action),
            Pane::Health => self.on_health_action(action),
            Pane::History => self.on_history_action(action),
            Pane::Retry => self.on_retry_action(action),
            Pane::Worker => self.on_worker_action(action),
            Pane::Archive => self.on_archive_action(action),
        }
    }

    /// Esc first dismisses the newest error notice; true when it did.
    fn dismiss_error(&mut self) -> bool {
        match self.notices.iter().rposition(|n| n.error) {
            Some(pos) => {
                self.notices.remove(pos);
                true
            }
            None => false,
        }
    }

    fn open_context_picker(&mut self) {
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

    /// Releases a confirmed effect: marks rows pending and hands the effect to the runner.
    fn release(&mut self, eff: Effect) -> Vec<Effect> {
        let title = match &eff {
            Effect::Record { title, plan, .. } => {
                self.routes
                    .pending
                    .extend(plan.routes.iter().map(|p| p.route.clone()));
                title.clone()
            }
            Effect::Act { title, .. } => title.clone(),
            _ => "Export Ack Audit".to_string(),
        };
        self.writing = Some((title, Instant::now()));
        self.in_flight += 1;
        vec![eff]
    }

    /// A recording finished: a refusal (`Err`, nothing recorded) reopens its dialog with what
    /// was typed and the reason; anything else forgets it.
    fn settle_write(&mut self, refused: Option<&crate::backend::BackendError>) {
        self.writing = None;
        let dialog = self.awaiting.take();
        if let (Some(mut d), Some(why), None) = (dialog, refused, self.overlay.as_ref()) {
            d.error = Some(format!("not recorded: {why}"));
            d.focus = d.fields.len();
            self.overlay = Some(Overlay::Confirm(d));
        }
    }
}

#[cfg(test)]
#[path = "app_tests.rs"]
pub(crate) mod tests;

#[cfg(test)]
#[path = "issue12_tests.rs"]
mod issue12_tests;
