//! Performing a pane action against a backend, and saying exactly what happened: the server's
//! answer with its verdict (checked against what that action's answer must hold), or — when
//! the answer was lost — what a re-read found (for a delivering action, the record only: its
//! delivery outcomes were in the lost answer, so they are unknown).

use chrono::Utc;
use serde_json::Value;

use super::PaneAction;
use super::expected::{Delivers, expected};
use super::verdict::Verdict;
use super::verify::{self, Expect};
use crate::backend::{Backend, BackendError, Json};
use crate::domain::Record;

/// What an action did.
#[derive(Debug, Clone)]
pub enum Acted {
    /// The server answered; the verdict says how its connector deliveries went.
    Answered { response: Json, verdict: Verdict },
    /// The answer was lost (`lost` says how), and a re-read found the record stored. For an
    /// action that delivers to connectors, `unseen_deliveries`: how they went was in the lost
    /// answer, so it is unknown.
    FoundStored {
        record: Record,
        lost: String,
        unseen_deliveries: bool,
    },
    /// The answer was lost, and a re-read shows nothing was stored.
    NotStored { lost: String },
    /// The answer was lost, and the server could not be re-read: nobody knows yet.
    Unknown { lost: String, reread: String },
}

impl Acted {
    /// Is some part of what happened unknown (a delivery outcome, the record, or all of it)?
    pub fn outcome_unknown(&self) -> bool {
        match self {
            Acted::Answered { verdict, .. } => verdict.outcome_unknown(),
            Acted::FoundStored {
                unseen_deliveries, ..
            } => *unseen_deliveries,
            Acted::NotStored { .. } => false,
            Acted::Unknown { .. } => true,
        }
    }

    /// Was the action's record stored (or is that unknown)?
    pub fn stored(&self) -> Option<bool> {
        match self {
            Acted::Answered { .. } | Acted::FoundStored { .. } => Some(true),
            Acted::NotStored { .. } => Some(false),
            Acted::Unknown { .. } => None,
        }
    }

    /// One line that says what happened, for a notice or stderr.
    pub fn summary(&self, title: &str) -> String {
        match self {
            Acted::Answered { verdict, .. } => match verdict.problem() {
                None => format!("{title}: recorded"),
                Some(p) if !verdict.recorded() => format!("{title}: answered, but {p}"),
                Some(p) => format!("{title}: recorded, but {p}"),
            },
            Acted::FoundStored {
                record,
                lost,
                unseen_deliveries: true,
            } => format!(
                "{title}: recorded, but the delivery outcomes were not seen ({} found on the \
                 server after {lost}): check the History pane or `cavra-tui history` before \
                 trying again",
                record.session_id()
            ),
            Acted::FoundStored { record, lost, .. } => format!(
                "{title}: recorded ({} found on the server after {lost})",
                record.session_id()
            ),
            Acted::NotStored { lost } => {
                format!("{title}: NOT recorded ({lost}; a re-read finds nothing stored as sent)")
            }
            Acted::Unknown { lost, reread } => format!(
                "{title}: OUTCOME UNKNOWN ({lost}; re-reading failed: {reread}). Check the History pane or `cavra-tui history` before trying again"
            ),
        }
    }
}

/// Runs `action` as `by`; `actors` are the names a stored record may carry (the name sent, and
/// the verified actor). Writes are never retried: a lost answer is followed by a re-read.
pub async fn perform(
    backend: &dyn Backend,
    action: PaneAction,
    by: &str,
    actors: &[String],
) -> Result<Acted, BackendError> {
    if let Some(e) = action.endpoint() {
        backend.capabilities().await.check(e)?;
    }
    let expect = Expect::of(&action, actors);
    let expected = expected(&action);
    let rereadable = !matches!(action, PaneAction::RecordSuppressionTrend(_));
    // What the server already holds, read first where an answer can be lost (never guessed).
    let before = if rereadable {
        verify::before(backend, std::slice::from_ref(&expect)).await?
    } else {
        verify::Before::new()
    };
    let sent_at = Utc::now();
    // An answer whose record (or its stored `metadata`) contradicts what was sent does not
    // confirm it. An action that sends nothing is found out as after a lost answer; for a
    // delivering one the answer's deliveries stay what it says, and its outcome unknown.
    let delivers = expected.delivers != Delivers::Nothing;
    let mut answer = send(backend, action, by).await;
    let mut contradicted = None;
    if let Ok(response) = &answer {
        let object = expected.record.map(|(object, _)| object);
        let shown = [object.unwrap_or_default(), "metadata"]
            .into_iter()
            .filter_map(|o| response.get(o).and_then(Value::as_object).map(|r| (o, r)));
        contradicted = shown.into_iter().find_map(|(o, r)| {
            let why = expect.contradicted_by(r)?;
            Some(format!(
                "the answer's `{o}` is not the record of what was sent: {why}"
            ))
        });
        if let Some(why) = contradicted.clone().filter(|_| !delivers) {
            let unconfirmed = format!("the answer did not confirm it: {why}");
            let e = BackendError::OutcomeUnknown(why);
            if rereadable {
                let found =
                    after_lost_answer(backend, &expect, sent_at, &before, unconfirmed, false);
                return Ok(found.await);
            }
            answer = Err(e);
        }
    }
    match answer {
        Ok(response) => {
            let mut verdict = Verdict::answer(&response, expected);
            verdict.unknown.extend(contradicted);
            Ok(Acted::Answered { verdict, response })
        }
        Err(e) if e.outcome_unknown() && !rereadable => Ok(Acted::Unknown {
            lost: format!("the answer was lost: {e}"),
            reread: "this record is not part of the history, so it cannot be re-read".into(),
        }),
        Err(e) if e.outcome_unknown() => {
            let lost = format!("the answer was lost: {e}");
            Ok(after_lost_answer(backend, &expect, sent_at, &before, lost, delivers).await)
        }
        Err(e) => Err(e),
    }
}

/// Re-reads the server after an answer that was lost or did not confirm the write (`lost`
/// says which, and how). Only the record is looked for.
pub async fn after_lost_answer(
    backend: &dyn Backend,
    expect: &Expect,
    sent_at: chrono::DateTime<Utc>,
    before: &verify::Before,
    lost: String,
    delivers: bool,
) -> Acted {
    match verify::find(backend, std::slice::from_ref(expect), sent_at, before).await {
        Ok(mut found) => match found.pop().flatten() {
            Some(record) => Acted::FoundStored {
                record,
                lost,
                unseen_deliveries: delivers,
            },
            None => Acted::NotStored { lost },
        },
        Err(e) => Acted::Unknown {
            lost,
            reread: e.to_string(),
        },
    }
}

async fn send(backend: &dyn Backend, action: PaneAction, by: &str) -> Result<Json, BackendError> {
    if let Some(call) = action.call() {
        return backend.call(call).await;
    }
    match action {
        PaneAction::DeliverAudit(r) => backend.deliver_audit(r).await,
        PaneAction::PlanAuditRetry(p) => backend.retry_plan(p, by.to_string()).await,
        PaneAction::PlanAuditorRetry(p) => backend.auditor_retry_plan(p, by.to_string()).await,
        PaneAction::AckRetry(i) => backend.retry_ack(i).await,
        PaneAction::RunWorker(r) => backend.worker_run(r).await,
        PaneAction::SendAlert(r) => backend.send_worker_alert(r).await,
        PaneAction::AckAlert(i) => backend.ack_worker_alert(i).await,
        PaneAction::CheckArchive(r) => backend.archive_health(r).await,
        other => Err(BackendError::Internal(format!(
            "{} has no backend method",
            other.title()
        ))),
    }
}
