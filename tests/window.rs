//! CAVRA's 500-record window (issue 13): with more than 500 records the server's dashboard
//! counts only the newest 500, sample mode does exactly the same, the routes pane keeps the
//! whole history, and pane 2, the status bar and `cavra-tui dashboard` say so with both
//! outstanding counts.

mod support;

#[path = "support/contract_server/mod.rs"]
mod contract_server;

use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::{Value, json};

use cavra_tui::app::App;
use cavra_tui::app::effect::{Effect, Outcome};
use cavra_tui::app::panes::PaneData;
use cavra_tui::backend::remote::{Client, RemoteBackend};
use cavra_tui::backend::sample::SampleBackend;
use cavra_tui::backend::sample::store::Store;
use cavra_tui::backend::{Backend, BackendInfo, Session};
use cavra_tui::domain::Record;
use cavra_tui::domain::history::HistoryQuery;
use cavra_tui::domain::query::Page;
use cavra_tui::domain::record::kind;
use cavra_tui::keymap::Keymap;
use cavra_tui::theme::Theme;
use cavra_tui::views::window::{console_outstanding, window_note};

fn rec(v: Value) -> Record {
    Record::from_json(&v.to_string()).unwrap()
}

/// 300 old plans (one outstanding Slack route each), then 300 newer acknowledgements of
/// other schedules: 600 records, of which the newest 500 hold only 200 of the plans.
fn store_beyond_the_window() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.db");
    let mut records = Vec::new();
    for i in 0..300 {
        let id = format!("gordn-{i:04}");
        let s = format!("sched_{i:04}");
        records.push(rec(json!({
            "session_id": id, "plan_id": id, "created_at": format!("2026-05-01T{:02}:{:02}:00+00:00", i / 60, i % 60),
            "metadata_kind": kind::NOTIFICATION_PLAN, "schedule_id": s, "alert_level": "critical",
            "selected_providers": ["slack"], "acknowledgement_required_providers": ["slack"],
            "plan": {"plan_id": id, "schedule_id": s, "acknowledgement_required_providers": ["slack"],
                     "route_decisions": [{"schedule_id": s, "provider": "slack", "owner": "payments",
                                          "action": "deliver", "reason": "rollback drill is stale or due soon",
                                          "acknowledgement_minutes": 60}]}
        })));
    }
    for i in 0..300 {
        records.push(rec(json!({
            "session_id": format!("gordack-{i:04}"), "created_at": format!("2026-05-02T{:02}:{:02}:00+00:00", i / 60, i % 60),
            "metadata_kind": kind::NOTIFICATION_ACK, "schedule_id": format!("other_{i}"), "provider": "teams",
            "acknowledgement_state": "acknowledged"
        })));
    }
    let mut store = Store::open(&path).unwrap();
    store.put_records(&records).unwrap();
    drop(store);
    (dir, path)
}

fn remote(url: &str) -> RemoteBackend {
    let client = Client::new(url.parse().unwrap(), None, None, Duration::from_secs(5)).unwrap();
    RemoteBackend::new("test", client.with_backoff(Duration::from_millis(10)))
}

#[tokio::test]
async fn the_dashboard_reads_the_newest_500_in_both_modes_and_the_routes_pane_everything() {
    let (_dir, path) = store_beyond_the_window();
    let sample = SampleBackend::open(&path).unwrap();
    let server = contract_server::start(&path, None).await;
    let remote = remote(&server.url());
    for b in [&sample as &dyn Backend, &remote] {
        let d = b.dashboard().await.unwrap();
        assert_eq!(d["outstanding_acknowledgement_count"], 200);
        assert_eq!(d["plan_count"], 200, "only the plans inside the window");
        assert_eq!(d["acknowledgement_count"], 300);
        let first = d["outstanding_acknowledgements"][0]["schedule_id"].clone();
        assert_eq!(first, "sched_0299", "the newest plan's schedule first");
        let total = b
            .history(HistoryQuery::default(), Page::first(1))
            .await
            .unwrap()["total"]
            .clone();
        assert_eq!(total, 600);
        let routes = b.routes().await.unwrap();
        assert_eq!(
            console_outstanding(&routes),
            300,
            "the routes pane keeps everything"
        );
        let note = window_note(&d, Some(600), Some(console_outstanding(&routes))).unwrap();
        assert_eq!(
            note.long(),
            "CAVRA's dashboard counts only the newest 500 of 600 records: outstanding 200 on the dashboard, 300 in the routes pane (whole history)"
        );
    }
}

#[tokio::test]
async fn pane_2_and_the_status_bar_say_what_the_dashboard_leaves_out() {
    let (_dir, path) = store_beyond_the_window();
    let b = SampleBackend::open(&path).unwrap();
    let info = BackendInfo {
        mode: "sample".into(),
        location: "/tmp/w.db".into(),
    };
    let mut app = App::new(info, "alice".into(), Keymap::default());
    app.routes.set_rows(b.routes().await.unwrap());
    let effects = app.switch_to(cavra_tui::pane::Pane::Health);
    let seq = match &effects[0] {
        Effect::LoadPane { seq, .. } => *seq,
        other => panic!("{other:?}"),
    };
    let data = PaneData::Health {
        dashboard: b.dashboard().await.unwrap(),
        records: Some(600),
    };
    app.apply(Outcome::Pane {
        pane: cavra_tui::pane::Pane::Health,
        seq,
        result: Ok(data),
    });
    app.apply(Outcome::Session(Ok(Session::sample())));
    app.apply(Outcome::Capabilities(
        cavra_tui::backend::Capabilities::all("sample mode"),
    ));
    let mut term = Terminal::new(TestBackend::new(200, 30)).unwrap();
    let (w, h) = (term.size().unwrap().width, term.size().unwrap().height);
    app.set_extent(cavra_tui::ui::extent(&app, &Theme::mono(), w, h));
    term.draw(|f| cavra_tui::ui::draw(f, &app, &Theme::mono()))
        .unwrap();
    let text: String = term
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(
        text.contains("CAVRA's dashboard counts only the newest 500 of 600 records: outstanding 200 on the dashboard, 300 in the routes pane"),
        "{text}"
    );
    assert!(
        text.contains("dashboard: newest 500 of 600 · outstanding 200 (routes 300)"),
        "the status bar says it too"
    );
}

#[test]
fn the_cli_dashboard_prints_the_note() {
    let (dir, path) = store_beyond_the_window();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_cavra-tui"));
    support::isolate(&mut cmd, dir.path());
    let out = cmd
        .args([
            "--db",
            path.to_str().unwrap(),
            "--output",
            "table",
            "dashboard",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(
            "newest 500 of 600 records: outstanding 200 on the dashboard, 300 in the routes pane"
        ),
        "{stdout}"
    );
}
