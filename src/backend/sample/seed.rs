//! Turns the scenario in `sample-data/scenario.json` (embedded in the binary) into CAVRA's own
//! record envelopes, with every time relative to the moment of seeding.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use crate::backend::WorkerRunRequest;
use crate::domain::ack::{AckInput, AckState, ack_record, build_ack};
use crate::domain::audit::{AuditScope, audit_package_record, build_audit_package};
use crate::domain::delivery::{
    AuditDeliveryInput, ProviderOutcome, audit_delivery_plan, audit_delivery_plan_record,
    audit_delivery_record, connector_delivery_record,
};
use crate::domain::ids::make_id;
use crate::domain::record::{PRODUCT, Record, kind, nested, source};
use crate::domain::retry::retry_plan_record;
use crate::domain::route::RouteKey;
use crate::domain::time;
use crate::domain::worker::{WorkerSchedule, dry_run, worker_run_record};

/// The scenario that ships with the binary.
pub const EMBEDDED_SCENARIO: &str = include_str!("../../../sample-data/scenario.json");

use super::seed_plans::plan_record;
pub use super::seed_spec::*;

/// The simulated connectors of a scenario: provider -> HTTP status.
pub fn scenario_connectors(text: &str) -> Result<BTreeMap<String, u16>, SeedError> {
    Ok(serde_json::from_str::<Scenario>(text)?.connectors)
}

/// Parses a scenario and builds every record it describes, as of `now`.
pub fn scenario_records(text: &str, now: DateTime<Utc>) -> Result<Vec<Record>, SeedError> {
    let sc: Scenario = serde_json::from_str(text)?;
    let ago = |m: i64| now - Duration::minutes(m);
    let mut plans = Vec::new();
    for s in &sc.schedules {
        for &m in &s.plans_minutes_ago {
            plans.push(plan_record(s, ago(m)));
        }
    }
    let mut acks = Vec::new();
    for a in &sc.acknowledgements {
        let route =
            RouteKey::parse(&a.route).ok_or_else(|| SeedError::BadRoute(a.route.clone()))?;
        let state = AckState::parse(&a.state).map_err(|source| SeedError::BadState {
            route: a.route.clone(),
            source,
        })?;
        let plan_id = latest_plan_id_at(&plans, &route.schedule_id, &time::iso(ago(a.minutes_ago)));
        let input = AckInput {
            route,
            plan_id,
            state,
            acknowledged_by: a.by.clone(),
            external_ref: a.external_ref.clone(),
            notes: a.notes.clone(),
        };
        acks.push(ack_record(&build_ack(&input, ago(a.minutes_ago))));
    }
    let mut out: Vec<Record> = plans.clone();
    out.extend(acks.iter().cloned());
    for d in &sc.notification_deliveries {
        let outcomes = outcomes(&d.status);
        out.push(connector_delivery_record(
            source::NOTIFICATION,
            "cavra.go_backend.rollback_drill.notification",
            &d.schedule_id,
            &outcomes,
            ago(d.minutes_ago),
            &[],
        ));
    }
    let mut packages = BTreeMap::new();
    for p in &sc.audit_packages {
        let at = ago(p.minutes_ago);
        let (plans_then, acks_then) = (as_of(&plans, at), as_of(&acks, at));
        let scope = AuditScope {
            schedule_id: p.schedule_id.clone(),
            provider: p.provider.clone(),
            owner: p.owner.clone(),
        };
        let pkg = build_audit_package(&plans_then, &acks_then, &scope, &p.by, at);
        out.push(audit_package_record(&pkg));
        packages.insert(p.name.clone(), (pkg, p.by.clone()));
    }
    for d in &sc.audit_deliveries {
        let (pkg, by) = packages
            .get(&d.package)
            .ok_or_else(|| SeedError::UnknownPackage(d.package.clone()))?;
        let at = ago(d.minutes_ago);
        let selected: Vec<String> = d.status.keys().cloned().collect();
        let requested = selected.join(",");
        let plan = audit_delivery_plan(
            &AuditDeliveryInput {
                package: pkg,
                requested_provider: &requested,
                selected_providers: &selected,
                generated_by: by,
                cadence: &d.cadence,
                schedule_ref: &d.schedule_ref,
                next_delivery_at: "",
            },
            at,
        );
        out.push(audit_delivery_plan_record(&plan));
        out.push(audit_delivery_record(
            &plan,
            &outcomes(&d.status),
            at + Duration::milliseconds(250),
        ));
    }
    seed_worker_and_exports(&sc, &mut out, now)?;
    Ok(out)
}

/// The records that existed at `at` (created then or before).
fn as_of(records: &[Record], at: DateTime<Utc>) -> Vec<Record> {
    let cutoff = time::iso(at);
    records
        .iter()
        .filter(|r| r.created_at() <= cutoff.as_str())
        .cloned()
        .collect()
}

fn seed_worker_and_exports(
    sc: &Scenario,
    out: &mut Vec<Record>,
    now: DateTime<Utc>,
) -> Result<(), SeedError> {
    let ago = |m: i64| now - Duration::minutes(m);
    for w in &sc.worker_runs {
        let at = ago(w.minutes_ago);
        let then = as_of(out, at);
        let schedule = WorkerSchedule {
            interval_minutes: w.interval_minutes,
            cadence: w.cadence.clone(),
            enabled: true,
        };
        let worker = WorkerRunRequest {
            schedule,
            generated_by: "cavra-worker".into(),
            ..Default::default()
        };
        let run = dry_run(&worker.input(&then, at));
        out.push(retry_plan_record(
            &run.retry_plan,
            kind::RETRY_PLAN,
            nested::RETRY_PLAN,
        ));
        out.push(worker_run_record(&run.run));
    }
    let mut exports = BTreeMap::new();
    for e in &sc.auditor_exports {
        let (export, reference) = auditor_export_records(
            e,
            ago(e.minutes_ago),
            e.archive.as_ref().map(|a| ago(a.minutes_ago)),
        );
        exports.insert(
            e.release_record_ref.clone(),
            export.str("export_id").to_string(),
        );
        out.push(export);
        out.extend(reference);
    }
    for d in &sc.auditor_export_deliveries {
        let export_id = exports
            .get(&d.release_record_ref)
            .ok_or_else(|| SeedError::UnknownExport(d.release_record_ref.clone()))?;
        out.push(connector_delivery_record(
            source::AUDITOR_EXPORT,
            "cavra.go_backend.rollback_drill.final_reporting_auditor_export",
            export_id,
            &outcomes(&d.status),
            ago(d.minutes_ago),
            &[
                ("export_id", export_id),
                ("release_record_ref", &d.release_record_ref),
            ],
        ));
    }
    Ok(())
}

/// A final auditor export record and, when archived, its immutable archive reference.
fn auditor_export_records(
    e: &AuditorExportSpec,
    at: DateTime<Utc>,
    archived_at: Option<DateTime<Utc>>,
) -> (Record, Option<Record>) {
    let generated_at = time::iso(at);
    let export_id = make_id(
        "gordackfinalauditor",
        &format!("{}|{generated_at}", e.release_record_ref),
    );
    let verification_id = make_id(
        "gordackfinalpacket",
        &format!("{}|{generated_at}", e.release_record_ref),
    );
    let export_hash = format!(
        "sha256:{}",
        crate::domain::ids::sha256_hex(export_id.as_bytes())
    );
    let export = json!({
        "schema_version": "cavra.go-backend-pilot.rollback-drill-final-reporting-auditor-export.v1", "product": PRODUCT,
        "export_id": export_id, "verification_id": verification_id, "release_record_ref": e.release_record_ref,
        "verification_state": e.verification_state, "generated_at": generated_at, "generated_by": "release-manager",
        "export_hash": export_hash, "format": "markdown",
    });
    let meta = json!({
        "session_id": export_id, "created_at": generated_at, "signer": "release-manager", "decision_count": 1,
        "blocked_count": u8::from(e.verification_state != "verified"), "approval_required_count": 0,
        "metadata_kind": kind::AUDITOR_EXPORT, "export_id": export_id, "verification_id": verification_id,
        "release_record_ref": e.release_record_ref, "verification_state": e.verification_state, "export_hash": export_hash,
        "final_reporting_auditor_export": export,
    });
    let export_record = Record::envelope(meta.as_object().cloned().expect("object literal"));
    let reference = e.archive.as_ref().zip(archived_at).map(|(a, t)| {
        let at = time::iso(t);
        let reference_id = make_id("gordackfinalarchive", &format!("{export_id}|{at}"));
        let obj = json!({
            "schema_version": "cavra.go-backend-pilot.rollback-drill-final-reporting-immutable-archive-reference.v1",
            "product": PRODUCT, "reference_id": reference_id, "export_id": export_id, "release_record_ref": e.release_record_ref,
            "archive_ref": a.archive_ref, "archive_provider": "external_immutable_store", "retention_until": a.retention_until,
            "legal_hold": false, "archive_hash": export_hash, "archived_at": at, "archived_by": "release-manager", "notes": "",
        });
        let meta = json!({
            "session_id": reference_id, "created_at": at, "signer": "release-manager", "decision_count": 1, "blocked_count": 0,
            "approval_required_count": 0, "metadata_kind": kind::ARCHIVE_REFERENCE, "reference_id": reference_id,
            "export_id": export_id, "archive_provider": "external_immutable_store", "retention_until": a.retention_until,
            "archive_hash": export_hash, "final_reporting_immutable_archive_reference": obj,
        });
        Record::envelope(meta.as_object().cloned().expect("object literal"))
    });
    (export_record, reference)
}

fn outcomes(status: &BTreeMap<String, u16>) -> Vec<ProviderOutcome> {
    status
        .iter()
        .map(|(p, c)| ProviderOutcome {
            provider: p.clone(),
            status_code: *c,
        })
        .collect()
}

fn latest_plan_id_at(plans: &[Record], schedule_id: &str, at: &str) -> String {
    plans
        .iter()
        .filter(|p| p.str("schedule_id") == schedule_id && p.created_at() <= at)
        .max_by(|a, b| a.created_at().cmp(b.created_at()))
        .map(|p| p.str("plan_id").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
#[path = "seed_tests.rs"]
mod tests;
