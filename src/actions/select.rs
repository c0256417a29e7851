//! Ids come from the item the operator chose: a retry acknowledgement takes the decision of the
//! chosen provider in the chosen plan, an alert acknowledgement that alert's own plan. A choice
//! that names nothing is an error before anything is sent.

use crate::backend::{AlertAckInput, Json};
use crate::domain::retry::{RetryAckInput, normalise};
use crate::views::dashboards::owed;
use crate::views::facts::text;
use crate::views::rows::decisions;

/// The retry acknowledgement of one decision of `plan` (CONTRACT §4.9 body fields).
pub fn retry_ack(plan: &Json, decision: &Json, state: &str, by: &str) -> RetryAckInput {
    RetryAckInput {
        retry_plan_id: text(plan, "retry_plan_id"),
        provider: text(decision, "provider"),
        acknowledged_by: by.into(),
        state: state.into(),
        delivery_id: text(decision, "delivery_id"),
        audit_id: text(decision, "audit_id"),
        external_ref: String::new(),
        notes: String::new(),
    }
}

/// The chosen item names nothing to act on: said before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChoiceError {
    #[error("retry plan {plan} has no retry decision: run `cavra-tui retry plan --yes` first")]
    NoRetryDecision { plan: String },
    #[error("retry plan {plan} has no decision for {}: nothing was sent", named.join(", "))]
    NoDecisionFor { plan: String, named: Vec<String> },
    /// `alert` is `worker alert` or `archive alert`.
    #[error("no outstanding {alert}: nothing to acknowledge")]
    NoOutstandingAlert { alert: &'static str },
    #[error("the {alert} dashboard's answer has no readable list of owed alerts: nothing was sent")]
    OwedUnreadable { alert: &'static str },
    /// `named` is what the operator named (` health H` ` provider P`).
    #[error("no outstanding {alert} for{named}: give --plan-id to acknowledge it anyway")]
    NoOutstandingAlertFor { alert: &'static str, named: String },
    #[error(
        "approval plan {plan} has no decision: plan and acknowledge a retry first (`retry plan`, `retry ack`), then `retry approval plan`"
    )]
    NoApprovalDecision { plan: String },
    #[error("approval plan {plan} has no decision for that choice: nothing was sent")]
    NoApprovalDecisionForChoice { plan: String },
    #[error("playbook {playbook} has no provider {provider}: nothing was sent")]
    NoProvider { playbook: String, provider: String },
    #[error("playbook {playbook} lists no failing provider: nothing to close")]
    NoFailingProvider { playbook: String },
}

impl ChoiceError {
    /// The same error about the archive pane's alerts (the outstanding-alert look-up is shared).
    pub fn of_archive_alerts(self) -> ChoiceError {
        const ARCHIVE: &str = "archive alert";
        match self {
            ChoiceError::NoOutstandingAlert { .. } => {
                ChoiceError::NoOutstandingAlert { alert: ARCHIVE }
            }
            ChoiceError::OwedUnreadable { .. } => ChoiceError::OwedUnreadable { alert: ARCHIVE },
            ChoiceError::NoOutstandingAlertFor { named, .. } => {
                ChoiceError::NoOutstandingAlertFor {
                    alert: ARCHIVE,
                    named,
                }
            }
            other => other,
        }
    }
}

/// What the operator named to choose a retry decision (each narrows the choice).
#[derive(Debug, Clone, Default)]
pub struct DecisionChoice<'a> {
    pub provider: Option<&'a str>,
    pub delivery_id: Option<&'a str>,
    pub audit_id: Option<&'a str>,
}

impl DecisionChoice<'_> {
    /// Does the choice name anything?
    pub fn names_anything(&self) -> bool {
        self.provider.is_some() || self.delivery_id.is_some() || self.audit_id.is_some()
    }

    /// Does `decision` (a retry or approval decision) fit everything the choice names?
    pub fn matches(&self, decision: &Json) -> bool {
        self.provider
            .is_none_or(|p| normalise(&text(decision, "provider")) == normalise(p))
            && self
                .delivery_id
                .is_none_or(|x| text(decision, "delivery_id") == x)
            && self
                .audit_id
                .is_none_or(|x| text(decision, "audit_id") == x)
    }
}

/// The decision of `plan` the choice names (the first one when it names nothing).
pub fn retry_decision(plan: &Json, choice: &DecisionChoice<'_>) -> Result<Json, ChoiceError> {
    let id = text(plan, "retry_plan_id");
    let all = decisions(plan);
    if all.is_empty() {
        return Err(ChoiceError::NoRetryDecision { plan: id });
    }
    all.into_iter().find(|d| choice.matches(d)).ok_or_else(|| {
        let mut named = Vec::new();
        if let Some(p) = choice.provider {
            named.push(format!("provider {p}"));
        }
        if let Some(x) = choice.delivery_id {
            named.push(format!("delivery {x}"));
        }
        if let Some(x) = choice.audit_id {
            named.push(format!("audit {x}"));
        }
        ChoiceError::NoDecisionFor { plan: id, named }
    })
}

/// The outstanding alert acknowledgement the operator named, from the alert dashboard's
/// `outstanding_acknowledgements` (each `{health_id, provider, plan_id}`).
pub fn outstanding_alert(
    board: &Json,
    health_id: Option<&str>,
    provider: Option<&str>,
) -> Result<Json, ChoiceError> {
    const WORKER: &str = "worker alert";
    let Some(list) = owed(Some(board)) else {
        return Err(ChoiceError::OwedUnreadable { alert: WORKER });
    };
    let list = list.into_iter();
    let mut list = list;
    let hit = list.find(|o| {
        health_id.is_none_or(|h| text(o, "health_id") == h)
            && provider.is_none_or(|p| normalise(&text(o, "provider")) == normalise(p))
    });
    hit.ok_or_else(|| match (health_id, provider) {
        (None, None) => ChoiceError::NoOutstandingAlert { alert: WORKER },
        (h, p) => ChoiceError::NoOutstandingAlertFor {
            alert: WORKER,
            named: format!(
                "{}{}",
                h.map(|h| format!(" health {h}")).unwrap_or_default(),
                p.map(|p| format!(" provider {p}")).unwrap_or_default()
            ),
        },
    })
}

/// The alert acknowledgement of one outstanding entry.
pub fn alert_ack(entry: &Json, state: &str, by: &str) -> AlertAckInput {
    AlertAckInput {
        health_id: text(entry, "health_id"),
        plan_id: text(entry, "plan_id"),
        provider: text(entry, "provider"),
        acknowledged_by: by.into(),
        state: state.into(),
        external_ref: String::new(),
        notes: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_fixtures::obj;
    use serde_json::json;

    #[test]
    fn a_retry_ack_takes_the_chosen_providers_decision_in_the_chosen_plan() {
        let plan = obj(json!({"retry_plan_id": "P2", "retry_decisions": [
            {"provider": "splunk", "delivery_id": "d1", "audit_id": "a1"},
            {"provider": "jira", "delivery_id": "d2", "audit_id": "a2"}]}));
        let jira = DecisionChoice {
            provider: Some("Jira"),
            ..Default::default()
        };
        let d = retry_decision(&plan, &jira).unwrap();
        let i = retry_ack(&plan, &d, "accepted", "alice");
        assert_eq!(
            (
                i.retry_plan_id.as_str(),
                i.provider.as_str(),
                i.delivery_id.as_str(),
                i.audit_id.as_str()
            ),
            ("P2", "jira", "d2", "a2")
        );
        let slack = DecisionChoice {
            provider: Some("slack"),
            ..Default::default()
        };
        let e = retry_decision(&plan, &slack).unwrap_err().to_string();
        assert!(e.contains("no decision for provider slack"), "{e}");
    }

    #[test]
    fn an_alert_ack_takes_that_alerts_own_plan() {
        let board = obj(json!({"outstanding_acknowledgements": [
            {"health_id": "H1", "provider": "webhook", "plan_id": "plan-1"},
            {"health_id": "H2", "provider": "webhook", "plan_id": "plan-2"}]}));
        let e = outstanding_alert(&board, Some("H2"), None).unwrap();
        assert_eq!(alert_ack(&e, "acknowledged", "a").plan_id, "plan-2");
        let e = outstanding_alert(&board, Some("H9"), None).unwrap_err();
        assert_eq!(
            e.clone().of_archive_alerts().to_string(),
            "no outstanding archive alert for health H9: give --plan-id to acknowledge it anyway"
        );
        assert_eq!(
            e.to_string(),
            "no outstanding worker alert for health H9: give --plan-id to acknowledge it anyway"
        );
    }

    #[test]
    fn a_dashboard_without_a_readable_owed_list_is_not_none_owed() {
        for board in [
            json!({"outstanding_acknowledgement_count": 3}),
            json!({"outstanding_acknowledgements": "lots"}),
        ] {
            let e = outstanding_alert(&obj(board), None, None).unwrap_err();
            assert_eq!(
                e.of_archive_alerts().to_string(),
                "the archive alert dashboard's answer has no readable list of owed alerts: nothing was sent"
            );
        }
        let empty = obj(json!({"outstanding_acknowledgements": []}));
        let e = outstanding_alert(&empty, None, None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "no outstanding worker alert: nothing to acknowledge"
        );
    }
}
