//! Issue-12 keys of the app: their effects and dialog previews (approvals and recovery on pane
//! 4, Execute Retry's preview on pane 5, archive alerts on pane 6, the routing view on pane 1,
//! and actions the server lacks refused before any dialog).

use serde_json::json;

use super::effect::Outcome;
use super::overlay::Overlay;
use super::pane_actions::PaneAction;
use super::panes::{PaneData, RetryExtra};
use super::*;
use crate::backend::{Capabilities, Json};
use crate::domain::test_fixtures::obj;

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

/// Closes the dialog open, then checks each key opens the dialog of that title.
fn assert_titles(a: &mut App, keys: &[(char, &str)]) {
    for (k, title) in keys {
        a.overlay = None;
        a.on_key(key(*k));
        assert_eq!(dialog(a).title, *title, "key {k}");
    }
}

/// Pane 6 as loaded with this alert dashboard (and no health alerts or history).
fn load_archive_board(a: &mut App, board: Json) {
    let seq = a.pane_seq[Pane::Archive.index()];
    a.apply(Outcome::Pane {
        pane: Pane::Archive,
        seq,
        result: Ok(PaneData::Archive {
            health: Json::new(),
            alerts: None,
            board: Some(board),
        }),
    });
}

fn app_on(pane: Pane) -> App {
    let mut a = super::tests::blank_app();
    a.session = Some(crate::backend::Session::sample());
    let effects = a.switch_to(pane);
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Act { .. })),
        "a refresh never writes"
    );
    a
}

fn retry_app(recovery: RetryExtra) -> App {
    let mut a = app_on(Pane::Retry);
    let plan = obj(json!({"retry_plan_id": "R1", "retry_decisions": [
        {"action": "retry", "provider": "servicenow", "delivery_id": "d1", "audit_id": "a1"}]}));
    let seq = a.pane_seq[Pane::Retry.index()];
    a.apply(Outcome::Pane {
        pane: Pane::Retry,
        seq,
        result: Ok(PaneData::Retry {
            audit: Some(plan),
            auditor: None,
            recovery: Box::new(recovery),
        }),
    });
    a
}

fn dialog(a: &App) -> &dialog::ConfirmDialog {
    match &a.overlay {
        Some(Overlay::Confirm(d)) => d,
        other => panic!("no dialog: {other:?}"),
    }
}

#[test]
fn decide_takes_the_cursor_decisions_ids_from_the_latest_approval_plan() {
    let mut a = retry_app(RetryExtra::default());
    a.on_key(key('d'));
    assert!(a.overlay.is_none(), "no approval plan yet: no dialog");
    let approval = obj(json!({"approval_plan_id": "AP1", "approval_decisions": [
        {"provider": "servicenow", "retry_plan_id": "R1", "delivery_id": "d1", "audit_id": "a1",
         "action": "request_approval", "reason": "ready", "approval_required": true}]}));
    let mut a = retry_app(RetryExtra {
        approval: Some(approval),
        acks: vec![obj(
            json!({"provider": "servicenow", "delivery_id": "d1", "audit_id": "a1", "acknowledgement_state": "accepted"}),
        )],
        ..Default::default()
    });
    let d = a.retry.audit_decisions()[0].clone();
    assert_eq!(
        a.retry.states(&d),
        ("accepted".to_string(), "request_approval".to_string())
    );
    a.on_key(key('d'));
    let dlg = dialog(&a);
    assert_eq!(dlg.title, "Decide Retry Approval");
    assert!(dlg.preview[1].contains("Approval plan AP1 · servicenow delivery d1 (audit a1)"));
    assert_eq!(dlg.fields[0].value, "approved");
    assert_eq!(
        dlg.fields[0].choices,
        &["approved", "denied", "deferred", "expired"]
    );
    let Effect::Act {
        action: PaneAction::DecideRetryApproval(i),
        ..
    } = &dlg.pending
    else {
        panic!("{:?}", dlg.pending)
    };
    assert_eq!(
        (i.approval_plan_id.as_str(), i.retry_plan_id.as_str()),
        ("AP1", "R1")
    );
}

#[test]
fn close_recovery_names_the_cursor_provider_and_its_executions() {
    let pb = obj(
        json!({"playbook_id": "PB", "provider_playbooks": [{"provider": "splunk"}, {"provider": "servicenow"}]}),
    );
    let ex = vec![obj(json!({"provider": "servicenow", "execution_id": "x1"}))];
    let mut a = retry_app(RetryExtra {
        playbook: Some(pb),
        executions: ex,
        ..Default::default()
    });
    a.on_key(key('z'));
    let dlg = dialog(&a);
    assert!(dlg.preview[1].contains("Playbook PB · provider servicenow"));
    assert!(dlg.preview[2].contains("x1"));
    assert_titles(
        &mut a,
        &[
            ('R', "Retry Recovery report"),
            ('o', "Plan Retry Approval"),
            ('b', "Recovery Playbook"),
        ],
    );
}

#[test]
fn an_endpoint_the_server_lacks_is_refused_before_any_dialog() {
    let mut a = retry_app(RetryExtra::default());
    a.apply(Outcome::Capabilities(Capabilities::from_config(&obj(
        json!({"endpoints": {"x": "/api/v1/something-else"}}),
    ))));
    a.on_key(key('o'));
    assert!(a.overlay.is_none());
    let last = a.notices.last().unwrap();
    assert!(last.error && last.text.contains("Plan Retry Approval is unavailable"));
    // Sample mode offers everything.
    a.apply(Outcome::Capabilities(Capabilities::all("sample mode")));
    a.on_key(key('o'));
    assert!(a.overlay.is_some());
}

#[test]
fn execute_retry_reads_its_preview_before_the_dialog() {
    let mut a = app_on(Pane::Worker);
    let effects = a.on_key(key('X'));
    let [Effect::Preview { title, action }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(a.overlay.is_none(), "no dialog before the preview");
    let lines = vec!["re-send servicenow (delivery d1, audit a1): approved".to_string()];
    a.apply(Outcome::Previewed {
        title: title.clone(),
        action: action.clone(),
        result: Ok(lines),
    });
    let dlg = dialog(&a);
    assert_eq!(dlg.title, "Execute Retry");
    assert!(dlg.preview.iter().any(|l| l.contains("re-send servicenow")));
    let mut b = app_on(Pane::Worker);
    b.apply(Outcome::Previewed {
        title: "Execute Retry".into(),
        action: crate::actions::defaults::execute_retry("alice"),
        result: Err(crate::backend::BackendError::Unavailable("down".into())),
    });
    assert!(b.overlay.is_none() && b.notices.last().unwrap().error);
}

#[test]
fn an_unreadable_execute_retry_preview_opens_no_dialog_and_says_why() {
    let mut a = app_on(Pane::Worker);
    let said = "the history answer for failed acknowledgement audit deliveries had no readable `items` list, so the preview cannot say what will be sent";
    a.apply(Outcome::Previewed {
        title: "Execute Retry".into(),
        action: crate::actions::defaults::execute_retry("alice"),
        result: Err(crate::backend::BackendError::Decode(said.into())),
    });
    assert!(a.overlay.is_none(), "nothing to confirm without a preview");
    let last = a.notices.last().unwrap();
    assert!(last.error, "{}", last.text);
    assert!(
        last.text
            .contains("the preview could not be read, nothing sent")
            && last.text.contains(said),
        "{}",
        last.text
    );
    assert!(!last.text.contains("nothing will be sent"), "{}", last.text);
}

#[test]
fn archive_ack_takes_the_owed_alerts_own_plan() {
    let mut a = app_on(Pane::Archive);
    let board = obj(json!({"outstanding_acknowledgements": [
        {"health_id": "H1", "provider": "webhook", "plan_id": "PL1"}]}));
    load_archive_board(&mut a, board);
    a.on_key(key('a'));
    assert!(a.overlay.is_none(), "the first a shows the alerts owed");
    assert_eq!(a.archive.view, 1);
    a.on_key(key('a'));
    let dlg = dialog(&a);
    assert!(dlg.preview[1].contains("Archive alert H1 to webhook (plan PL1)"));
    assert_titles(
        &mut a,
        &[
            ('l', "Send Archive Alert"),
            ('U', "Run Auditor Retry (execute)"),
        ],
    );
}

#[test]
fn pane_one_toggles_the_routing_history_and_records_trends_only_on_t() {
    let mut a = app_on(Pane::Routes);
    let effects = a.on_key(key('v'));
    assert!(matches!(effects.as_slice(), [Effect::LoadRouting { .. }]));
    let refresh = a.refresh();
    assert!(
        refresh
            .iter()
            .any(|e| matches!(e, Effect::LoadRouting { .. }))
    );
    assert!(!refresh.iter().any(|e| matches!(e, Effect::Act { .. })));
    a.on_key(key('T'));
    let dlg = dialog(&a);
    assert_eq!(dlg.title, "Record suppression trend");
    assert!(matches!(
        &dlg.pending,
        Effect::Act {
            action: PaneAction::RecordSuppressionTrend(_),
            ..
        }
    ));
}

#[test]
fn an_alert_dashboard_not_read_is_never_said_to_owe_nothing() {
    let mut a = app_on(Pane::Archive);
    a.on_key(key('a'));
    a.on_key(key('a'));
    assert!(a.overlay.is_none());
    let said = &a.notices.last().unwrap().text;
    assert!(said.contains("has not been read") && !said.contains("no archive alert owed"));
    load_archive_board(&mut a, obj(json!({"outstanding_acknowledgements": "x"})));
    a.on_key(key('a'));
    let said = &a.notices.last().unwrap().text;
    assert!(said.contains("no readable list of owed alerts"), "{said}");
    a.archive.board = Some(obj(json!({"outstanding_acknowledgements": []})));
    a.on_key(key('a'));
    assert_eq!(
        a.notices.last().unwrap().text,
        "no archive alert owed: press l to send one"
    );
}

#[test]
fn a_route_key_in_the_routing_history_says_why_it_does_nothing() {
    let mut a = app_on(Pane::Routes);
    a.on_key(key('v'));
    let effects = a.on_key(key('a'));
    assert!(effects.is_empty() && a.overlay.is_none());
    assert!(
        a.notices
            .last()
            .unwrap()
            .text
            .contains("press v to act on the routes")
    );
}

#[test]
fn y_in_the_routing_history_copies_the_decision_under_the_cursor_not_a_route() {
    let mut a = app_on(Pane::Routes);
    a.on_key(key('v'));
    let seq = a.pane_seq[Pane::Routes.index()];
    let page = obj(json!({"items": [
        {"route_id": "r-1", "provider": "slack", "schedule_id": "s1"},
        {"route_id": "r-2", "provider": "jira", "schedule_id": "s1"}]}));
    a.apply(Outcome::Pane {
        pane: Pane::Routes,
        seq,
        result: Ok(PaneData::Routing(page)),
    });
    a.on_key(key('j'));
    let effects = a.on_key(key('Y'));
    assert!(
        matches!(effects.as_slice(), [Effect::Clipboard { text }] if text == "r-2"),
        "{effects:?}"
    );
}
