//! Unit tests pinning the route derivation to CONTRACT §3.

use super::*;
use crate::domain::test_fixtures::notification_plan;
use chrono::{Duration, TimeZone};
use serde_json::json;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 20, 12, 0, 0).unwrap()
}

fn plan(schedule: &str, minutes_ago: i64, decisions: Value) -> Record {
    notification_plan(now(), schedule, minutes_ago, decisions)
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

/// A plan of schedule `s1`, made `minutes_ago`, delivering `(provider, owner, SLO minutes)`.
fn s1_delivering(minutes_ago: i64, routes: &[(&str, &str, u32)]) -> Record {
    let decisions: Vec<Value> = routes
        .iter()
        .map(|(provider, owner, slo)| deliver(provider, owner, *slo))
        .collect();
    plan("s1", minutes_ago, Value::Array(decisions))
}

fn deliver(provider: &str, owner: &str, slo: u32) -> Value {
    json!({"provider": provider, "owner": owner, "action": "deliver", "acknowledgement_minutes": slo})
}

fn row<'a>(rows: &'a [RouteRow], provider: &str) -> &'a RouteRow {
    rows.iter().find(|r| r.provider == provider).unwrap()
}

#[test]
fn no_ack_is_outstanding_and_breaches_at_the_slo_boundary() {
    let plans = [s1_delivering(60, &[("slack", "a", 60), ("teams", "b", 61)])];
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
    let plans = [s1_delivering(120, &[("slack", "a", 30), ("jira", "b", 30)])];
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
    let plans = [s1_delivering(120, &[("slack", "a", 30)])];
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
        s1_delivering(500, &[("slack", "old-owner", 30), ("teams", "x", 30)]),
        s1_delivering(10, &[("slack", "new-owner", 30)]),
    ];
    let rows = derive_routes(&plans, &[], now());
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].owner, "new-owner");
    assert!((rows[0].age_minutes - 10.0).abs() < 1e-9);
    assert!(!rows[0].breached);
}

#[test]
fn ack_key_is_schedule_and_provider_not_owner_and_provider_is_case_sensitive() {
    let plans = [s1_delivering(90, &[("slack", "a", 30), ("teams", "b", 30)])];
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

fn plan_at(schedule: &str, created_at: Value, decisions: Value) -> Record {
    let mut p = plan(schedule, 0, decisions);
    p.0.insert("created_at".into(), created_at);
    p
}

#[test]
fn an_unreadable_date_is_marked_and_cannot_hide_a_breach() {
    let plans = [plan_at(
        "s1",
        json!("not-a-date"),
        json!([deliver("slack", "a", 60)]),
    )];
    let r = derive_routes(&plans, &[], now()).remove(0);
    assert_eq!(r.flaws, [Flaw::InvalidDate("not-a-date".into())]);
    assert!(r.age_unknown());
    assert!(r.breached, "an unknown age counts as breached");
    assert_eq!(r.recommended_action, "escalate_missed_drill_notification");
    // Acknowledged routes are not breached whatever the date.
    let acks = [ack("s1", "slack", "acknowledged", 1)];
    let r = derive_routes(&plans, &acks, now()).remove(0);
    assert!(!r.breached && r.flaws.len() == 1);
    // A number or a missing date is the same flaw.
    for v in [json!(1e308), json!(null)] {
        let plans = [plan_at("s1", v, json!([deliver("slack", "a", 60)]))];
        let r = derive_routes(&plans, &[], now()).remove(0);
        assert!(
            matches!(r.flaws[..], [Flaw::InvalidDate(_)]),
            "{:?}",
            r.flaws
        );
    }
}

#[test]
fn future_and_ancient_dates_are_clamped_and_marked_but_skew_is_not() {
    let at = |m: i64| json!(time::iso(now() + Duration::minutes(m)));
    let one = |v: Value| {
        derive_routes(
            &[plan_at("s1", v, json!([deliver("slack", "a", 60)]))],
            &[],
            now(),
        )
        .remove(0)
    };
    let skew = one(at(2));
    assert!(skew.flaws.is_empty() && skew.age_minutes == 0.0 && !skew.breached);
    let future = one(at(60 * 24 * 400));
    assert!(matches!(future.flaws[..], [Flaw::FutureDate(_)]));
    assert_eq!(future.age_minutes, 0.0);
    assert!(future.breached);
    let ancient = one(json!("0001-01-01T00:00:00+00:00"));
    assert!(matches!(ancient.flaws[..], [Flaw::ImplausibleDate(_)]));
    assert_eq!(ancient.age_minutes, MAX_AGE_MINUTES);
    assert!(ancient.breached && !ancient.age_unknown());
}

#[test]
fn an_unusable_slo_uses_the_default_with_a_mark() {
    let d = |v: Value| json!({"provider": "slack", "owner": "a", "acknowledgement_minutes": v});
    for bad in [
        json!("sixty"),
        json!(1e308),
        json!(-5),
        json!(true),
        json!([60]),
    ] {
        let plans = [plan("s1", 30, json!([d(bad.clone())]))];
        let r = derive_routes(&plans, &[], now()).remove(0);
        assert_eq!(r.acknowledgement_minutes, DEFAULT_SLO_MINUTES, "{bad}");
        assert!(
            matches!(r.flaws[..], [Flaw::InvalidSlo(_)]),
            "{bad}: {:?}",
            r.flaws
        );
    }
    for (good, want) in [
        (json!(45), 45),
        (json!("45"), 45),
        (json!(null), 60),
        (json!(7.9), 7),
    ] {
        let plans = [plan("s1", 30, json!([d(good.clone())]))];
        let r = derive_routes(&plans, &[], now()).remove(0);
        assert_eq!(
            (r.acknowledgement_minutes, r.flaws.len()),
            (want, 0),
            "{good}"
        );
    }
    let (m, flaws) = RouteDecision::slo_from_column(-1);
    assert_eq!((m, flaws.len()), (DEFAULT_SLO_MINUTES, 1));
}

#[test]
fn numeric_schedule_ids_and_providers_keep_their_routes() {
    let mk = |id: i64| {
        let mut p = plan(&id.to_string(), 10, json!([deliver("slack", "a", 60)]));
        p.0.insert("schedule_id".into(), json!(id));
        if let Some(Value::Object(inner)) = p.0.get_mut("plan") {
            inner.insert("schedule_id".into(), json!(id));
        }
        p
    };
    let mut numeric_provider = plan("s3", 10, json!([{"provider": 7, "owner": 9}]));
    numeric_provider.0.insert("plan_id".into(), json!("p3"));
    let plans = [mk(101), mk(102), numeric_provider];
    let mut a = ack("101", "slack", "acknowledged", 1);
    a.0.insert("schedule_id".into(), json!(101));
    let rows = derive_routes(&plans, &[a], now());
    let keys: Vec<String> = rows.iter().map(|r| r.key().to_string()).collect();
    assert_eq!(keys, ["101/slack", "102/slack", "s3/7"]);
    assert_eq!(
        rows[0].state,
        RouteState::Acknowledged,
        "the numeric ack matches"
    );
    assert_eq!(rows[2].owner, "9");
}

#[test]
fn acknowledgements_with_equal_times_pick_the_same_latest_in_any_order() {
    let resolved = ack("s1", "slack", "resolved", 5);
    let mut dismissed = ack("s1", "slack", "dismissed", 5);
    dismissed
        .0
        .insert("session_id".into(), json!("gordack-zzz"));
    let a = [resolved.clone(), dismissed.clone()];
    let b = [dismissed, resolved];
    for acks in [&a, &b] {
        let latest = latest_acks(acks.as_slice());
        let pick = latest[&RouteKey::new("s1", "slack")];
        assert_eq!(
            pick.str("acknowledgement_state"),
            "resolved",
            "the lower session_id"
        );
    }
}
