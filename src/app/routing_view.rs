//! Pane 1's second view (`v`): the routing history, every deliver and suppress decision of
//! `GET …/routes` for the routes filter's owner / provider / action / category / schedule, as
//! a list (`/` filters, Enter detail, `J` raw JSON); and the suppression trend (`T`), recorded
//! only on that key, after a confirmation.

use super::effect::Effect;
use super::{App, Pane};
use crate::actions::defaults;
use crate::domain::histories::RoutingQuery;
use crate::domain::query;
use crate::keymap::Action;

impl App {
    /// The routing query of the routes filter (its state and free text do not apply).
    pub fn routing_query(&self) -> RoutingQuery {
        RoutingQuery::from(&self.routes.filter)
    }

    /// Reads the routing history for the routes filter (a read).
    pub(super) fn load_routing(&mut self) -> Vec<Effect> {
        let i = Pane::Routes.index();
        self.pane_seq[i] += 1;
        self.in_flight += 1;
        vec![Effect::LoadRouting {
            seq: self.pane_seq[i],
            query: self.routing_query(),
        }]
    }

    /// Keys of pane 1 while the routing history is on screen (and `v`, `T` in either view).
    pub(super) fn on_routing_action(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::ToggleView => {
                self.routing.on = !self.routing.on;
                if self.routing.on {
                    self.routing.cursor.move_to(0);
                    return self.load_routing();
                }
                Vec::new()
            }
            Action::RecordSuppressionTrend => {
                let by = self.acting_as();
                let q = self.routing_query();
                let scope = query::pairs(&q.trend_part())
                    .into_iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>();
                let scope = if scope.is_empty() {
                    "every route".to_string()
                } else {
                    scope.join(", ")
                };
                self.confirm(
                    "Record suppression trend",
                    vec![
                        self.where_line(),
                        format!(
                            "Scope (the routes filter; action and category are not sent): {scope}"
                        ),
                        "Records: a suppression trend record (only on this key, never on refresh)"
                            .into(),
                    ],
                    defaults::suppression_trend(q, &by),
                )
            }
            _ if Self::move_cursor(&mut self.routing.cursor, action) => Vec::new(),
            Action::Acknowledge
            | Action::Escalate
            | Action::Resolve
            | Action::Dismiss
            | Action::BulkAckOutstanding
            | Action::BulkEscalateBreached
            | Action::ExportAudit
            | Action::ToggleSelect
            | Action::SelectAllFiltered
            | Action::SortNext
            | Action::SortReverse => {
                self.info(
                    "the routing history lists decisions, not routes: press v to act on the routes",
                );
                Vec::new()
            }
            other => self.on_list_action(Pane::Routes, other),
        }
    }
}
