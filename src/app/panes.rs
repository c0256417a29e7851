//! State of panes 2–6 (delivery health, history, retry plans, worker, archive): the last
//! data each pane loaded (the contract's JSON), a cursor, and a stale marker.

use serde_json::Value;

use super::routes::FilterInput;
use crate::backend::Json;
use crate::domain::Record;
use crate::domain::history_filter::HistoryFilter;
use crate::views::rows::decisions;

/// A cursor over a list whose length changes with each load.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListCursor {
    pub pos: usize,
    pub len: usize,
}

impl ListCursor {
    pub fn set_len(&mut self, len: usize) {
        self.len = len;
        self.pos = self.pos.min(len.saturating_sub(1));
    }
    pub fn move_by(&mut self, delta: isize) {
        if self.len > 0 {
            self.pos = (self.pos as isize + delta).clamp(0, self.len as isize - 1) as usize;
        }
    }
    pub fn move_to(&mut self, pos: usize) {
        self.pos = pos.min(self.len.saturating_sub(1));
    }
}

/// What a pane load returns (one value per load, moved once: its size does not matter).
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
pub enum PaneData {
    /// The dashboard, and how many records the server's history holds (its window is 500).
    Health {
        dashboard: Json,
        records: Option<usize>,
    },
    History(Json),
    Retry {
        audit: Option<Json>,
        auditor: Option<Json>,
        recovery: Box<RetryExtra>,
    },
    Worker {
        health: Json,
        run: Option<Json>,
        /// The alert dashboard and recent alert history, worker runs and the worker dashboard
        /// (absent when the server did not answer them or lacks them).
        alerts: Option<Json>,
        history: Option<Json>,
        runs: Option<Json>,
        dashboard: Option<Json>,
    },
    Archive {
        health: Json,
        /// Archive alert history and its dashboard (absent when the server lacks them).
        alerts: Option<Json>,
        board: Option<Json>,
    },
    /// Pane 1's routing history (`GET …/routes` for the routes filter).
    Routing(Json),
}

/// What pane 4 reads besides the retry plans: approvals, recovery, retry acks.
#[derive(Debug, Clone, Default)]
pub struct RetryExtra {
    /// The latest approval plan, recovery playbook, and retry execution records (newest first).
    pub approval: Option<Json>,
    pub playbook: Option<Json>,
    pub executions: Vec<Json>,
    /// Retry acknowledgement and approval decision records, newest first.
    pub acks: Vec<Json>,
    pub decisions: Vec<Json>,
}

/// Pane 2.
#[derive(Debug, Clone, Default)]
pub struct HealthPane {
    pub dashboard: Option<Json>,
    /// Records in the server's history (the dashboard reads only the newest 500).
    pub records: Option<usize>,
    pub stale: bool,
}

/// Pane 3.
#[derive(Debug, Clone)]
pub struct HistoryPane {
    pub items: Vec<Record>,
    pub total: usize,
    /// Records the console looked at to find `total` matches (a filter CAVRA lacks).
    pub scanned: Option<usize>,
    pub offset: usize,
    pub limit: usize,
    pub cursor: ListCursor,
    pub filter: HistoryFilter,
    pub input: Option<FilterInput>,
    pub loaded: bool,
    pub stale: bool,
}

impl Default for HistoryPane {
    fn default() -> Self {
        HistoryPane {
            items: Vec::new(),
            total: 0,
            scanned: None,
            offset: 0,
            limit: 50,
            cursor: ListCursor::default(),
            filter: HistoryFilter::default(),
            input: None,
            loaded: false,
            stale: false,
        }
    }
}

impl HistoryPane {
    /// Takes a history page (`history_scan::page`: the filter's matches over the whole
    /// history, `total` their number, `scanned` the records looked at when the console scanned).
    pub fn set_page(&mut self, page: &Json) {
        self.items = crate::history_scan::records(page);
        self.total = page
            .get("total")
            .and_then(Value::as_u64)
            .unwrap_or(self.items.len() as u64) as usize;
        self.scanned = page
            .get("scanned")
            .and_then(Value::as_u64)
            .map(|n| n as usize);
        self.cursor.set_len(self.items.len());
        self.loaded = true;
        self.stale = false;
    }

    pub fn selected(&self) -> Option<&Record> {
        self.items.get(self.cursor.pos)
    }
}

/// Pane 4: the newest audit retry plan and auditor export retry plan.
#[derive(Debug, Clone, Default)]
pub struct RetryPane {
    pub audit: Option<Json>,
    pub auditor: Option<Json>,
    pub recovery: RetryExtra,
    pub cursor: ListCursor,
    pub loaded: bool,
    pub stale: bool,
}

impl RetryPane {
    pub fn audit_decisions(&self) -> Vec<Json> {
        self.audit.as_ref().map(decisions).unwrap_or_default()
    }

    /// A decision's retry-ack state and approval state (newest record of its key; else what
    /// the latest approval plan says; `—` for none).
    pub fn states(&self, d: &Json) -> (String, String) {
        let key = crate::domain::approval::exec_key(d);
        let newest = |rs: &[Json], field: &str| {
            rs.iter()
                .find(|r| crate::domain::approval::exec_key(r) == key)
                .and_then(|r| r.get(field))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let ack = newest(&self.recovery.acks, "acknowledgement_state");
        let planned = self.recovery.approval.as_ref().and_then(|p| {
            let ds = p.get("approval_decisions")?.as_array()?;
            ds.iter()
                .filter_map(Value::as_object)
                .find(|x| crate::domain::approval::exec_key(x) == key)
                .and_then(|x| x.get("action")?.as_str().map(str::to_string))
        });
        let approval = newest(&self.recovery.decisions, "approval_state").or(planned);
        let dash = || "—".to_string();
        (ack.unwrap_or_else(dash), approval.unwrap_or_else(dash))
    }
}

/// Pane 5: worker health, latest run, alert dashboard and alert history.
#[derive(Debug, Clone, Default)]
pub struct WorkerPane {
    pub health: Option<Json>,
    pub run: Option<Json>,
    pub alerts: Option<Json>,
    pub history: Option<Json>,
    pub runs: Option<Json>,
    pub dashboard: Option<Json>,
    /// 0: acknowledgements owed; 1: worker runs (`v` switches).
    pub view: usize,
    pub cursor: ListCursor,
    pub stale: bool,
}

impl WorkerPane {
    /// Alert acknowledgements still owed: `{health_id, provider, plan_id}`.
    pub fn outstanding(&self) -> Vec<Json> {
        crate::views::dashboards::owed(self.alerts.as_ref()).unwrap_or_default()
    }
}

/// Pane 6: the archive-reference health as last viewed (not recorded).
#[derive(Debug, Clone, Default)]
pub struct ArchivePane {
    pub health: Option<Json>,
    pub alerts: Option<Json>,
    pub board: Option<Json>,
    /// 0: health alerts; 1: archive alerts owed; 2: archive alert history (`v` cycles).
    pub view: usize,
    pub cursor: ListCursor,
    pub stale: bool,
}

/// Pane 1's second view: the routing history (every deliver and suppress decision).
#[derive(Debug, Clone, Default)]
pub struct RoutingView {
    pub on: bool,
    pub page: Option<Json>,
    pub cursor: ListCursor,
    pub stale: bool,
}

/// The objects of an array field.
pub fn objects(v: Option<&Json>, field: &str) -> Vec<Json> {
    v.and_then(|o| o.get(field))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_object).cloned().collect())
        .unwrap_or_default()
}
