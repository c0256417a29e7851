//! Render snapshots of panes 2–6 at 80x24 and 200x50 (dark and mono), on data computed from
//! the shipped scenario at a fixed instant.

mod support;

use chrono::{TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use cavra_tui::app::App;
use cavra_tui::app::effect::Outcome;
use cavra_tui::app::panes::{PaneData, RetryExtra as PaneExtra};
use cavra_tui::backend::BackendInfo;
use cavra_tui::domain::query::Page;
use cavra_tui::domain::{approval, archive, dashboard, history, retry, worker};
use cavra_tui::keymap::Keymap;
use cavra_tui::theme::Theme;

fn app_on(number: u8) -> App {
    let pane = cavra_tui::pane::Pane::from_number(number).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let recs = support::fixed_records(now);
    let info = BackendInfo {
        mode: "sample".into(),
        location: "/home/alice/.local/share/cavra-tui/sample.db".into(),
    };
    let mut app = App::new(info, "alice".into(), Keymap::default());
    app.pane = pane;
    let data = match number {
        2 => PaneData::Health {
            dashboard: dashboard::dashboard(&recs, now),
            records: None,
        },
        3 => {
            let items: Vec<_> = recs
                .iter()
                .filter(|r| history::in_family(r))
                .cloned()
                .collect();
            let (page, total) = history::page(items, Page::first(50));
            let page = serde_json::json!({"items": page.into_iter().map(|r| serde_json::Value::Object(r.0)).collect::<Vec<_>>(), "total": total});
            PaneData::History(page.as_object().cloned().unwrap())
        }
        4 => PaneData::Retry {
            audit: Some(retry::audit_retry_plan(
                &recs,
                &retry::RetryPolicy::default(),
                "alice",
                now,
            )),
            auditor: Some(retry::auditor_retry_plan(
                &recs,
                &retry::RetryPolicy::default(),
                "alice",
                now,
            )),
            recovery: Box::new(PaneExtra {
                approval: Some(approval::approval_plan(&recs, true, "alice", now)),
                ..Default::default()
            }),
        },
        5 => PaneData::Worker {
            health: worker::worker_health(&recs, 30, 120, now),
            run: recs
                .iter()
                .filter(|r| r.kind() == cavra_tui::domain::record::kind::WORKER_RUN)
                .find_map(|r| {
                    r.object("acknowledgement_audit_delivery_worker_run")
                        .cloned()
                }),
            alerts: Some(worker::alert_dashboard(&recs, now)),
            history: Some(
                serde_json::json!({"items": [], "total": 0})
                    .as_object()
                    .cloned()
                    .unwrap(),
            ),
            runs: Some(runs_page(&recs)),
            dashboard: Some(cavra_tui::domain::histories::worker_dashboard(&recs, now)),
        },
        _ => PaneData::Archive {
            health: archive::archive_health(&recs, archive::ArchiveRules::default(), "alice", now),
            alerts: None,
            board: Some(
                serde_json::json!({"alert_level": "warning", "plan_count": 1, "outstanding_acknowledgement_count": 1,
                    "outstanding_acknowledgements": [{"health_id": "gordarchivehealth-1", "provider": "webhook", "plan_id": "gordarchivealert-1"}]})
                .as_object()
                .cloned()
                .unwrap(),
            ),
        },
    };
    let effects = app.switch_to(pane);
    let seq = match &effects[0] {
        cavra_tui::app::effect::Effect::LoadPane { seq, .. } => *seq,
        other => panic!("{other:?}"),
    };
    app.apply(Outcome::Pane {
        pane,
        seq,
        result: Ok(data),
    });
    app.apply(Outcome::Session(Ok(cavra_tui::backend::Session::sample())));
    app.apply(Outcome::Capabilities(
        cavra_tui::backend::Capabilities::all("sample mode"),
    ));
    app.last_refresh = Some(now);
    app
}

/// The worker runs of the scenario as `GET …/worker-runs` pages them (the records).
fn runs_page(recs: &[cavra_tui::domain::Record]) -> serde_json::Map<String, serde_json::Value> {
    let items: Vec<serde_json::Value> = recs
        .iter()
        .filter(|r| r.kind() == cavra_tui::domain::record::kind::WORKER_RUN)
        .map(|r| serde_json::Value::Object(r.0.clone()))
        .collect();
    serde_json::json!({"total": items.len(), "items": items})
        .as_object()
        .cloned()
        .unwrap()
}

fn render(app: &mut App, theme: &Theme, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    app.set_extent(cavra_tui::ui::extent(app, theme, w, h));
    term.draw(|f| cavra_tui::ui::draw(f, app, theme)).unwrap();
    format!("{:?}", term.backend().buffer())
}

macro_rules! snap {
    ($name:ident, $pane:expr, $theme:expr, $w:expr, $h:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(render(&mut app_on($pane), &$theme, $w, $h));
        }
    };
}

snap!(health_dark_80x24, 2, Theme::dark(), 80, 24);
snap!(health_mono_200x50, 2, Theme::mono(), 200, 50);
snap!(history_mono_80x24, 3, Theme::mono(), 80, 24);
snap!(history_dark_200x50, 3, Theme::dark(), 200, 50);
snap!(retry_dark_80x24, 4, Theme::dark(), 80, 24);
snap!(retry_mono_200x50, 4, Theme::mono(), 200, 50);
snap!(worker_mono_80x24, 5, Theme::mono(), 80, 24);
snap!(worker_dark_200x50, 5, Theme::dark(), 200, 50);
snap!(archive_dark_80x24, 6, Theme::dark(), 80, 24);
snap!(archive_mono_200x50, 6, Theme::mono(), 200, 50);

/// A pane after pressing `v` (its other view), drawn at 200x50.
fn toggled(pane: u8) -> String {
    let mut app = app_on(pane);
    let v = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char('v'));
    app.on_key(v);
    render(&mut app, &Theme::mono(), 200, 50)
}

#[test]
fn worker_runs_view_mono_200x50() {
    let text = toggled(5);
    assert!(text.contains("Worker runs (v: alerts owed"));
    insta::assert_snapshot!(text);
}

#[test]
fn archive_alerts_owed_view_mono_200x50() {
    let text = toggled(6);
    assert!(text.contains("○ owed webhook"));
    insta::assert_snapshot!(text);
}

#[test]
fn the_retry_pane_shows_each_decisions_retry_ack_and_approval_state() {
    let text = render(&mut app_on(4), &Theme::mono(), 200, 50);
    assert!(text.contains("RETRY ACK") && text.contains("APPROVAL"));
    assert!(text.contains("Approval plan gordackretryapproval"));
}

#[test]
fn the_panes_show_what_the_scenario_holds() {
    let text = |pane| render(&mut app_on(pane), &Theme::mono(), 200, 50);
    assert!(text(2).contains("Failed audit sends"));
    assert!(text(3).contains("connector-delivery"));
    assert!(
        text(4).contains("suppress"),
        "the auditor plan suppresses the thrice-failed export"
    );
    assert!(text(5).contains("missed_worker_run"));
    assert!(text(6).contains("archive_reference_missing"));
}
