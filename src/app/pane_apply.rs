//! Applying the outcomes of panes 2–6: pane loads (stale results dropped, failures keep the old
//! data marked stale) and recording actions (what happened, said exactly, with a report).

use serde_json::Value;

use super::effect::Effect;
use super::overlay::Overlay;
use super::panes::PaneData;
use super::{App, Pane};
use crate::actions::Acted;
use crate::backend::{BackendError, Json};

impl App {
    pub(super) fn apply_pane(
        &mut self,
        pane: Pane,
        seq: u64,
        result: Result<PaneData, BackendError>,
    ) {
        let i = pane.index();
        if seq < self.pane_applied[i] {
            return;
        }
        self.pane_applied[i] = seq;
        let data = match result {
            Ok(d) => d,
            Err(e) => {
                match pane {
                    Pane::Routes => self.routing.stale = true,
                    Pane::Health => self.health.stale = true,
                    Pane::History => self.history.stale = true,
                    Pane::Retry => self.retry.stale = true,
                    Pane::Worker => self.worker.stale = true,
                    Pane::Archive => self.archive.stale = true,
                }
                self.failed_again(super::route_sync::REFRESH_FAILED, &e);
                return;
            }
        };
        self.last_refresh = Some(chrono::Utc::now());
        self.recovered(super::route_sync::REFRESH_FAILED);
        match data {
            PaneData::Health { dashboard, records } => {
                self.health = super::panes::HealthPane {
                    dashboard: Some(dashboard),
                    records,
                    stale: false,
                }
            }
            PaneData::History(page) => self.history.set_page(&page),
            PaneData::Retry {
                audit,
                auditor,
                recovery,
            } => {
                self.retry.audit = audit;
                self.retry.auditor = auditor;
                self.retry.recovery = *recovery;
                self.retry.loaded = true;
                self.retry.stale = false;
                self.recount(Pane::Retry);
            }
            PaneData::Worker {
                health,
                run,
                alerts,
                history,
                runs,
                dashboard,
            } => {
                let w = &mut self.worker;
                (w.health, w.run, w.alerts, w.history, w.stale) =
                    (Some(health), run, Some(alerts), Some(history), false);
                (w.runs, w.dashboard) = (runs, dashboard);
                self.recount(Pane::Worker);
            }
            PaneData::Archive {
                health,
                alerts,
                board,
            } => {
                let a = &mut self.archive;
                (a.health, a.alerts, a.board, a.stale) = (Some(health), alerts, board, false);
                self.recount(Pane::Archive);
            }
            PaneData::Routing(page) => {
                self.routing.page = Some(page);
                self.routing.stale = false;
                self.recount(Pane::Routes);
            }
        }
    }

    pub(super) fn apply_acted(
        &mut self,
        title: String,
        pane: Pane,
        result: Result<Acted, BackendError>,
    ) -> Vec<Effect> {
        let acted = match result {
            Ok(a) => a,
            Err(e) => {
                self.error(format!("{title} failed, nothing recorded: {e}"));
                return Vec::new();
            }
        };
        let line = acted.summary(&title);
        let (heading, lines, fine) = match &acted {
            Acted::Answered { response, verdict } => {
                let mut lines = summarize(response);
                lines.extend(verdict.lines());
                let heading = if verdict.ok() {
                    "recorded"
                } else {
                    "recorded · DELIVERY FAILED"
                };
                (heading, lines, verdict.ok())
            }
            Acted::FoundStored { record, .. } => (
                "recorded (answer lost, found on the server)",
                vec![
                    line.clone(),
                    format!("record {} of {}", record.session_id(), record.created_at()),
                ],
                true,
            ),
            Acted::NotStored { .. } => ("NOT recorded", vec![line.clone()], false),
            Acted::Unknown { .. } => ("OUTCOME UNKNOWN", vec![line.clone()], false),
        };
        if fine {
            self.info(line);
        } else {
            self.error(line);
        }
        self.overlay = Some(Overlay::Report {
            title: format!("{title} · {heading}"),
            lines,
            scroll: 0,
        });
        if self.pane == pane && acted.stored() != Some(false) {
            self.load_pane(pane)
        } else {
            Vec::new()
        }
    }
}

/// A few readable lines about an action's response (its deliveries come from the verdict).
fn summarize(out: &Json) -> Vec<String> {
    let mut lines = Vec::new();
    let s = |v: &Value, k: &str| {
        v.get(k)
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| x.to_string())
            })
            .unwrap_or_default()
    };
    if let Some(plan) = out
        .get("plan")
        .filter(|p| p.get("retry_decisions").is_some())
    {
        lines.push(format!(
            "retry plan {} ({})",
            s(plan, "retry_plan_id"),
            s(plan, "alert_level")
        ));
        lines.push(format!(
            "{} retry · {} wait · {} suppress",
            s(plan, "retryable_count"),
            s(plan, "waiting_count"),
            s(plan, "suppressed_count")
        ));
    }
    if let Some(run) = out.get("run") {
        lines.push(format!(
            "dry run {} · window {} .. {}",
            s(run, "run_id"),
            s(&run["schedule"], "window_start"),
            s(&run["schedule"], "window_end")
        ));
        lines.push(format!(
            "selected retries {} · follow-up actions {}",
            s(&run["summary"], "selected_retry_count"),
            s(&run["summary"], "follow_up_action_count")
        ));
    }
    if let Some(plan) = out
        .get("plan")
        .filter(|p| p.get("health_id").is_some() && p.get("retry_decisions").is_none())
    {
        lines.push(format!(
            "alert plan {} for health {} ({})",
            s(plan, "plan_id"),
            s(plan, "health_id"),
            s(plan, "alert_level")
        ));
        lines.push(format!(
            "selected {} · suppressed {}",
            plan["selected_providers"], plan["suppressed_providers"]
        ));
    }
    if let Some(p) = out.get("delivery_plan") {
        lines.push(format!(
            "audit {} · delivery {} · cadence {}",
            s(p, "audit_id"),
            s(p, "delivery_id"),
            s(p, "cadence")
        ));
    }
    if let Some(a) = out.get("acknowledgement") {
        // Name what was recorded: the state, for which provider and item, by whom, when.
        lines.push(crate::views::facts::acknowledgement_line(out));
        lines.push(format!(
            "at {}{}",
            crate::domain::time::short(&s(a, "acknowledged_at")),
            match s(a, "retry_plan_id") {
                p if p.is_empty() => String::new(),
                p => format!(" · retry plan {p}"),
            }
        ));
    }
    if let Some(h) = out
        .get("health")
        .filter(|h| h.get("checked_export_count").is_some())
    {
        lines.push(format!(
            "archive health {} ({}) · {} alerts",
            s(h, "health_id"),
            s(h, "alert_level"),
            s(h, "alert_count")
        ));
    }
    lines.extend(super::recovery_keys::summary_lines(out));
    if lines.is_empty() {
        lines.push("recorded".into());
    }
    lines
}
