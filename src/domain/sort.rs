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
    by_column(a, b, col)
        .then_with(|| a.schedule_id.cmp(&b.schedule_id))
        .then_with(|| a.provider.cmp(&b.provider))
        .then_with(|| a.owner.cmp(&b.owner))
}

/// Compares two rows by the column alone (ties are equal).
fn by_column(a: &RouteRow, b: &RouteRow, col: SortColumn) -> Ordering {
    match col {
        SortColumn::Schedule => a.schedule_id.cmp(&b.schedule_id),
        SortColumn::Provider => a.provider.cmp(&b.provider),
        SortColumn::Owner => a.owner.cmp(&b.owner),
        SortColumn::State => a.state.as_str().cmp(b.state.as_str()),
        SortColumn::Age => a.age_minutes.total_cmp(&b.age_minutes),
        SortColumn::Breached => a.breached.cmp(&b.breached),
        SortColumn::Recommended => a.recommended_action.cmp(b.recommended_action),
        SortColumn::Category => a.category.cmp(&b.category),
    }
}

/// Sorts an index vector over `rows` in place. Rows must be in base order (schedule,
/// provider, owner); the indices are put in ascending (base) order and then stably sorted by
/// the column alone, which gives the same total order as [`compare`] with a fraction of the
/// string comparisons (ties keep base order; descending reverses the column only).
pub fn sort_indices(rows: &[RouteRow], idx: &mut [u32], col: SortColumn, descending: bool) {
    idx.sort_unstable();
    let dir = |o: Ordering| if descending { o.reverse() } else { o };
    if matches!(col, SortColumn::Schedule) && !descending {
        return; // base order is schedule order
    }
    idx.sort_by(|&x, &y| dir(by_column(&rows[x as usize], &rows[y as usize], col)));
}

/// Puts rows in base order (schedule, provider, owner) if they are not already.
pub fn base_order(rows: &mut [RouteRow]) {
    fn key(r: &RouteRow) -> (&str, &str, &str) {
        (
            r.schedule_id.as_str(),
            r.provider.as_str(),
            r.owner.as_str(),
        )
    }
    if !rows.windows(2).all(|w| key(&w[0]) <= key(&w[1])) {
        rows.sort_by(|a, b| key(a).cmp(&key(b)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::route::RouteState;

    fn row(s: &str, p: &str, o: &str, age: f64, state: RouteState) -> RouteRow {
        RouteRow {
            plan_id: String::new(),
            age_minutes: age,
            acknowledged: false,
            breached: age > 50.0,
            recommended_action: "x",
            ..RouteRow::fixture(s, p, o, state)
        }
    }

    #[test]
    fn the_fast_sort_gives_the_same_order_as_the_full_comparison() {
        use RouteState::*;
        let mut rows = vec![
            row("b", "slack", "z", 10.0, Escalated),
            row("a", "teams", "y", 70.0, Outstanding),
            row("a", "slack", "x", 70.0, Resolved),
            row("c", "jira", "x", 5.0, Outstanding),
            row("b", "jira", "w", 90.0, Dismissed),
        ];
        base_order(&mut rows);
        for col in SortColumn::ALL {
            for descending in [false, true] {
                let mut fast: Vec<u32> = (0..rows.len() as u32).rev().collect();
                sort_indices(&rows, &mut fast, col, descending);
                // Ties keep base order (ascending indices).
                for w in fast.windows(2) {
                    if compare(&rows[w[0] as usize], &rows[w[1] as usize], col) == Ordering::Equal {
                        assert!(w[0] < w[1], "{col:?}: ties in base order");
                    }
                }
                // Sorted by the column, either way.
                for w in fast.windows(2) {
                    let (a, b) = (&rows[w[0] as usize], &rows[w[1] as usize]);
                    let o = by_column(a, b, col);
                    assert!(
                        if descending {
                            o != Ordering::Less
                        } else {
                            o != Ordering::Greater
                        },
                        "{col:?} {descending}"
                    );
                }
            }
        }
    }
}
