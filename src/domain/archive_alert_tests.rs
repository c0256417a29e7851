//! Archive alerts: routing and suppression, acknowledgements, history filter, dashboard.

use super::*;
use crate::domain::delivery::{ProviderOutcome, connector_delivery_record};
use crate::domain::test_fixtures::{fields_of, text_starts_with};
use chrono::{Duration, TimeZone};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 21, 9, 0, 0).unwrap()
}

fn health(level: &str) -> Map<String, Value> {
    map(
        json!({"health_id": "H1", "alert_level": level, "alert_count": 2, "generated_at": "2026-05-21T08:59:00+00:00"}),
    )
}

fn req(provider: &str, force: bool) -> AlertRequest {
    AlertRequest {
        provider: provider.into(),
        suppression_window_minutes: None,
        force,
        generated_by: "rm".into(),
    }
}

/// A forced plan for a health of `level`, with no alert sent before.
fn first_plan(level: &str, provider: &str, configured: &[String]) -> Map<String, Value> {
    alert_plan(&health(level), &req(provider, true), configured, &[], now())
}

#[test]
fn the_plan_routes_to_configured_providers_and_suppresses_repeats_unless_forced() {
    let configured = ["webhook".to_string(), "slack".to_string()];
    let p = first_plan("critical", "webhook", &configured);
    assert_eq!(p["selected_providers"], json!(["webhook"]));
    assert!(text_starts_with(&p["plan_id"], "gordackfinalarchalert-"));
    let quiet = first_plan("healthy", "all", &configured);
    assert_eq!(quiet["selected_providers"], json!([]));
    let sent = connector_delivery_record(
        source::ARCHIVE_HEALTH_ALERT,
        EVENT_TYPE,
        "H1",
        &[ProviderOutcome {
            provider: "webhook".into(),
            status_code: 200,
        }],
        now() - Duration::minutes(5),
        &[("health_id", "H1")],
    );
    let again = alert_plan(
        &health("critical"),
        &req("all", false),
        &configured,
        std::slice::from_ref(&sent),
        now(),
    );
    assert_eq!(again["selected_providers"], json!(["slack"]));
    let rec = alert_plan_record(&again);
    assert_eq!(
        (rec.kind(), rec.0["suppressed_providers"].clone()),
        (kind::ARCHIVE_ALERT_PLAN, json!(["webhook"]))
    );
}

#[test]
fn an_ack_clears_the_outstanding_alert_and_history_filters_like_the_worker_family() {
    let p = first_plan("warning", "webhook", &["webhook".into()]);
    let mut records = vec![alert_plan_record(&p)];
    let board = alert_dashboard(&records, now());
    assert_eq!(
        fields_of(
            &board,
            &["outstanding_acknowledgement_count", "alert_level"]
        ),
        json!([1, "critical"])
    );
    let ack_input =
        |provider: &str, state: &str, plan_id: &str, external_ref: &str| AlertAckInput {
            health_id: "H1".into(),
            provider: provider.into(),
            acknowledged_by: "rm".into(),
            state: state.into(),
            plan_id: plan_id.into(),
            external_ref: external_ref.into(),
            notes: String::new(),
        };
    assert_eq!(
        alert_ack(&ack_input("webhook", "maybe", "", ""), now())
            .unwrap_err()
            .to_string(),
        "acknowledgement_state must be acknowledged, dismissed, escalated, or resolved"
    );
    let plan_id = p["plan_id"].as_str().unwrap();
    let (ack, rec) = alert_ack(&ack_input("Web-Hook", "", plan_id, "CHG-1"), now()).unwrap();
    assert_eq!(
        fields_of(&ack, &["provider", "acknowledgement_state"]),
        json!(["web_hook", "acknowledged"])
    );
    let (_, rec2) = alert_ack(&ack_input("webhook", "resolved", plan_id, ""), now()).unwrap();
    assert!(rec.session_id().starts_with("gordackfinalarchack-"));
    records.push(rec2);
    let board = alert_dashboard(&records, now());
    assert_eq!(
        fields_of(
            &board,
            &["outstanding_acknowledgement_count", "acknowledgement_count"]
        ),
        json!([0, 1])
    );
    let q = AlertQuery {
        metadata_kind: Some(kind::ARCHIVE_ALERT_ACK.into()),
        ..Default::default()
    };
    assert_eq!(records.iter().filter(|r| history_matches(&q, r)).count(), 1);
}
