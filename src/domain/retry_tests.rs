//! Retry backoff and the retry / wait / suppress cut-offs (CONTRACT §4.8, §4.16, §4.9).

use super::*;
use crate::domain::test_fixtures::{contract_sample, keys_of, text_starts_with};
use chrono::TimeZone;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 20, 10, 40, 0).unwrap()
}

fn failed(
    src: &str,
    delivery: &str,
    provider: &str,
    minutes_ago: i64,
    code: i64,
    extra: (&str, &str),
) -> Record {
    let at = time::iso(now() - Duration::minutes(minutes_ago));
    Record::from_json(
        &json!({"session_id": format!("rcd-{delivery}-{minutes_ago}"), "created_at": at,
                "metadata_kind": kind::CONNECTOR_DELIVERY, "connector_delivery_source": src,
                "delivery_success": false, "providers": [provider], "failed_providers": [provider],
                "status_codes": [code], "event_id": delivery, "delivery_id": delivery, "audit_id": "gordackaudit-1",
                extra.0: extra.1,
                "delivery": {"deliveries": [{"provider": provider, "status_code": code}]}})
        .to_string(),
    )
    .unwrap()
}

fn ack_audit(delivery: &str, provider: &str, minutes_ago: i64) -> Record {
    failed(
        source::ACK_AUDIT,
        delivery,
        provider,
        minutes_ago,
        503,
        ("x", "y"),
    )
}

#[test]
fn backoff_doubles_per_retry() {
    let p = RetryPolicy::default();
    assert_eq!(p.delay_minutes(1), 15.0);
    assert_eq!(p.delay_minutes(2), 30.0);
    assert_eq!(p.delay_minutes(3), 60.0);
}

#[test]
fn retry_after_the_delay_wait_before_it() {
    let recs = [
        ack_audit("d1", "splunk", 20),
        ack_audit("d2", "servicenow", 10),
    ];
    let plan = audit_retry_plan(&recs, &RetryPolicy::default(), "console", now());
    let d = plan["retry_decisions"].as_array().unwrap();
    let by = |p: &str| d.iter().find(|x| x["provider"] == p).unwrap();
    assert_eq!(by("splunk")["action"], "retry");
    assert_eq!(by("servicenow")["action"], "wait");
    assert_eq!(
        by("servicenow")["reason"],
        "retry delay 15 minutes has not elapsed"
    );
    assert_eq!(plan["alert_level"], "critical");
    assert_eq!(
        (
            plan["retryable_count"].as_u64(),
            plan["waiting_count"].as_u64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(by("splunk")["failed_status_codes"], json!([503]));
}

#[test]
fn second_failure_backs_off_and_max_attempts_suppress() {
    // Two failures of the same delivery: delay 30 minutes after the latest (25 min ago): wait.
    let recs = [ack_audit("d1", "splunk", 60), ack_audit("d1", "splunk", 25)];
    let d = &audit_retry_plan(&recs, &RetryPolicy::default(), "c", now())["retry_decisions"][0];
    assert_eq!(
        (d["retry_count"].as_u64(), d["action"].as_str()),
        (Some(2), Some("wait"))
    );
    assert_eq!(d["retry_delay_minutes"], 30);
    let recs = [
        ack_audit("d1", "splunk", 300),
        ack_audit("d1", "splunk", 200),
        ack_audit("d1", "splunk", 100),
    ];
    let d = &audit_retry_plan(&recs, &RetryPolicy::default(), "c", now())["retry_decisions"][0];
    assert_eq!(d["action"], "suppress");
    assert_eq!(d["reason"], "maximum retry attempts 3 reached");
}

#[test]
fn policy_floors_aliases_and_immediate_retry() {
    let p = RetryPolicy::from_json(Some(
        &json!({"max_retries": 0, "delay_minutes": 0, "multiplier": 0.5}),
    ))
    .unwrap();
    assert_eq!(
        (
            p.max_retry_attempts,
            p.retry_delay_minutes,
            p.backoff_multiplier
        ),
        (1, 1.0, 1.0)
    );
    let p = RetryPolicy::from_json(Some(&json!({"allow_immediate_retry": true}))).unwrap();
    assert_eq!(p.retry_delay_minutes, 0.0);
    let recs = [ack_audit("d1", "splunk", 0)];
    let d = &audit_retry_plan(&recs, &p, "c", now())["retry_decisions"][0];
    assert_eq!(d["action"], "retry");
    assert!(RetryPolicy::from_json(Some(&json!({"max_retry_attempts": "many"}))).is_err());
    assert!(truthy(&json!("false")), "Python truthiness");
}

#[test]
fn successful_and_other_source_deliveries_are_ignored() {
    let mut ok = ack_audit("d1", "splunk", 20);
    ok.0.insert("delivery_success".into(), true.into());
    let other = failed(source::NOTIFICATION, "s1", "teams", 20, 502, ("x", "y"));
    let plan = audit_retry_plan(&[ok, other], &RetryPolicy::default(), "c", now());
    assert_eq!(plan["decision_count"], 0);
    assert_eq!(plan["alert_level"], "healthy");
}

#[test]
fn auditor_retry_groups_by_export_and_names_the_release_record() {
    let export = Record::from_json(
        &json!({"session_id": "gordackfinalauditor-1", "metadata_kind": kind::AUDITOR_EXPORT,
                "export_id": "gordackfinalauditor-1", "verification_id": "gordackfinalpacket-1",
                "release_record_ref": "REL-2026.05", "created_at": "2026-05-20T08:00:00+00:00"})
        .to_string(),
    )
    .unwrap();
    let mut f = failed(
        source::AUDITOR_EXPORT,
        "gordackfinalauditor-1",
        "webhook",
        10,
        503,
        ("export_id", "gordackfinalauditor-1"),
    );
    f.0.insert("release_record_ref".into(), "REL-2026.05".into());
    let plan = auditor_retry_plan(
        &[export, f],
        &RetryPolicy::default(),
        "release-manager",
        now(),
    );
    let d = &plan["retry_decisions"][0];
    assert_eq!(d["export_id"], "gordackfinalauditor-1");
    assert_eq!(d["release_record_ref"], "REL-2026.05");
    assert_eq!(
        d["verification_id"], "",
        "CAVRA reads it from the delivery record, which has none here"
    );
    assert_eq!(d["action"], "wait");
    assert_eq!(plan["controls"], sample_plan()["controls"]);
    assert!(text_starts_with(
        &plan["retry_plan_id"],
        "gordackfinalaudretry-"
    ));
    let sample: Value = contract_sample("auditor-export-delivery-retry-plan-response.json");
    assert_eq!(
        keys_of(&Value::Object(plan.clone())),
        keys_of(&sample["plan"])
    );
    assert_eq!(keys_of(d), keys_of(&sample["plan"]["retry_decisions"][0]));
}

#[test]
fn retry_ack_validates_like_the_server_and_normalises_provider() {
    let mut i = RetryAckInput {
        retry_plan_id: "r".into(),
        provider: " Splunk ".into(),
        acknowledged_by: "a".into(),
        ..Default::default()
    };
    let (ack, rec) = retry_ack(&i, now()).unwrap();
    assert_eq!(
        (
            ack["provider"].as_str(),
            ack["acknowledgement_state"].as_str()
        ),
        (Some("splunk"), Some("accepted"))
    );
    assert_eq!(rec.kind(), kind::RETRY_ACK);
    i.state = "approved".into();
    assert_eq!(
        retry_ack(&i, now()).unwrap_err().to_string(),
        "acknowledgement_state must be accepted, deferred, escalated, resolved, or dismissed"
    );
    i.provider = String::new();
    assert_eq!(
        retry_ack(&i, now()).unwrap_err().to_string(),
        "provider is required"
    );
}

fn sample_plan() -> Value {
    let sample: Value = contract_sample("auditor-export-delivery-retry-plan-response.json");
    sample["plan"].clone()
}

#[test]
fn failed_status_codes_are_the_latest_failed_records_codes() {
    // The latest record of the group failed with [200, 503] for two providers: CAVRA reports
    // both codes for each provider's decision, not only the provider's own.
    let mut older = ack_audit("d1", "splunk", 40);
    older.0.insert("status_codes".into(), json!([500]));
    let mut latest = ack_audit("d1", "splunk", 20);
    latest
        .0
        .insert("providers".into(), json!(["slack", "splunk"]));
    latest.0.insert("status_codes".into(), json!([200, 503]));
    let plan = audit_retry_plan(&[older, latest], &RetryPolicy::default(), "c", now());
    let d = &plan["retry_decisions"][0];
    assert_eq!(d["retry_count"], 2);
    assert_eq!(d["failed_status_codes"], json!([200, 503]));
    assert_eq!(d["latest_delivery_id"], "rcd-d1-20");
    assert_eq!(d["retry_delay_minutes"], 30, "15 x 2^(2-1)");
    let meta = retry_plan_record(
        &plan,
        kind::RETRY_PLAN,
        "acknowledgement_audit_delivery_retry_plan",
    );
    assert_eq!(meta.0["decision_count"], 1);
    assert_eq!(meta.0["approval_required_count"], plan["retryable_count"]);
}

#[test]
fn only_the_newest_500_history_records_are_planned() {
    let mut recs: Vec<Record> = (0..520)
        .map(|i| {
            let mut r = ack_audit(&format!("d{i}"), "splunk", 600 - i);
            r.0.insert("session_id".into(), json!(format!("rcd-{i:04}")));
            r
        })
        .collect();
    recs.reverse();
    let plan = audit_retry_plan(&recs, &RetryPolicy::default(), "c", now());
    assert_eq!(
        plan["decision_count"], 500,
        "CAVRA's builders read 500 records"
    );
}
