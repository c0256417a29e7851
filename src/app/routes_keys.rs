//! Pane 1's keys: moving, filtering, selecting, sorting, details, and the route actions (each
//! behind a confirmation built in `route_actions.rs`).

use super::App;
use super::effect::Effect;
use super::overlay::Overlay;
use super::routes::FilterInput;
use crate::domain::ack::AckState;
use crate::domain::filter::RouteFilter;
use crate::keymap::Action;
use crate::ops::BulkKind;

impl App {
    /// Pane 1's actions.
    pub(super) fn on_routes_action(&mut self, action: Action) -> Vec<Effect> {
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
            _ => {}
        }
        Vec::new()
    }

    /// Esc on the routes pane: clear the filter, else the selection.
    fn back(&mut self) {
        if !self.routes.filter.is_empty() {
            self.routes.set_filter(RouteFilter::default());
        } else {
            self.routes.selected.clear();
        }
    }
}
