//! The delivery-health dashboard cards (pane 2, `cavra-tui dashboard`).

use serde_json::{Map, Value};

use super::Severity;

/// One card: label, value text, severity.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub group: &'static str,
    pub label: &'static str,
    pub value: String,
    pub severity: Severity,
}

fn count(d: &Map<String, Value>, key: &str) -> u64 {
    d.get(key).and_then(Value::as_u64).unwrap_or(0)
}

fn level(d: &Map<String, Value>, key: &str) -> String {
    d.get(key)
        .and_then(Value::as_str)
        .unwrap_or("healthy")
        .to_string()
}

/// How a card reads its field.
#[derive(Clone, Copy)]
enum Read {
    /// A level (`healthy` when absent), its severity from the level.
    Level,
    /// A count, for information.
    Count,
    /// A count that is bad (with this severity) when above zero, else ok.
    BadIf(Severity),
    /// A success rate as a percentage (`n/a` when absent): ok at 100%, warn from 50%.
    Rate,
    /// A list of names (`none` when empty), for information.
    Names,
}

const DRILLS: &str = "Drill notifications";
const AUDIT: &str = "Acknowledgement audit delivery";
const RETRY: &str = "Retries and worker";
const FINAL: &str = "Final auditor exports";

/// The cards in order: group, label, the dashboard field, how it reads.
#[rustfmt::skip]
const CARDS: &[(&str, &str, &str, Read)] = {
    use Read::*;
    use Severity::{Critical, Warn};
    &[
        (DRILLS, "Status", "alert_level", Level),
        (DRILLS, "Plans", "plan_count", Count),
        (DRILLS, "Deliveries", "delivery_count", Count),
        (DRILLS, "Failed deliveries", "failed_delivery_count", BadIf(Critical)),
        (DRILLS, "Acknowledgements", "acknowledgement_count", Count),
        (DRILLS, "Outstanding acks", "outstanding_acknowledgement_count", BadIf(Warn)),
        (AUDIT, "Audit delivery health", "acknowledgement_audit_delivery_health", Level),
        (AUDIT, "Audit packages", "acknowledgement_audit_package_count", Count),
        (AUDIT, "Audit delivery plans", "acknowledgement_audit_delivery_plan_count", Count),
        (AUDIT, "Audit sends", "acknowledgement_audit_delivery_count", Count),
        (AUDIT, "Failed audit sends", "failed_acknowledgement_audit_delivery_count", BadIf(Critical)),
        (AUDIT, "Audit success rate", "acknowledgement_audit_delivery_success_rate", Rate),
        (AUDIT, "Delivery providers", "acknowledgement_audit_delivery_providers", Names),
        (RETRY, "Audit retry plans", "acknowledgement_audit_delivery_retry_plan_count", Count),
        (RETRY, "Retryable deliveries", "acknowledgement_audit_delivery_retryable_count", BadIf(Warn)),
        (RETRY, "Retry acks", "acknowledgement_audit_delivery_retry_ack_count", Count),
        (RETRY, "Worker runs", "acknowledgement_audit_delivery_worker_run_count", Count),
        (RETRY, "Worker dry runs", "acknowledgement_audit_delivery_worker_dry_run_count", Count),
        (RETRY, "Worker alerts", "acknowledgement_audit_delivery_worker_health_alert_count", Count),
        (RETRY, "Worker alert acks", "acknowledgement_audit_delivery_worker_health_alert_ack_count", Count),
        (RETRY, "Retry Approvals", "acknowledgement_audit_delivery_retry_execution_approval_plan_count", Count),
        (RETRY, "Approved Retries", "acknowledgement_audit_delivery_retry_execution_approved_count", Count),
        (RETRY, "Retry Executions", "acknowledgement_audit_delivery_retry_execution_record_count", Count),
        (RETRY, "Execution Failed", "acknowledgement_audit_delivery_retry_execution_failed_count", BadIf(Critical)),
        (RETRY, "Recovery Playbooks", "acknowledgement_audit_delivery_connector_recovery_playbook_count", Count),
        (RETRY, "Recovery Closed", "acknowledgement_audit_delivery_connector_recovery_closed_count", Count),
        (FINAL, "Auditor retry plans", "acknowledgement_audit_delivery_final_reporting_auditor_export_delivery_retry_plan_count", Count),
        (FINAL, "Retryable auditor sends", "acknowledgement_audit_delivery_final_reporting_auditor_export_delivery_retryable_count", BadIf(Warn)),
        (FINAL, "Archive health reports", "acknowledgement_audit_delivery_final_reporting_archive_reference_health_count", Count),
        (FINAL, "Archive health alerts", "acknowledgement_audit_delivery_final_reporting_archive_reference_health_alert_count", BadIf(Warn)),
    ]
};

/// A card's value and severity, read from the dashboard's `key`.
fn read(d: &Map<String, Value>, key: &str, how: Read) -> (String, Severity) {
    match how {
        Read::Level => {
            let l = level(d, key);
            let sev = Severity::from_level(&l);
            (l, sev)
        }
        Read::Count => (count(d, key).to_string(), Severity::Info),
        Read::BadIf(sev) => {
            let v = count(d, key);
            (v.to_string(), if v > 0 { sev } else { Severity::Ok })
        }
        Read::Rate => match d.get(key).and_then(Value::as_f64) {
            None => ("n/a".to_string(), Severity::Info),
            Some(r) => (
                format!("{:.1}%", r * 100.0),
                if r >= 1.0 {
                    Severity::Ok
                } else if r >= 0.5 {
                    Severity::Warn
                } else {
                    Severity::Critical
                },
            ),
        },
        Read::Names => {
            let names: Vec<&str> = d
                .get(key)
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let text = if names.is_empty() {
                "none".into()
            } else {
                names.join(", ")
            };
            (text, Severity::Info)
        }
    }
}

/// The cards for a dashboard response, grouped as the issue and the web console group them.
pub fn dashboard_cards(d: &Map<String, Value>) -> Vec<Card> {
    CARDS
        .iter()
        .map(|&(group, label, key, how)| {
            let (value, severity) = read(d, key, how);
            Card {
                group,
                label,
                value,
                severity,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn missing_fields_read_as_zero_healthy_and_na() {
        let cards = dashboard_cards(&Map::new());
        let get = |l: &str| cards.iter().find(|c| c.label == l).unwrap().clone();
        assert_eq!(get("Status").value, "healthy");
        assert_eq!(get("Audit success rate").value, "n/a");
        assert_eq!(get("Failed audit sends").value, "0");
        assert_eq!(get("Failed audit sends").severity, Severity::Ok);
    }

    #[test]
    fn thirty_cards_in_four_groups_in_order() {
        let cards = dashboard_cards(&Map::new());
        let labels: Vec<&str> = cards.iter().map(|c| c.label).collect();
        assert_eq!(labels.len(), 30);
        assert_eq!(labels[..3], ["Status", "Plans", "Deliveries"]);
        assert_eq!(labels[29], "Archive health alerts");
        let groups: Vec<&str> = cards.iter().map(|c| c.group).collect();
        let mut seen = groups.clone();
        seen.dedup();
        assert_eq!(seen, [DRILLS, AUDIT, RETRY, FINAL]);
        assert_eq!(get_card(&cards, "Delivery providers").value, "none");
        assert_eq!(
            get_card(&cards, "Retryable deliveries").severity,
            Severity::Ok
        );
    }

    fn get_card(cards: &[Card], label: &str) -> Card {
        cards.iter().find(|c| c.label == label).unwrap().clone()
    }

    #[test]
    fn severities_follow_the_numbers() {
        let d = json!({"alert_level": "critical", "failed_acknowledgement_audit_delivery_count": 2,
                       "acknowledgement_audit_delivery_success_rate": 0.3333, "acknowledgement_audit_delivery_providers": ["splunk"]});
        let cards = dashboard_cards(d.as_object().unwrap());
        let get = |l: &str| cards.iter().find(|c| c.label == l).unwrap().clone();
        assert_eq!(get("Status").severity, Severity::Critical);
        assert_eq!(get("Failed audit sends").severity, Severity::Critical);
        assert_eq!(
            (
                get("Audit success rate").value.as_str(),
                get("Audit success rate").severity
            ),
            ("33.3%", Severity::Critical)
        );
        assert_eq!(get("Delivery providers").value, "splunk");
    }
}
