//! The delivery-health actions in sample mode (CONTRACT §4.1–4.17): each reads the family's
//! records from the store, computes with `domain`, writes its records in one transaction,
//! and answers with the same JSON the CAVRA server returns. Deliveries are simulated by the
//! scenario's connectors (provider -> HTTP status); nothing touches the network.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value, json};

use super::answers::{AlertKind, alert_sent, connectors, family, history_page, obj};
use super::store::Store;
use crate::backend::{
    ArchiveHealthRequest, AuditDeliveryRequest, BackendError, HealthParams, Json, SendAlertRequest,
};
use crate::domain::Record;
use crate::domain::archive::{archive_health, archive_health_metadata};
use crate::domain::audit::{audit_package_record, build_audit_package};
use crate::domain::dashboard::dashboard;
use crate::domain::delivery::{
    AuditDeliveryInput, ProviderOutcome, audit_delivery_plan, audit_delivery_plan_record,
    audit_delivery_record,
};
use crate::domain::history::{HistoryQuery, in_family};
use crate::domain::query::Page;
use crate::domain::record::{kind, source};
use crate::domain::retry::normalise;
use crate::domain::worker::{
    AlertQuery, alert_dashboard, alert_history_matches, alert_plan, alert_plan_record,
    worker_health,
};

/// Resolves a destination (`all`, one provider or a comma list) against the connectors.
pub(super) fn select(
    requested: &str,
    configured: &BTreeMap<String, u16>,
) -> Result<Vec<ProviderOutcome>, BackendError> {
    let wanted: Vec<String> = requested
        .split(',')
        .map(normalise)
        .filter(|p| !p.is_empty())
        .collect();
    let names: Vec<String> = if wanted.is_empty() || wanted.iter().any(|p| p == "all") {
        configured.keys().cloned().collect()
    } else {
        wanted
    };
    names
        .into_iter()
        .map(|p| match configured.get(&p) {
            Some(code) => Ok(ProviderOutcome {
                provider: p,
                status_code: *code,
            }),
            None => Err(BackendError::Rejected(format!(
                "connector provider is not configured: {p}"
            ))),
        })
        .collect()
}

pub fn dashboard_json(s: &Store, now: DateTime<Utc>) -> Result<Json, BackendError> {
    Ok(dashboard(&family(s)?, now))
}

pub fn history_json(s: &Store, q: &HistoryQuery, page: Page) -> Result<Json, BackendError> {
    let schema = "cavra.go-backend-pilot.rollback-drill-notification-history.v1";
    let wanted = |r: &Record| in_family(r) && q.matches(r);
    history_page(s, schema, wanted, page)
}

pub fn deliver_audit(
    s: &mut Store,
    req: &AuditDeliveryRequest,
    now: DateTime<Utc>,
) -> Result<Json, BackendError> {
    let configured = connectors(s)?;
    let requested = if req.delivery_provider.trim().is_empty() {
        if req.scope.provider.is_empty() {
            "all".to_string()
        } else {
            req.scope.provider.clone()
        }
    } else {
        req.delivery_provider.clone()
    };
    let outcomes = select(&requested, &configured)?;
    let plans = s.records_of_kind(kind::NOTIFICATION_PLAN)?;
    let acks = s.records_of_kind(kind::NOTIFICATION_ACK)?;
    let package = build_audit_package(&plans, &acks, &req.scope, &req.generated_by, now);
    let selected: Vec<String> = outcomes.iter().map(|o| o.provider.clone()).collect();
    let plan = audit_delivery_plan(
        &AuditDeliveryInput {
            package: &package,
            requested_provider: &requested,
            selected_providers: &selected,
            generated_by: &req.generated_by,
            cadence: &req.cadence,
            schedule_ref: &req.schedule_ref,
            next_delivery_at: "",
        },
        now,
    );
    let delivery = audit_delivery_record(&plan, &outcomes, now + Duration::milliseconds(1));
    let (pkg_rec, plan_rec) = (
        audit_package_record(&package),
        audit_delivery_plan_record(&plan),
    );
    s.put_records(&[pkg_rec.clone(), plan_rec.clone(), delivery.clone()])?;
    Ok(obj(json!({
        "audit_package": package, "audit_metadata": pkg_rec.0, "delivery_plan": plan, "plan_metadata": plan_rec.0,
        "delivery": delivery.0.get("delivery").cloned(), "metadata": delivery.0, "success": delivery.bool("delivery_success"),
        "actor": null,
    })))
}

/// §4.11 (side-effect free: the store is only read).
pub fn health(s: &mut Store, p: &HealthParams, now: DateTime<Utc>) -> Result<Json, BackendError> {
    let (interval, stale) = (p.expected_interval_minutes, p.stale_metadata_minutes);
    Ok(worker_health(&family(s)?, interval, stale, now))
}

/// Worker-health alerts (§4.12).
const WORKER_ALERTS: AlertKind = AlertKind {
    plan_record: alert_plan_record,
    source: source::WORKER_HEALTH_ALERT,
    event_type: "cavra.go_backend.rollback_drill.acknowledgement_audit_worker_health_alert",
};

pub fn send_alert(
    s: &mut Store,
    req: &SendAlertRequest,
    now: DateTime<Utc>,
) -> Result<Json, BackendError> {
    let configured = connectors(s)?;
    select(&req.alert.provider, &configured)?; // an unconfigured provider is refused before anything is stored
    let records = family(s)?;
    let health = worker_health(
        &records,
        req.health.expected_interval_minutes,
        req.health.stale_metadata_minutes,
        now,
    );
    let names: Vec<String> = configured.keys().cloned().collect();
    let plan = alert_plan(&health, &req.alert, &names, &records, now);
    let outcome = |p: &str| {
        Some(ProviderOutcome {
            provider: p.to_string(),
            status_code: configured.get(p).copied().unwrap_or(200),
        })
    };
    alert_sent(s, &WORKER_ALERTS, health, plan, outcome, now)
}

pub fn alerts(s: &Store, q: &AlertQuery, page: Page) -> Result<Json, BackendError> {
    let schema = "cavra.go-backend-pilot.rollback-drill-acknowledgement-audit-delivery-worker-health-alert-history.v1";
    history_page(s, schema, |r| alert_history_matches(q, r), page)
}

pub fn alert_board(s: &Store, now: DateTime<Utc>) -> Result<Json, BackendError> {
    Ok(alert_dashboard(&family(s)?, now))
}

pub fn archive(
    s: &mut Store,
    req: &ArchiveHealthRequest,
    now: DateTime<Utc>,
) -> Result<Json, BackendError> {
    let health = archive_health(&family(s)?, req.rules, &req.generated_by, now);
    let meta = archive_health_metadata(&health);
    let metadata: Map<String, Value> = if req.persist {
        let rec = Record::envelope(meta);
        s.put_records(std::slice::from_ref(&rec))?;
        rec.0
    } else {
        meta
    };
    Ok(obj(json!({"health": health, "metadata": metadata})))
}
