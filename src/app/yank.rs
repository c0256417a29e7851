//! Copying out, as k9s and lazygit do: `y` yanks the selected item's JSON to the clipboard
//! with OSC 52 (it works over SSH and inside tmux), `Y` its id, `ctrl-s` saves its raw JSON to
//! a file in the export dir and shows the full path. The item is the open overlay's, else the
//! one under the pane's cursor.

use serde_json::Value;

use super::effect::Effect;
use super::overlay::Overlay;
use super::{App, Pane};
use crate::keymap::Action;

/// What is selected: a short name, its id, and its JSON.
struct Item {
    what: String,
    id: String,
    json: Value,
}

impl App {
    fn selected_for_copy(&self) -> Option<Item> {
        if let Some(ov) = &self.overlay {
            return match ov {
                Overlay::Detail { row, .. } => Some(Item {
                    what: format!("route {}", row.key()),
                    id: row.key().to_string(),
                    json: serde_json::to_value(row.as_ref()).unwrap_or(Value::Null),
                }),
                Overlay::Record { record, .. } => Some(Item {
                    what: format!("record {}", record.session_id()),
                    id: record.session_id().to_string(),
                    json: Value::Object(record.0.clone()),
                }),
                Overlay::Json {
                    key,
                    lines: Some(lines),
                    ..
                } => Some(Item {
                    what: format!("records of {key}"),
                    id: key.to_string(),
                    json: serde_json::from_str(&lines.join("\n")).unwrap_or(Value::Null),
                }),
                Overlay::Report { title, lines, .. } => Some(Item {
                    what: title.clone(),
                    id: title.clone(),
                    json: serde_json::from_str(&lines.join("\n"))
                        .unwrap_or_else(|_| Value::String(lines.join("\n"))),
                }),
                _ => None,
            };
        }
        match self.pane {
            Pane::Routes if !self.routing.on => self.routes.cursor_row().map(|r| Item {
                what: format!("route {}", r.key()),
                id: r.key().to_string(),
                json: serde_json::to_value(r).unwrap_or(Value::Null),
            }),
            Pane::History => self.history.selected().map(|r| Item {
                what: format!("record {}", r.session_id()),
                id: r.session_id().to_string(),
                json: Value::Object(r.0.clone()),
            }),
            Pane::Routes | Pane::Retry | Pane::Worker | Pane::Archive => {
                let item = self.selected_item(self.pane)?;
                let id = [
                    "route_id",
                    "delivery_id",
                    "health_id",
                    "alert_id",
                    "plan_id",
                    "export_id",
                ]
                .iter()
                .find_map(|k| {
                    item.get(*k)
                        .and_then(Value::as_str)
                        .filter(|v| !v.is_empty())
                })
                .unwrap_or("")
                .to_string();
                Some(Item {
                    what: format!("{} item {id}", self.pane.name().to_lowercase()),
                    id,
                    json: Value::Object(item),
                })
            }
            Pane::Health => self.health.dashboard.clone().map(|d| Item {
                what: "dashboard".into(),
                id: "dashboard".into(),
                json: Value::Object(d),
            }),
        }
    }

    /// `y`, `Y` and `ctrl-s`; `None` when the action is none of them.
    pub(super) fn on_copy_action(&mut self, action: Action) -> Option<Vec<Effect>> {
        if !matches!(action, Action::Yank | Action::YankId | Action::SaveJson) {
            return None;
        }
        let Some(item) = self.selected_for_copy() else {
            self.info("nothing selected to copy");
            return Some(Vec::new());
        };
        let pretty = serde_json::to_string_pretty(&item.json).unwrap_or_default();
        Some(match action {
            Action::Yank => {
                self.info(format!(
                    "yanked the JSON of {} ({} bytes) to the clipboard (OSC 52)",
                    item.what,
                    pretty.len()
                ));
                vec![Effect::Clipboard { text: pretty }]
            }
            Action::YankId => {
                self.info(format!("yanked {} to the clipboard (OSC 52)", item.id));
                vec![Effect::Clipboard { text: item.id }]
            }
            _ => {
                let safe: String = item
                    .id
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                            c
                        } else {
                            '_'
                        }
                    })
                    .collect();
                let stamp = crate::domain::time::compact(chrono::Utc::now()).replace(':', "");
                self.in_flight += 1;
                vec![Effect::SaveJson {
                    name: format!("{safe}-{stamp}.json"),
                    text: pretty,
                }]
            }
        })
    }
}
