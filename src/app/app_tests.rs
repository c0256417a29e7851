//! State transitions of the app: keys to effects, confirmations, outcomes.

use super::effect::Outcome;
use super::*;
use crate::backend::BulkOutcome;
use crate::domain::route::{RouteAction, RouteKey, RouteRow, RouteState};

fn row(schedule: &str, provider: &str, state: RouteState, breached: bool) -> RouteRow {
    RouteRow {
        schedule_id: schedule.into(),
        provider: provider.into(),
        owner: "owner".into(),
        escalation_owner: "owner".into(),
        plan_id: "plan".into(),
        plan_created_at: String::new(),
        action: RouteAction::Deliver,
        category: "deliver".into(),
        reason: String::new(),
        acknowledgement_minutes: 60,
        age_minutes: 90.0,
        state,
        acknowledged: state.counts_as_acknowledged(),
        breached,
        recommended_action: "x",
        latest_ack: None,
    }
}

fn app() -> App {
    let mut a = App::new(
        BackendInfo {
            mode: "sample".into(),
            location: "/tmp/x.db".into(),
        },
        "alice".into(),
        Keymap::default(),
    );
    let eff = a.refresh();
    let Effect::LoadRoutes { seq } = eff[0] else {
        panic!()
    };
    a.apply(Outcome::Routes {
        seq,
        result: Ok(vec![
            row("s1", "slack", RouteState::Outstanding, true),
            row("s1", "teams", RouteState::Escalated, true),
            row("s2", "jira", RouteState::Acknowledged, false),
        ]),
    });
    a
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn keys(a: &mut App, text: &str) -> Vec<Effect> {
    let mut out = Vec::new();
    for c in text.chars() {
        let k = match c {
            '\n' => KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
            '\x1b' => KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
            c => key(c),
        };
        out.extend(a.on_key(k));
    }
    out
}

#[test]
fn acknowledge_asks_first_and_y_releases_the_effect_with_notes() {
    let mut a = app();
    assert!(keys(&mut a, "a").is_empty());
    assert!(matches!(a.overlay, Some(Overlay::Confirm(_))));
    let eff = keys(&mut a, "paged\nCHG-1\ny");
    let [
        Effect::Record {
            plan,
            state,
            notes,
            external_ref,
            ..
        },
    ] = eff.as_slice()
    else {
        panic!("{eff:?}")
    };
    assert_eq!(*state, AckState::Acknowledged);
    assert_eq!((notes.as_str(), external_ref.as_str()), ("paged", "CHG-1"));
    assert_eq!(plan.routes[0].route, RouteKey::new("s1", "slack"));
    assert!(a.routes.pending.contains(&RouteKey::new("s1", "slack")));
}

#[test]
fn cancelling_records_nothing() {
    let mut a = app();
    let eff = keys(&mut a, "e\n\nn");
    assert!(eff.is_empty());
    assert!(a.overlay.is_none());
    assert!(a.routes.pending.is_empty());
}

#[test]
fn bulk_escalate_previews_breached_routes_without_the_escalated_one() {
    let mut a = app();
    keys(&mut a, "E");
    let Some(Overlay::Confirm(d)) = &a.overlay else {
        panic!()
    };
    assert!(d.title.contains("1 routes"), "{}", d.title);
    assert!(d.preview.iter().any(|l| l.contains("already escalated")));
    assert!(d.preview.iter().any(|l| l.contains("sample · /tmp/x.db")));
}

#[test]
fn filter_line_applies_as_you_type_and_esc_clears() {
    let mut a = app();
    keys(&mut a, "/provider:jira");
    assert_eq!(a.routes.view.len(), 1);
    keys(&mut a, "\n");
    assert!(a.routes.input.is_none());
    assert_eq!(a.routes.filter.to_string(), "provider:jira");
    keys(&mut a, "\x1b");
    assert_eq!(a.routes.view.len(), 3);
}

#[test]
fn a_bad_filter_keeps_the_last_good_one_and_says_why() {
    let mut a = app();
    keys(&mut a, "/colour:x");
    assert!(
        a.routes
            .input
            .as_ref()
            .unwrap()
            .error
            .as_ref()
            .unwrap()
            .contains("unknown filter field")
    );
    // Typing passed through the valid free-text filter "colour"; that one stays applied.
    assert_eq!(a.routes.filter.to_string(), "colour");
    keys(&mut a, "\n");
    assert!(
        a.notices
            .last()
            .unwrap()
            .text
            .starts_with("filter not applied")
    );
}

#[test]
fn an_older_refresh_result_is_dropped() {
    let mut a = app();
    let Effect::LoadRoutes { seq: old } = a.refresh()[0] else {
        panic!()
    };
    let Effect::LoadRoutes { seq: new } = a.refresh()[0] else {
        panic!()
    };
    a.apply(Outcome::Routes {
        seq: new,
        result: Ok(vec![row("s9", "slack", RouteState::Outstanding, false)]),
    });
    a.apply(Outcome::Routes {
        seq: old,
        result: Ok(vec![]),
    });
    assert_eq!(a.routes.rows.len(), 1);
}

#[test]
fn a_failed_refresh_keeps_rows_and_marks_them_stale() {
    let mut a = app();
    let Effect::LoadRoutes { seq } = a.refresh()[0] else {
        panic!()
    };
    a.apply(Outcome::Routes {
        seq,
        result: Err("database is locked".into()),
    });
    assert_eq!(a.routes.rows.len(), 3);
    assert!(a.routes.stale);
    assert!(a.notices.last().unwrap().error);
}

#[test]
fn partial_bulk_results_open_a_report_and_trigger_a_reload() {
    let mut a = app();
    keys(&mut a, "A");
    let eff = keys(&mut a, "\n\ny");
    let Effect::Record { title, plan, .. } = eff[0].clone() else {
        panic!()
    };
    let out = BulkOutcome {
        requests: 1,
        recorded: vec![plan.routes[0].route.clone()],
        not_recorded: vec![(plan.routes[1].route.clone(), "locked".into())],
        results: vec![],
    };
    let next = a.apply(Outcome::Recorded {
        title,
        plan,
        result: Ok(out),
    });
    let Effect::LoadRoutes { seq } = next[0] else {
        panic!("{next:?}")
    };
    assert!(matches!(a.overlay, Some(Overlay::Report { .. })));
    assert_eq!(a.routes.pending.len(), 2, "pending until the reload lands");
    a.apply(Outcome::Routes {
        seq,
        result: Ok(vec![row("s1", "slack", RouteState::Acknowledged, false)]),
    });
    assert!(a.routes.pending.is_empty());
}

#[test]
fn esc_dismisses_errors_before_clearing_the_filter() {
    let mut a = app();
    a.error("boom");
    keys(&mut a, "/provider:slack\n");
    keys(&mut a, "\x1b");
    assert!(a.notices.is_empty());
    assert!(!a.routes.filter.is_empty());
    keys(&mut a, "\x1b");
    assert!(a.routes.filter.is_empty());
}
