//! The delivery-health dashboard (CONTRACT §4.2): about a hundred counters over the history.
//!
//! Rules copied from the server, quirks included: a route counts as acknowledged on the
//! dashboard when **any** of its acknowledgements (not only the latest) is acknowledged or
//! resolved; only the **latest plan per schedule** is looked at; the audit success rate is
//! `null` when there were no attempts. Counters the console does not compute specially count
//! the records of the kind their name spells (`..._plan_count` -> `...-plan` records).

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::history::window_refs;
use super::record::{PRODUCT, Record, kind, s, source};
use super::time;

/// Every key of the dashboard response, in the server's order (CONTRACT §4.2 sample).
pub const DASHBOARD_KEYS: [&str; 108] = [
    "schema_version",
    "product",
    "generated_at",
    "alert_level",
    "plan_count",
    "delivery_count",
    "notification_delivery_count",
    "failed_delivery_count",
    "acknowledgement_count",
    "acknowledgement_audit_package_count",
    "acknowledgement_audit_delivery_plan_count",
    "acknowledgement_audit_delivery_count",
    "failed_acknowledgement_audit_delivery_count",
    "acknowledgement_audit_delivery_success_count",
    "acknowledgement_audit_delivery_success_rate",
    "acknowledgement_audit_delivery_providers",
    "acknowledgement_audit_delivery_health",
    "acknowledgement_audit_delivery_retry_plan_count",
    "acknowledgement_audit_delivery_retryable_count",
    "acknowledgement_audit_delivery_retry_ack_count",
    "acknowledgement_audit_delivery_retry_execution_approval_plan_count",
    "acknowledgement_audit_delivery_retry_execution_approval_decision_count",
    "acknowledgement_audit_delivery_retry_execution_approved_count",
    "acknowledgement_audit_delivery_retry_execution_record_count",
    "acknowledgement_audit_delivery_retry_execution_success_count",
    "acknowledgement_audit_delivery_retry_execution_failed_count",
    "acknowledgement_audit_delivery_connector_recovery_playbook_count",
    "acknowledgement_audit_delivery_connector_recovery_closure_count",
    "acknowledgement_audit_delivery_connector_recovery_closed_count",
    "acknowledgement_audit_delivery_retry_recovery_report_count",
    "acknowledgement_audit_delivery_recovery_escalation_plan_count",
    "acknowledgement_audit_delivery_recovery_escalation_route_count",
    "acknowledgement_audit_delivery_recovery_escalation_ack_count",
    "acknowledgement_audit_delivery_recovery_escalation_retry_plan_count",
    "acknowledgement_audit_delivery_recovery_escalation_retryable_count",
    "acknowledgement_audit_delivery_recovery_escalation_retry_worker_run_count",
    "acknowledgement_audit_delivery_recovery_escalation_retry_execution_record_count",
    "acknowledgement_audit_delivery_recovery_escalation_retry_execution_success_count",
    "acknowledgement_audit_delivery_recovery_escalation_retry_execution_failed_count",
    "acknowledgement_audit_delivery_recovery_escalation_retry_health_count",
    "acknowledgement_audit_delivery_recovery_escalation_retry_health_alert_count",
    "acknowledgement_audit_delivery_recovery_escalation_retry_health_alert_plan_count",
    "acknowledgement_audit_delivery_recovery_escalation_retry_health_alert_ack_count",
    "acknowledgement_audit_delivery_recovery_escalation_retry_health_alert_delivery_retry_plan_count",
    "acknowledgement_audit_delivery_recovery_escalation_retry_health_alert_delivery_retryable_count",
    "acknowledgement_audit_delivery_recovery_escalation_retry_health_alert_delivery_retry_worker_run_count",
    "acknowledgement_audit_delivery_recovery_escalation_retry_health_alert_delivery_retry_execution_record_count",
    "acknowledgement_audit_delivery_recovery_escalation_retry_health_alert_delivery_retry_execution_success_count",
    "acknowledgement_audit_delivery_recovery_escalation_retry_health_alert_delivery_retry_execution_failed_count",
    "acknowledgement_audit_delivery_recovery_executive_report_count",
    "acknowledgement_audit_delivery_recovery_executive_report_schedule_run_count",
    "acknowledgement_audit_delivery_recovery_executive_report_delivery_count",
    "failed_acknowledgement_audit_delivery_recovery_executive_report_delivery_count",
    "acknowledgement_audit_delivery_recovery_executive_report_delivery_retry_plan_count",
    "acknowledgement_audit_delivery_recovery_executive_report_delivery_retryable_count",
    "acknowledgement_audit_delivery_recovery_executive_report_delivery_retry_worker_run_count",
    "acknowledgement_audit_delivery_recovery_executive_report_delivery_retry_execution_record_count",
    "acknowledgement_audit_delivery_recovery_executive_report_delivery_retry_execution_success_count",
    "acknowledgement_audit_delivery_recovery_executive_report_delivery_retry_execution_failed_count",
    "acknowledgement_audit_delivery_recovery_executive_report_delivery_retry_health_count",
    "acknowledgement_audit_delivery_recovery_executive_report_delivery_retry_health_alert_count",
    "acknowledgement_audit_delivery_recovery_executive_report_delivery_retry_health_alert_plan_count",
    "acknowledgement_audit_delivery_recovery_executive_report_delivery_retry_health_alert_ack_count",
    "acknowledgement_audit_delivery_recovery_executive_report_delivery_retry_health_alert_delivery_count",
    "failed_acknowledgement_audit_delivery_recovery_executive_report_delivery_retry_health_alert_delivery_count",
    "acknowledgement_audit_delivery_recovery_executive_report_delivery_retry_health_alert_delivery_retry_plan_count",
    "acknowledgement_audit_delivery_recovery_executive_report_delivery_retry_health_alert_delivery_retryable_count",
    "acknowledgement_audit_delivery_recovery_executive_report_delivery_retry_health_alert_delivery_retry_worker_run_count",
    "acknowledgement_audit_delivery_recovery_executive_report_delivery_retry_health_alert_delivery_retry_execution_record_count",
    "acknowledgement_audit_delivery_recovery_executive_report_delivery_retry_health_alert_delivery_retry_execution_success_count",
    "acknowledgement_audit_delivery_recovery_executive_report_delivery_retry_health_alert_delivery_retry_execution_failed_count",
    "acknowledgement_audit_delivery_final_reporting_release_readiness_summary_count",
    "acknowledgement_audit_delivery_final_reporting_release_ready_count",
    "acknowledgement_audit_delivery_final_reporting_operator_runbook_export_count",
    "acknowledgement_audit_delivery_final_reporting_release_readiness_approval_decision_count",
    "acknowledgement_audit_delivery_final_reporting_release_readiness_approved_count",
    "acknowledgement_audit_delivery_final_reporting_release_record_attachment_count",
    "acknowledgement_audit_delivery_final_reporting_release_closure_packet_verification_count",
    "acknowledgement_audit_delivery_final_reporting_release_closure_packet_verified_count",
    "acknowledgement_audit_delivery_final_reporting_auditor_export_count",
    "acknowledgement_audit_delivery_final_reporting_auditor_export_delivery_count",
    "failed_acknowledgement_audit_delivery_final_reporting_auditor_export_delivery_count",
    "acknowledgement_audit_delivery_final_reporting_auditor_export_delivery_retry_plan_count",
    "acknowledgement_audit_delivery_final_reporting_auditor_export_delivery_retryable_count",
    "acknowledgement_audit_delivery_final_reporting_auditor_export_delivery_retry_worker_run_count",
    "acknowledgement_audit_delivery_final_reporting_auditor_export_delivery_retry_execution_record_count",
    "acknowledgement_audit_delivery_final_reporting_auditor_export_delivery_retry_execution_success_count",
    "acknowledgement_audit_delivery_final_reporting_auditor_export_delivery_retry_execution_failed_count",
    "acknowledgement_audit_delivery_final_reporting_immutable_archive_reference_count",
    "acknowledgement_audit_delivery_final_reporting_archive_reference_health_count",
    "acknowledgement_audit_delivery_final_reporting_archive_reference_health_alert_count",
    "acknowledgement_audit_delivery_final_reporting_archive_reference_health_alert_plan_count",
    "acknowledgement_audit_delivery_final_reporting_archive_reference_health_alert_ack_count",
    "acknowledgement_audit_delivery_final_reporting_archive_reference_health_alert_delivery_count",
    "failed_acknowledgement_audit_delivery_final_reporting_archive_reference_health_alert_delivery_count",
    "acknowledgement_audit_delivery_final_reporting_readiness_bundle_count",
    "acknowledgement_audit_delivery_final_reporting_signed_archive_manifest_count",
    "acknowledgement_audit_delivery_final_reporting_archive_manifest_signed_count",
    "acknowledgement_audit_delivery_final_reporting_release_closeout_summary_count",
    "acknowledgement_audit_delivery_final_reporting_release_closeout_closed_count",
    "acknowledgement_audit_delivery_worker_run_count",
    "acknowledgement_audit_delivery_worker_dry_run_count",
    "acknowledgement_audit_delivery_worker_executed_count",
    "acknowledgement_audit_delivery_worker_health_alert_count",
    "acknowledgement_audit_delivery_worker_health_alert_ack_count",
    "outstanding_acknowledgement_count",
    "outstanding_acknowledgements",
    "latest",
];

fn counted_kind(key: &str) -> Option<String> {
    let stem = key.strip_suffix("_count")?;
    Some(format!("{}{}", kind::PREFIX, stem.replace('_', "-")))
}

fn deliveries<'a>(
    records: &'a [&'a Record],
    src: &'a str,
) -> impl Iterator<Item = &'a &'a Record> + 'a {
    records.iter().filter(move |r| {
        r.kind() == kind::CONNECTOR_DELIVERY && r.str("connector_delivery_source") == src
    })
}

fn failed(r: &Record) -> bool {
    r.bool("delivery_success") == Some(false)
}

fn sum(records: &[&Record], k: &str, field: &str) -> u64 {
    records
        .iter()
        .filter(|r| r.kind() == k)
        .map(|r| r.0.get(field).and_then(Value::as_u64).unwrap_or(0))
        .sum()
}

/// Outstanding routes: for the latest plan per schedule, each acknowledgement-required
/// provider with no acknowledgement in {acknowledged, resolved}, ever. `records` are in
/// history order; schedules come in the order of their latest plan, newest first (CAVRA's
/// dict keeps the order in which the newest-first history first names each schedule).
pub fn outstanding(records: &[&Record]) -> Vec<Value> {
    let mut order: Vec<String> = Vec::new();
    let mut latest: HashMap<String, &Record> = HashMap::new();
    for r in records
        .iter()
        .copied()
        .filter(|r| r.kind() == kind::NOTIFICATION_PLAN)
    {
        let nested = r.object("plan");
        let schedule = match r.str("schedule_id") {
            "" => nested.map(|p| s(p, "schedule_id")).unwrap_or(""),
            id => id,
        };
        if schedule.is_empty() {
            continue;
        }
        match latest.get(schedule) {
            Some(cur) if cur.created_at() >= r.created_at() => {}
            Some(_) => {
                latest.insert(schedule.to_string(), r);
            }
            None => {
                order.push(schedule.to_string());
                latest.insert(schedule.to_string(), r);
            }
        }
    }
    let acked: HashSet<(&str, &str)> = records
        .iter()
        .filter(|r| {
            r.kind() == kind::NOTIFICATION_ACK
                && matches!(r.str("acknowledgement_state"), "acknowledged" | "resolved")
        })
        .map(|r| (r.str("schedule_id"), r.str("provider")))
        .collect();
    let mut out = Vec::new();
    for schedule in &order {
        let Some(p) = latest.get(schedule) else {
            continue;
        };
        // CAVRA reads the nested plan (with the record's time) when there is one.
        let plan = p.object("plan").unwrap_or(&p.0);
        let plan_schedule = match s(plan, "schedule_id") {
            "" => schedule.as_str(),
            id => id,
        };
        let providers = plan
            .get("acknowledgement_required_providers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str);
        for provider in providers {
            if !acked.contains(&(plan_schedule, provider)) {
                out.push(json!({"schedule_id": plan_schedule, "provider": provider,
                                "plan_id": plan.get("plan_id").cloned().unwrap_or(Value::Null)}));
            }
        }
    }
    out
}

/// Builds the dashboard as CAVRA does: over the newest 500 history records only.
pub fn dashboard(all: &[Record], now: DateTime<Utc>) -> Map<String, Value> {
    let records: Vec<&Record> = window_refs(all);
    let family: Vec<&&Record> = records
        .iter()
        .filter(|r| r.kind() == kind::CONNECTOR_DELIVERY)
        .collect();
    let audit: Vec<&&Record> = deliveries(&records, source::ACK_AUDIT).collect();
    let audit_failed = audit.iter().filter(|r| failed(r)).count();
    let rate = if audit.is_empty() {
        Value::Null
    } else {
        json!(
            (((audit.len() - audit_failed) as f64 / audit.len() as f64) * 10_000.0).round()
                / 10_000.0
        )
    };
    let providers: BTreeSet<&str> = audit.iter().flat_map(|r| r.strs("providers")).collect();
    let auditor: Vec<&&Record> = deliveries(&records, source::AUDITOR_EXPORT).collect();
    let archive_alerts: Vec<&&Record> =
        deliveries(&records, source::ARCHIVE_HEALTH_ALERT).collect();
    let outstanding = outstanding(&records);
    let any_failed = family.iter().any(|r| failed(r));
    let count_kind = |k: &str| records.iter().filter(|r| r.kind() == k).count() as u64;
    // Approved, executed and closed are counted by state, as CAVRA does, not by kind name.
    let count_state = |k: &str, field: &str, want: &str| {
        records
            .iter()
            .filter(|r| r.kind() == k && r.str(field) == want)
            .count() as u64
    };
    let mut m = Map::new();
    for key in DASHBOARD_KEYS {
        let v: Value = match key {
            "schema_version" => {
                "cavra.go-backend-pilot.rollback-drill-notification-dashboard.v1".into()
            }
            "product" => PRODUCT.into(),
            "generated_at" => time::iso(now).into(),
            "alert_level" => (if any_failed || !outstanding.is_empty() {
                "critical"
            } else {
                "healthy"
            })
            .into(),
            "delivery_count" => family.len().into(),
            "notification_delivery_count" => {
                deliveries(&records, source::NOTIFICATION).count().into()
            }
            "failed_delivery_count" => family.iter().filter(|r| failed(r)).count().into(),
            "acknowledgement_count" => count_kind(kind::NOTIFICATION_ACK).into(),
            "acknowledgement_audit_delivery_count" => audit.len().into(),
            "failed_acknowledgement_audit_delivery_count" => audit_failed.into(),
            "acknowledgement_audit_delivery_success_count" => (audit.len() - audit_failed).into(),
            "acknowledgement_audit_delivery_success_rate" => rate.clone(),
            "acknowledgement_audit_delivery_providers" => json!(providers),
            "acknowledgement_audit_delivery_health" => (if audit_failed > 0 {
                "critical"
            } else {
                "healthy"
            })
            .into(),
            "acknowledgement_audit_delivery_retryable_count" => {
                sum(&records, kind::RETRY_PLAN, "retryable_count").into()
            }
            "acknowledgement_audit_delivery_worker_dry_run_count" => records
                .iter()
                .filter(|r| r.kind() == kind::WORKER_RUN && r.bool("dry_run") == Some(true))
                .count()
                .into(),
            "acknowledgement_audit_delivery_worker_executed_count" => records
                .iter()
                .filter(|r| r.kind() == kind::WORKER_RUN && r.bool("dry_run") == Some(false))
                .count()
                .into(),
            "acknowledgement_audit_delivery_worker_health_alert_count" => {
                count_kind(kind::WORKER_HEALTH_ALERT_PLAN).into()
            }
            "acknowledgement_audit_delivery_final_reporting_auditor_export_delivery_count" => {
                auditor.len().into()
            }
            "failed_acknowledgement_audit_delivery_final_reporting_auditor_export_delivery_count" => {
                auditor.iter().filter(|r| failed(r)).count().into()
            }
            "acknowledgement_audit_delivery_final_reporting_auditor_export_delivery_retryable_count" => {
                sum(&records, kind::AUDITOR_EXPORT_RETRY_PLAN, "retryable_count").into()
            }
            "acknowledgement_audit_delivery_final_reporting_archive_reference_health_alert_count" => {
                sum(&records, kind::ARCHIVE_HEALTH, "alert_count").into()
            }
            "acknowledgement_audit_delivery_final_reporting_archive_reference_health_alert_delivery_count" => {
                archive_alerts.len().into()
            }
            "failed_acknowledgement_audit_delivery_final_reporting_archive_reference_health_alert_delivery_count" => {
                archive_alerts.iter().filter(|r| failed(r)).count().into()
            }
            "acknowledgement_audit_delivery_retry_execution_approved_count" => {
                count_state(kind::RETRY_APPROVAL_DECISION, "approval_state", "approved").into()
            }
            "acknowledgement_audit_delivery_retry_execution_success_count" => {
                count_state(kind::RETRY_EXECUTION, "execution_status", "delivered").into()
            }
            "acknowledgement_audit_delivery_retry_execution_failed_count" => {
                count_state(kind::RETRY_EXECUTION, "execution_status", "failed").into()
            }
            "acknowledgement_audit_delivery_connector_recovery_closed_count" => {
                count_state(kind::RECOVERY_CLOSURE, "closure_state", "resolved").into()
            }
            "acknowledgement_audit_delivery_final_reporting_auditor_export_delivery_retry_execution_success_count" => {
                count_state(
                    kind::AUDITOR_RETRY_EXECUTION,
                    "execution_status",
                    "delivered",
                )
                .into()
            }
            "acknowledgement_audit_delivery_final_reporting_auditor_export_delivery_retry_execution_failed_count" => {
                count_state(kind::AUDITOR_RETRY_EXECUTION, "execution_status", "failed").into()
            }
            "plan_count" => count_kind(kind::NOTIFICATION_PLAN).into(),
            "outstanding_acknowledgement_count" => outstanding.len().into(),
            "outstanding_acknowledgements" => {
                json!(outstanding.iter().take(20).collect::<Vec<_>>())
            }
            "latest" => json!(
                records
                    .iter()
                    .take(10)
                    .map(|r| Value::Object(r.0.clone()))
                    .collect::<Vec<_>>()
            ),
            other => counted_kind(other)
                .map(|k| count_kind(&k))
                .unwrap_or(0)
                .into(),
        };
        m.insert(key.to_string(), v);
    }
    m
}

#[cfg(test)]
#[path = "dashboard_tests.rs"]
mod tests;
