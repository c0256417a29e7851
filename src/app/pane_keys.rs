//! Keys of panes 2–6, each pane its own handler: cursors, the history filter and pages, and
//! the recording actions (each behind a confirmation that says what it records and where).

use serde_json::Value;

use super::dialog::ConfirmDialog;
use super::effect::Effect;
use super::overlay::Overlay;
use super::pane_actions::PaneAction;
use super::panes::ListCursor;
use super::routes::FilterInput;
use super::{App, Pane};
use crate::actions::{defaults, select};
use crate::domain::history_filter::HistoryFilter;
use crate::keymap::Action;

impl App {
    /// Moves a list cursor for the movement actions; true when the action was one.
    fn move_cursor(cursor: &mut ListCursor, action: Action) -> bool {
        match action {
            Action::Up => cursor.move_by(-1),
            Action::Down => cursor.move_by(1),
            Action::PageUp | Action::HalfPageUp => cursor.move_by(-10),
            Action::PageDown | Action::HalfPageDown => cursor.move_by(10),
            Action::Top => cursor.move_to(0),
            Action::Bottom => cursor.move_to(usize::MAX),
            _ => return false,
        }
        true
    }

    /// Pane 2: the cards scroll (nothing to select or record here).
    pub(super) fn on_health_action(&mut self, action: Action) -> Vec<Effect> {
        self.scroll_pane(action);
        Vec::new()
    }

    /// Pane 3: the history list, its filter and pages, and Deliver Ack Audit.
    pub(super) fn on_history_action(&mut self, action: Action) -> Vec<Effect> {
        if Self::move_cursor(&mut self.history.cursor, action) {
            return Vec::new();
        }
        match action {
            Action::Filter => {
                self.history.input = Some(FilterInput {
                    text: self.history.filter.to_string(),
                    error: None,
                });
                Vec::new()
            }
            Action::Back if !self.history.filter.is_empty() => self.set_history_filter(""),
            Action::NextPage => {
                if self.history.offset + self.history.limit < self.history.total {
                    self.history.offset += self.history.limit;
                    self.history.cursor.move_to(0);
                }
                self.load_pane(Pane::History)
            }
            Action::PrevPage => {
                self.history.offset = self.history.offset.saturating_sub(self.history.limit);
                self.history.cursor.move_to(0);
                self.load_pane(Pane::History)
            }
            Action::Detail | Action::RawJson => {
                if let Some(r) = self.history.selected().cloned() {
                    self.overlay = Some(if action == Action::RawJson {
                        Overlay::record_json(&r)
                    } else {
                        Overlay::Record {
                            record: Box::new(r),
                            scroll: 0,
                        }
                    });
                }
                Vec::new()
            }
            Action::DeliverAudit => {
                let by = self.acting_as();
                let scope = crate::ops::audit_scope(&self.routes.filter);
                let preview = vec![
                    self.where_line(),
                    format!("Package scope (the routes filter): {}", scope.describe()),
                    format!("Records: an audit package, a delivery plan and {}", self.delivery_words()),
                    "Destinations: splunk, sentinel, datadog, jira, servicenow, slack, teams, webhook, or all".into(),
                ];
                self.confirm(
                    "Deliver Ack Audit",
                    preview,
                    defaults::deliver_audit(scope, defaults::AUDIT_DESTINATION, &by),
                )
            }
            _ => Vec::new(),
        }
    }

    /// Pane 4: retry decisions, Plan Audit Retry, Plan Auditor Retry, Ack Retry.
    pub(super) fn on_retry_action(&mut self, action: Action) -> Vec<Effect> {
        if Self::move_cursor(&mut self.retry.cursor, action) {
            return Vec::new();
        }
        let by = self.acting_as();
        match action {
            Action::PlanAuditRetry => self.confirm(
                "Plan Audit Retry",
                vec![
                    self.where_line(),
                    "Records: a retry plan over failed acknowledgement audit deliveries".into(),
                ],
                PaneAction::PlanAuditRetry(defaults::retry_policy()),
            ),
            Action::PlanAuditorRetry => self.confirm(
                "Plan Auditor Retry",
                vec![
                    self.where_line(),
                    "Records: a retry plan over failed final auditor export deliveries".into(),
                ],
                PaneAction::PlanAuditorRetry(defaults::retry_policy()),
            ),
            Action::AckRetry => self.confirm_ack_retry(&by),
            other => self.on_list_action(Pane::Retry, other),
        }
    }

    /// Pane 5: outstanding alerts, Run Audit Worker, Send Worker Alert, alert acknowledgement.
    pub(super) fn on_worker_action(&mut self, action: Action) -> Vec<Effect> {
        // j/k move the alert cursor; the page keys scroll the pane.
        if matches!(action, Action::Up | Action::Down) {
            Self::move_cursor(&mut self.worker.cursor, action);
            return Vec::new();
        }
        if self.scroll_pane(action) {
            return Vec::new();
        }
        let by = self.acting_as();
        match action {
            Action::RunWorker => self.confirm(
                "Run Audit Worker (dry run)",
                vec![
                    self.where_line(),
                    "Records: a worker run, its retry plan and delivery plans for selected retries"
                        .into(),
                    "Sends nothing: a dry run (immediate-retry policy, as the web console)".into(),
                ],
                defaults::run_worker(&by),
            ),
            Action::SendWorkerAlert => self.confirm(
                "Send Worker Alert",
                vec![
                    self.where_line(),
                    format!(
                        "Records: an alert plan and {} to the provider (or a comma list, or all)",
                        self.delivery_words()
                    ),
                ],
                defaults::send_alert(defaults::ALERT_PROVIDER, &by),
            ),
            Action::AckWorkerAlert => self.confirm_ack_alert(&by),
            other => self.on_list_action(Pane::Worker, other),
        }
    }

    /// Pane 6: archive alerts and the explicit Check archive health.
    pub(super) fn on_archive_action(&mut self, action: Action) -> Vec<Effect> {
        if matches!(action, Action::Up | Action::Down) {
            Self::move_cursor(&mut self.archive.cursor, action);
            return Vec::new();
        }
        if self.scroll_pane(action) {
            return Vec::new();
        }
        match action {
            Action::CheckArchive => {
                let by = self.acting_as();
                self.confirm(
                    "Check archive health",
                    vec![self.where_line(), "Records: an archive-reference health report (viewing this pane records nothing)".into()],
                    defaults::check_archive(Default::default(), &by),
                )
            }
            other => self.on_list_action(Pane::Archive, other),
        }
    }

    /// What every list pane does alike: `/` filters live, Esc clears the filter, Enter shows
    /// the selected item's fields and `J` its raw JSON.
    fn on_list_action(&mut self, pane: Pane, action: Action) -> Vec<Effect> {
        match action {
            Action::Filter => {
                self.list_input = Some(FilterInput {
                    text: self.list_filters.get(pane).to_string(),
                    error: None,
                })
            }
            Action::Back => {
                self.list_filters.set(pane, "");
                self.recount(pane);
            }
            Action::Detail => self.open_item(pane, false),
            Action::RawJson => self.open_item(pane, true),
            _ => {}
        }
        Vec::new()
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
        let (Some(plan), Some(d)) = (self.retry.audit.clone(), self.selected_item(Pane::Retry))
        else {
            self.info("no retry decision here: press p to plan audit retries first");
            return Vec::new();
        };
        let input = select::retry_ack(&plan, &d, "accepted", by);
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
        let Some(o) = self.selected_item(Pane::Worker) else {
            self.info("no outstanding worker alert: press l to send one");
            return Vec::new();
        };
        let input = select::alert_ack(&o, "acknowledged", by);
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
                self.load_pane(Pane::History)
            }
            Err(e) => {
                self.error(format!("history filter not applied: {e}"));
                Vec::new()
            }
        }
    }
}
