//! Scale and speed budgets (issue #5), measured and printed beside each budget:
//! `cargo build --release && cargo bench --bench budgets` (BENCH_SIZES=1000,10000,100000 by
//! default; BENCH_ONLY=bulk,process runs only those parts; stores are generated once into
//! target/bench-stores). Figures are reported, not
//! asserted: docs/performance.md records them.

mod support;

use std::time::{Duration, Instant};

use crossterm::event::KeyCode;

use cavra_tui::backend::sample::SampleBackend;
use cavra_tui::backend::{Backend, BulkRequest};
use cavra_tui::domain::ack::{AckInput, AckState, ack_record, build_ack};
use cavra_tui::domain::route::RouteKey;
use cavra_tui::theme::Theme;
use support::app::{Sink, fixed_terminal, key, load_routes, ready_app, store_for};
use support::{Row, ms, pct};

/// Copies a store and syncs the copy, so the copy's write-back does not compete with what is
/// measured next.
fn copied(src: &std::path::Path, to: &std::path::Path) {
    std::fs::copy(src, to).unwrap();
    std::fs::File::open(to).unwrap().sync_all().unwrap();
}

fn interactive(rt: &tokio::runtime::Runtime, routes: usize, rows: &mut Vec<Row>) {
    let path = store_for(routes);
    let backend = SampleBackend::open(&path).unwrap();
    // Refresh as the console does it: the pane already holds rows; read, then replace them.
    let (mut app, _cold) = ready_app(rt, &backend);
    let mut refresh = Vec::new();
    for _ in 0..6 {
        // Refreshes are a minute apart in the console; give the previous row set's background
        // free time to finish so one refresh is measured, not two overlapping ones.
        std::thread::sleep(Duration::from_millis(300));
        let effects = app.refresh_routes();
        refresh.push(ms(load_routes(rt, &mut app, &backend, &effects)));
    }
    refresh.remove(0); // warm-up
    let sink = Sink::default();
    let mut term = fixed_terminal(&sink);
    let theme = Theme::dark();
    sink.take();
    // The loop tells the app its list height before drawing, as the console's runner does.
    app.set_viewport(cavra_tui::ui::list_rows(50));
    let t = Instant::now();
    term.draw(|f| cavra_tui::ui::draw(f, &app, &theme)).unwrap();
    let first_frame = (ms(t.elapsed()), sink.take());
    let mut moves = Vec::new();
    let (mut bytes, mut scroll_bytes) = (Vec::new(), Vec::new());
    for i in 0..2000 {
        let k = if i % 400 < 200 {
            KeyCode::Down
        } else {
            KeyCode::Up
        };
        let offset = app.routes.offset;
        let t = Instant::now();
        app.on_key(key(k));
        term.draw(|f| cavra_tui::ui::draw(f, &app, &theme)).unwrap();
        moves.push(ms(t.elapsed()));
        let b = sink.take() as f64;
        if app.routes.offset == offset {
            bytes.push(b)
        } else {
            scroll_bytes.push(b)
        }
    }
    let mut filter = Vec::new();
    app.on_key(key(KeyCode::Char('/')));
    for c in "owner:team-1 state:outstanding".chars() {
        let t = Instant::now();
        app.on_key(key(KeyCode::Char(c)));
        term.draw(|f| cavra_tui::ui::draw(f, &app, &theme)).unwrap();
        filter.push(ms(t.elapsed()));
    }
    app.on_key(key(KeyCode::Esc));
    let mut sort = Vec::new();
    for _ in 0..8 {
        let t = Instant::now();
        app.on_key(key(KeyCode::Char('s')));
        term.draw(|f| cavra_tui::ui::draw(f, &app, &theme)).unwrap();
        sort.push(ms(t.elapsed()));
    }
    let n = format!("{}k", routes / 1000);
    let mut push = |what: &str, figure: f64, budget: f64, unit: &str| {
        rows.push(Row {
            what: format!("{what} @{n}"),
            figure: format!("{figure:.2} {unit}"),
            budget: format!("≤ {budget} {unit}"),
            ok: Some(figure <= budget),
        });
    };
    push(
        "refresh routes from the store (mean of 5)",
        refresh.iter().sum::<f64>() / 5.0,
        150.0,
        "ms",
    );
    push(
        "cursor move key→frame p99",
        pct(&mut moves.clone(), 0.99),
        2.0,
        "ms",
    );
    push(
        "filter: one more character → frame (max)",
        filter.iter().cloned().fold(0.0, f64::max),
        20.0,
        "ms",
    );
    push(
        "sort by another column → frame (max)",
        sort.iter().cloned().fold(0.0, f64::max),
        50.0,
        "ms",
    );
    push(
        "bytes for one cursor move within the page (max)",
        bytes.iter().cloned().fold(0.0, f64::max),
        1024.0,
        "B",
    );
    rows.push(Row {
        what: format!("bytes for a cursor move that scrolls the table @{n} (max)"),
        figure: format!("{:.0} B", scroll_bytes.iter().cloned().fold(0.0, f64::max)),
        budget: "reported".into(),
        ok: None,
    });
    rows.push(Row {
        what: format!("first frame @{n} (render, bytes)"),
        figure: format!("{:.2} ms, {} B", first_frame.0, first_frame.1),
        budget: "reported".into(),
        ok: None,
    });
}

fn bulk(rt: &tokio::runtime::Runtime, routes: usize, rows: &mut Vec<Row>) {
    let src = store_for(routes);
    let dir = tempfile::tempdir().unwrap();
    let (ours, plain) = (dir.path().join("ours.db"), dir.path().join("plain.db"));
    for copy in [&ours, &plain] {
        copied(&src, copy);
    }
    let backend = SampleBackend::open(&ours).unwrap();
    let outstanding: Vec<(RouteKey, String)> = rt
        .block_on(backend.routes())
        .unwrap()
        .into_iter()
        .filter(|r| r.is_outstanding())
        .take(10_000)
        .map(|r| (r.key(), r.plan_id))
        .collect();
    let n = outstanding.len();
    let req = BulkRequest {
        routes: outstanding.clone(),
        state: AckState::Acknowledged,
        acknowledged_by: "bench".into(),
        external_ref: String::new(),
        notes: String::new(),
        seen: Default::default(),
        actors: Vec::new(),
    };
    let t = Instant::now();
    let out = rt.block_on(backend.bulk_acknowledge(req)).unwrap();
    let ours_ms = ms(t.elapsed());
    assert_eq!(out.recorded.len(), n);
    // The same records, inserted with plain rusqlite in one transaction.
    let now = chrono::Utc::now();
    let records: Vec<_> = outstanding
        .iter()
        .map(|(k, p)| {
            ack_record(&build_ack(
                &AckInput {
                    route: k.clone(),
                    plan_id: p.clone(),
                    state: AckState::Acknowledged,
                    acknowledged_by: "bench".into(),
                    external_ref: String::new(),
                    notes: String::new(),
                },
                now,
            ))
        })
        .map(|r| {
            (
                r.session_id().to_string(),
                r.created_at().to_string(),
                r.kind().to_string(),
                r.str("schedule_id").to_string(),
                r.str("provider").to_string(),
                r.to_json(),
            )
        })
        .collect();
    let mut conn = rusqlite::Connection::open(&plain).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "NORMAL").unwrap();
    conn.pragma_update(None, "cache_size", -65536).unwrap(); // the store's own settings
    conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    let t = Instant::now();
    let tx = conn.transaction().unwrap();
    {
        let mut st = tx
            .prepare("INSERT OR REPLACE INTO evidence_metadata (session_id, created_at, signer, metadata_kind, schedule_id, provider, payload) VALUES (?1, ?2, 'bench', ?3, ?4, ?5, ?6)")
            .unwrap();
        for r in &records {
            st.execute(rusqlite::params![r.0, r.1, r.2, r.3, r.4, r.5])
                .unwrap();
        }
    }
    tx.commit().unwrap();
    let plain_ms = ms(t.elapsed());
    // The checkpoint the store defers to a thread of its own after the write.
    let t = Instant::now();
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
        .unwrap();
    let checkpoint_ms = ms(t.elapsed());
    rows.push(Row {
        what: format!(
            "bulk acknowledge {n} routes, one transaction @{}k",
            routes / 1000
        ),
        figure: format!(
            "{ours_ms:.1} ms ({:.2}x plain insert {plain_ms:.1} ms)",
            ours_ms / plain_ms
        ),
        budget: "≤ 300 ms and ≤ 3x".into(),
        ok: Some(ours_ms <= 300.0 && ours_ms <= 3.0 * plain_ms),
    });
    rows.push(Row {
        what: "  its WAL checkpoint, run after the answer on its own thread".into(),
        figure: format!("{checkpoint_ms:.1} ms"),
        budget: "(reported)".into(),
        ok: None,
    });
}

/// Runs the release binary in a pty (`script`) and watches its output from outside: the time
/// to the first frame (the routes title in the bytes) and to the first frame with routes
/// ("Routes N/" with N > 0), and its peak memory from /proc (VmHWM); then SIGTERM.
fn process(routes: usize, rows: &mut Vec<Row>) {
    let bin = support::pty::binary();
    let path = store_for(routes);
    let dir = tempfile::tempdir().unwrap();
    let (mut frames, mut datas, mut hwm) = (Vec::new(), Vec::new(), 0.0f64);
    for _ in 0..5 {
        // The first route row (a provider name) marks the frame with data.
        let run = support::pty::run(
            &bin,
            &format!("--db {}", path.display()),
            dir.path(),
            " Routes ",
            &|text| text.contains("slack") || text.contains("teams"),
        );
        hwm = hwm.max(run.hwm_kb);
        frames.push(run.frame);
        datas.push(run.data);
    }
    let n = format!("{}k", routes / 1000);
    let (f, d) = (pct(&mut frames, 0.5), pct(&mut datas, 0.5));
    rows.push(Row {
        what: format!("process start → first frame @{n} (median of 5, from outside, pty)"),
        figure: format!("{f:.1} ms"),
        budget: "≤ 200 ms".into(),
        ok: Some(f <= 200.0),
    });
    rows.push(Row {
        what: format!("process start → first frame with routes @{n} (median of 5)"),
        figure: format!("{d:.1} ms"),
        budget: "≤ 200 ms".into(),
        ok: Some(d <= 200.0),
    });
    rows.push(Row {
        what: format!("peak resident memory, TUI open @{n} (VmHWM)"),
        figure: format!("{:.1} MB", hwm / 1024.0),
        budget: "≤ 150 MB".into(),
        ok: Some(hwm / 1024.0 <= 150.0),
    });
}

/// Incremental refresh: nothing changed, and 100 acknowledgements written since the mark.
fn incremental(rt: &tokio::runtime::Runtime, routes: usize, rows: &mut Vec<Row>) {
    let src = store_for(routes);
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("inc.db");
    copied(&src, &copy);
    let backend = SampleBackend::open(&copy).unwrap();
    let mut pane = cavra_tui::app::routes::RoutesPane::default();
    let first = rt.block_on(backend.route_delta(None)).unwrap();
    let mut mark = first.mark.clone();
    pane.apply_delta(first);
    let (mut quiet, mut busy) = (Vec::new(), Vec::new());
    for round in 0..6 {
        let t = Instant::now();
        let d = rt.block_on(backend.route_delta(mark.clone())).unwrap();
        mark = d.mark.clone();
        pane.apply_delta(d);
        quiet.push(ms(t.elapsed()));
        let inputs: Vec<_> = pane
            .rows
            .iter()
            .skip(round * 997 % pane.rows.len().max(1))
            .take(100)
            .map(|r| (r.key(), r.plan_id.clone()))
            .collect();
        rt.block_on(backend.bulk_acknowledge(BulkRequest {
            routes: inputs,
            state: AckState::Escalated,
            acknowledged_by: "bench".into(),
            external_ref: String::new(),
            notes: format!("round {round}"),
            seen: Default::default(),
            actors: Vec::new(),
        }))
        .unwrap();
        let t = Instant::now();
        let d = rt.block_on(backend.route_delta(mark.clone())).unwrap();
        mark = d.mark.clone();
        pane.apply_delta(d);
        busy.push(ms(t.elapsed()));
    }
    quiet.remove(0);
    busy.remove(0);
    let n = format!("{}k", routes / 1000);
    let (q, b) = (pct(&mut quiet, 0.5), pct(&mut busy, 0.5));
    rows.push(Row {
        what: format!("incremental refresh, nothing changed, read + merge @{n} (median)"),
        figure: format!("{q:.2} ms"),
        budget: "≤ 5 ms".into(),
        ok: Some(q <= 5.0),
    });
    rows.push(Row {
        what: format!("incremental refresh, 100 routes changed, read + merge @{n} (median)"),
        figure: format!("{b:.2} ms"),
        budget: "≤ 20 ms".into(),
        ok: Some(b <= 20.0),
    });
}

fn main() {
    cavra_tui::memory::no_huge_pages();
    let sizes: Vec<usize> = std::env::var("BENCH_SIZES")
        .unwrap_or_else(|_| "1000,10000,100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    // BENCH_ONLY=bulk,process (interactive, incremental, process, bulk) runs only those parts.
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let runs = |part: &str| only.is_empty() || only.split(',').any(|p| p.trim() == part);
    let mut rows = Vec::new();
    for &n in &sizes {
        if runs("interactive") {
            interactive(&rt, n, &mut rows);
        }
        if runs("incremental") {
            incremental(&rt, n, &mut rows);
        }
        if runs("process") {
            process(n, &mut rows);
        }
    }
    if runs("bulk") {
        bulk(&rt, *sizes.iter().max().unwrap(), &mut rows);
    }
    support::print(&rows);
}
