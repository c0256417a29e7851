//! Keys and outcomes of panes 2–6: cursors, the history filter and pages, and the recording
//! actions (each behind a confirmation that says what it records and where).

use serde_json::Value;

use super::App;
use super::dialog::ConfirmDialog;
use super::effect::Effect;
use super::overlay::Overlay;
use super::pane_actions::PaneAction;
use super::panes::PaneData;
use super::routes::FilterInput;
use crate::actions::{Acted, defaults, select};
use crate::backend::Json;
use crate::domain::history_filter::HistoryFilter;
use crate::keymap::Action;

impl App {
    /// Handles an action on panes 2–6; `None` lets the global handling take it.
    pub(super) fn on_pane_action(&mut self, action: Action) -> Option<Vec<Effect>> {
        let by = self.acting_as();
        let step = match action {
            Action::Up => -1,
            Action::Down => 1,
            Action::PageUp | Action::HalfPageUp => -10,
            Action::PageDown | Action::HalfPageDown => 10,
            _ => 0,
        };
        if step != 0 || matches!(action, Action::Top | Action::Bottom) {
            let cursor = match self.pane {
                3 => &mut self.history.cursor,
                4 => &mut self.retry.cursor,
                5 => &mut self.worker.cursor,
                6 => &mut self.archive.cursor,
                _ => return Some(Vec::new()),
            };
            match action {
                Action::Top => cursor.move_to(0),
                Action::Bottom => cursor.move_to(usize::MAX),
                _ => cursor.move_by(step),
            }
            return Some(Vec::new());
        }
        let effects = match (self.pane, action) {
            (3, Action::Filter) => {
                self.history.input = Some(FilterInput { text: self.history.filter.to_string(), error: None });
                Vec::new()
            }
            (3, Action::Back) if !self.notices.iter().any(|n| n.error) && !self.history.filter.is_empty() => {
                self.set_history_filter("")
            }
            (3, Action::NextPage) => {
                if self.history.offset + self.history.limit < self.history.total {
                    self.history.offset += self.history.limit;
                    self.history.cursor.move_to(0);
                }
                self.load_pane(3)
            }
            (3, Action::PrevPage) => {
                self.history.offset = self.history.offset.saturating_sub(self.history.limit);
                self.history.cursor.move_to(0);
                self.load_pane(3)
            }
            (3, Action::Detail | Action::RawJson) => {
                if let Some(r) = self.history.selected().cloned() {
                    self.overlay = Some(if action == Action::RawJson {
                        Overlay::record_json(&r)
                    } else {
                        Overlay::Record { record: Box::new(r), scroll: 0 }
                    });
                }
                Vec::new()
            }
            (3, Action::DeliverAudit) => {
                let scope = crate::ops::audit_scope(&self.routes.filter);
                let preview = vec![
                    self.where_line(),
                    format!("Package scope (the routes filter): {}", scope.describe()),
                    format!("Records: an audit package, a delivery plan and {}", self.delivery_words()),
                    "Destinations: splunk, sentinel, datadog, jira, servicenow, slack, teams, webhook, or all".into(),
                ];
                self.confirm("Deliver Ack Audit", preview, defaults::deliver_audit(scope, defaults::AUDIT_DESTINATION, &by))
            }
            (4, Action::PlanAuditRetry) => self.confirm(
                "Plan Audit Retry",
                vec![self.where_line(), "Records: a retry plan over failed acknowledgement audit deliveries".into()],
                PaneAction::PlanAuditRetry(defaults::retry_policy()),
            ),
            (4, Action::PlanAuditorRetry) => self.confirm(
                "Plan Auditor Retry",
                vec![self.where_line(), "Records: a retry plan over failed final auditor export deliveries".into()],
                PaneAction::PlanAuditorRetry(defaults::retry_policy()),
            ),
            (4, Action::AckRetry) => self.confirm_ack_retry(&by),
            (5, Action::RunWorker) => self.confirm(
                "Run Audit Worker (dry run)",
                vec![
                    self.where_line(),
                    "Records: a worker run, its retry plan and delivery plans for selected retries".into(),
                    "Sends nothing: a dry run (immediate-retry policy, as the web console)".into(),
                ],
                defaults::run_worker(&by),
            ),
            (5, Action::SendWorkerAlert) => self.confirm(
                "Send Worker Alert",
                vec![
                    self.where_line(),
                    format!("Records: an alert plan and {} to the provider (or a comma list, or all)", self.delivery_words()),
                ],
                defaults::send_alert(defaults::ALERT_PROVIDER, &by),
            ),
            (5, Action::AckWorkerAlert) => self.confirm_ack_alert(&by),
            (6, Action::CheckArchive) => self.confirm(
                "Check archive health",
                vec![self.where_line(), "Records: an archive-reference health report (viewing this pane records nothing)".into()],
                defaults::check_archive(Default::default(), &by),
            ),
            _ => return None,
        };
        Some(effects)
    }

    fn confirm(&mut self, title: &str, preview: Vec<String>, action: PaneAction) -> Vec<Effect> {
        if !self.may_record() {
            return Vec::new();
        }
        let fields = action.fields();
        let eff = Effect::Act {
            title: title.to_string(),
            action,
            actors: self.actors(),
        };
        self.overlay = Some(Overlay::Confirm(Box::new(ConfirmDialog::new(
            title, preview, fields, eff,
        ))));
        Vec::new()
    }

    fn confirm_ack_retry(&mut self, by: &str) -> Vec<Effect> {
        let decisions = self.retry.audit_decisions();
        let (Some(plan), Some(d)) = (
            self.retry.audit.clone(),
            decisions.get(self.retry.cursor.pos),
        ) else {
            self.info("no retry decision here: press p to plan audit retries first");
            return Vec::new();
        };
        let input = select::retry_ack(&plan, d, "accepted", by);
        let action = d.get("action").and_then(Value::as_str).unwrap_or("");
        let preview = vec![
            self.where_line(),
            format!(
                "Retry plan {} · {action} {} on {}",
                input.retry_plan_id, input.provider, input.delivery_id
            ),
            format!(
                "Records: a retry acknowledgement by {by}; State: accepted, deferred, escalated, resolved or dismissed"
            ),
        ];
        self.confirm("Ack Retry", preview, PaneAction::AckRetry(input))
    }

    fn confirm_ack_alert(&mut self, by: &str) -> Vec<Effect> {
        let outstanding = self.worker.outstanding();
        let Some(o) = outstanding.get(self.worker.cursor.pos) else {
            self.info("no outstanding worker alert: press l to send one");
            return Vec::new();
        };
        let input = select::alert_ack(o, "acknowledged", by);
        let preview = vec![
            self.where_line(),
            format!(
                "Alert {} to {} (plan {})",
                input.health_id, input.provider, input.plan_id
            ),
            format!(
                "Records: an alert acknowledgement by {by}; State: acknowledged, dismissed, escalated or resolved"
            ),
        ];
        self.confirm(
            "Acknowledge worker alert",
            preview,
            PaneAction::AckAlert(input),
        )
    }

    /// Applies a new history filter (the server filters) and reloads from the first page.
    pub(super) fn set_history_filter(&mut self, text: &str) -> Vec<Effect> {
        match HistoryFilter::parse(text) {
            Ok(f) => {
                self.history.filter = f;
                self.history.offset = 0;
                self.history.cursor.move_to(0);
                self.load_pane(3)
            }
            Err(e) => {
                self.error(format!("history filter not applied: {e}"));
                Vec::new()
            }
        }
    }

    pub(super) fn apply_pane(&mut self, pane: u8, seq: u64, result: Result<PaneData, String>) {
        let i = pane as usize;
        if seq < self.pane_applied[i] {
            return;
        }
        self.pane_applied[i] = seq;
        let data = match result {
            Ok(d) => d,
            Err(e) => {
                match pane {
                    2 => self.health.stale = true,
                    3 => self.history.stale = true,
                    4 => self.retry.stale = true,
                    5 => self.worker.stale = true,
                    _ => self.archive.stale = true,
                }
                self.error(format!("refresh failed, showing older data: {e}"));
                return;
            }
        };
        self.last_refresh = Some(chrono::Utc::now());
        match data {
            PaneData::Health { dashboard, records } => {
                self.health = super::panes::HealthPane {
                    dashboard: Some(dashboard),
                    records,
                    stale: false,
                }
            }
            PaneData::History(page) => self.history.set_page(&page),
            PaneData::Retry { audit, auditor } => {
                self.retry.audit = audit;
                self.retry.auditor = auditor;
                self.retry.loaded = true;
                self.retry.stale = false;
                let n = self.retry.audit_decisions().len();
                self.retry.cursor.set_len(n);
            }
            PaneData::Worker {
                health,
                run,
                alerts,
                history,
            } => {
                let w = &mut self.worker;
                (w.health, w.run, w.alerts, w.history, w.stale) =
                    (Some(health), run, Some(alerts), Some(history), false);
                let n = w.outstanding().len();
                w.cursor.set_len(n);
            }
            PaneData::Archive(h) => {
                let n = h
                    .get("alerts")
                    .and_then(Value::as_array)
                    .map(Vec::len)
                    .unwrap_or(0);
                self.archive.health = Some(h);
                self.archive.cursor.set_len(n);
                self.archive.stale = false;
            }
        }
    }

    pub(super) fn apply_acted(
        &mut self,
        title: String,
        pane: u8,
        result: Result<Acted, String>,
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
        lines.push(format!(
            "{} by {} at {}",
            s(a, "acknowledgement_state"),
            s(a, "acknowledged_by"),
            s(a, "acknowledged_at")
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
    if lines.is_empty() {
        lines.push("recorded".into());
    }
    lines
}
