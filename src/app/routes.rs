//! The routes pane's state: rows, the filtered and sorted index vector, cursor, selection,
//! pending marks and the filter line. Only indices move; rows are never copied per keystroke.

use std::collections::HashSet;

use crate::backend::delta::RouteDelta;
use crate::domain::filter::RouteFilter;
use crate::domain::route::{RouteKey, RouteRow};
use crate::domain::sort::{SortColumn, sort_indices};

/// The `/` line while it is open.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FilterInput {
    pub text: String,
    /// Why the text does not parse yet (the last good filter stays applied).
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub struct RoutesPane {
    pub rows: Vec<RouteRow>,
    /// Indices into `rows` that pass the filter, in sort order.
    pub view: Vec<u32>,
    /// Position in `view`.
    pub cursor: usize,
    /// First visible position in `view`.
    pub offset: usize,
    /// Visible rows in the last frame (for paging).
    pub page: usize,
    pub selected: HashSet<RouteKey>,
    pub pending: HashSet<RouteKey>,
    pub filter: RouteFilter,
    pub input: Option<FilterInput>,
    pub sort: SortColumn,
    pub descending: bool,
    pub loaded: bool,
    /// The last refresh failed: the rows shown are older than they should be.
    pub stale: bool,
    /// Outstanding and breached rows in the view (counted at rebuild, not per frame).
    pub counts: (usize, usize),
    /// Routes in view that come from records the console could not fully read (marked rows).
    pub unreadable: usize,
    /// When the rows were evaluated (ages and breaches are as of then).
    pub at: Option<chrono::DateTime<chrono::Utc>>,
    /// The rows come from the local cache of the server, saved then; cleared when a read lands.
    pub cached: Option<chrono::DateTime<chrono::Utc>>,
}

impl Default for RoutesPane {
    fn default() -> Self {
        RoutesPane {
            rows: Vec::new(),
            view: Vec::new(),
            cursor: 0,
            offset: 0,
            page: 10,
            selected: HashSet::new(),
            pending: HashSet::new(),
            filter: RouteFilter::default(),
            input: None,
            sort: SortColumn::Schedule,
            descending: false,
            loaded: false,
            stale: false,
            counts: (0, 0),
            unreadable: 0,
            at: None,
            cached: None,
        }
    }
}

impl RoutesPane {
    /// Replaces the rows (a refresh), keeping the cursor on the same route when it is still
    /// there; returns the old rows (the runner frees a large set off the key loop).
    pub fn set_rows(&mut self, mut rows: Vec<RouteRow>) -> Vec<RouteRow> {
        let keep = self.cursor_row().map(|r| (r.key(), r.owner.clone()));
        crate::domain::sort::base_order(&mut rows);
        let old = std::mem::replace(&mut self.rows, rows);
        self.loaded = true;
        self.stale = false;
        if !self.selected.is_empty() {
            let keys: HashSet<RouteKey> = self.rows.iter().map(RouteRow::key).collect();
            self.selected.retain(|k| keys.contains(k));
        }
        self.rebuild(keep);
        old
    }

    /// Merges a refresh (see [`RouteDelta`]): a full one replaces the rows, an incremental one
    /// ages the rows it did not re-read to its instant and replaces the routes of the schedules
    /// it names. Cursor, selection, filter and sort stay. Returns the rows replaced.
    pub fn apply_delta(&mut self, delta: RouteDelta) -> Vec<RouteRow> {
        let at = delta.at;
        self.cached = delta.cached_at;
        if delta.full {
            let old = self.set_rows(delta.rows);
            self.at = Some(at);
            return old;
        }
        let elapsed = self.at.map(|a| (at - a).num_milliseconds()).unwrap_or(0);
        self.at = Some(at);
        let keep = self.keep();
        let mut changed = false;
        for r in &mut self.rows {
            changed |= crate::domain::route::age_row(r, elapsed);
        }
        self.loaded = true;
        self.stale = false;
        if delta.schedules.is_empty() {
            if changed {
                self.rebuild(keep);
            } else {
                self.after_view_change(keep);
            }
            return Vec::new();
        }
        let schedules: HashSet<&str> = delta.schedules.iter().map(String::as_str).collect();
        let mut incoming: std::collections::HashMap<(String, String, String), RouteRow> = delta
            .rows
            .into_iter()
            .map(|r| {
                (
                    (r.schedule_id.clone(), r.provider.clone(), r.owner.clone()),
                    r,
                )
            })
            .collect();
        let mut old = Vec::new();
        let mut gone = vec![false; self.rows.len()];
        for (i, r) in self.rows.iter_mut().enumerate() {
            if !schedules.contains(r.schedule_id.as_str()) {
                continue;
            }
            let k = (r.schedule_id.clone(), r.provider.clone(), r.owner.clone());
            match incoming.remove(&k) {
                Some(new) => old.push(std::mem::replace(r, new)),
                None => gone[i] = true,
            }
        }
        if gone.contains(&true) {
            let rows = std::mem::take(&mut self.rows);
            for (r, dropped) in rows.into_iter().zip(gone) {
                if dropped {
                    old.push(r);
                } else {
                    self.rows.push(r);
                }
            }
        }
        if !incoming.is_empty() {
            self.rows.extend(incoming.into_values());
        }
        crate::domain::sort::base_order(&mut self.rows);
        if !self.selected.is_empty() {
            let keys: HashSet<RouteKey> = self.rows.iter().map(RouteRow::key).collect();
            self.selected.retain(|k| keys.contains(k));
        }
        self.rebuild(keep);
        old
    }

    /// Re-applies filter and sort, keeping the cursor on `keep` when it is still visible.
    pub fn rebuild(&mut self, keep: Option<(RouteKey, String)>) {
        let mut view: Vec<u32> = (0..self.rows.len() as u32)
            .filter(|&i| self.filter.matches(&self.rows[i as usize]))
            .collect();
        sort_indices(&self.rows, &mut view, self.sort, self.descending);
        self.view = view;
        self.after_view_change(keep);
    }

    /// Recounts, and puts the cursor back on the kept route when it is still in view.
    fn after_view_change(&mut self, keep: Option<(RouteKey, String)>) {
        let (mut outstanding, mut breached, mut unreadable) = (0, 0, 0);
        for r in self.filtered() {
            outstanding += usize::from(r.is_outstanding());
            breached += usize::from(r.breached);
            unreadable += usize::from(!r.flaws.is_empty());
        }
        self.counts = (outstanding, breached);
        self.unreadable = unreadable;
        self.cursor = keep
            .and_then(|(k, owner)| {
                self.view.iter().position(|&i| {
                    let r = &self.rows[i as usize];
                    r.schedule_id == k.schedule_id && r.provider == k.provider && r.owner == owner
                })
            })
            .unwrap_or(self.cursor)
            .min(self.view.len().saturating_sub(1));
        self.clamp_offset();
    }

    fn keep(&self) -> Option<(RouteKey, String)> {
        self.cursor_row().map(|r| (r.key(), r.owner.clone()))
    }

    pub fn set_filter(&mut self, filter: RouteFilter) {
        let keep = self.keep();
        if filter.narrows(&self.filter) {
            // A subset of what is shown: scan the view only; it stays in sort order.
            let rows = &self.rows;
            self.view.retain(|&i| filter.matches(&rows[i as usize]));
            self.filter = filter;
            self.after_view_change(keep);
            return;
        }
        self.filter = filter;
        self.rebuild(keep);
    }

    pub fn set_sort(&mut self, sort: SortColumn, descending: bool) {
        let keep = self.keep();
        self.sort = sort;
        self.descending = descending;
        self.rebuild(keep);
    }

    pub fn cursor_row(&self) -> Option<&RouteRow> {
        self.view.get(self.cursor).map(|&i| &self.rows[i as usize])
    }

    /// Rows that pass the filter, in view order.
    pub fn filtered(&self) -> impl Iterator<Item = &RouteRow> {
        self.view.iter().map(|&i| &self.rows[i as usize])
    }

    /// Moves the cursor by `delta` rows, clamped.
    pub fn move_by(&mut self, delta: isize) {
        if self.view.is_empty() {
            return;
        }
        let max = self.view.len() as isize - 1;
        self.cursor = (self.cursor as isize + delta).clamp(0, max) as usize;
        self.clamp_offset();
    }

    pub fn move_to(&mut self, pos: usize) {
        self.cursor = pos.min(self.view.len().saturating_sub(1));
        self.clamp_offset();
    }

    /// Keeps the cursor inside the visible window.
    pub fn clamp_offset(&mut self) {
        let page = self.page.max(1);
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + page {
            self.offset = self.cursor + 1 - page;
        }
        let max_offset = self.view.len().saturating_sub(page);
        self.offset = self.offset.min(max_offset);
    }

    pub fn toggle_selected(&mut self) {
        if let Some(k) = self.cursor_row().map(RouteRow::key) {
            if !self.selected.remove(&k) {
                self.selected.insert(k);
            }
        }
    }

    /// Selects every filtered row; when all are selected already, clears the selection.
    pub fn toggle_select_all(&mut self) {
        let keys: Vec<RouteKey> = self.filtered().map(RouteRow::key).collect();
        if !keys.is_empty() && keys.iter().all(|k| self.selected.contains(k)) {
            self.selected.clear();
        } else {
            self.selected.extend(keys);
        }
    }

    /// The rows an action applies to: the selection when there is one, else the cursor row.
    pub fn targets(&self) -> Vec<&RouteRow> {
        if self.selected.is_empty() {
            self.cursor_row().into_iter().collect()
        } else {
            let mut seen = HashSet::new();
            self.rows
                .iter()
                .filter(|r| self.selected.contains(&r.key()) && seen.insert(r.key()))
                .collect()
        }
    }

    pub fn outstanding_count(&self) -> usize {
        self.counts.0
    }

    pub fn breached_count(&self) -> usize {
        self.counts.1
    }
}

#[cfg(test)]
#[path = "routes_tests.rs"]
mod tests;
