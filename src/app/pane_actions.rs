//! The dialog fields of the actions of panes 2–6: each request (built with the web console's
//! defaults in `actions::defaults`) offers its editable fields, parsed back when `y` is pressed.

use super::dialog::{Field, FieldError};
pub use crate::actions::PaneAction;
use crate::backend::calls::{AuditorWorkerRequest, ExecuteRetryRequest};
use crate::domain::approval::APPROVAL_STATES;
use crate::domain::provider::destination;
use crate::domain::recovery::CLOSURE_STATES;
use crate::domain::retry::RetryPolicy;
use crate::domain::retry_ack::RETRY_ACK_STATES;
use crate::domain::worker::AlertRequest;
use crate::domain::worker_alerts::ALERT_ACK_STATES;

fn f(label: &'static str, value: impl Into<String>) -> Field {
    Field::text(label, value)
}

const YES_NO: &[&str] = &["n", "y"];

/// A destination field: one provider, a comma list of them, or `all`; checked before `y`.
fn providers(fields: &[Field], label: &str) -> Result<String, FieldError> {
    destination(get(fields, label)).map_err(|reason| FieldError::NotDestination {
        label: label.to_string(),
        reason,
    })
}

fn get<'a>(fields: &'a [Field], label: &str) -> &'a str {
    fields
        .iter()
        .find(|x| x.label == label)
        .map(|x| x.value.trim())
        .unwrap_or("")
}

fn number<T: std::str::FromStr>(fields: &[Field], label: &str) -> Result<T, FieldError> {
    get(fields, label)
        .parse()
        .map_err(|_| FieldError::NotNumber {
            label: label.to_string(),
            value: get(fields, label).to_string(),
        })
}

fn yes_no(fields: &[Field], label: &str) -> Result<bool, FieldError> {
    match get(fields, label).to_lowercase().as_str() {
        "y" | "yes" | "true" => Ok(true),
        "n" | "no" | "false" | "" => Ok(false),
        other => Err(FieldError::NotYesNo {
            label: label.to_string(),
            value: other.to_string(),
        }),
    }
}

/// Policy fields with the web console's defaults.
pub fn policy_fields() -> Vec<Field> {
    vec![
        f("Max attempts", "3"),
        f("Delay minutes", "15"),
        Field::pick("Immediate (y/n)", "n", YES_NO),
        f("Backoff ×", "2"),
    ]
}

fn policy_from(fields: &[Field]) -> Result<RetryPolicy, FieldError> {
    Ok(RetryPolicy {
        max_retry_attempts: number(fields, "Max attempts")?,
        retry_delay_minutes: number(fields, "Delay minutes")?,
        allow_immediate_retry: yes_no(fields, "Immediate (y/n)")?,
        backoff_multiplier: number(fields, "Backoff ×")?,
    }
    .normalised())
}

/// The fields of an acknowledgement-like record: its state (one of `states`), notes and an
/// external reference.
fn ack_fields(
    state: &str,
    states: &'static [&'static str],
    notes: &str,
    external_ref: &str,
) -> Vec<Field> {
    vec![
        Field::pick("State", state, states),
        f("Notes", notes),
        f("External ref", external_ref),
    ]
}

/// The state, notes and external reference read back from [`ack_fields`].
fn ack_answers(fields: &[Field]) -> (String, String, String) {
    let read = |label| get(fields, label).to_string();
    (read("State"), read("Notes"), read("External ref"))
}

/// The fields of an alert send (worker or archive health): destination, suppression window
/// and force.
fn alert_fields(a: &AlertRequest) -> Vec<Field> {
    vec![
        f("Provider", a.provider.clone()),
        f(
            "Window minutes",
            a.suppression_window_minutes
                .map(|w| w.to_string())
                .unwrap_or_default(),
        ),
        Field::pick("Force (y/n)", if a.force { "y" } else { "n" }, YES_NO),
    ]
}

/// Reads [`alert_fields`] back into the alert send.
fn apply_alert(a: &mut AlertRequest, fields: &[Field]) -> Result<(), FieldError> {
    a.provider = providers(fields, "Provider")?;
    a.suppression_window_minutes = match get(fields, "Window minutes") {
        "" => None,
        _ => Some(number(fields, "Window minutes")?),
    };
    a.force = yes_no(fields, "Force (y/n)")?;
    Ok(())
}

impl PaneAction {
    /// The fields the dialog offers for this action.
    pub fn fields(&self) -> Vec<Field> {
        match self {
            PaneAction::DeliverAudit(r) => vec![
                f("Destination", r.delivery_provider.clone()),
                f("Cadence", r.cadence.clone()),
                f("Schedule ref", r.schedule_ref.clone()),
            ],
            PaneAction::PlanAuditRetry(_) | PaneAction::PlanAuditorRetry(_) => policy_fields(),
            PaneAction::AckRetry(i) => {
                ack_fields(&i.state, &RETRY_ACK_STATES, &i.notes, &i.external_ref)
            }
            PaneAction::RunWorker(r) => vec![
                f("Interval minutes", r.schedule.interval_minutes.to_string()),
                f("Max deliveries", r.max_retry_deliveries.to_string()),
            ],
            PaneAction::SendAlert(r) => alert_fields(&r.alert),
            PaneAction::AckAlert(i) | PaneAction::AckArchiveAlert(i) => {
                ack_fields(&i.state, &ALERT_ACK_STATES, &i.notes, &i.external_ref)
            }
            PaneAction::CheckArchive(_) | PaneAction::RecordSuppressionTrend(_) => Vec::new(),
            PaneAction::PlanRetryApproval(r) => vec![Field::pick(
                "Require retry ack (y/n)",
                if r.require_retry_ack { "y" } else { "n" },
                YES_NO,
            )],
            PaneAction::DecideRetryApproval(i) => ack_fields(
                &i.approval_state,
                &APPROVAL_STATES,
                &i.notes,
                &i.external_ref,
            ),
            PaneAction::ExecuteRetry(ExecuteRetryRequest { run, .. })
            | PaneAction::RunAuditorWorker(AuditorWorkerRequest { run, .. }) => {
                vec![f("Max deliveries", run.max_retry_deliveries.to_string())]
            }
            PaneAction::RecoveryPlaybook(r) => vec![
                f("Min failures", r.min_failure_count.to_string()),
                f("Lookback hours", r.lookback_hours.to_string()),
            ],
            PaneAction::CloseRecovery(i) => {
                ack_fields(&i.closure_state, &CLOSURE_STATES, &i.notes, &i.external_ref)
            }
            PaneAction::RetryRecoveryReport(r) => {
                vec![f("SLO minutes", r.recovery_slo_minutes.to_string())]
            }
            PaneAction::SendArchiveAlert(r) => alert_fields(&r.alert),
        }
    }

    /// Reads the edited fields back into the request; an error keeps the dialog open.
    pub fn apply_fields(&mut self, fields: &[Field]) -> Result<(), FieldError> {
        match self {
            PaneAction::DeliverAudit(r) => {
                r.delivery_provider = providers(fields, "Destination")?;
                r.cadence = get(fields, "Cadence").to_string();
                r.schedule_ref = get(fields, "Schedule ref").to_string();
            }
            PaneAction::PlanAuditRetry(p) | PaneAction::PlanAuditorRetry(p) => {
                *p = policy_from(fields)?
            }
            PaneAction::AckRetry(i) => (i.state, i.notes, i.external_ref) = ack_answers(fields),
            PaneAction::RunWorker(r) => {
                let interval: u32 = number(fields, "Interval minutes")?;
                r.schedule = crate::actions::defaults::worker_schedule(interval);
                r.max_retry_deliveries = number(fields, "Max deliveries")?;
            }
            PaneAction::SendAlert(r) => apply_alert(&mut r.alert, fields)?,
            PaneAction::AckAlert(i) => (i.state, i.notes, i.external_ref) = ack_answers(fields),
            PaneAction::CheckArchive(_) | PaneAction::RecordSuppressionTrend(_) => {}
            PaneAction::PlanRetryApproval(r) => {
                r.require_retry_ack = yes_no(fields, "Require retry ack (y/n)")?
            }
            PaneAction::DecideRetryApproval(i) => {
                (i.approval_state, i.notes, i.external_ref) = ack_answers(fields)
            }
            PaneAction::ExecuteRetry(ExecuteRetryRequest { run, .. })
            | PaneAction::RunAuditorWorker(AuditorWorkerRequest { run, .. }) => {
                run.max_retry_deliveries = number(fields, "Max deliveries")?
            }
            PaneAction::RecoveryPlaybook(r) => {
                r.min_failure_count = number(fields, "Min failures")?;
                r.lookback_hours = number(fields, "Lookback hours")?;
            }
            PaneAction::CloseRecovery(i) => {
                (i.closure_state, i.notes, i.external_ref) = ack_answers(fields)
            }
            PaneAction::RetryRecoveryReport(r) => {
                r.recovery_slo_minutes = number(fields, "SLO minutes")?
            }
            PaneAction::SendArchiveAlert(r) => apply_alert(&mut r.alert, fields)?,
            PaneAction::AckArchiveAlert(i) => {
                (i.state, i.notes, i.external_ref) = ack_answers(fields)
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_fields_parse_and_bad_numbers_are_refused() {
        let mut a = PaneAction::PlanAuditRetry(RetryPolicy::default());
        let mut fields = a.fields();
        fields[0].value = "5".into();
        fields[2].value = "y".into();
        fields[1].value = "0".into();
        a.apply_fields(&fields).unwrap();
        let PaneAction::PlanAuditRetry(p) = a else {
            panic!()
        };
        assert_eq!(
            (
                p.max_retry_attempts,
                p.retry_delay_minutes,
                p.allow_immediate_retry
            ),
            (5, 0.0, true)
        );
        let mut a = PaneAction::PlanAuditRetry(RetryPolicy::default());
        let mut fields = a.fields();
        fields[3].value = "fast".into();
        assert_eq!(
            a.apply_fields(&fields).unwrap_err().to_string(),
            "Backoff ×: 'fast' is not a number"
        );
    }

    #[test]
    fn deliver_needs_a_destination() {
        let mut a = crate::actions::defaults::deliver_audit(
            crate::domain::audit::AuditScope::default(),
            "splunk",
            "alice",
        );
        let mut fields = a.fields();
        assert_eq!(fields[0].value, "splunk");
        fields[0].value = " ".into();
        assert!(a.apply_fields(&fields).is_err());
    }
}
