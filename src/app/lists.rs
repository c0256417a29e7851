//! The lists of panes 4–6 and pane 1's routing history (retry decisions, owed worker alerts,
//! worker runs, archive alerts owed and sent, routing decisions) as one
//! model: a live `/` filter (case-insensitive text over the item's fields), the items it
//! leaves, and the selected item for Enter (its fields), `J` (its raw JSON), `y`/`Y` (yank).

use serde_json::Value;

use super::{App, Pane};
use crate::backend::Json;
use crate::domain::Record;

/// A list pane's applied filter text, per pane.
#[derive(Debug, Clone, Default)]
pub struct ListFilters {
    text: [String; 6],
}

impl ListFilters {
    pub fn get(&self, pane: Pane) -> &str {
        &self.text[pane.index()]
    }

    pub fn set(&mut self, pane: Pane, text: &str) {
        self.text[pane.index()] = text.trim().to_string();
    }
}

/// Does an item match the filter text (every word somewhere in its fields, any case)?
pub fn matches(item: &Json, filter: &str) -> bool {
    if filter.is_empty() {
        return true;
    }
    let hay = Value::Object(item.clone()).to_string().to_lowercase();
    filter
        .split_whitespace()
        .all(|w| hay.contains(&w.to_lowercase()))
}

impl App {
    /// Every item of a list pane (in the view on screen), before the filter.
    fn list_items(&self, pane: Pane) -> Vec<Json> {
        use super::panes::objects;
        match pane {
            Pane::Retry => self.retry.audit_decisions(),
            Pane::Worker if self.worker.view == 1 => objects(self.worker.runs.as_ref(), "items"),
            Pane::Worker => self.worker.outstanding(),
            Pane::Archive => match self.archive.view {
                1 => {
                    crate::views::dashboards::owed(self.archive.board.as_ref()).unwrap_or_default()
                }
                2 => objects(self.archive.alerts.as_ref(), "items"),
                _ => objects(self.archive.health.as_ref(), "alerts"),
            },
            Pane::Routes if self.routing.on => objects(self.routing.page.as_ref(), "items"),
            Pane::Routes | Pane::Health | Pane::History => Vec::new(),
        }
    }

    /// The items a list pane shows: those its filter leaves, and how many there are in all.
    pub fn visible_items(&self, pane: Pane) -> (Vec<Json>, usize) {
        let all = self.list_items(pane);
        let total = all.len();
        let filter = self.list_filters.get(pane);
        (
            all.into_iter().filter(|i| matches(i, filter)).collect(),
            total,
        )
    }

    /// The item under the cursor of a list pane.
    pub fn selected_item(&self, pane: Pane) -> Option<Json> {
        let pos = match pane {
            Pane::Retry => self.retry.cursor.pos,
            Pane::Worker => self.worker.cursor.pos,
            Pane::Archive => self.archive.cursor.pos,
            Pane::Routes if self.routing.on => self.routing.cursor.pos,
            _ => return None,
        };
        self.visible_items(pane).0.into_iter().nth(pos)
    }

    /// Re-counts a list pane's cursor after its items or filter changed.
    pub(super) fn recount(&mut self, pane: Pane) {
        let n = self.visible_items(pane).0.len();
        match pane {
            Pane::Retry => self.retry.cursor.set_len(n),
            Pane::Worker => self.worker.cursor.set_len(n),
            Pane::Archive => self.archive.cursor.set_len(n),
            Pane::Routes => self.routing.cursor.set_len(n),
            _ => {}
        }
    }

    /// Enter and `J` on a list pane: the selected item's fields, or its raw JSON.
    pub(super) fn open_item(&mut self, pane: Pane, json: bool) {
        let Some(item) = self.selected_item(pane) else {
            return;
        };
        let record = Record(item);
        self.overlay = Some(if json {
            super::overlay::Overlay::record_json(&record)
        } else {
            super::overlay::Overlay::Record {
                record: Box::new(record),
                scroll: 0,
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_word_must_match_somewhere_in_any_case() {
        let item = json!({"provider": "Splunk", "action": "retry", "delivery_id": "d-1"});
        let item = item.as_object().unwrap();
        assert!(matches(item, ""));
        assert!(matches(item, "splunk retry"));
        assert!(!matches(item, "splunk wait"));
    }
}
