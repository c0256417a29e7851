//! The Retry Recovery report (CONTRACT §5 `retry-recovery-report`, the web console's "Retry
//! Recovery SLO" table): retry executions per provider, each playbook provider's latest
//! closure, open recoveries and SLO breaches. The server stores it on every GET, so the
//! console asks for it only on an explicit action.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::approval::{map, nested, newest_of};
use super::ids::make_id;
use super::level::alert_level;
use super::record::{PRODUCT, Record, Stamp, counts, fields, kind, nested, objects};
use super::time;

fn text(o: &Map<String, Value>, k: &str) -> String {
    o.get(k).and_then(Value::as_str).unwrap_or("").to_string()
}

fn first(a: String, b: &str) -> String {
    if a.is_empty() { b.to_string() } else { a }
}

fn blank(provider: &str) -> Map<String, Value> {
    map(
        json!({"provider": provider, "execution_count": 0, "execution_delivered_count": 0, "execution_failed_count": 0,
               "execution_skipped_count": 0, "recovery_playbook_count": 0, "recovery_closure_count": 0,
               "open_recovery_count": 0, "slo_breached_count": 0, "latest_execution_at": "", "latest_closure_at": ""}),
    )
}

fn bump(m: &mut Map<String, Value>, k: &str) {
    let n = m.get(k).and_then(Value::as_u64).unwrap_or(0) + 1;
    m.insert(k.into(), n.into());
}

fn later(m: &mut Map<String, Value>, k: &str, at: &str) {
    if at > m.get(k).and_then(Value::as_str).unwrap_or("") {
        m.insert(k.into(), at.into());
    }
}

/// Builds the report (`recovery_slo_minutes` at least 1).
pub fn recovery_report(
    records: &[Record],
    recovery_slo_minutes: u32,
    generated_by: &str,
    now: DateTime<Utc>,
) -> Map<String, Value> {
    let slo = recovery_slo_minutes.max(1) as i64;
    let mut providers: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    let mut status_counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut latest_executions = Vec::new();
    for r in newest_of(records, kind::RETRY_EXECUTION) {
        let e = nested(r, nested::RETRY_EXECUTION);
        let provider = first(first(text(e, "provider"), r.str("provider")), "unknown");
        let status = first(
            first(text(e, "execution_status"), r.str("execution_status")),
            "unknown",
        );
        *status_counts.entry(status.clone()).or_default() += 1;
        let p = providers
            .entry(provider.clone())
            .or_insert_with(|| blank(&provider));
        bump(p, "execution_count");
        match status.as_str() {
            "delivered" => bump(p, "execution_delivered_count"),
            "skipped" => bump(p, "execution_skipped_count"),
            "failed" => bump(p, "execution_failed_count"),
            _ => {}
        }
        let at = first(text(e, "executed_at"), r.created_at());
        later(p, "latest_execution_at", &at);
        latest_executions.push(json!({"execution_id": first(text(e, "execution_id"), r.str("execution_id")),
            "provider": provider, "execution_status": status, "executed_at": at,
            "delivery_success": e.get("delivery_success").and_then(Value::as_bool).unwrap_or(false),
            "approval_decision_id": first(text(e, "approval_decision_id"), r.str("approval_decision_id")),
            "run_id": first(text(e, "run_id"), r.str("run_id"))}));
    }
    let mut closures: BTreeMap<(String, String), Vec<Map<String, Value>>> = BTreeMap::new();
    let mut closure_counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut trends: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for r in newest_of(records, kind::RECOVERY_CLOSURE) {
        let c = nested(r, nested::RECOVERY_CLOSURE);
        let provider = first(first(text(c, "provider"), r.str("provider")), "unknown");
        let playbook = first(text(c, "playbook_id"), r.str("playbook_id"));
        let state = first(
            first(text(c, "closure_state"), r.str("closure_state")),
            "unknown",
        );
        let at = first(text(c, "closed_at"), r.created_at());
        closures
            .entry((playbook, provider.clone()))
            .or_default()
            .push(c.clone());
        *closure_counts.entry(state.clone()).or_default() += 1;
        let day = first(at.chars().take(10).collect(), "unknown");
        let t = trends.entry(day.clone()).or_insert_with(|| {
            map(json!({"date": day, "closure_count": 0, "resolved_count": 0, "mitigated_count": 0, "deferred_count": 0,
                       "escalated_count": 0, "reopened_count": 0, "provider_counts": {}}))
        });
        bump(t, "closure_count");
        bump(t, &format!("{state}_count"));
        if let Some(Value::Object(pc)) = t.get_mut("provider_counts") {
            bump(pc, &provider);
        }
        let p = providers
            .entry(provider.clone())
            .or_insert_with(|| blank(&provider));
        bump(p, "recovery_closure_count");
        later(p, "latest_closure_at", &at);
    }
    let mut rows = Vec::new();
    for r in newest_of(records, kind::RECOVERY_PLAYBOOK) {
        let pb = nested(r, nested::RECOVERY_PLAYBOOK);
        let playbook_id = first(text(pb, "playbook_id"), r.str("playbook_id"));
        let generated_at = first(text(pb, "generated_at"), r.created_at());
        let age = time::parse(&generated_at).map(|t| (now - t).num_minutes());
        for pp in objects(pb, "provider_playbooks") {
            let provider = first(text(pp, "provider"), "unknown");
            let p = providers
                .entry(provider.clone())
                .or_insert_with(|| blank(&provider));
            bump(p, "recovery_playbook_count");
            let mut list = closures
                .get(&(playbook_id.clone(), provider.clone()))
                .cloned()
                .unwrap_or_default();
            list.sort_by_key(|c| std::cmp::Reverse(text(c, "closed_at")));
            let latest = list.first().cloned().unwrap_or_default();
            let state = first(text(&latest, "closure_state"), "open");
            let closed = matches!(state.as_str(), "resolved" | "mitigated");
            let breached = !closed && age.is_some_and(|a| a > slo);
            if !closed {
                bump(p, "open_recovery_count");
            }
            if breached {
                bump(p, "slo_breached_count");
            }
            let closed_at = text(&latest, "closed_at");
            let minutes = match (time::parse(&generated_at), time::parse(&closed_at)) {
                (Some(g), Some(c)) => Some((c - g).num_minutes()),
                _ => None,
            };
            let slo_status = if breached {
                "breached"
            } else if closed {
                "closed"
            } else {
                "open"
            };
            rows.push(json!({"playbook_id": playbook_id, "provider": provider,
                "category": pp.get("category").cloned().unwrap_or(json!("unknown")),
                "failure_count": pp.get("failure_count").and_then(Value::as_u64).unwrap_or(0),
                "generated_at": generated_at, "age_minutes": age, "recovery_slo_minutes": slo, "closure_state": state,
                "closure_id": text(&latest, "closure_id"), "closed_at": closed_at, "closure_minutes": minutes,
                "slo_status": slo_status, "slo_breached": breached}));
        }
    }
    let executions = latest_executions.len();
    let delivered = status_counts.get("delivered").copied().unwrap_or(0);
    let failed = status_counts.get("failed").copied().unwrap_or(0)
        + status_counts.get("skipped").copied().unwrap_or(0);
    let is_closed =
        |r: &Value| matches!(r["closure_state"].as_str(), Some("resolved" | "mitigated"));
    let closed_count = rows.iter().filter(|r| is_closed(r)).count();
    let open_count = rows.len() - closed_count;
    let breached_count = rows.iter().filter(|r| r["slo_breached"] == true).count();
    let level = alert_level(breached_count > 0 || failed > 0, open_count > 0);
    rows.sort_by(|a, b| {
        (b["slo_breached"] == true, b["generated_at"].as_str())
            .cmp(&(a["slo_breached"] == true, a["generated_at"].as_str()))
    });
    latest_executions.sort_by(|a, b| b["executed_at"].as_str().cmp(&a["executed_at"].as_str()));
    latest_executions.truncate(20);
    let generated_at = time::iso(now);
    let id = make_id(
        "gordackretryreport",
        &json!({"generated_at": generated_at, "execution_count": executions, "recovery_rows": rows,
                "recovery_slo_minutes": slo})
        .to_string(),
    );
    let rate = (executions > 0)
        .then(|| ((delivered as f64 / executions as f64) * 10_000.0).round() / 10_000.0);
    map(json!({
        "schema_version": "cavra.go-backend-pilot.rollback-drill-acknowledgement-audit-delivery-retry-recovery-report.v1",
        "product": PRODUCT, "report_id": id, "generated_at": generated_at, "generated_by": generated_by,
        "alert_level": level, "recovery_slo_minutes": slo, "execution_count": executions,
        "execution_success_count": delivered, "execution_failed_count": failed, "execution_success_rate": rate,
        "execution_status_counts": status_counts, "recovery_playbook_provider_count": rows.len(),
        "recovery_closed_count": closed_count, "recovery_open_count": open_count,
        "recovery_slo_breached_count": breached_count, "closure_state_counts": closure_counts,
        "provider_summary": providers.into_values().collect::<Vec<_>>(), "recovery_rows": rows,
        "closure_trends": trends.into_values().rev().collect::<Vec<_>>(), "latest_executions": latest_executions,
        "controls": ["retry-recovery-report-derived-from-public-safe-execution-and-closure-metadata",
                     "recovery-slo-report-contains-no-connector-secrets",
                     "closure-trends-aggregate-provider-and-state-counts-only"],
    }))
}

/// The stored record of a report.
pub fn report_record(r: &Map<String, Value>) -> Record {
    let n = |k: &str| r.get(k).and_then(Value::as_u64).unwrap_or(0);
    let blocked = n("recovery_slo_breached_count") + n("execution_failed_count");
    let keys = ["recovery_playbook_provider_count", "recovery_open_count"];
    let [providers, open] = fields(r, keys);
    let stamp = Stamp::generated("report_id");
    let counts = counts(providers, blocked, open);
    Record::draft(kind::RETRY_RECOVERY_REPORT, r, stamp, counts)
        .copy(&["report_id", "alert_level", "execution_count"])
        .copy(&["execution_failed_count"])
        .copy(&["recovery_slo_breached_count"])
        .nest(nested::RETRY_RECOVERY_REPORT)
}
