//! Keys while an overlay is open (confirmation, help, detail, JSON, report, context picker)
//! or while the filter line is being edited: the keymap's dialog, overlay and filter-line keys,
//! and typed characters as text.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::dialog::DialogResult;
use super::effect::Effect;
use super::overlay::Overlay;
use super::{App, Pane};
use crate::domain::filter::RouteFilter;
use crate::keymap::{Action, Scope};

impl App {
    pub(super) fn on_overlay_key(&mut self, ov: Overlay, key: KeyEvent) -> Vec<Effect> {
        match ov {
            Overlay::Confirm(mut d) => match d.on_key(&key, &self.keymap) {
                DialogResult::Open => self.overlay = Some(Overlay::Confirm(d)),
                DialogResult::Cancelled => self.info("cancelled: nothing was recorded"),
                DialogResult::Confirmed => {
                    let eff = d.pending.clone();
                    // Kept until the outcome: refused, the dialog comes back with what was typed.
                    self.awaiting = Some(d);
                    return self.release(eff);
                }
            },
            mut other => {
                // The overlay's own keys win; the pane and global keys scroll and copy.
                let own = self.keymap.resolve_modal(&key, Scope::Overlay);
                let action = match own {
                    Some(_) => None,
                    None => self.keymap.resolve_in(&key, self.pane),
                };
                let close = own == Some(Action::Close)
                    || (matches!(other, Overlay::Help { .. }) && action == Some(Action::Help));
                if close {
                    return Vec::new();
                }
                if matches!(
                    action,
                    Some(Action::Yank | Action::YankId | Action::SaveJson)
                ) {
                    self.overlay = Some(other);
                    return action
                        .and_then(|a| self.on_copy_action(a))
                        .unwrap_or_default();
                }
                if let (Overlay::Detail { row, .. }, Some(Action::RawJson)) = (&other, action) {
                    let key = row.key();
                    self.overlay = Some(Overlay::loading_json(&key));
                    self.in_flight += 1;
                    return vec![Effect::LoadRecords { key, json: true }];
                }
                if let (Overlay::Contexts { names, cursor }, Some(Action::ChooseContext)) =
                    (&other, own)
                {
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

    pub(super) fn on_filter_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let pane = self.pane;
        // Pane 1's routing view filters as a list pane does.
        let list = pane == Pane::Routes && self.routing.on;
        let own = self.keymap.resolve_modal(&key, Scope::Filter);
        let Some(input) = self.filter_input() else {
            return Vec::new();
        };
        match own {
            Some(Action::Cancel) => {
                return match pane {
                    Pane::Routes if !list => {
                        self.routes.input = None;
                        self.routes.set_filter(RouteFilter::default());
                        Vec::new()
                    }
                    Pane::History => {
                        self.history.input = None;
                        self.set_history_filter("")
                    }
                    _ => {
                        self.list_input = None;
                        self.list_filters.set(pane, "");
                        self.recount(pane);
                        Vec::new()
                    }
                };
            }
            Some(Action::Submit) => {
                let (text, err) = (input.text.clone(), input.error.clone());
                if let Some(err) = err {
                    self.error(format!("filter not applied: {err}"));
                }
                return match pane {
                    Pane::Routes if !list => {
                        self.routes.input = None;
                        Vec::new()
                    }
                    Pane::History => {
                        self.history.input = None;
                        self.set_history_filter(&text)
                    }
                    _ => {
                        self.list_input = None;
                        Vec::new()
                    }
                };
            }
            Some(Action::DeleteChar) => {
                input.text.pop();
            }
            Some(Action::ClearText) => input.text.clear(),
            None => match key.code {
                KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                    input.text.push(c)
                }
                _ => return Vec::new(),
            },
            Some(_) => return Vec::new(),
        }
        let text = input.text.clone();
        match pane {
            Pane::Routes if !list => match RouteFilter::parse(&text) {
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
            },
            Pane::History => {
                if let Some(i) = self.history.input.as_mut() {
                    // The history is filtered by the server: check as you type, apply on Enter.
                    i.error = crate::domain::history_filter::HistoryFilter::parse(&text)
                        .err()
                        .map(|e| e.to_string());
                }
            }
            _ => {
                // A list pane filters live as you type.
                self.list_filters.set(pane, &text);
                self.recount(pane);
            }
        }
        Vec::new()
    }
}
