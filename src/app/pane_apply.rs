//! Applying the outcomes of panes 2–6: pane loads (stale results dropped, failures keep the old
//! data marked stale) and recording actions (what happened, said exactly, with a report: an
//! answer that does not show its record, or deliveries not seen, are OUTCOME UNKNOWN).

use serde_json::Value;

use super::effect::Effect;
use super::overlay::Overlay;
use super::panes::PaneData;
use super::{App, Pane};
use crate::actions::Acted;
use crate::backend::{BackendError, Json};
use crate::views::facts::{self, object, text};

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
                    (Some(health), run, alerts, history, false);
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
                // An answer without the record would read as one with its fields blank.
                let mut lines = match verdict.recorded() {
                    true => summarize(response),
                    false => vec![line.clone()],
                };
                lines.extend(verdict.lines());
                let done = if verdict.recorded() {
                    "recorded"
                } else {
                    "answered"
                };
                let heading = match verdict.heading() {
                    None => done.to_string(),
                    Some(h) => format!("{done} · {h}"),
                };
                (heading, lines, verdict.ok())
            }
            Acted::FoundStored {
                record,
                unseen_deliveries,
                ..
            } => (
                if *unseen_deliveries {
                    "recorded (answer lost, found on the server) · DELIVERY OUTCOME UNKNOWN"
                } else {
                    "recorded (found on the server by a re-read)"
                }
                .to_string(),
                vec![
                    line.clone(),
                    format!("record {} of {}", record.session_id(), record.created_at()),
                ],
                !*unseen_deliveries,
            ),
            Acted::NotStored { .. } => ("NOT recorded".to_string(), vec![line.clone()], false),
            Acted::Unknown { .. } => ("OUTCOME UNKNOWN".to_string(), vec![line.clone()], false),
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

/// A few readable lines about an action's response (its deliveries come from the verdict),
/// read with the views' field readers.
fn summarize(out: &Json) -> Vec<String> {
    let mut lines = Vec::new();
    let plan = object(out, "plan");
    if plan.contains_key("retry_decisions") {
        lines.push(format!(
            "retry plan {} ({})",
            text(&plan, "retry_plan_id"),
            text(&plan, "alert_level")
        ));
        lines.push(format!(
            "{} retry · {} wait · {} suppress",
            text(&plan, "retryable_count"),
            text(&plan, "waiting_count"),
            text(&plan, "suppressed_count")
        ));
    } else if plan.contains_key("health_id") {
        let list = |k: &str| plan.get(k).cloned().unwrap_or(Value::Null);
        lines.push(format!(
            "alert plan {} for health {} ({})",
            text(&plan, "plan_id"),
            text(&plan, "health_id"),
            text(&plan, "alert_level")
        ));
        lines.push(format!(
            "selected {} · suppressed {}",
            list("selected_providers"),
            list("suppressed_providers")
        ));
    }
    if let Some(run) = out.get("run").and_then(Value::as_object) {
        let (schedule, summary) = (object(run, "schedule"), object(run, "summary"));
        lines.push(format!(
            "{} {} · window {} .. {}",
            facts::run_mode(run),
            text(run, "run_id"),
            text(&schedule, "window_start"),
            text(&schedule, "window_end")
        ));
        lines.push(format!(
            "selected retries {} · follow-up actions {}",
            text(&summary, "selected_retry_count"),
            text(&summary, "follow_up_action_count")
        ));
    }
    if let Some(p) = out.get("delivery_plan").and_then(Value::as_object) {
        lines.push(format!(
            "audit {} · delivery {} · cadence {}",
            text(p, "audit_id"),
            text(p, "delivery_id"),
            text(p, "cadence")
        ));
    }
    if let Some(a) = out.get("acknowledgement").and_then(Value::as_object) {
        // Name what was recorded: the state, for which provider and item, by whom, when.
        lines.push(facts::acknowledgement_line(out));
        lines.push(format!(
            "at {}{}",
            crate::domain::time::short(&text(a, "acknowledged_at")),
            match text(a, "retry_plan_id") {
                p if p.is_empty() => String::new(),
                p => format!(" · retry plan {p}"),
            }
        ));
    }
    let health = object(out, "health");
    if health.contains_key("checked_export_count") {
        lines.push(format!(
            "archive health {} ({}) · {} alerts",
            text(&health, "health_id"),
            text(&health, "alert_level"),
            text(&health, "alert_count")
        ));
    }
    lines.extend(super::recovery_keys::summary_lines(out));
    if lines.is_empty() {
        lines.push("recorded".into());
    }
    lines
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::actions::verdict::Verdict;
    use crate::actions::{Acted, defaults, expected::expected};
    use crate::app::effect::Outcome;
    use crate::app::overlay::Overlay;
    use crate::app::tests::{blank_app, last_notice};
    use crate::domain::Record;
    use crate::pane::Pane;

    /// Applies `acted` for `title`: the report's title and lines, the notice, and whether the
    /// notice is an error.
    fn shown(title: &str, acted: Acted) -> (String, Vec<String>, String, bool) {
        let mut a = blank_app();
        let (title, pane) = (title.to_string(), Pane::Worker);
        a.apply(Outcome::Acted {
            title,
            pane,
            result: Ok(acted),
        });
        let Some(Overlay::Report { title, lines, .. }) = a.overlay.clone() else {
            panic!("no report: {:?}", a.overlay)
        };
        let error = a.notices.last().unwrap().error;
        (title, lines, last_notice(&a).to_string(), error)
    }

    fn found(unseen_deliveries: bool) -> Acted {
        let record = json!({"session_id": "gordackworker-1", "created_at": "2026-05-20T10:45:00Z"});
        Acted::FoundStored {
            record: Record(record.as_object().unwrap().clone()),
            lost: "connection closed".into(),
            unseen_deliveries,
        }
    }

    #[test]
    fn a_found_execute_retry_whose_deliveries_were_not_seen_is_outcome_unknown() {
        let (title, lines, notice, error) = shown("Execute Retry", found(true));
        assert_eq!(
            title,
            "Execute Retry · recorded (answer lost, found on the server) · DELIVERY OUTCOME UNKNOWN"
        );
        assert!(error, "an unknown outcome is not shown as a success");
        assert!(
            notice.contains("recorded, but the delivery outcomes were not seen")
                && notice.contains("`cavra-tui history`"),
            "{notice}"
        );
        assert_eq!(lines[0], notice);
        // A plan delivers nothing: found is all there is to know.
        let (title, _, notice, error) = shown("Plan Audit Retry", found(false));
        assert_eq!(
            title,
            "Plan Audit Retry · recorded (found on the server by a re-read)"
        );
        assert!(!error && !notice.contains("not seen"), "{notice}");
    }

    #[test]
    fn an_answer_without_its_record_or_delivery_part_is_outcome_unknown() {
        let answered = |action: &crate::actions::PaneAction| {
            let response = json!({}).as_object().unwrap().clone();
            let verdict = Verdict::answer(&response, expected(action));
            Acted::Answered { response, verdict }
        };
        let ack = crate::actions::PaneAction::AckRetry(Default::default());
        let (title, lines, notice, error) = shown("Ack Retry", answered(&ack));
        assert_eq!(
            title,
            "Ack Retry · answered · RECORD NOT SHOWN · OUTCOME UNKNOWN"
        );
        assert!(error);
        assert!(
            notice.starts_with("Ack Retry: answered, but the answer did not show the record"),
            "{notice}"
        );
        assert!(
            !lines
                .iter()
                .any(|l| l == "recorded" || l.contains("recorded  for")),
            "no blank record is shown as recorded: {lines:?}"
        );
        let (title, lines, _, error) =
            shown("Execute Retry", answered(&defaults::execute_retry("a")));
        assert_eq!(
            title,
            "Execute Retry · answered · RECORD NOT SHOWN · OUTCOME UNKNOWN"
        );
        assert!(error);
        assert!(
            lines.iter().any(|l| l.contains(
                "? the answer does not say which retries went out: it has no `retry_results`"
            )),
            "{lines:?}"
        );
    }
}
