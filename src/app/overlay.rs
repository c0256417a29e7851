//! Overlays drawn over the routes pane: help, confirmation, route detail, raw JSON, reports.

use crossterm::event::{KeyCode, KeyEvent};

use super::dialog::ConfirmDialog;
use crate::backend::RouteRecords;
use crate::domain::route::{RouteKey, RouteRow};
use crate::keymap::Action;

#[derive(Debug, Clone)]
pub enum Overlay {
    Help {
        scroll: usize,
    },
    Confirm(Box<ConfirmDialog>),
    /// A route's fields and acknowledgement history (records arrive later).
    Detail {
        row: Box<RouteRow>,
        records: Option<RouteRecords>,
        scroll: usize,
    },
    /// A route's raw JSON records, pretty-printed (lines arrive later).
    Json {
        key: RouteKey,
        lines: Option<Vec<String>>,
        scroll: usize,
    },
    /// A result that needs reading, e.g. routes a bulk action did not record.
    Report {
        title: String,
        lines: Vec<String>,
        scroll: usize,
    },
    /// The context picker.
    Contexts {
        names: Vec<String>,
        cursor: usize,
    },
    /// One stored record's fields (history detail); `J` switches to its raw JSON.
    Record {
        record: Box<crate::domain::Record>,
        scroll: usize,
    },
}

impl Overlay {
    pub fn detail(row: RouteRow) -> Overlay {
        Overlay::Detail {
            row: Box::new(row),
            records: None,
            scroll: 0,
        }
    }

    pub fn loading_json(key: &RouteKey) -> Overlay {
        Overlay::Json {
            key: key.clone(),
            lines: None,
            scroll: 0,
        }
    }

    /// The raw JSON of one record, as a scrollable report.
    pub fn record_json(r: &crate::domain::Record) -> Overlay {
        let text = serde_json::to_string_pretty(&r.0).expect("serialisable");
        Overlay::Report {
            title: match r.session_id() {
                "" => "Raw JSON".to_string(),
                id => format!("Raw JSON · {id}"),
            },
            lines: text.lines().map(str::to_string).collect(),
            scroll: 0,
        }
    }

    /// Is this overlay waiting for the records of `key`?
    pub fn is_for(&self, key: &RouteKey, json: bool) -> bool {
        match self {
            Overlay::Detail { row, .. } => !json && row.key() == *key,
            Overlay::Json { key: k, .. } => json && k == key,
            _ => false,
        }
    }

    /// Puts loaded records into the overlay.
    pub fn fill(&mut self, recs: RouteRecords) {
        match self {
            Overlay::Detail { records, .. } => *records = Some(recs),
            Overlay::Json { lines, .. } => {
                let mut all: Vec<serde_json::Value> = Vec::new();
                if let Some(p) = &recs.plan {
                    all.push(serde_json::Value::Object(p.0.clone()));
                }
                all.extend(
                    recs.acks
                        .iter()
                        .map(|r| serde_json::Value::Object(r.0.clone())),
                );
                let text = serde_json::to_string_pretty(&all).expect("serialisable");
                *lines = Some(text.lines().map(str::to_string).collect());
            }
            _ => {}
        }
    }

    /// Keeps the scroll position within what the overlay can show.
    pub fn clamp_scroll(&mut self, max: usize) {
        if let Overlay::Help { scroll }
        | Overlay::Detail { scroll, .. }
        | Overlay::Json { scroll, .. }
        | Overlay::Report { scroll, .. }
        | Overlay::Record { scroll, .. } = self
        {
            *scroll = (*scroll).min(max);
        }
    }

    /// Scrolls with the navigation keys.
    pub fn scroll(&mut self, key: &KeyEvent, action: Option<Action>) {
        let s = match self {
            Overlay::Help { scroll }
            | Overlay::Detail { scroll, .. }
            | Overlay::Json { scroll, .. }
            | Overlay::Report { scroll, .. }
            | Overlay::Record { scroll, .. } => scroll,
            Overlay::Confirm(_) => return,
            Overlay::Contexts { cursor, names } => {
                match action {
                    Some(Action::Down) => {
                        *cursor = (*cursor + 1).min(names.len().saturating_sub(1))
                    }
                    Some(Action::Up) => *cursor = cursor.saturating_sub(1),
                    _ => {}
                }
                return;
            }
        };
        match (action, key.code) {
            (Some(Action::Down), _) => *s = s.saturating_add(1),
            (Some(Action::Up), _) => *s = s.saturating_sub(1),
            (Some(Action::PageDown | Action::HalfPageDown), _) | (_, KeyCode::PageDown) => {
                *s = s.saturating_add(10)
            }
            (Some(Action::PageUp | Action::HalfPageUp), _) | (_, KeyCode::PageUp) => {
                *s = s.saturating_sub(10)
            }
            (Some(Action::Top), _) => *s = 0,
            // Clamped to the real bottom before the next frame (`App::set_extent`).
            (Some(Action::Bottom), _) => *s = usize::MAX,
            _ => {}
        }
    }
}
