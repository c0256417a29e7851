//! Golden shapes (issue 13): every response sample mode builds has the keys and JSON types of
//! the contract's samples (tests/fixtures/contract = ../shared/cavra-api/samples), nested
//! objects and list elements included. Sample mode may add `"simulated": true` and nothing
//! else; `null` stands for a value the scenario lacks (an optional id, a rate).

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use cavra_tui::backend::sample::SampleBackend;
use cavra_tui::backend::*;
use cavra_tui::domain::ack::{AckInput, AckState};
use cavra_tui::domain::archive::ArchiveRules;
use cavra_tui::domain::audit::{AuditScope, audit_package_record};
use cavra_tui::domain::history::HistoryQuery;
use cavra_tui::domain::query::Page;
use cavra_tui::domain::retry::{RetryAckInput, RetryPolicy};
use cavra_tui::domain::route::RouteKey;
use cavra_tui::domain::worker::{AlertQuery, AlertRequest, WorkerSchedule};

fn fixture(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/contract/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Lists of records of different kinds: only the envelope is compared.
const RECORD_LISTS: [&str; 3] = ["items", "latest", "failed_deliveries"];
const ENVELOPE: [&str; 8] = [
    "schema_version",
    "product",
    "session_id",
    "created_at",
    "signer",
    "decision_count",
    "blocked_count",
    "approval_required_count",
];

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Differences between `got` and the sample `want`, as `path: what`.
fn diff(path: &str, got: &Value, want: &Value, out: &mut Vec<String>) {
    if got.is_null() || want.is_null() {
        return;
    }
    if kind_of(got) != kind_of(want) {
        out.push(format!(
            "{path}: {} where the sample has {}",
            kind_of(got),
            kind_of(want)
        ));
        return;
    }
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => diff_object(path, g, w, out),
        (Value::Array(g), Value::Array(w)) => {
            let (Some(g0), Some(w0)) = (g.first(), w.first()) else {
                return;
            };
            let last = path.rsplit('.').next().unwrap_or("");
            if RECORD_LISTS.contains(&last) {
                for (i, item) in g.iter().enumerate() {
                    for k in ENVELOPE {
                        if item.get(k).is_none() {
                            out.push(format!("{path}[{i}]: no {k}"));
                        }
                    }
                }
            } else if let Some(key) = w0.get("alert_id").map(|_| "alert_id") {
                // Alerts of different kinds carry different keys: compare like with like.
                for (i, item) in g.iter().enumerate() {
                    let same = w.iter().find(|x| x.get(key) == item.get(key));
                    if let Some(same) = same {
                        diff(&format!("{path}[{i}]"), item, same, out);
                    }
                }
            } else {
                diff(&format!("{path}[0]"), g0, w0, out);
            }
        }
        _ => {}
    }
}

fn diff_object(path: &str, g: &Map<String, Value>, w: &Map<String, Value>, out: &mut Vec<String>) {
    let gk: BTreeSet<&String> = g.keys().filter(|k| *k != "simulated").collect();
    let wk: BTreeSet<&String> = w.keys().collect();
    for k in wk.difference(&gk) {
        out.push(format!("{path}: missing {k}"));
    }
    for k in gk.difference(&wk) {
        out.push(format!("{path}: extra {k}"));
    }
    for (k, wv) in w {
        if let Some(gv) = g.get(k) {
            diff(&format!("{path}.{k}"), gv, wv, out);
        }
    }
}

fn check(name: &str, got: &Value, want: &Value, all: &mut Vec<String>) {
    diff(name, got, want, all);
}

#[tokio::test]
async fn every_sample_mode_response_has_the_contracts_shape() {
    let dir = tempfile::tempdir().unwrap();
    let b = SampleBackend::open(&dir.path().join("g.db")).unwrap();
    let mut problems = Vec::new();
    let obj = |m: Map<String, Value>| Value::Object(m);

    let ack = b
        .acknowledge(AckInput {
            route: RouteKey::new("payments_api_monthly", "teams"),
            plan_id: String::new(),
            state: AckState::Acknowledged,
            acknowledged_by: "release-manager".into(),
            external_ref: "CHG-123".into(),
            notes: "n".into(),
        })
        .await
        .unwrap();
    let want = fixture("ack-response.json");
    check(
        "ack.metadata",
        &obj(ack.0.clone()),
        &want["metadata"],
        &mut problems,
    );
    check(
        "ack.acknowledgement",
        ack.0.get("acknowledgement").unwrap(),
        &want["acknowledgement"],
        &mut problems,
    );

    let routes = b.routes().await.unwrap();
    let outstanding: Vec<_> = routes
        .iter()
        .filter(|r| r.is_outstanding())
        .take(2)
        .collect();
    let bulk = b
        .bulk_acknowledge(BulkRequest {
            routes: outstanding
                .iter()
                .map(|r| (r.key(), r.plan_id.clone()))
                .collect(),
            state: AckState::Resolved,
            acknowledged_by: "release-manager".into(),
            external_ref: String::new(),
            notes: String::new(),
            seen: Default::default(),
            actors: Vec::new(),
        })
        .await
        .unwrap();
    let mut result = bulk.results[0].clone();
    result.insert("actor".into(), Value::Null);
    check(
        "bulk",
        &obj(result),
        &fixture("bulk-response.json"),
        &mut problems,
    );

    let pkg = b
        .audit_package(AuditScope::default(), "release-manager".into())
        .await
        .unwrap();
    let want = fixture("audit-package-response.json");
    check(
        "audit_package",
        &obj(pkg.clone()),
        &want["audit_package"],
        &mut problems,
    );
    check(
        "audit_package.metadata",
        &obj(audit_package_record(&pkg).0),
        &want["metadata"],
        &mut problems,
    );

    let delivered = b
        .deliver_audit(AuditDeliveryRequest {
            scope: AuditScope::default(),
            delivery_provider: "splunk".into(),
            cadence: "hourly".into(),
            schedule_ref: "evidence-console".into(),
            generated_by: "release-manager".into(),
        })
        .await
        .unwrap();
    check(
        "audit_delivery",
        &obj(delivered),
        &fixture("audit-delivery-response.json"),
        &mut problems,
    );

    let plan = b
        .retry_plan(RetryPolicy::default(), "release-manager".into())
        .await
        .unwrap();
    check(
        "retry_plan",
        &obj(plan.clone()),
        &fixture("retry-plan-response.json"),
        &mut problems,
    );

    let decision = plan["plan"]["retry_decisions"][0].clone();
    let retry_ack = b
        .retry_ack(RetryAckInput {
            retry_plan_id: plan["plan"]["retry_plan_id"].as_str().unwrap().into(),
            provider: decision["provider"].as_str().unwrap().into(),
            acknowledged_by: "release-manager".into(),
            state: "accepted".into(),
            delivery_id: decision["delivery_id"].as_str().unwrap().into(),
            audit_id: decision["audit_id"].as_str().unwrap().into(),
            external_ref: "CHG-9".into(),
            notes: String::new(),
        })
        .await
        .unwrap();
    check(
        "retry_ack",
        &obj(retry_ack),
        &fixture("retry-ack-response.json"),
        &mut problems,
    );

    let run = b
        .worker_run(WorkerRunRequest {
            policy: RetryPolicy::default(),
            schedule: WorkerSchedule::default(),
            max_retry_deliveries: 5,
            generated_by: "release-manager".into(),
        })
        .await
        .unwrap();
    check(
        "worker_run",
        &obj(run),
        &fixture("worker-run-response.json"),
        &mut problems,
    );

    let health = b.worker_health(HealthParams::default()).await.unwrap();
    check(
        "worker_health",
        &obj(health),
        &fixture("worker-health-response.json"),
        &mut problems,
    );

    let sent = b
        .send_worker_alert(SendAlertRequest {
            alert: AlertRequest {
                provider: "webhook".into(),
                suppression_window_minutes: Some(60),
                force: false,
                generated_by: "release-manager".into(),
            },
            health: HealthParams::default(),
            retries: 0,
            timeout_seconds: 0.1,
        })
        .await
        .unwrap();
    check(
        "worker_alert_deliver",
        &obj(sent.clone()),
        &fixture("worker-health-alert-deliver-response.json"),
        &mut problems,
    );

    let alert_ack = b
        .ack_worker_alert(AlertAckInput {
            health_id: sent["plan"]["health_id"].as_str().unwrap().into(),
            plan_id: sent["plan"]["plan_id"].as_str().unwrap().into(),
            provider: "webhook".into(),
            acknowledged_by: "release-manager".into(),
            state: "acknowledged".into(),
            external_ref: String::new(),
            notes: String::new(),
        })
        .await
        .unwrap();
    check(
        "worker_alert_ack",
        &obj(alert_ack),
        &fixture("worker-health-alert-ack-response.json"),
        &mut problems,
    );
    let alerts = b
        .worker_alerts(AlertQuery::default(), Page::first(50))
        .await
        .unwrap();
    check(
        "worker_alerts",
        &obj(alerts),
        &fixture("worker-health-alerts-response.json"),
        &mut problems,
    );
    let board = b.worker_alert_dashboard().await.unwrap();
    check(
        "worker_alert_dashboard",
        &obj(board),
        &fixture("worker-health-alert-dashboard-response.json"),
        &mut problems,
    );

    let auditor = b
        .auditor_retry_plan(RetryPolicy::default(), "release-manager".into())
        .await
        .unwrap();
    check(
        "auditor_retry_plan",
        &obj(auditor),
        &fixture("auditor-export-delivery-retry-plan-response.json"),
        &mut problems,
    );
    let archive = b
        .archive_health(ArchiveHealthRequest {
            rules: ArchiveRules::default(),
            generated_by: "release-manager".into(),
            persist: true,
        })
        .await
        .unwrap();
    check(
        "archive_health",
        &obj(archive),
        &fixture("archive-reference-health-response.json"),
        &mut problems,
    );

    let list = b
        .history(HistoryQuery::default(), Page::first(50))
        .await
        .unwrap();
    check(
        "history",
        &obj(list),
        &fixture("list-response.json"),
        &mut problems,
    );
    let dashboard = b.dashboard().await.unwrap();
    check(
        "dashboard",
        &obj(dashboard),
        &fixture("dashboard-response.json"),
        &mut problems,
    );

    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_fixtures_are_the_shared_samples() {
    let shared =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/cavra-api/samples");
    if !shared.exists() {
        return; // outside the workspace the copies are all there is
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/contract");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap();
        let ours = std::fs::read(&path).unwrap();
        let theirs = std::fs::read(shared.join(name)).unwrap();
        assert_eq!(ours, theirs, "{name:?} differs from the shared sample");
    }
}

#[test]
fn the_shape_check_sees_missing_extra_and_mistyped_keys() {
    let want = fixture("retry-plan-response.json");
    let mut got = want.clone();
    got["plan"].as_object_mut().unwrap().remove("controls");
    got["plan"]["retry_decisions"][0]["retry_count"] = Value::from("1");
    got["metadata"]["extra_key"] = Value::from(1);
    got["plan"]["simulated"] = Value::from(true);
    let mut out = Vec::new();
    diff("p", &got, &want, &mut out);
    assert_eq!(
        out,
        [
            "p.plan: missing controls",
            "p.plan.retry_decisions[0].retry_count: string where the sample has number",
            "p.metadata: extra extra_key",
        ]
    );
}
