//! Sorting route rows by a column into an index vector (rows themselves never move).

use std::cmp::Ordering;

use super::route::RouteRow;

/// The columns of the routes table, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    Schedule,
    Provider,
    Owner,
    State,
    Age,
    Breached,
    Recommended,
    Category,
}

impl SortColumn {
    pub const ALL: [SortColumn; 8] = [
        SortColumn::Schedule,
        SortColumn::Provider,
        SortColumn::Owner,
        SortColumn::State,
        SortColumn::Age,
        SortColumn::Breached,
        SortColumn::Recommended,
        SortColumn::Category,
    ];

    pub fn label(self) -> &'static str {
        match self {
            SortColumn::Schedule => "schedule",
            SortColumn::Provider => "provider",
            SortColumn::Owner => "owner",
            SortColumn::State => "state",
            SortColumn::Age => "age",
            SortColumn::Breached => "breached",
            SortColumn::Recommended => "recommended",
            SortColumn::Category => "category",
        }
    }

    /// The next column (wrapping), for the "sort by next column" key.
    pub fn next(self) -> SortColumn {
        let i = SortColumn::ALL.iter().position(|c| *c == self).unwrap_or(0);
        SortColumn::ALL[(i + 1) % SortColumn::ALL.len()]
    }

    pub fn parse(name: &str) -> Option<SortColumn> {
        SortColumn::ALL.into_iter().find(|c| c.label() == name)
    }
}

/// Compares two rows by a column; ties fall back to (schedule, provider, owner) so order is stable.
pub fn compare(a: &RouteRow, b: &RouteRow, col: SortColumn) -> Ordering {
    let primary = match col {
        SortColumn::Schedule => a.schedule_id.cmp(&b.schedule_id),
        SortColumn::Provider => a.provider.cmp(&b.provider),
        SortColumn::Owner => a.owner.cmp(&b.owner),
        SortColumn::State => a.state.as_str().cmp(b.state.as_str()),
        SortColumn::Age => a.age_minutes.total_cmp(&b.age_minutes),
        SortColumn::Breached => a.breached.cmp(&b.breached),
        SortColumn::Recommended => a.recommended_action.cmp(b.recommended_action),
        SortColumn::Category => a.category.cmp(&b.category),
    };
    primary
        .then_with(|| a.schedule_id.cmp(&b.schedule_id))
        .then_with(|| a.provider.cmp(&b.provider))
        .then_with(|| a.owner.cmp(&b.owner))
}

/// Sorts an index vector over `rows` in place.
pub fn sort_indices(rows: &[RouteRow], idx: &mut [u32], col: SortColumn, descending: bool) {
    idx.sort_by(|&x, &y| {
        let o = compare(&rows[x as usize], &rows[y as usize], col);
        if descending { o.reverse() } else { o }
    });
}
