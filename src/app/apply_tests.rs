//! Applying outcomes: failed loads keep older data, partial and refused recordings say what
//! happened, and a 401 anywhere reads the session again.

use crate::app::effect::{Effect, Outcome};
use crate::app::overlay::Overlay;
use crate::app::tests::{app, bulk_key, keys, last_notice, row};
use crate::backend::{BackendError, BulkOutcome};
use crate::domain::route::RouteState;
use crate::pane::Pane;

/// Recording is refused, and the newest notice says why: the token was not verified.
fn assert_signed_out(a: &mut crate::app::App) {
    assert!(!a.may_record());
    let says = "the server did not verify the token: run `cavra-tui login` again";
    assert!(last_notice(a).contains(says), "{}", last_notice(a));
}

#[test]
fn a_failed_refresh_keeps_rows_and_marks_them_stale() {
    let mut a = app();
    let Effect::LoadRoutes { seq } = a.refresh()[0] else {
        panic!()
    };
    a.apply(Outcome::Routes {
        seq,
        result: Err(BackendError::Unavailable("database is locked".into())),
    });
    assert_eq!(a.routes.rows.len(), 3);
    assert!(a.routes.stale);
    assert!(a.notices.last().unwrap().error);

    // Failing again replaces the notice; a refresh that lands removes it.
    let failed = |a: &crate::app::App| {
        a.notices
            .iter()
            .filter(|n| n.text.starts_with("refresh failed"))
            .count()
    };
    for _ in 0..5 {
        let Effect::LoadRoutes { seq } = a.refresh()[0] else {
            panic!()
        };
        a.apply(Outcome::Routes {
            seq,
            result: Err(BackendError::Unavailable("down".into())),
        });
    }
    assert_eq!(failed(&a), 1);
    let Effect::LoadRoutes { seq } = a.refresh()[0] else {
        panic!()
    };
    let rows = a.routes.rows.clone();
    a.apply(Outcome::Routes {
        seq,
        result: Ok(rows),
    });
    assert_eq!(failed(&a), 0);
    assert!(!a.routes.stale);
}

#[test]
fn partial_bulk_results_open_a_report_and_trigger_a_reload() {
    let mut a = app();
    bulk_key(&mut a, "A");
    let eff = keys(&mut a, "\n\ny");
    let Effect::Record { title, plan, .. } = eff[0].clone() else {
        panic!()
    };
    let out = BulkOutcome {
        requests: 1,
        recorded: vec![plan.routes[0].route.clone()],
        not_recorded: vec![(plan.routes[1].route.clone(), "locked".into())],
        ..Default::default()
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
fn a_refused_recording_reopens_its_dialog_with_what_was_typed() {
    let mut a = app();
    let eff = keys(&mut a, "adrill booked\n\ny");
    let Some(Effect::Record { title, plan, .. }) = eff.first().cloned() else {
        panic!("{eff:?}")
    };
    assert!(
        a.writing.is_some(),
        "the status bar shows the recording under way"
    );
    a.apply(Outcome::Recorded {
        title,
        plan,
        result: Err(BackendError::Rejected("acknowledged_by is required".into())),
    });
    assert!(a.writing.is_none());
    let Some(Overlay::Confirm(d)) = &a.overlay else {
        panic!("the dialog is back")
    };
    assert_eq!(d.fields[0].value, "drill booked");
    assert!(
        d.error
            .as_deref()
            .unwrap_or("")
            .contains("acknowledged_by is required")
    );
}

#[test]
fn a_refused_session_reads_the_session_again_and_gates_recording() {
    let mut a = app();
    let seq = a.pane_seq[Pane::Health.index()];
    let before = a.in_flight;
    let next = a.apply(Outcome::Pane {
        pane: Pane::Health,
        seq,
        result: Err(BackendError::Unauthorized(
            "token rejected or expired: run cavra-tui login (expired)".into(),
        )),
    });
    assert!(
        matches!(next.as_slice(), [Effect::LoadSession]),
        "a 401 asks who we are: {next:?}"
    );
    assert_eq!(a.in_flight, before.saturating_sub(1) + 1);
    assert!(last_notice(&a).contains("run cavra-tui login"));
    // The session read says the token was not verified: recording is refused with the reason.
    a.apply(Outcome::Session(Ok(crate::backend::Session {
        mode: "auth_required".into(),
        auth_required: true,
        token_sent: true,
        ..Default::default()
    })));
    assert_signed_out(&mut a);
}

#[test]
fn a_refused_session_read_signs_the_console_out() {
    let mut a = app();
    a.apply(Outcome::Session(Ok(crate::backend::Session {
        mode: "authenticated".into(),
        authenticated: true,
        auth_required: true,
        actor: Some("alice".into()),
        may_acknowledge: true,
        token_sent: true,
        no_oidc: false,
    })));
    assert!(a.may_record());
    a.apply(Outcome::Session(Err(BackendError::Unauthorized(
        "token rejected or expired: run cavra-tui login (expired)".into(),
    ))));
    let s = a.session.as_ref().unwrap();
    assert!(!s.authenticated && s.actor.is_none() && s.token_sent);
    assert_signed_out(&mut a);
}

#[test]
fn other_failures_and_a_refused_session_read_ask_nothing_more() {
    let mut a = app();
    let seq = a.pane_seq[Pane::Health.index()];
    let next = a.apply(Outcome::Pane {
        pane: Pane::Health,
        seq,
        result: Err(BackendError::Unavailable("down".into())),
    });
    assert!(next.is_empty(), "{next:?}");
    let next = a.apply(Outcome::Session(Err(BackendError::Unauthorized(
        "token rejected".into(),
    ))));
    assert!(next.is_empty(), "no loop of session reads: {next:?}");
}

#[test]
fn a_session_that_cannot_be_read_leaves_one_notice_until_it_can() {
    let mut a = app();
    for _ in 0..5 {
        a.apply(Outcome::Session(Err(BackendError::Unavailable(
            "down".into(),
        ))));
    }
    let said = |a: &crate::app::App| {
        a.notices
            .iter()
            .filter(|n| n.text.starts_with("cannot read the console session"))
            .count()
    };
    assert_eq!(said(&a), 1);
    a.apply(Outcome::Session(Ok(crate::backend::Session::sample())));
    assert_eq!(said(&a), 0);
}
