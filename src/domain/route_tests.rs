//! Unit tests pinning the route derivation to CONTRACT §3.

use super::*;
use chrono::{Duration, TimeZone};
use serde_json::json;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 20, 12, 0, 0).unwrap()
}

fn plan(schedule: &str, minutes_ago: i64, decisions: Value) -> Record {
    let at = time::iso(now() - Duration::minutes(minutes_ago));
    let id = format!("gordn-{schedule}-{minutes_ago}");
    Record::from_json(
        &json!({
            "session_id": id, "created_at": at, "metadata_kind": kind::NOTIFICATION_PLAN,
            "plan_id": id, "schedule_id": schedule,
            "plan": {"plan_id": id, "schedule_id": schedule, "route_decisions": decisions}
        })
        .to_string(),
    )
    .unwrap()
}

fn ack(schedule: &str, provider: &str, state: &str, minutes_ago: i64) -> Record {
    let at = time::iso(now() - Duration::minutes(minutes_ago));
    Record::from_json(
        &json!({
            "session_id": format!("gordack-{schedule}-{provider}-{minutes_ago}"),
            "created_at": at, "metadata_kind": kind::NOTIFICATION_ACK,
            "schedule_id": schedule, "provider": provider, "acknowledgement_state": state,
            "acknowledgement": {"acknowledged_by": "alice", "acknowledged_at": at}
        })
        .to_string(),
    )
    .unwrap()
}

fn deliver(provider: &str, owner: &str, slo: u32) -> Value {
    json!({"provider": provider, "owner": owner, "action": "deliver", "acknowledgement_minutes": slo})
}

fn row<'a>(rows: &'a [RouteRow], provider: &str) -> &'a RouteRow {
    rows.iter().find(|r| r.provider == provider).unwrap()
}

#[test]
fn no_ack_is_outstanding_and_breaches_at_the_slo_boundary() {
    let plans = [plan(
        "s1",
        60,
        json!([deliver("slack", "a", 60), deliver("teams", "b", 61)]),
    )];
    let rows = derive_routes(&plans, &[], now());
    let slack = row(&rows, "slack");
    assert_eq!(slack.state, RouteState::Outstanding);
    assert!(slack.breached, "age == SLO counts as breached (>=)");
    assert_eq!(
        slack.recommended_action,
        "escalate_missed_drill_notification"
    );
    let teams = row(&rows, "teams");
    assert!(!teams.breached);
    assert_eq!(teams.recommended_action, "wait_for_acknowledgement");
    assert!((teams.age_minutes - 60.0).abs() < 1e-9);
}

#[test]
fn escalated_and_dismissed_stay_outstanding_and_breached() {
    let plans = [plan(
        "s1",
        120,
        json!([deliver("slack", "a", 30), deliver("jira", "b", 30)]),
    )];
    let acks = [
        ack("s1", "slack", "escalated", 5),
        ack("s1", "jira", "dismissed", 5),
    ];
    let rows = derive_routes(&plans, &acks, now());
    for p in ["slack", "jira"] {
        let r = row(&rows, p);
        assert!(!r.acknowledged);
        assert!(r.is_outstanding());
        assert!(r.breached);
        assert_eq!(r.recommended_action, "escalate_missed_drill_notification");
    }
    assert_eq!(row(&rows, "slack").state, RouteState::Escalated);
    assert_eq!(row(&rows, "jira").state, RouteState::Dismissed);
}

#[test]
fn latest_ack_wins_by_created_at_and_resolved_counts_as_acknowledged() {
    let plans = [plan("s1", 120, json!([deliver("slack", "a", 30)]))];
    let acks = [
        ack("s1", "slack", "resolved", 10),
        ack("s1", "slack", "escalated", 50),
    ];
    let rows = derive_routes(&plans, &acks, now());
    let r = row(&rows, "slack");
    assert_eq!(r.state, RouteState::Resolved);
    assert!(r.acknowledged && !r.breached);
    assert_eq!(r.recommended_action, "no_action");
    // Acknowledging then escalating leaves the route outstanding again.
    let acks = [
        ack("s1", "slack", "acknowledged", 50),
        ack("s1", "slack", "escalated", 10),
    ];
    let r = derive_routes(&plans, &acks, now()).remove(0);
    assert_eq!(r.state, RouteState::Escalated);
    assert!(r.breached);
}

#[test]
fn only_the_latest_plan_per_schedule_counts_and_age_is_from_it() {
    let plans = [
        plan(
            "s1",
            500,
            json!([deliver("slack", "old-owner", 30), deliver("teams", "x", 30)]),
        ),
        plan("s1", 10, json!([deliver("slack", "new-owner", 30)])),
    ];
    let rows = derive_routes(&plans, &[], now());
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].owner, "new-owner");
    assert!((rows[0].age_minutes - 10.0).abs() < 1e-9);
    assert!(!rows[0].breached);
}

#[test]
fn ack_key_is_schedule_and_provider_not_owner_and_provider_is_case_sensitive() {
    let plans = [plan(
        "s1",
        90,
        json!([deliver("slack", "a", 30), deliver("teams", "b", 30)]),
    )];
    let acks = [
        ack("s1", "Slack", "acknowledged", 1),
        ack("s2", "teams", "acknowledged", 1),
    ];
    let rows = derive_routes(&plans, &acks, now());
    assert_eq!(
        row(&rows, "slack").state,
        RouteState::Outstanding,
        "provider stored verbatim"
    );
    assert_eq!(
        row(&rows, "teams").state,
        RouteState::Outstanding,
        "other schedule"
    );
}

#[test]
fn suppressed_routes_are_not_outstanding_and_carry_their_category() {
    let plans = [plan(
        "s1",
        500,
        json!([
            {"provider": "webhook", "owner": "a", "action": "suppress", "maintenance_window": {"window_id": "mw"}},
            {"provider": "teams", "owner": "b", "action": "suppress", "owner_availability": {"available": false}},
            {"provider": "slack", "owner": "c", "action": "suppress",
             "reason": "rollback drill schedule is healthy; notification suppressed"},
            {"provider": "jira", "owner": "d", "action": "suppress"},
        ]),
    )];
    let rows = derive_routes(&plans, &[], now());
    assert_eq!(row(&rows, "webhook").category, "maintenance_window");
    assert_eq!(row(&rows, "teams").category, "owner_calendar");
    assert_eq!(row(&rows, "slack").category, "healthy_schedule");
    assert_eq!(row(&rows, "jira").category, "other");
    for r in &rows {
        assert_eq!(r.state, RouteState::NotRequired);
        assert!(!r.breached && !r.is_outstanding());
        assert_eq!(r.recommended_action, "no_action");
    }
}

#[test]
fn missing_slo_defaults_to_60_and_missing_fields_are_tolerated() {
    let plans = [plan(
        "s1",
        59,
        json!([{"provider": "slack"}, {"owner": "no-provider"}, 7]),
    )];
    let rows = derive_routes(&plans, &[], now());
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].acknowledgement_minutes, 60);
    assert_eq!(rows[0].action, RouteAction::Deliver);
    assert!(!rows[0].breached);
}

#[test]
fn route_key_parses_schedule_slash_provider() {
    assert_eq!(
        RouteKey::parse("s1/slack"),
        Some(RouteKey::new("s1", "slack"))
    );
    assert_eq!(RouteKey::parse("a/b/c"), Some(RouteKey::new("a/b", "c")));
    assert_eq!(RouteKey::parse("nope"), None);
    assert_eq!(RouteKey::parse("/slack"), None);
}
