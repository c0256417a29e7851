//! CAVRA's 500-record window, as pane 2, the status bar and `cavra-tui dashboard` say it: the
//! server's dashboard counts only the newest 500 history records, while the routes pane
//! derives its routes from the whole history, so both outstanding counts are shown when they
//! differ.

use serde_json::Value;

use crate::backend::Json;
use crate::domain::history::WINDOW;
use crate::domain::route::RouteRow;

/// What to say when the server holds more records than its dashboard reads.
#[derive(Debug, Clone, PartialEq)]
pub struct WindowNote {
    /// Records in the server's history.
    pub records: usize,
    /// `outstanding_acknowledgement_count` of the dashboard (newest 500 records).
    pub dashboard_outstanding: u64,
    /// Outstanding routes of the routes pane (whole history), when loaded.
    pub console_outstanding: Option<usize>,
}

/// The note, or `None` when the history fits in the window (or its size is unknown).
pub fn window_note(
    dashboard: &Json,
    records: Option<usize>,
    console_outstanding: Option<usize>,
) -> Option<WindowNote> {
    let records = records.filter(|n| *n > WINDOW)?;
    Some(WindowNote {
        records,
        dashboard_outstanding: dashboard
            .get("outstanding_acknowledgement_count")
            .and_then(Value::as_u64)
            .unwrap_or(0),
        console_outstanding,
    })
}

/// Outstanding routes over the whole history (the routes pane's count, unfiltered).
pub fn console_outstanding(rows: &[RouteRow]) -> usize {
    rows.iter().filter(|r| r.is_outstanding()).count()
}

impl WindowNote {
    fn differs(&self) -> Option<usize> {
        self.console_outstanding
            .filter(|c| *c as u64 != self.dashboard_outstanding)
    }

    /// Pane 2 and the CLI.
    pub fn long(&self) -> String {
        let head = format!(
            "CAVRA's dashboard counts only the newest {WINDOW} of {} records",
            self.records
        );
        match self.differs() {
            Some(c) => format!(
                "{head}: outstanding {} on the dashboard, {c} in the routes pane (whole history)",
                self.dashboard_outstanding
            ),
            None => head,
        }
    }

    /// The status bar.
    pub fn short(&self) -> String {
        let head = format!("dashboard: newest {WINDOW} of {}", self.records);
        match self.differs() {
            Some(c) => format!(
                "{head} · outstanding {} (routes {c})",
                self.dashboard_outstanding
            ),
            None => head,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn says_nothing_within_the_window_and_both_counts_beyond_it() {
        let d = json!({"outstanding_acknowledgement_count": 59});
        let d = d.as_object().unwrap();
        assert_eq!(window_note(d, Some(500), Some(170)), None);
        assert_eq!(window_note(d, None, Some(170)), None);
        let n = window_note(d, Some(565), Some(170)).unwrap();
        assert_eq!(
            n.long(),
            "CAVRA's dashboard counts only the newest 500 of 565 records: outstanding 59 on the dashboard, 170 in the routes pane (whole history)"
        );
        assert_eq!(
            n.short(),
            "dashboard: newest 500 of 565 · outstanding 59 (routes 170)"
        );
        let same = window_note(d, Some(565), Some(59)).unwrap();
        assert_eq!(
            same.long(),
            "CAVRA's dashboard counts only the newest 500 of 565 records"
        );
        assert_eq!(
            window_note(d, Some(565), None).unwrap().short(),
            "dashboard: newest 500 of 565"
        );
    }
}
