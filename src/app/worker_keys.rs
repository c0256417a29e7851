//! Keys of panes 5 and 6. Pane 5: owed worker alerts or the worker runs (`v` switches), Run
//! Audit Worker, Execute Retry (its preview read first), Send Worker Alert, alert ack. Pane 6:
//! health alerts, archive alerts owed or sent (`v` cycles), Check archive health, the auditor
//! retry worker (dry run, execute), Send Archive Alert and Ack Archive Alert.

use super::effect::Effect;
use super::pane_actions::PaneAction;
use super::{App, Pane};
use crate::actions::{defaults, select};
use crate::domain::worker_alerts::{ALERT_ACK_STATE, AlertAckInput};
use crate::keymap::Action;

impl App {
    /// Panes 5 and 6: j/k move the list cursor, the page keys scroll the pane; true when the
    /// action was one of those.
    fn move_or_scroll(&mut self, pane: Pane, action: Action) -> bool {
        if matches!(action, Action::Up | Action::Down) {
            let cursor = match pane {
                Pane::Archive => &mut self.archive.cursor,
                _ => &mut self.worker.cursor,
            };
            return Self::move_cursor(cursor, action);
        }
        self.scroll_pane(action)
    }

    /// Pane 5: outstanding alerts or runs, the worker, Execute Retry, worker alerts.
    pub(super) fn on_worker_action(&mut self, action: Action) -> Vec<Effect> {
        if self.move_or_scroll(Pane::Worker, action) {
            return Vec::new();
        }
        let by = self.acting_as();
        match action {
            Action::ToggleView => self.show_view(Pane::Worker, None),
            Action::RunWorker => self.confirm_here(
                "Run Audit Worker (dry run)",
                &[
                    "Records: a worker run, its retry plan and delivery plans for selected retries",
                    "Sends nothing: a dry run (immediate-retry policy, as the web console)",
                ],
                defaults::run_worker(&by),
            ),
            Action::ExecuteRetry => {
                self.preview_first("Execute Retry", defaults::execute_retry(&by))
            }
            Action::SendWorkerAlert => self.confirm_send_alert(Pane::Worker, &by),
            Action::AckWorkerAlert => self.confirm_alert_ack(Pane::Worker, &by),
            other => self.on_list_action(Pane::Worker, other),
        }
    }

    /// Pane 6: archive health and alerts, the auditor retry worker, archive alerts.
    pub(super) fn on_archive_action(&mut self, action: Action) -> Vec<Effect> {
        if self.move_or_scroll(Pane::Archive, action) {
            return Vec::new();
        }
        let by = self.acting_as();
        match action {
            Action::ToggleView => self.show_view(Pane::Archive, None),
            Action::CheckArchive => self.confirm_here(
                "Check archive health",
                &[
                    "Records: an archive-reference health report (viewing this pane records nothing)",
                ],
                defaults::check_archive(Default::default(), &by),
            ),
            Action::AuditorRetryDryRun | Action::AuditorRetryExecute => {
                let execute = action == Action::AuditorRetryExecute;
                let what = if execute {
                    format!(
                        "Re-sends each selected auditor export: {} (skips: auditor_export_not_found, connector_config_not_configured)",
                        self.delivery_words()
                    )
                } else {
                    "Sends nothing: a dry run (each selected retry is skipped: dry_run)".into()
                };
                let act = defaults::run_auditor_worker(execute, &by);
                let title = act.title();
                self.confirm_here(
                    title,
                    &[
                        "Records: an auditor-export retry worker run and its retry plan",
                        &what,
                    ],
                    act,
                )
            }
            Action::SendArchiveAlert => self.confirm_send_alert(Pane::Archive, &by),
            Action::AckArchiveAlert => self.confirm_alert_ack(Pane::Archive, &by),
            other => self.on_list_action(Pane::Archive, other),
        }
    }

    /// The view pane 5 (0: alerts owed, 1: runs) or pane 6 (0: health alerts, 1: alerts owed,
    /// 2: alert history) shows.
    fn view_of(&self, pane: Pane) -> usize {
        match pane {
            Pane::Archive => self.archive.view,
            _ => self.worker.view,
        }
    }

    /// Shows view `to` of pane 5 or 6 (`None`: the next one, `v`), from its top.
    fn show_view(&mut self, pane: Pane, to: Option<usize>) -> Vec<Effect> {
        let (view, cursor, views) = match pane {
            Pane::Archive => (&mut self.archive.view, &mut self.archive.cursor, 3),
            _ => (&mut self.worker.view, &mut self.worker.cursor, 2),
        };
        *view = to.unwrap_or((*view + 1) % views);
        cursor.move_to(0);
        self.recount(pane);
        Vec::new()
    }

    /// Why pane 5 or 6 has no owed alert at the cursor: the dashboard was never read (or its
    /// server lacks it), its list of owed alerts is unreadable, the filter hides them, or none
    /// is owed (`none`) — said apart, so "not read" never reads as "nothing owed".
    fn why_no_owed_alert(&self, pane: Pane, none: &str) -> String {
        let (board, stale) = match pane {
            Pane::Archive => (self.archive.board.as_ref(), self.archive.stale),
            _ => (self.worker.alerts.as_ref(), self.worker.stale),
        };
        let Some(board) = board else {
            return "the alert dashboard has not been read (not loaded yet, or the server did \
                    not answer): press ctrl-r to read it; nothing was sent"
                .into();
        };
        if crate::views::dashboards::owed(Some(board)).is_none() {
            return "the alert dashboard's answer has no readable list of owed alerts: nothing \
                    was sent"
                .into();
        }
        if self.visible_items(pane).1 > 0 {
            return "no owed alert matches the filter: press esc to clear it".into();
        }
        match stale {
            true => format!("{none} (as of the last read: the refresh failed, press ctrl-r)"),
            false => none.into(),
        }
    }

    /// Send Worker Alert (pane 5) or Send Archive Alert (pane 6), to the default provider.
    fn confirm_send_alert(&mut self, pane: Pane, by: &str) -> Vec<Effect> {
        let (title, plan, act) = match pane {
            Pane::Archive => (
                "Send Archive Alert",
                "an archive alert plan",
                defaults::send_archive_alert(defaults::ALERT_PROVIDER, by),
            ),
            _ => (
                "Send Worker Alert",
                "an alert plan",
                defaults::send_alert(defaults::ALERT_PROVIDER, by),
            ),
        };
        let records = format!(
            "Records: {plan} and {} to the provider (or a comma list, or all)",
            self.delivery_words()
        );
        self.confirm_here(title, &[&records], act)
    }

    /// Ack Worker Alert (pane 5) or Ack Archive Alert (pane 6): the cursor's owed alert with
    /// its own plan (the alert dashboard's); from another view, first the alerts owed.
    fn confirm_alert_ack(&mut self, pane: Pane, by: &str) -> Vec<Effect> {
        type Act = fn(AlertAckInput) -> PaneAction;
        let (owed_view, none, name, title, act): (usize, &str, &str, &str, Act) = match pane {
            Pane::Archive => (
                1,
                "no archive alert owed: press l to send one",
                "Archive alert",
                "Ack Archive Alert",
                PaneAction::AckArchiveAlert,
            ),
            _ => (
                0,
                "no outstanding worker alert: press l to send one",
                "Alert",
                "Acknowledge worker alert",
                PaneAction::AckAlert,
            ),
        };
        if self.view_of(pane) != owed_view {
            self.show_view(pane, Some(owed_view));
            let what = name.to_lowercase();
            self.info(format!(
                "showing the {what}s owed: press a to acknowledge the cursor's"
            ));
            return Vec::new();
        }
        let Some(o) = self.selected_item(pane) else {
            let why = self.why_no_owed_alert(pane, none);
            self.info(why);
            return Vec::new();
        };
        let input = select::alert_ack(&o, "acknowledged", by);
        let preview = vec![
            self.where_line(),
            format!(
                "{name} {} to {} (plan {})",
                input.health_id, input.provider, input.plan_id
            ),
            format!(
                "Records: an {} acknowledgement by {by}; State: {}",
                name.to_lowercase(),
                ALERT_ACK_STATE.allowed()
            ),
        ];
        self.confirm(title, preview, act(input))
    }
}
