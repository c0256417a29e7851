//! State transitions of the app: keys to effects, confirmations, outcomes.

use super::effect::Outcome;
use super::*;
use crate::domain::ack::AckState;
use crate::domain::route::{RouteKey, RouteRow, RouteState};

pub(super) fn row(schedule: &str, provider: &str, state: RouteState, breached: bool) -> RouteRow {
    RouteRow {
        plan_id: "plan".into(),
        age_minutes: 90.0,
        breached,
        recommended_action: "x",
        ..RouteRow::fixture(schedule, provider, "owner", state)
    }
}

/// A sample-mode console acting as alice, with nothing loaded yet.
pub(crate) fn blank_app() -> App {
    App::new(
        BackendInfo {
            mode: "sample".into(),
            location: "/tmp/x.db".into(),
        },
        "alice".into(),
        Keymap::default(),
    )
}

/// The text of the newest notice.
pub(super) fn last_notice(a: &App) -> &str {
    &a.notices.last().expect("a notice").text
}

pub(super) fn app() -> App {
    let mut a = blank_app();
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

/// Presses a bulk key: the app reloads the routes first, and the preview opens when the
/// reload (here: the same rows) lands.
pub(super) fn bulk_key(a: &mut App, k: &str) {
    let eff = keys(a, k);
    let Some(Effect::LoadRoutes { seq }) = eff.first().cloned() else {
        panic!("a bulk key reloads the routes first: {eff:?}")
    };
    assert!(a.overlay.is_none(), "no preview before fresh data");
    let rows = a.routes.rows.clone();
    a.apply(Outcome::Routes {
        seq,
        result: Ok(rows),
    });
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

pub(super) fn keys(a: &mut App, text: &str) -> Vec<Effect> {
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
    bulk_key(&mut a, "E");
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

/// Does any effect record something?
fn records(eff: &[Effect]) -> bool {
    eff.iter().any(|e| {
        matches!(
            e,
            Effect::Record { .. } | Effect::Act { .. } | Effect::Export { .. }
        )
    })
}

#[test]
fn esc_then_y_in_one_read_never_confirms() {
    // crossterm reports Esc followed at once by y as Alt+y.
    let alt_y = KeyEvent::new(KeyCode::Char('y'), KeyModifiers::ALT);
    let mut a = app();
    keys(&mut a, "a");
    assert!(matches!(a.overlay, Some(Overlay::Confirm(_))));
    keys(&mut a, "\n\n"); // to the y/N prompt
    let eff = a.on_key(alt_y);
    assert!(!records(&eff), "nothing recorded: {eff:?}");
    assert!(a.overlay.is_none(), "Esc cancelled the dialog");
    // In a text field, Esc j cancels and then moves the cursor: j is not typed.
    keys(&mut a, "a");
    let eff = a.on_key(KeyEvent::new(KeyCode::Char('j'), KeyModifiers::ALT));
    assert!(!records(&eff) && a.overlay.is_none());
    // In help, Esc q closes help and then quits.
    keys(&mut a, "?");
    a.on_key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::ALT));
    assert!(a.quit);
}

#[test]
fn a_modified_y_never_confirms_and_a_plain_y_does() {
    let mut a = app();
    keys(&mut a, "a\n\n");
    for m in [
        KeyModifiers::CONTROL,
        KeyModifiers::ALT | KeyModifiers::SHIFT,
    ] {
        let eff = a.on_key(KeyEvent::new(KeyCode::Char('y'), m));
        assert!(!records(&eff), "{m:?}: {eff:?}");
        if a.overlay.is_none() {
            keys(&mut a, "a\n\n");
        }
    }
    let eff = keys(&mut a, "y");
    assert!(
        matches!(eff.first(), Some(Effect::Record { .. })),
        "{eff:?}"
    );
}

#[test]
fn a_bulk_preview_made_outdated_by_a_reload_does_not_confirm() {
    let mut a = app();
    bulk_key(&mut a, "A");
    keys(&mut a, "\n\n");
    // Someone else acknowledged the route meanwhile; a reload lands while the preview is open.
    let eff = a.refresh_routes();
    let Effect::LoadRoutes { seq } = eff[0] else {
        panic!()
    };
    let mut rows = a.routes.rows.clone();
    for r in &mut rows {
        if r.provider == "slack" {
            r.state = RouteState::Acknowledged;
        }
    }
    a.apply(Outcome::Routes {
        seq,
        result: Ok(rows),
    });
    let eff = keys(&mut a, "y");
    assert!(eff.is_empty(), "outdated preview released: {eff:?}");
    let Some(Overlay::Confirm(d)) = &a.overlay else {
        panic!("dialog stays open")
    };
    assert!(
        d.error
            .as_deref()
            .unwrap_or("")
            .contains("changed since this preview")
    );
}

#[test]
fn the_command_line_runs_actions_by_name_with_completion_and_history() {
    let mut a = app();
    keys(&mut a, ":filter owner:nobody\n");
    assert_eq!(a.routes.filter.to_string(), "owner:nobody");
    // Tab completes "bulk-a" to "bulk-ack"; Enter runs it (a bulk reloads first).
    keys(&mut a, ":bulk-a");
    a.on_key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
    assert_eq!(a.command.as_ref().unwrap().text, "bulk-ack ");
    let eff = keys(&mut a, "\n");
    assert!(
        matches!(eff.first(), Some(Effect::LoadRoutes { .. })),
        "{eff:?}"
    );
    // ↑ brings back the last command.
    keys(&mut a, ":");
    a.on_key(KeyEvent::new(KeyCode::Up, KeyModifiers::NONE));
    assert_eq!(a.command.as_ref().unwrap().text, "bulk-ack");
    keys(&mut a, "\x1b");
    assert!(a.command.is_none());
    // A pane command switches there; an unknown one says so; :q quits.
    keys(&mut a, ":history\n");
    assert_eq!(a.pane, crate::pane::Pane::History);
    keys(&mut a, ":nosuch\n");
    assert!(last_notice(&a).contains("unknown command"));
    keys(&mut a, ":q\n");
    assert!(a.quit);
}

#[test]
fn clicks_switch_panes_and_move_the_cursor_and_the_wheel_scrolls() {
    let mut a = app();
    a.set_viewport(10);
    a.on_click(crate::app::Hit::ListRow(2));
    assert_eq!(a.routes.cursor, 2);
    a.on_wheel(false);
    assert_eq!(a.routes.cursor, 0);
    let eff = a.on_click(crate::app::Hit::Tab(crate::pane::Pane::Worker));
    assert_eq!(a.pane, crate::pane::Pane::Worker);
    assert!(
        matches!(eff.first(), Some(Effect::LoadPane { .. })),
        "{eff:?}"
    );
}

#[test]
fn pick_lists_offer_only_valid_values() {
    use crate::app::dialog::Field;
    let mut f = Field::pick(
        "State",
        "accepted",
        &crate::domain::retry_ack::RETRY_ACK_STATES,
    );
    let mut d = crate::app::dialog::ConfirmDialog::new(
        "Ack Retry",
        vec![],
        vec![f.clone()],
        Effect::LoadSession,
    );
    d.on_key(
        &KeyEvent::new(KeyCode::Right, KeyModifiers::NONE),
        &Keymap::default(),
    );
    assert_eq!(d.fields[0].value, "deferred");
    d.on_key(
        &KeyEvent::new(KeyCode::Char('r'), KeyModifiers::NONE),
        &Keymap::default(),
    );
    assert_eq!(
        d.fields[0].value, "resolved",
        "a letter jumps to a choice, never types"
    );
    d.on_key(
        &KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE),
        &Keymap::default(),
    );
    assert_eq!(d.fields[0].value, "resolved");
    f.value = "bogus".into();
    let mut d = crate::app::dialog::ConfirmDialog::new("x", vec![], vec![f], Effect::LoadSession);
    d.on_key(
        &KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE),
        &Keymap::default(),
    );
    assert_eq!(
        d.on_key(
            &KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE),
            &Keymap::default()
        ),
        crate::app::dialog::DialogResult::Open
    );
    assert!(d.error.unwrap().contains("choose one of"));
}
