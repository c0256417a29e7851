//! Keys of panes 2 and 3 (cards scroll; the history filter, pages and Deliver Ack Audit), and
//! what the list panes share: cursors, `/` filter, Enter/`J`, and the confirmation of every
//! recording action (refused before any dialog when the server lacks its endpoint), with an
//! optional preview read first (Execute Retry).

use super::dialog::ConfirmDialog;
use super::effect::Effect;
use super::overlay::Overlay;
use super::pane_actions::PaneAction;
use super::panes::ListCursor;
use super::routes::FilterInput;
use super::{App, Pane};
use crate::actions::defaults;
use crate::domain::history_filter::HistoryFilter;
use crate::keymap::Action;

impl App {
    /// Moves a list cursor for the movement actions; true when the action was one.
    pub(super) fn move_cursor(cursor: &mut ListCursor, action: Action) -> bool {
        match action {
            Action::Up => cursor.move_by(-1),
            Action::Down => cursor.move_by(1),
            Action::PageUp | Action::HalfPageUp => cursor.move_by(-10),
            Action::PageDown | Action::HalfPageDown => cursor.move_by(10),
            Action::Top => cursor.move_to(0),
            Action::Bottom => cursor.move_to(usize::MAX),
            _ => return false,
        }
        true
    }

    /// Pane 2: the cards scroll (nothing to select or record here).
    pub(super) fn on_health_action(&mut self, action: Action) -> Vec<Effect> {
        self.scroll_pane(action);
        Vec::new()
    }

    /// Pane 3: the history list, its filter and pages, and Deliver Ack Audit.
    pub(super) fn on_history_action(&mut self, action: Action) -> Vec<Effect> {
        if Self::move_cursor(&mut self.history.cursor, action) {
            return Vec::new();
        }
        match action {
            Action::Filter => {
                self.history.input = Some(FilterInput {
                    text: self.history.filter.to_string(),
                    error: None,
                });
                Vec::new()
            }
            Action::Back if !self.history.filter.is_empty() => self.set_history_filter(""),
            Action::NextPage => {
                if self.history.offset + self.history.limit < self.history.total {
                    self.history.offset += self.history.limit;
                    self.history.cursor.move_to(0);
                }
                self.load_pane(Pane::History)
            }
            Action::PrevPage => {
                self.history.offset = self.history.offset.saturating_sub(self.history.limit);
                self.history.cursor.move_to(0);
                self.load_pane(Pane::History)
            }
            Action::Detail | Action::RawJson => {
                if let Some(r) = self.history.selected().cloned() {
                    self.overlay = Some(if action == Action::RawJson {
                        Overlay::record_json(&r)
                    } else {
                        Overlay::Record {
                            record: Box::new(r),
                            scroll: 0,
                        }
                    });
                }
                Vec::new()
            }
            Action::DeliverAudit => {
                let by = self.acting_as();
                let scope = crate::ops::audit_scope(&self.routes.filter);
                let preview = vec![
                    self.where_line(),
                    format!("Package scope (the routes filter): {}", scope.describe()),
                    format!("Records: an audit package, a delivery plan and {}", self.delivery_words()),
                    "Destinations: splunk, sentinel, datadog, jira, servicenow, slack, teams, webhook, or all".into(),
                ];
                self.confirm(
                    "Deliver Ack Audit",
                    preview,
                    defaults::deliver_audit(scope, defaults::AUDIT_DESTINATION, &by),
                )
            }
            _ => Vec::new(),
        }
    }

    /// What every list pane does alike: `/` filters live, Esc clears the filter, Enter shows
    /// the selected item's fields and `J` its raw JSON.
    pub(super) fn on_list_action(&mut self, pane: Pane, action: Action) -> Vec<Effect> {
        match action {
            Action::Filter => {
                self.list_input = Some(FilterInput {
                    text: self.list_filters.get(pane).to_string(),
                    error: None,
                })
            }
            Action::Back => {
                self.list_filters.set(pane, "");
                self.recount(pane);
            }
            Action::Detail => self.open_item(pane, false),
            Action::RawJson => self.open_item(pane, true),
            _ => {}
        }
        Vec::new()
    }

    /// Is the action's endpoint offered by the server? If not, says why (before any dialog).
    fn offered(&mut self, title: &str, action: &PaneAction) -> bool {
        let why = match (action.endpoint(), &self.caps) {
            (Some(e), Some(caps)) => caps.check(e).err(),
            _ => None,
        };
        match why {
            Some(why) => {
                self.error(format!("{title} is unavailable: {why}"));
                false
            }
            None => true,
        }
    }

    /// Opens the confirmation of a recording action (refused on a read-only context, or when
    /// the server lacks its endpoint).
    pub(super) fn confirm(
        &mut self,
        title: &str,
        preview: Vec<String>,
        action: PaneAction,
    ) -> Vec<Effect> {
        if !self.may_record() || !self.offered(title, &action) {
            return Vec::new();
        }
        let fields = action.fields();
        let eff = Effect::Act {
            title: title.to_string(),
            action,
            actors: self.actors(),
        };
        self.overlay = Some(Overlay::Confirm(Box::new(ConfirmDialog::new(
            title, preview, fields, eff,
        ))));
        Vec::new()
    }

    /// [`App::confirm`] with the usual preview: where it records, then `lines`.
    pub(super) fn confirm_here(
        &mut self,
        title: &str,
        lines: &[&str],
        action: PaneAction,
    ) -> Vec<Effect> {
        let mut preview = vec![self.where_line()];
        preview.extend(lines.iter().map(|l| l.to_string()));
        self.confirm(title, preview, action)
    }

    /// An action whose dialog shows what it will do: the preview is read first (a read), the
    /// dialog opens when it arrives (`apply_preview`).
    pub(super) fn preview_first(&mut self, title: &str, action: PaneAction) -> Vec<Effect> {
        if !self.may_record() || !self.offered(title, &action) {
            return Vec::new();
        }
        self.in_flight += 1;
        self.info(format!("{title}: reading what it will do…"));
        vec![Effect::Preview {
            title: title.to_string(),
            action,
        }]
    }

    /// The preview arrived: the dialog lists it (a failed read opens nothing).
    pub(super) fn apply_preview(
        &mut self,
        title: String,
        action: PaneAction,
        result: Result<Vec<String>, crate::backend::BackendError>,
    ) -> Vec<Effect> {
        let rows = match result {
            Ok(rows) => rows,
            Err(e) => {
                self.error(format!(
                    "{title}: the preview could not be read, nothing sent: {e}"
                ));
                return Vec::new();
            }
        };
        let mut preview = vec![
            self.where_line(),
            format!(
                "Records: a live worker run and an execution record per re-send: {}",
                self.delivery_words()
            ),
            "Approved deliveries it re-sends, and the ones it skips (with the reason):".into(),
        ];
        preview.extend(rows.into_iter().map(|r| format!("  {r}")));
        self.confirm(&title, preview, action)
    }

    /// Applies a new history filter (the server filters) and reloads from the first page.
    pub(super) fn set_history_filter(&mut self, text: &str) -> Vec<Effect> {
        match HistoryFilter::parse(text) {
            Ok(f) => {
                self.history.filter = f;
                self.history.offset = 0;
                self.history.cursor.move_to(0);
                self.load_pane(Pane::History)
            }
            Err(e) => {
                self.error(format!("history filter not applied: {e}"));
                Vec::new()
            }
        }
    }
}
