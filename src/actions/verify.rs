//! Finding out what the server holds after a write whose answer was lost (a timeout after
//! sending, a broken connection, a 5xx): re-read the newest records of the kind the action
//! writes and look for one created since the request left (less a clock-skew margin) that
//! carries what was sent — the actor, and the action's own fields (route, provider, state,
//! notes, plan). Never guessed: if the re-read fails too, the outcome is reported unknown.

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use super::PaneAction;
use crate::backend::{AlertAckInput, Backend, BackendError};
use crate::domain::Record;
use crate::domain::ack::AckInput;
use crate::domain::alert_routing::requested_provider;
use crate::domain::approval::APPROVAL_STATE;
use crate::domain::carries::{carries, contradiction, field_text};
use crate::domain::history::HistoryQuery;
use crate::domain::input::Choice;
use crate::domain::query::Page;
use crate::domain::record::kind;
use crate::domain::recovery::CLOSURE_STATE;
use crate::domain::retry::normalise;
use crate::domain::retry_ack::RETRY_ACK_STATE;
use crate::domain::worker::AlertRequest;
use crate::domain::worker_alerts::ALERT_ACK_STATE;
use crate::history_scan;

/// How far the server's clock may run behind ours and still count a record as this write's.
pub const CLOCK_SKEW: Duration = Duration::seconds(120);
/// Newest records of the kind read per page while looking.
const PAGE: usize = 200;
/// Pages read at most (records older than the request end the search sooner).
const MAX_PAGES: usize = 5;

/// What a stored record must carry to be the one this write made.
#[derive(Debug, Clone, PartialEq)]
pub struct Expect {
    pub kind: &'static str,
    /// Who may have been recorded as acting: the name sent, and the verified actor.
    pub actors: Vec<String>,
    /// Fields (top level, or inside the record's nested object) and the values sent.
    pub fields: Vec<(&'static str, String)>,
}

impl Expect {
    /// The record a route acknowledgement writes.
    pub fn route_ack(i: &AckInput, actors: &[String]) -> Expect {
        Expect {
            kind: kind::NOTIFICATION_ACK,
            actors: actors.to_vec(),
            fields: i.stored_fields(),
        }
    }

    /// The record an audit package export writes.
    pub fn audit_package(actors: &[String]) -> Expect {
        Expect {
            kind: kind::AUDIT_PACKAGE,
            actors: actors.to_vec(),
            fields: Vec::new(),
        }
    }

    /// The record a pane action writes (the one that proves it ran).
    pub fn of(action: &PaneAction, actors: &[String]) -> Expect {
        let (kind, fields): (&'static str, Vec<(&'static str, String)>) = match action {
            PaneAction::DeliverAudit(r) => (
                kind::AUDIT_DELIVERY_PLAN,
                vec![
                    ("cadence", r.cadence.clone()),
                    ("schedule_ref", r.schedule_ref.clone()),
                ],
            ),
            PaneAction::PlanAuditRetry(_) => (kind::RETRY_PLAN, Vec::new()),
            PaneAction::PlanAuditorRetry(_) => (kind::AUDITOR_EXPORT_RETRY_PLAN, Vec::new()),
            PaneAction::AckRetry(i) => (
                kind::RETRY_ACK,
                vec![
                    ("retry_plan_id", i.retry_plan_id.clone()),
                    ("provider", normalise(&i.provider)),
                    ("acknowledgement_state", settled(&RETRY_ACK_STATE, &i.state)),
                    ("delivery_id", i.delivery_id.clone()),
                    ("audit_id", i.audit_id.clone()),
                    ("notes", i.notes.clone()),
                ],
            ),
            PaneAction::RunWorker(_) => (kind::WORKER_RUN, Vec::new()),
            PaneAction::SendAlert(r) => {
                (kind::WORKER_HEALTH_ALERT_PLAN, alert_plan_fields(&r.alert))
            }
            PaneAction::AckAlert(i) => (kind::WORKER_HEALTH_ALERT_ACK, alert_ack_fields(i)),
            PaneAction::CheckArchive(_) => (kind::ARCHIVE_HEALTH, Vec::new()),
            other => more_kinds(other),
        };
        Expect {
            kind,
            actors: actors.to_vec(),
            fields,
        }
    }

    /// Does this stored record carry what was sent, created at or after `since`?
    pub fn matches(&self, r: &Record, since: DateTime<Utc>) -> bool {
        let fresh = crate::domain::time::parse(r.created_at()).is_some_and(|t| t >= since);
        let actor_ok = self
            .actors
            .iter()
            .any(|a| !a.is_empty() && field_text(&r.0, "signer").as_deref() == Some(a))
            || self.actors.iter().all(String::is_empty);
        fresh && r.kind() == self.kind && actor_ok && carries(&r.0, &self.fields)
    }

    /// How the record an answer shows contradicts what was sent (`None`: it does not).
    pub fn contradicted_by(&self, shown: &serde_json::Map<String, Value>) -> Option<String> {
        contradiction(shown, &self.fields)
    }

    fn query(&self) -> HistoryQuery {
        let pick = |k: &str| {
            self.fields
                .iter()
                .find(|(f, v)| *f == k && !v.is_empty())
                .map(|(_, v)| v.clone())
        };
        HistoryQuery {
            metadata_kind: Some(self.kind.to_string()),
            schedule_id: pick("schedule_id"),
            ..Default::default()
        }
    }
}

/// The record each issue-12 action writes, and the fields that prove it is this write's.
fn more_kinds(action: &PaneAction) -> (&'static str, Vec<(&'static str, String)>) {
    match action {
        PaneAction::PlanRetryApproval(_) => (kind::RETRY_APPROVAL_PLAN, Vec::new()),
        PaneAction::DecideRetryApproval(i) => (
            kind::RETRY_APPROVAL_DECISION,
            vec![
                ("approval_plan_id", i.approval_plan_id.clone()),
                ("provider", normalise(&i.provider)),
                (
                    "approval_state",
                    settled(&APPROVAL_STATE, &i.approval_state),
                ),
                ("retry_plan_id", i.retry_plan_id.clone()),
                ("delivery_id", i.delivery_id.clone()),
                ("audit_id", i.audit_id.clone()),
                ("notes", i.notes.clone()),
            ],
        ),
        PaneAction::ExecuteRetry(_) => (kind::WORKER_RUN, vec![("dry_run", "false".into())]),
        PaneAction::RecoveryPlaybook(_) => (kind::RECOVERY_PLAYBOOK, Vec::new()),
        PaneAction::CloseRecovery(i) => (
            kind::RECOVERY_CLOSURE,
            vec![
                ("playbook_id", i.playbook_id.clone()),
                ("provider", normalise(&i.provider)),
                ("closure_state", settled(&CLOSURE_STATE, &i.closure_state)),
            ],
        ),
        PaneAction::RetryRecoveryReport(_) => (kind::RETRY_RECOVERY_REPORT, Vec::new()),
        PaneAction::RunAuditorWorker(r) => (
            kind::AUDITOR_RETRY_WORKER_RUN,
            vec![("dry_run", (!r.execute).to_string())],
        ),
        PaneAction::SendArchiveAlert(r) => (kind::ARCHIVE_ALERT_PLAN, alert_plan_fields(&r.alert)),
        PaneAction::AckArchiveAlert(i) => (kind::ARCHIVE_ALERT_ACK, alert_ack_fields(i)),
        PaneAction::RecordSuppressionTrend(_) => (kind::SUPPRESSION_TREND, Vec::new()),
        _ => (kind::PREFIX, Vec::new()),
    }
}

/// What a worker-health or archive-health alert plan's record carries of its request.
fn alert_plan_fields(r: &AlertRequest) -> Vec<(&'static str, String)> {
    vec![("requested_provider", requested_provider(r).to_string())]
}

/// What a worker-health or archive-health alert acknowledgement's record carries.
fn alert_ack_fields(i: &AlertAckInput) -> Vec<(&'static str, String)> {
    vec![
        ("health_id", i.health_id.clone()),
        ("provider", normalise(&i.provider)),
        ("acknowledgement_state", settled(&ALERT_ACK_STATE, &i.state)),
        ("plan_id", i.plan_id.clone()),
        ("notes", i.notes.clone()),
    ]
}

/// The state as the server records it (trimmed, lower case, the default for a blank): what the
/// remote backend sends and sample mode stores. Input the checks refuse is never sent.
fn settled(choice: &Choice, typed: &str) -> String {
    choice.pick(typed).unwrap_or_else(|_| normalise(typed))
}

/// Records the server held before a write, as `(session_id, created_at)`: a re-read after a
/// lost answer must not take one of them (or an overwrite with the same time) for the new one.
pub type Before = std::collections::HashSet<(String, String)>;

/// Reads, before a write whose answer could be lost, the newest records of the kinds it writes.
pub async fn before(backend: &dyn Backend, wanted: &[Expect]) -> Result<Before, BackendError> {
    let mut seen = Before::new();
    if !backend.answers_can_be_lost() {
        return Ok(seen);
    }
    let mut queries: Vec<HistoryQuery> = wanted.iter().map(Expect::query).collect();
    queries.dedup();
    for q in queries {
        let out = backend.history(q, Page::first(PAGE)).await.map_err(|e| {
            BackendError::Unavailable(format!(
                "nothing was sent: reading the server before the write failed: {e}"
            ))
        })?;
        for r in history_scan::records(&out) {
            seen.insert((r.session_id().to_string(), r.created_at().to_string()));
        }
    }
    Ok(seen)
}

/// Looks for the records `wanted` describes among what the server holds now and did not hold
/// before the write; returns, for each, the stored record if found. `Err` when the server
/// cannot be read.
pub async fn find(
    backend: &dyn Backend,
    wanted: &[Expect],
    sent_at: DateTime<Utc>,
    before: &Before,
) -> Result<Vec<Option<Record>>, BackendError> {
    let since = sent_at - CLOCK_SKEW;
    let mut found: Vec<Option<Record>> = vec![None; wanted.len()];
    let mut queries: Vec<HistoryQuery> = wanted.iter().map(Expect::query).collect();
    queries.dedup();
    for q in queries {
        for page in 0..MAX_PAGES {
            let out = backend
                .history(q.clone(), Page::at(PAGE, page * PAGE))
                .await?;
            let items = history_scan::records(&out);
            for r in &items {
                let held =
                    before.contains(&(r.session_id().to_string(), r.created_at().to_string()));
                for (i, w) in wanted.iter().enumerate() {
                    if !held && found[i].is_none() && w.query() == q && w.matches(r, since) {
                        found[i] = Some(r.clone());
                    }
                }
            }
            let older = items
                .iter()
                .any(|r| crate::domain::time::parse(r.created_at()).is_some_and(|t| t < since));
            if items.len() < PAGE || older || found.iter().all(Option::is_some) {
                break;
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::domain::approval::{ApprovalDecisionInput, decide};
    use crate::domain::recovery::{ClosureInput, close};
    use crate::domain::retry::{RetryAckInput, retry_ack};
    use crate::domain::worker_alerts::{AlertAckInput, alert_ack};

    fn input<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
        serde_json::from_value(v).unwrap()
    }

    /// The record the server stores for input typed loosely is found as this write's.
    #[test]
    fn loosely_typed_states_and_providers_find_the_record_stored() {
        use serde_json::json;
        let now = Utc::now();
        let since = now - CLOCK_SKEW;
        let actors = ["rm".to_string()];
        let mut ack: RetryAckInput = input(json!({"provider": " Jira ", "acknowledged_by": "rm",
            "acknowledgement_state": " Deferred "}));
        ack.retry_plan_id = "P1".into();
        let mut decision: ApprovalDecisionInput =
            input(json!({"provider": "ServiceNow", "decided_by": "rm"}));
        decision.approval_plan_id = "AP1".into();
        let mut closure: ClosureInput = input(json!({"provider": "splunk", "closed_by": "rm",
            "closure_state": "  "}));
        closure.playbook_id = "PB1".into();
        let mut alert: AlertAckInput = input(json!({"plan_id": "plan-1", "provider": "Web-Hook",
            "acknowledged_by": "rm"}));
        alert.health_id = "H1".into();
        let cases = [
            (
                PaneAction::AckRetry(ack.clone()),
                retry_ack(&ack, now).unwrap().1,
            ),
            (
                PaneAction::DecideRetryApproval(decision.clone()),
                decide(&decision, now).unwrap().1,
            ),
            (
                PaneAction::CloseRecovery(closure.clone()),
                close(&closure, now).unwrap().1,
            ),
            (
                PaneAction::AckAlert(alert.clone()),
                alert_ack(&alert, now).unwrap().1,
            ),
        ];
        for (action, stored) in cases {
            let mut stored = stored;
            stored.0.insert("signer".into(), "rm".into());
            let expect = Expect::of(&action, &actors);
            assert!(expect.matches(&stored, since), "{expect:?}\n{stored:?}");
        }
    }
}
