//! Sample mode on a real SQLite file: every delivery-health action is recorded, and the
//! dashboards move accordingly (issue #3). Reopening proves persistence.

use serde_json::Value;

use cavra_tui::backend::sample::SampleBackend;
use cavra_tui::backend::{
    AlertAckInput, ArchiveHealthRequest, AuditDeliveryRequest, Backend, BackendError, HealthParams,
    SendAlertRequest, WorkerRunRequest,
};
use cavra_tui::domain::archive::ArchiveRules;
use cavra_tui::domain::audit::AuditScope;
use cavra_tui::domain::history::HistoryQuery;
use cavra_tui::domain::query::Page;
use cavra_tui::domain::record::kind;
use cavra_tui::domain::retry::{RetryAckInput, RetryPolicy};
use cavra_tui::domain::worker::{AlertQuery, AlertRequest, WorkerSchedule};

fn n(v: &Value, k: &str) -> u64 {
    v[k].as_u64().unwrap_or_else(|| panic!("{k} missing: {v}"))
}

async fn board(b: &SampleBackend) -> Value {
    Value::Object(b.dashboard().await.unwrap())
}

fn delivery(provider: &str) -> AuditDeliveryRequest {
    AuditDeliveryRequest {
        scope: AuditScope {
            owner: "payments".into(),
            ..Default::default()
        },
        delivery_provider: provider.into(),
        cadence: "on_demand".into(),
        schedule_ref: "evidence-console".into(),
        generated_by: "alice".into(),
    }
}

#[tokio::test]
async fn audit_delivery_is_recorded_and_failures_show_on_the_dashboard() {
    let dir = tempfile::tempdir().unwrap();
    let b = SampleBackend::open(&dir.path().join("s.db")).unwrap();
    let before = board(&b).await;
    let out = b.deliver_audit(delivery("splunk")).await.unwrap();
    assert_eq!(out["success"], false, "splunk answers 503 in the scenario");
    assert_eq!(
        out["delivery_plan"]["selected_providers"],
        serde_json::json!(["splunk"])
    );
    assert_eq!(out["metadata"]["delivery"]["simulated"], true);
    let after = board(&b).await;
    assert_eq!(
        n(&after, "failed_acknowledgement_audit_delivery_count"),
        n(&before, "failed_acknowledgement_audit_delivery_count") + 1
    );
    assert_eq!(
        n(&after, "acknowledgement_audit_package_count"),
        n(&before, "acknowledgement_audit_package_count") + 1
    );
    let ok = b.deliver_audit(delivery("jira")).await.unwrap();
    assert_eq!(ok["success"], true);
    let err = b.deliver_audit(delivery("pagerduty")).await.unwrap_err();
    assert!(
        matches!(&err, BackendError::Rejected(m) if m == "connector provider is not configured: pagerduty"),
        "{err}"
    );
    assert_eq!(
        n(&board(&b).await, "acknowledgement_audit_delivery_count"),
        n(&after, "acknowledgement_audit_delivery_count") + 1,
        "nothing stored for the refused one"
    );
}

#[tokio::test]
async fn the_recommended_operator_flow_moves_every_counter() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let b = SampleBackend::open(&path).unwrap();
    let before = board(&b).await;
    let health_before = b.worker_health(HealthParams::default()).await.unwrap();
    assert_eq!(
        health_before["missed_run_count"], 1,
        "the scenario's worker stopped running"
    );

    // 1. Plan Audit Retry.
    let plan = b
        .retry_plan(RetryPolicy::default(), "alice".into())
        .await
        .unwrap();
    let decision = plan["plan"]["retry_decisions"][0].clone();
    assert!(plan["plan"]["decision_count"].as_u64().unwrap() >= 2);
    // 2. Run Audit Worker (dry run).
    let run = b
        .worker_run(WorkerRunRequest {
            policy: RetryPolicy::default(),
            schedule: WorkerSchedule::default(),
            max_retry_deliveries: 5,
            generated_by: "alice".into(),
        })
        .await
        .unwrap();
    assert_eq!(run["run"]["dry_run"], true);
    assert!(
        run["retry_results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["skipped"] == "dry_run")
    );
    let health = b.worker_health(HealthParams::default()).await.unwrap();
    assert_eq!(health["missed_run_count"], 0, "the run just happened");
    // 3. Send Worker Alert.
    let alert = b
        .send_worker_alert(SendAlertRequest {
            alert: AlertRequest {
                provider: "webhook".into(),
                suppression_window_minutes: Some(60),
                force: true,
                generated_by: "alice".into(),
            },
            health: HealthParams::default(),
            retries: 0,
            timeout_seconds: 0.1,
        })
        .await
        .unwrap();
    let health_id = alert["plan"]["health_id"].as_str().unwrap().to_string();
    let alerts_before = b.worker_alert_dashboard().await.unwrap();
    assert_eq!(alerts_before["outstanding_acknowledgement_count"], 1);
    // 4. Ack Retry on the first decision of the latest plan.
    b.retry_ack(RetryAckInput {
        retry_plan_id: plan["plan"]["retry_plan_id"].as_str().unwrap().into(),
        provider: decision["provider"].as_str().unwrap().into(),
        acknowledged_by: "alice".into(),
        state: "accepted".into(),
        delivery_id: decision["delivery_id"].as_str().unwrap().into(),
        audit_id: decision["audit_id"].as_str().unwrap().into(),
        ..Default::default()
    })
    .await
    .unwrap();
    // Acknowledge the alert.
    b.ack_worker_alert(AlertAckInput {
        health_id: health_id.clone(),
        plan_id: alert["plan"]["plan_id"].as_str().unwrap().into(),
        provider: "webhook".into(),
        acknowledged_by: "alice".into(),
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(
        b.worker_alert_dashboard().await.unwrap()["outstanding_acknowledgement_count"],
        0
    );
    // Auditor retry plan and an explicit archive check.
    b.auditor_retry_plan(RetryPolicy::default(), "alice".into())
        .await
        .unwrap();
    let look = b
        .archive_health(ArchiveHealthRequest {
            rules: ArchiveRules::default(),
            generated_by: "alice".into(),
            persist: false,
        })
        .await
        .unwrap();
    assert_eq!(look["health"]["missing_archive_reference_count"], 1);
    assert_eq!(
        n(
            &board(&b).await,
            "acknowledgement_audit_delivery_final_reporting_archive_reference_health_count"
        ),
        0,
        "viewing stores nothing"
    );
    b.archive_health(ArchiveHealthRequest {
        rules: ArchiveRules::default(),
        generated_by: "alice".into(),
        persist: true,
    })
    .await
    .unwrap();

    // 5. Filter history by the retry acknowledgement kind; then reopen the file.
    drop(b);
    let b = SampleBackend::open(&path).unwrap();
    let q = HistoryQuery {
        metadata_kind: Some(kind::RETRY_ACK.into()),
        ..Default::default()
    };
    let hist = b.history(q, Page::first(50)).await.unwrap();
    assert_eq!(hist["total"], 1);
    assert_eq!(hist["items"][0]["acknowledgement_state"], "accepted");
    let after = board(&b).await;
    for (k, d) in [
        ("acknowledgement_audit_delivery_retry_plan_count", 2), // the plan and the worker's plan
        ("acknowledgement_audit_delivery_retry_ack_count", 1),
        ("acknowledgement_audit_delivery_worker_run_count", 1),
        ("acknowledgement_audit_delivery_worker_dry_run_count", 1),
        (
            "acknowledgement_audit_delivery_worker_health_alert_count",
            1,
        ),
        (
            "acknowledgement_audit_delivery_worker_health_alert_ack_count",
            1,
        ),
        (
            "acknowledgement_audit_delivery_final_reporting_auditor_export_delivery_retry_plan_count",
            1,
        ),
        (
            "acknowledgement_audit_delivery_final_reporting_archive_reference_health_count",
            1,
        ),
        (
            "acknowledgement_audit_delivery_final_reporting_archive_reference_health_alert_count",
            2,
        ),
    ] {
        assert_eq!(n(&after, k), n(&before, k) + d, "{k}");
    }
    let alerts = b
        .worker_alerts(
            AlertQuery {
                health_id: Some(health_id),
                ..Default::default()
            },
            Page::first(50),
        )
        .await
        .unwrap();
    assert_eq!(alerts["total"], 3, "plan, delivery and ack");
}

#[tokio::test]
async fn bad_inputs_are_refused_with_the_servers_messages_and_store_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let b = SampleBackend::open(&dir.path().join("s.db")).unwrap();
    let before = board(&b).await;
    let err = b
        .retry_ack(RetryAckInput {
            retry_plan_id: "x".into(),
            provider: "splunk".into(),
            acknowledged_by: "a".into(),
            state: "approved".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "acknowledgement_state must be accepted, deferred, escalated, resolved, or dismissed"
    );
    let err = b
        .ack_worker_alert(AlertAckInput {
            health_id: "h".into(),
            provider: "".into(),
            acknowledged_by: "a".into(),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "provider is required");
    let err = b
        .send_worker_alert(SendAlertRequest {
            alert: AlertRequest {
                provider: "opsgenie".into(),
                suppression_window_minutes: Some(60),
                force: false,
                generated_by: "a".into(),
            },
            health: HealthParams::default(),
            retries: 0,
            timeout_seconds: 0.1,
        })
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "connector provider is not configured: opsgenie"
    );
    assert_eq!(board(&b).await["latest"], before["latest"]);
}

#[tokio::test]
async fn worker_and_archive_alerts_choose_their_providers_by_one_rule() {
    use cavra_tui::backend::Call;
    use cavra_tui::backend::calls::ArchiveAlertRequest;
    let dir = tempfile::tempdir().unwrap();
    let b = SampleBackend::open(&dir.path().join("s.db")).unwrap();
    let alert = |provider: &str| AlertRequest {
        provider: provider.into(),
        suppression_window_minutes: Some(60),
        force: true,
        generated_by: "a".into(),
    };
    let selected = |out: &serde_json::Map<String, Value>| {
        let mut names: Vec<String> = out["plan"]["selected_providers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_string())
            .collect();
        names.sort();
        names
    };
    for provider in [
        "all,pagerduty",
        "pagerduty,ALL",
        " Slack ,teams",
        "pagerduty",
    ] {
        let worker = b
            .send_worker_alert(SendAlertRequest {
                alert: alert(provider),
                health: HealthParams::default(),
                retries: 0,
                timeout_seconds: 0.1,
            })
            .await;
        let archive = b
            .call(Call::SendArchiveAlert(ArchiveAlertRequest {
                alert: alert(provider),
                retries: 0,
                timeout_seconds: 0.1,
            }))
            .await;
        match (worker, archive) {
            (Ok(w), Ok(a)) => assert_eq!(selected(&w), selected(&a), "{provider}"),
            (Err(w), Err(a)) => assert_eq!(w.to_string(), a.to_string(), "{provider}"),
            (w, a) => panic!("{provider}: worker {w:?} but archive {a:?}"),
        }
    }
}
