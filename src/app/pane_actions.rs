//! The actions of panes 2–6: each builds a confirmation whose editable fields (with the web
//! console's defaults) are parsed into the request when `y` is pressed.

use serde::Serialize;

use super::dialog::Field;
use crate::backend::{
    AlertAckInput, ArchiveHealthRequest, AuditDeliveryRequest, HealthParams, SendAlertRequest,
    WorkerRunRequest,
};
use crate::domain::archive::ArchiveRules;
use crate::domain::audit::AuditScope;
use crate::domain::retry::{RetryAckInput, RetryPolicy};
use crate::domain::worker::{AlertRequest, WorkerSchedule};

/// A recording action of panes 2–6.
#[derive(Debug, Clone, PartialEq)]
pub enum PaneAction {
    DeliverAudit(AuditDeliveryRequest),
    PlanAuditRetry(RetryPolicy),
    PlanAuditorRetry(RetryPolicy),
    AckRetry(RetryAckInput),
    RunWorker(WorkerRunRequest),
    SendAlert(SendAlertRequest),
    AckAlert(AlertAckInput),
    CheckArchive(ArchiveHealthRequest),
}

fn f(label: &'static str, value: impl Into<String>) -> Field {
    Field {
        label,
        value: value.into(),
    }
}

fn get<'a>(fields: &'a [Field], label: &str) -> &'a str {
    fields
        .iter()
        .find(|x| x.label == label)
        .map(|x| x.value.trim())
        .unwrap_or("")
}

fn number<T: std::str::FromStr>(fields: &[Field], label: &str) -> Result<T, String> {
    get(fields, label)
        .parse()
        .map_err(|_| format!("{label}: '{}' is not a number", get(fields, label)))
}

fn yes_no(fields: &[Field], label: &str) -> Result<bool, String> {
    match get(fields, label).to_lowercase().as_str() {
        "y" | "yes" | "true" => Ok(true),
        "n" | "no" | "false" | "" => Ok(false),
        other => Err(format!("{label}: '{other}' is not y or n")),
    }
}

/// Policy fields with the web console's defaults.
pub fn policy_fields() -> Vec<Field> {
    vec![
        f("Max attempts", "3"),
        f("Delay minutes", "15"),
        f("Immediate (y/n)", "n"),
        f("Backoff ×", "2"),
    ]
}

fn policy_from(fields: &[Field]) -> Result<RetryPolicy, String> {
    Ok(RetryPolicy {
        max_retry_attempts: number(fields, "Max attempts")?,
        retry_delay_minutes: number(fields, "Delay minutes")?,
        allow_immediate_retry: yes_no(fields, "Immediate (y/n)")?,
        backoff_multiplier: number(fields, "Backoff ×")?,
    }
    .normalised())
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
            PaneAction::AckRetry(i) => vec![
                f("State", i.state.clone()),
                f("Notes", ""),
                f("External ref", ""),
            ],
            PaneAction::RunWorker(r) => vec![
                f("Interval minutes", r.schedule.interval_minutes.to_string()),
                f("Max deliveries", r.max_retry_deliveries.to_string()),
            ],
            PaneAction::SendAlert(r) => vec![
                f("Provider", r.alert.provider.clone()),
                f(
                    "Window minutes",
                    r.alert.suppression_window_minutes.to_string(),
                ),
                f("Force (y/n)", if r.alert.force { "y" } else { "n" }),
            ],
            PaneAction::AckAlert(i) => vec![
                f("State", i.state.clone()),
                f("Notes", ""),
                f("External ref", ""),
            ],
            PaneAction::CheckArchive(_) => Vec::new(),
        }
    }

    /// Reads the edited fields back into the request; an error keeps the dialog open.
    pub fn apply_fields(&mut self, fields: &[Field]) -> Result<(), String> {
        match self {
            PaneAction::DeliverAudit(r) => {
                r.delivery_provider = get(fields, "Destination").to_string();
                r.cadence = get(fields, "Cadence").to_string();
                r.schedule_ref = get(fields, "Schedule ref").to_string();
                if r.delivery_provider.is_empty() {
                    return Err(
                        "Destination: name a provider (splunk, jira, slack, ...) or all".into(),
                    );
                }
            }
            PaneAction::PlanAuditRetry(p) | PaneAction::PlanAuditorRetry(p) => {
                *p = policy_from(fields)?
            }
            PaneAction::AckRetry(i) => {
                i.state = get(fields, "State").to_string();
                i.notes = get(fields, "Notes").to_string();
                i.external_ref = get(fields, "External ref").to_string();
            }
            PaneAction::RunWorker(r) => {
                let interval: u32 = number(fields, "Interval minutes")?;
                r.schedule = WorkerSchedule {
                    interval_minutes: interval.max(1),
                    cadence: format!("every_{}_minutes", interval.max(1)),
                    enabled: true,
                };
                r.max_retry_deliveries = number(fields, "Max deliveries")?;
            }
            PaneAction::SendAlert(r) => {
                r.alert.provider = get(fields, "Provider").to_string();
                r.alert.suppression_window_minutes = number(fields, "Window minutes")?;
                r.alert.force = yes_no(fields, "Force (y/n)")?;
            }
            PaneAction::AckAlert(i) => {
                i.state = get(fields, "State").to_string();
                i.notes = get(fields, "Notes").to_string();
                i.external_ref = get(fields, "External ref").to_string();
            }
            PaneAction::CheckArchive(_) => {}
        }
        Ok(())
    }

    /// The pane whose data this action changes (reloaded afterwards).
    pub fn pane(&self) -> u8 {
        match self {
            PaneAction::DeliverAudit(_) => 3,
            PaneAction::PlanAuditRetry(_)
            | PaneAction::PlanAuditorRetry(_)
            | PaneAction::AckRetry(_) => 4,
            PaneAction::RunWorker(_) | PaneAction::SendAlert(_) | PaneAction::AckAlert(_) => 5,
            PaneAction::CheckArchive(_) => 6,
        }
    }
}

/// Defaults of each action, as the web console sends them (CONTRACT §6.5).
pub fn deliver_audit(scope: AuditScope, by: &str) -> PaneAction {
    PaneAction::DeliverAudit(AuditDeliveryRequest {
        scope,
        delivery_provider: "splunk".into(),
        cadence: "on_demand".into(),
        schedule_ref: "evidence-console".into(),
        generated_by: by.into(),
    })
}

pub fn run_worker(by: &str) -> PaneAction {
    PaneAction::RunWorker(WorkerRunRequest {
        policy: RetryPolicy {
            max_retry_attempts: 3,
            retry_delay_minutes: 0.0,
            allow_immediate_retry: true,
            backoff_multiplier: 2.0,
        },
        schedule: WorkerSchedule::default(),
        max_retry_deliveries: 5,
        generated_by: by.into(),
    })
}

pub fn send_alert(by: &str) -> PaneAction {
    PaneAction::SendAlert(SendAlertRequest {
        alert: AlertRequest {
            provider: "webhook".into(),
            suppression_window_minutes: 60,
            force: false,
            generated_by: by.into(),
        },
        health: HealthParams::default(),
    })
}

pub fn check_archive(by: &str) -> PaneAction {
    PaneAction::CheckArchive(ArchiveHealthRequest {
        rules: ArchiveRules::default(),
        generated_by: by.into(),
        persist: true,
    })
}

/// A summary of an action's result for the report overlay.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub lines: Vec<String>,
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
            a.apply_fields(&fields).unwrap_err(),
            "Backoff ×: 'fast' is not a number"
        );
    }

    #[test]
    fn deliver_needs_a_destination() {
        let mut a = deliver_audit(AuditScope::default(), "alice");
        let mut fields = a.fields();
        assert_eq!(fields[0].value, "splunk");
        fields[0].value = " ".into();
        assert!(a.apply_fields(&fields).is_err());
    }
}
