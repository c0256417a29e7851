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

/// The cards for a dashboard response, grouped as the issue and the web console group them.
pub fn dashboard_cards(d: &Map<String, Value>) -> Vec<Card> {
    let mut out = Vec::new();
    let mut push = |group, label, value: String, severity| {
        out.push(Card {
            group,
            label,
            value,
            severity,
        })
    };
    let n = |k: &str| count(d, k);
    let info_n = |k: &str| (n(k).to_string(), Severity::Info);
    let bad_if = |k: &str, sev: Severity| {
        let v = n(k);
        (v.to_string(), if v > 0 { sev } else { Severity::Ok })
    };
    const DRILLS: &str = "Drill notifications";
    const AUDIT: &str = "Acknowledgement audit delivery";
    const RETRY: &str = "Retries and worker";
    const FINAL: &str = "Final auditor exports";
    let status = level(d, "alert_level");
    push(
        DRILLS,
        "Status",
        status.clone(),
        Severity::from_level(&status),
    );
    let (v, s) = info_n("plan_count");
    push(DRILLS, "Plans", v, s);
    let (v, s) = info_n("delivery_count");
    push(DRILLS, "Deliveries", v, s);
    let (v, s) = bad_if("failed_delivery_count", Severity::Critical);
    push(DRILLS, "Failed deliveries", v, s);
    let (v, s) = info_n("acknowledgement_count");
    push(DRILLS, "Acknowledgements", v, s);
    let (v, s) = bad_if("outstanding_acknowledgement_count", Severity::Warn);
    push(DRILLS, "Outstanding acks", v, s);

    let health = level(d, "acknowledgement_audit_delivery_health");
    push(
        AUDIT,
        "Audit delivery health",
        health.clone(),
        Severity::from_level(&health),
    );
    let (v, s) = info_n("acknowledgement_audit_package_count");
    push(AUDIT, "Audit packages", v, s);
    let (v, s) = info_n("acknowledgement_audit_delivery_plan_count");
    push(AUDIT, "Audit delivery plans", v, s);
    let (v, s) = info_n("acknowledgement_audit_delivery_count");
    push(AUDIT, "Audit sends", v, s);
    let (v, s) = bad_if(
        "failed_acknowledgement_audit_delivery_count",
        Severity::Critical,
    );
    push(AUDIT, "Failed audit sends", v, s);
    let (rate, sev) = match d
        .get("acknowledgement_audit_delivery_success_rate")
        .and_then(Value::as_f64)
    {
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
    };
    push(AUDIT, "Audit success rate", rate, sev);
    let providers: Vec<&str> = d
        .get("acknowledgement_audit_delivery_providers")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    push(
        AUDIT,
        "Delivery providers",
        if providers.is_empty() {
            "none".into()
        } else {
            providers.join(", ")
        },
        Severity::Info,
    );

    let (v, s) = info_n("acknowledgement_audit_delivery_retry_plan_count");
    push(RETRY, "Audit retry plans", v, s);
    let (v, s) = bad_if(
        "acknowledgement_audit_delivery_retryable_count",
        Severity::Warn,
    );
    push(RETRY, "Retryable deliveries", v, s);
    let (v, s) = info_n("acknowledgement_audit_delivery_retry_ack_count");
    push(RETRY, "Retry acks", v, s);
    let (v, s) = info_n("acknowledgement_audit_delivery_worker_run_count");
    push(RETRY, "Worker runs", v, s);
    let (v, s) = info_n("acknowledgement_audit_delivery_worker_dry_run_count");
    push(RETRY, "Worker dry runs", v, s);
    let (v, s) = info_n("acknowledgement_audit_delivery_worker_health_alert_count");
    push(RETRY, "Worker alerts", v, s);
    let (v, s) = info_n("acknowledgement_audit_delivery_worker_health_alert_ack_count");
    push(RETRY, "Worker alert acks", v, s);
    let (v, s) = info_n("acknowledgement_audit_delivery_retry_execution_approval_plan_count");
    push(RETRY, "Retry Approvals", v, s);
    let (v, s) = info_n("acknowledgement_audit_delivery_retry_execution_approved_count");
    push(RETRY, "Approved Retries", v, s);
    let (v, s) = info_n("acknowledgement_audit_delivery_retry_execution_record_count");
    push(RETRY, "Retry Executions", v, s);
    let (v, s) = bad_if(
        "acknowledgement_audit_delivery_retry_execution_failed_count",
        Severity::Critical,
    );
    push(RETRY, "Execution Failed", v, s);
    let (v, s) = info_n("acknowledgement_audit_delivery_connector_recovery_playbook_count");
    push(RETRY, "Recovery Playbooks", v, s);
    let (v, s) = info_n("acknowledgement_audit_delivery_connector_recovery_closed_count");
    push(RETRY, "Recovery Closed", v, s);

    let (v, s) = info_n(
        "acknowledgement_audit_delivery_final_reporting_auditor_export_delivery_retry_plan_count",
    );
    push(FINAL, "Auditor retry plans", v, s);
    let (v, s) = bad_if(
        "acknowledgement_audit_delivery_final_reporting_auditor_export_delivery_retryable_count",
        Severity::Warn,
    );
    push(FINAL, "Retryable auditor sends", v, s);
    let (v, s) =
        info_n("acknowledgement_audit_delivery_final_reporting_archive_reference_health_count");
    push(FINAL, "Archive health reports", v, s);
    let (v, s) = bad_if(
        "acknowledgement_audit_delivery_final_reporting_archive_reference_health_alert_count",
        Severity::Warn,
    );
    push(FINAL, "Archive health alerts", v, s);
    out
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
