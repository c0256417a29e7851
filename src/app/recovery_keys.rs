//! Pane 4's keys: retry plans and Ack Retry, retry execution approvals (Plan Retry Approval,
//! approve / deny / defer / expire the cursor's decision) and connector recovery (Recovery
//! Playbook, Close Recovery, the Retry Recovery report); and the lines a result report shows
//! for these actions and the worker runs (ids, states, each execution record).

use serde_json::Value;

use super::effect::Effect;
use super::pane_actions::PaneAction;
use super::{App, Pane};
use crate::actions::select::DecisionChoice;
use crate::actions::{choose, defaults, select};
use crate::backend::Json;
use crate::domain::approval::APPROVAL_STATE;
use crate::domain::retry_ack::RETRY_ACK_STATE;
use crate::keymap::Action;
use crate::views::facts::{entries, text};
use crate::views::summary;

/// A pane-4 action that needs no cursor: its key, its dialog's title, what it records, and
/// its request (with the web console's defaults) for the acting operator.
type PlainAction = (
    Action,
    &'static str,
    &'static [&'static str],
    fn(&str) -> PaneAction,
);

const PLAIN: [PlainAction; 5] = [
    (
        Action::PlanAuditRetry,
        "Plan Audit Retry",
        &["Records: a retry plan over failed acknowledgement audit deliveries"],
        |_| PaneAction::PlanAuditRetry(defaults::retry_policy()),
    ),
    (
        Action::PlanAuditorRetry,
        "Plan Auditor Retry",
        &["Records: a retry plan over failed final auditor export deliveries"],
        |_| PaneAction::PlanAuditorRetry(defaults::retry_policy()),
    ),
    (
        Action::PlanRetryApproval,
        "Plan Retry Approval",
        &[
            "Records: an approval plan over the retry decisions that could run (retry, wait)",
            "With retry ack required, a decision without an accepted retry ack waits for it",
        ],
        defaults::plan_retry_approval,
    ),
    (
        Action::RecoveryPlaybook,
        "Recovery Playbook",
        &["Records: a connector recovery playbook for providers with failed deliveries"],
        defaults::recovery_playbook,
    ),
    (
        Action::RecoveryReport,
        "Retry Recovery report",
        &["Records: a retry recovery report (recorded only on this key, never on refresh)"],
        defaults::retry_recovery_report,
    ),
];

impl App {
    /// Pane 4: retry decisions, their acks and approvals, and connector recovery.
    pub(super) fn on_retry_action(&mut self, action: Action) -> Vec<Effect> {
        if Self::move_cursor(&mut self.retry.cursor, action) {
            return Vec::new();
        }
        let by = self.acting_as();
        if let Some((_, title, lines, request)) = PLAIN.iter().find(|(a, ..)| *a == action) {
            return self.confirm_here(title, lines, request(&by));
        }
        match action {
            Action::AckRetry => self.confirm_ack_retry(&by),
            Action::DecideRetry => self.confirm_decide(&by),
            Action::CloseRecovery => self.confirm_close(&by),
            other => self.on_list_action(Pane::Retry, other),
        }
    }

    fn confirm_ack_retry(&mut self, by: &str) -> Vec<Effect> {
        let (Some(plan), Some(d)) = (self.retry.audit.clone(), self.selected_item(Pane::Retry))
        else {
            self.info("no retry decision here: press p to plan audit retries first");
            return Vec::new();
        };
        let input = select::retry_ack(&plan, &d, "accepted", by);
        let action = text(&d, "action");
        let preview = vec![
            self.where_line(),
            format!(
                "Retry plan {} · {action} {} on {}",
                input.retry_plan_id, input.provider, input.delivery_id
            ),
            format!(
                "Records: a retry acknowledgement by {by}; State: {}",
                RETRY_ACK_STATE.allowed()
            ),
        ];
        self.confirm("Ack Retry", preview, PaneAction::AckRetry(input))
    }

    /// Approve / deny / defer / expire: the ids of the cursor's decision in the latest
    /// approval plan.
    fn confirm_decide(&mut self, by: &str) -> Vec<Effect> {
        let Some(d) = self.selected_item(Pane::Retry) else {
            self.info("no retry decision here: press p to plan audit retries first");
            return Vec::new();
        };
        let Some(plan) = self.retry.recovery.approval.clone() else {
            self.info("no retry approval plan yet: press o to plan retry approvals first");
            return Vec::new();
        };
        let (p, del, aud) = (
            text(&d, "provider"),
            text(&d, "delivery_id"),
            text(&d, "audit_id"),
        );
        let some = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
        let (p, del, aud) = (some(&p), some(&del), some(&aud));
        let choice = DecisionChoice {
            provider: p.as_deref(),
            delivery_id: del.as_deref(),
            audit_id: aud.as_deref(),
        };
        let ad = match choose::approval_decision(&plan, &choice) {
            Ok(ad) => ad,
            Err(e) => {
                self.error(format!("{e} (press o to plan retry approvals again)"));
                return Vec::new();
            }
        };
        let input = choose::approval_input(&plan, &ad, "approved", by);
        let preview = vec![
            self.where_line(),
            format!(
                "Approval plan {} · {} delivery {} (audit {})",
                input.approval_plan_id, input.provider, input.delivery_id, input.audit_id
            ),
            format!(
                "The plan says: {} — {}",
                text(&ad, "action"),
                text(&ad, "reason")
            ),
            format!(
                "Records: a retry execution approval decision by {by}; State: {}",
                APPROVAL_STATE.allowed()
            ),
        ];
        self.confirm(
            "Decide Retry Approval",
            preview,
            PaneAction::DecideRetryApproval(input),
        )
    }

    /// Close Recovery: the cursor decision's provider in the latest playbook, with up to
    /// three of that provider's execution ids as verification references.
    fn confirm_close(&mut self, by: &str) -> Vec<Effect> {
        let Some(pb) = self.retry.recovery.playbook.clone() else {
            self.info("no recovery playbook yet: press b to record one first");
            return Vec::new();
        };
        let provider = self
            .selected_item(Pane::Retry)
            .map(|d| text(&d, "provider"))
            .filter(|p| !p.is_empty());
        let input = match choose::closure(
            &pb,
            provider.as_deref(),
            &self.retry.recovery.executions,
            "resolved",
            by,
        ) {
            Ok(i) => i,
            Err(e) => {
                self.error(e.to_string());
                return Vec::new();
            }
        };
        let refs = if input.verification_refs.is_empty() {
            "none (no execution of this provider yet)".to_string()
        } else {
            input.verification_refs.join(", ")
        };
        let preview = vec![
            self.where_line(),
            format!(
                "Playbook {} · provider {}",
                input.playbook_id, input.provider
            ),
            format!("Verification refs: {refs}"),
            format!("Records: a connector recovery closure by {by}"),
        ];
        self.confirm("Close Recovery", preview, PaneAction::CloseRecovery(input))
    }
}

/// Report lines for the issue-12 answers: each record recorded, in the words the CLI prints it
/// with (`views::summary`), and each execution record of a worker run (provider, status,
/// success; a skip with its reason).
pub(super) fn summary_lines(out: &Json) -> Vec<String> {
    let mut lines: Vec<String> = summary::RECORDED
        .iter()
        .filter_map(|s| Some(s.line(&s.found_in(out)?, str::to_string)))
        .collect();
    for r in entries(out, "retry_results").filter_map(Value::as_object) {
        match r.get("execution_record").and_then(Value::as_object) {
            Some(e) => {
                let ok = e.get("delivery_success") == Some(&Value::Bool(true));
                let skipped = text(e, "skipped");
                lines.push(format!(
                    "execution {} · {} · {} · {}{}",
                    text(e, "execution_id"),
                    text(e, "provider"),
                    text(e, "execution_status"),
                    if ok { "success" } else { "FAILED" },
                    if skipped.is_empty() {
                        String::new()
                    } else {
                        format!(" ({skipped})")
                    }
                ));
            }
            None => {
                let d = r.get("decision").and_then(Value::as_object);
                lines.push(format!(
                    "not executed · {} · skipped: {}",
                    d.map(|d| text(d, "provider")).unwrap_or_default(),
                    text(r, "skipped")
                ));
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::summary_lines;
    use serde_json::json;

    #[test]
    fn the_report_says_each_record_in_the_cli_words_and_each_execution() {
        let answer = json!({
            "decision": {"decision_id": "D1", "provider": "jira", "approval_state": "approved",
                "delivery_id": "d1", "audit_id": "a1", "approval_plan_id": "AP1"},
            "plan": {"plan_id": "not an approval plan"},
            "retry_results": [
                {"execution_record": {"execution_id": "E1", "provider": "jira",
                    "execution_status": "sent", "delivery_success": true}},
                {"decision": {"provider": "slack"}, "skipped": "not_approved"},
            ],
        });
        let lines = summary_lines(answer.as_object().unwrap());
        assert_eq!(
            lines,
            [
                "jira approved: D1 (delivery d1, audit a1, plan AP1)",
                "execution E1 · jira · sent · success",
                "not executed · slack · skipped: not_approved",
            ]
        );
    }
}
