//! `cavra-tui sample generate`: a large, deterministic, contract-shaped store for scale tests —
//! notification plans (8 routes a schedule), acknowledgements in every state, audit packages,
//! audit deliveries with failures, retry plans, worker runs, auditor exports with archive
//! references, and notification deliveries filling the history up to the asked size.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::store::{Store, StoreError};
use crate::backend::WorkerRunRequest;
use crate::domain::Record;
use crate::domain::ack::{AckInput, AckState, ack_record, build_ack};
use crate::domain::delivery::{
    AuditDeliveryInput, ProviderOutcome, audit_delivery_plan, audit_delivery_plan_record,
    audit_delivery_record, connector_delivery_record,
};
use crate::domain::ids::make_id;
use crate::domain::provider::PROVIDERS;
use crate::domain::record::{PRODUCT, kind, nested, source};
use crate::domain::retry::{RetryPolicy, audit_retry_plan, retry_plan_record};
use crate::domain::route::RouteKey;
use crate::domain::time;
use crate::domain::worker::{dry_run, worker_run_record};

/// Routes per schedule (one per provider).
pub const ROUTES_PER_SCHEDULE: usize = PROVIDERS.len();
const BATCH: usize = 5_000;

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub routes: usize,
    pub history: usize,
    pub seed: u64,
}

/// What was generated.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub schedules: usize,
    pub routes: usize,
    pub records: usize,
}

/// splitmix64: a tiny deterministic generator, stable across versions (a seed always gives the same store).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// Replaces the store's records with a generated estate in one transaction (a failure or a
/// kill leaves the store as it was); `progress(done, total)` is called as it goes.
pub fn generate(
    store: &mut Store,
    spec: Spec,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Report, StoreError> {
    let mut report = Report::default();
    let seeded_at = time::iso(now);
    store.rebuild(
        &mut |sink| {
            report = fill(sink, spec, now, progress)?;
            Ok(())
        },
        &[("seeded_at", &seeded_at)],
    )?;
    Ok(report)
}

/// Generates the estate into `sink`, batch by batch.
fn fill(
    sink: &mut super::store::Sink<'_>,
    spec: Spec,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Report, StoreError> {
    let mut rng = Rng(spec.seed);
    let schedules = spec.routes.div_ceil(ROUTES_PER_SCHEDULE);
    let total = spec.history.max(spec.routes / 2 + schedules);
    let mut batch: Vec<Record> = Vec::with_capacity(BATCH);
    let mut done = 0usize;
    let mut flush = |batch: &mut Vec<Record>,
                     sink: &mut super::store::Sink<'_>,
                     done: &mut usize|
     -> Result<(), StoreError> {
        sink(batch)?;
        *done += batch.len();
        batch.clear();
        progress(*done, total);
        Ok(())
    };
    let mut routes = 0;
    let mut plans_meta: Vec<(String, String)> = Vec::with_capacity(schedules);
    for s in 0..schedules {
        let n = ROUTES_PER_SCHEDULE.min(spec.routes - routes);
        let age = 5 + rng.below(600) as i64;
        let at = now - Duration::minutes(age);
        let schedule_id = format!("drill_{s:06}");
        let plan = plan_record(&schedule_id, n, s, at, &mut rng);
        plans_meta.push((schedule_id.clone(), plan.str("plan_id").to_string()));
        batch.push(plan);
        for p in PROVIDERS.iter().take(n) {
            if rng.chance(55) {
                let states = [
                    AckState::Acknowledged,
                    AckState::Acknowledged,
                    AckState::Resolved,
                    AckState::Escalated,
                    AckState::Dismissed,
                ];
                let state = states[rng.below(states.len() as u64) as usize];
                let ack_age = rng.below(age.max(1) as u64) as i64;
                let input = AckInput {
                    route: RouteKey::new(&schedule_id, *p),
                    plan_id: String::new(),
                    state,
                    acknowledged_by: format!("operator-{:02}", rng.below(30)),
                    external_ref: if rng.chance(40) {
                        format!("CHG-{}", 1000 + rng.below(9000))
                    } else {
                        String::new()
                    },
                    notes: String::new(),
                };
                batch.push(ack_record(&build_ack(
                    &input,
                    now - Duration::minutes(ack_age)
                        - Duration::milliseconds(rng.below(60_000) as i64),
                )));
            }
        }
        routes += n;
        if batch.len() >= BATCH {
            flush(&mut batch, sink, &mut done)?;
        }
    }
    // The delivery-health family, a few thousand records.
    let failures = extras(
        &mut rng,
        now,
        &plans_meta,
        (spec.history / 40).clamp(5, 2_000),
        &mut batch,
    );
    let retry_base: Vec<Record> = failures.into_iter().take(200).collect();
    for i in 0..20 {
        let at = now - Duration::minutes(300 - i * 10);
        let plan = audit_retry_plan(&retry_base, &RetryPolicy::default(), "cavra-worker", at);
        batch.push(retry_plan_record(
            &plan,
            kind::RETRY_PLAN,
            nested::RETRY_PLAN,
        ));
        let worker = WorkerRunRequest {
            generated_by: "cavra-worker".into(),
            ..Default::default()
        };
        let run = dry_run(&worker.input(&retry_base, at + Duration::seconds(1)));
        batch.push(worker_run_record(&run.run));
    }
    flush(&mut batch, sink, &mut done)?;
    // Fill the history with notification deliveries, oldest first.
    let mut k = 0usize;
    while done + batch.len() < total {
        let (schedule_id, _) = &plans_meta[k % plans_meta.len().max(1)];
        let at = now - Duration::minutes(600 + (total - done) as i64 % 50_000);
        let outcomes: Vec<ProviderOutcome> = PROVIDERS
            .iter()
            .take(3)
            .map(|p| ProviderOutcome {
                provider: (*p).into(),
                status_code: if rng.chance(10) { 503 } else { 200 },
            })
            .collect();
        let mut r = connector_delivery_record(
            source::NOTIFICATION,
            "cavra.go_backend.rollback_drill.notification",
            schedule_id,
            &outcomes,
            at,
            &[],
        );
        r.0.insert(
            "session_id".into(),
            Value::String(format!("rcd-gen-{k:08}")),
        );
        batch.push(r);
        k += 1;
        if batch.len() >= BATCH {
            flush(&mut batch, sink, &mut done)?;
        }
    }
    flush(&mut batch, sink, &mut done)?;
    Ok(Report {
        schedules,
        routes,
        records: done,
    })
}

fn plan_record(schedule_id: &str, n: usize, s: usize, at: DateTime<Utc>, rng: &mut Rng) -> Record {
    let generated_at = time::iso(at);
    let plan_id = make_id("gordn", &format!("{schedule_id}|{generated_at}"));
    let decisions: Vec<Value> = PROVIDERS
        .iter()
        .take(n)
        .enumerate()
        .map(|(i, p)| {
            let owner = format!("team-{:02}", (s * 7 + i) % 40);
            let slo = [30, 45, 60, 90, 120][rng.below(5) as usize];
            let mut d = json!({"schedule_id": schedule_id, "provider": p, "owner": owner, "acknowledgement_minutes": slo,
                               "escalation_owner": "release-governance", "maintenance_window": null,
                               "owner_availability": {"available": true, "reason": "no owner calendar configured"},
                               "action": "deliver", "reason": "rollback drill is stale or due soon"});
            if rng.chance(10) {
                d["action"] = "suppress".into();
                match rng.below(3) {
                    0 => d["maintenance_window"] = json!({"window_id": "mw-gen", "reason": "change freeze"}),
                    1 => d["owner_availability"] = json!({"available": false, "reason": "owner on leave"}),
                    _ => d["reason"] = "rollback drill schedule is healthy; notification suppressed".into(),
                }
            }
            d
        })
        .collect();
    let selected: Vec<&str> = decisions
        .iter()
        .filter(|d| d["action"] == "deliver")
        .filter_map(|d| d["provider"].as_str())
        .collect();
    let v = json!({
        "session_id": plan_id, "created_at": generated_at, "signer": "cavra-scheduler", "decision_count": 1,
        "blocked_count": 1, "approval_required_count": 0, "metadata_kind": kind::NOTIFICATION_PLAN, "plan_id": plan_id,
        "schedule_id": schedule_id, "alert_level": "critical", "selected_providers": selected,
        "acknowledgement_required_providers": selected,
        "plan": {"schema_version": "cavra.go-backend-pilot.rollback-drill-notification-plan.v1", "product": PRODUCT,
                 "plan_id": plan_id, "schedule_id": schedule_id, "generated_at": generated_at, "generated_by": "cavra-scheduler",
                 "status": "needs_attention", "alert_level": "critical", "selected_providers": selected,
                 "acknowledgement_required_providers": selected, "route_decisions": decisions},
    });
    Record::envelope(v.as_object().cloned().expect("object literal"))
}

/// Audit packages, audit deliveries (some failed), auditor exports; returns the failed deliveries.
fn extras(
    rng: &mut Rng,
    now: DateTime<Utc>,
    plans: &[(String, String)],
    n: usize,
    batch: &mut Vec<Record>,
) -> Vec<Record> {
    let mut failed = Vec::new();
    for i in 0..n {
        let at = now - Duration::minutes(rng.below(900) as i64) - Duration::milliseconds(i as i64);
        let audit_id = make_id("gordackaudit", &format!("gen|{i}"));
        let package = json!({"audit_id": audit_id, "route_count": 8, "outstanding_count": rng.below(8), "escalated_count": rng.below(3),
                             "alert_level": "critical", "filters": {"schedule_id": plans[i % plans.len().max(1)].0, "provider": "", "owner": ""}});
        let provider = PROVIDERS[rng.below(PROVIDERS.len() as u64) as usize].to_string();
        let plan = audit_delivery_plan(
            &AuditDeliveryInput {
                package: package.as_object().expect("object"),
                requested_provider: &provider,
                selected_providers: std::slice::from_ref(&provider),
                generated_by: "release-manager",
                cadence: if rng.chance(50) {
                    "hourly"
                } else {
                    "on_demand"
                },
                schedule_ref: "generated",
                next_delivery_at: "",
            },
            at,
        );
        let code = if rng.chance(15) {
            [500, 502, 503, 0][rng.below(4) as usize]
        } else {
            200
        };
        let delivery = audit_delivery_record(
            &plan,
            &[ProviderOutcome {
                provider,
                status_code: code,
            }],
            at + Duration::milliseconds(5),
        );
        if code != 200 {
            failed.push(delivery.clone());
        }
        batch.push(audit_delivery_plan_record(&plan));
        batch.push(delivery);
    }
    failed
}
