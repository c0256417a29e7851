//! Scale and speed budgets (issue #5), measured and printed beside each budget:
//! `cargo build --release && cargo bench --bench budgets` (BENCH_SIZES=1000,10000,100000 by
//! default; stores are generated once into target/bench-stores). Figures are reported, not
//! asserted: docs/performance.md records them.

#[path = "../tests/support/contract_server/mod.rs"]
mod contract_server;

use std::io::Write;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use cavra_tui::app::App;
use cavra_tui::app::effect::{Effect, Outcome};
use cavra_tui::backend::sample::SampleBackend;
use cavra_tui::backend::sample::generate::{Spec, generate};
use cavra_tui::backend::sample::store::Store;
use cavra_tui::backend::{Backend, BulkRequest, Session};
use cavra_tui::domain::ack::{AckInput, AckState, ack_record, build_ack};
use cavra_tui::domain::route::RouteKey;
use cavra_tui::keymap::Keymap;
use cavra_tui::theme::Theme;

/// A byte sink that counts what the terminal backend writes.
#[derive(Clone, Default)]
struct Sink(Arc<std::sync::Mutex<usize>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        *self.0.lock().unwrap() += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Sink {
    fn take(&self) -> usize {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

struct Row {
    what: String,
    figure: String,
    budget: String,
    ok: Option<bool>,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn store_for(routes: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-stores");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("r{routes}.db"));
    if !path.exists() {
        let t = Instant::now();
        let mut store = Store::open(&path).unwrap();
        let report = generate(
            &mut store,
            Spec {
                routes,
                history: routes * 10,
                seed: 1,
            },
            chrono::Utc::now(),
            &mut |_, _| {},
        )
        .unwrap();
        eprintln!(
            "generated {} routes, {} records in {:.1}s",
            report.routes,
            report.records,
            t.elapsed().as_secs_f64()
        );
    }
    path
}

/// A 200x50 terminal writing into `sink`; fixed, so no draw asks the (non-tty) stdout its size.
fn fixed_terminal(sink: &Sink) -> Terminal<CrosstermBackend<Sink>> {
    let opts = ratatui::TerminalOptions {
        viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, 200, 50)),
    };
    Terminal::with_options(CrosstermBackend::new(sink.clone()), opts).unwrap()
}

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

fn ready_app(rt: &tokio::runtime::Runtime, backend: &SampleBackend) -> (App, Duration) {
    let mut app = App::new(backend.info(), "bench".into(), Keymap::default());
    let effects = app.refresh();
    let Effect::LoadRoutes { seq } = effects[0] else {
        panic!()
    };
    let t = Instant::now();
    let rows = rt.block_on(backend.routes()).unwrap();
    app.apply(Outcome::Routes {
        seq,
        result: Ok(rows),
    });
    let took = t.elapsed();
    app.apply(Outcome::Session(Ok(Session::sample())));
    (app, took)
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
        let Effect::LoadRoutes { seq } = effects[0] else {
            panic!()
        };
        let t = Instant::now();
        let rows = rt.block_on(backend.routes()).unwrap();
        app.apply(Outcome::Routes {
            seq,
            result: Ok(rows),
        });
        refresh.push(ms(t.elapsed()));
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
    std::fs::copy(&src, &ours).unwrap();
    std::fs::copy(&src, &plain).unwrap();
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
}

/// Runs the release binary in a pty (`script`) and watches its output from outside: the time
/// to the first frame (the routes title in the bytes) and to the first frame with routes
/// ("Routes N/" with N > 0), and its peak memory from /proc (VmHWM); then SIGTERM.
fn process(routes: usize, rows: &mut Vec<Row>) {
    use std::io::Read;
    let bin = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/cavra-tui");
    let bin = std::env::var_os("CAVRA_TUI_BIN")
        .map(PathBuf::from)
        .unwrap_or(bin);
    assert!(
        bin.exists(),
        "build the release binary first: cargo build --release"
    );
    let path = store_for(routes);
    let dir = tempfile::tempdir().unwrap();
    let (mut frames, mut datas, mut hwm) = (Vec::new(), Vec::new(), 0.0f64);
    for _ in 0..5 {
        let t = Instant::now();
        let mut child = std::process::Command::new("script")
            .args([
                "-qec",
                &format!(
                    "stty cols 200 rows 50; exec {} --db {}",
                    bin.display(),
                    path.display()
                ),
                "/dev/null",
            ])
            .env("HOME", dir.path())
            .env("XDG_STATE_HOME", dir.path())
            .env("XDG_CONFIG_HOME", dir.path())
            .stdout(std::process::Stdio::piped())
            .stdin(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = child.stdout.take().unwrap();
        let (mut seen, mut buf) = (Vec::new(), [0u8; 65536]);
        let (mut frame, mut data) = (None, None);
        while data.is_none() {
            let n = out.read(&mut buf).unwrap_or(0);
            if n == 0 {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&seen);
            if frame.is_none() && text.contains(" Routes ") {
                frame = Some(ms(t.elapsed()));
            }
            // ratatui redraws only changed cells, so the count after the title is not a
            // contiguous string: the first route row (a provider name) marks the data frame.
            if frame.is_some() && (text.contains("slack") || text.contains("teams")) {
                data = Some(ms(t.elapsed()));
            }
        }
        let pid = std::process::Command::new("pgrep")
            .args(["-P", &child.id().to_string()])
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .unwrap_or_default();
        let pid = pid.trim().to_string();
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            if let Some(kb) = status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
            {
                hwm = hwm.max(kb);
            }
        }
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status();
        let _ = std::io::copy(&mut out, &mut std::io::sink());
        let _ = child.wait();
        frames.push(frame.unwrap_or(f64::NAN));
        datas.push(data.unwrap_or(f64::NAN));
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
    std::fs::copy(&src, &copy).unwrap();
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

fn remote(rt: &tokio::runtime::Runtime, rows: &mut Vec<Row>) {
    // A loopback server that only adds 100 ms per request (its own work is not the client's).
    let mock = rt.block_on(wiremock::MockServer::start());
    rt.block_on(
        wiremock::Mock::given(wiremock::matchers::method("POST"))
            .respond_with(
                wiremock::ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!({"acknowledgement_count": 100}))
                    .set_delay(Duration::from_millis(100)),
            )
            .mount(&mock),
    );
    let client = cavra_tui::backend::remote::Client::new(
        mock.uri().parse().unwrap(),
        None,
        None,
        Duration::from_secs(30),
    )
    .unwrap();
    let bulk_backend = cavra_tui::backend::remote::RemoteBackend::new("bench", client);
    let routes: Vec<(RouteKey, String)> = (0..1000)
        .map(|i| {
            (
                RouteKey::new(format!("bench_{i:04}"), "slack"),
                String::new(),
            )
        })
        .collect();
    let t = Instant::now();
    let out = rt
        .block_on(bulk_backend.bulk_acknowledge(BulkRequest {
            routes,
            state: AckState::Acknowledged,
            acknowledged_by: "bench".into(),
            external_ref: String::new(),
            notes: String::new(),
            seen: Default::default(),
        }))
        .unwrap();
    let took = t.elapsed().as_secs_f64();
    assert_eq!(out.recorded.len(), 1000);
    rows.push(Row {
        what: "remote: bulk ack 1000 routes, +100 ms per request".into(),
        figure: format!("{took:.3} s ({:.2}x of 10 × 100 ms)", took / 1.0),
        budget: "≤ 1.2x".into(),
        ok: Some(took <= 1.2),
    });

    // Key presses while 10 slow (500 ms) requests are in flight, against the contract server.
    let dir = tempfile::tempdir().unwrap();
    let server = rt.block_on(contract_server::start(&dir.path().join("server.db"), None));
    *server.state.delay.lock().unwrap() = Duration::from_millis(500);
    let client = cavra_tui::backend::remote::Client::new(
        server.url().parse().unwrap(),
        None,
        None,
        Duration::from_secs(30),
    )
    .unwrap();
    let backend = Arc::new(cavra_tui::backend::remote::RemoteBackend::new(
        "bench", client,
    ));
    let local = SampleBackend::open(&store_for(10_000)).unwrap();
    let (mut app, _) = ready_app(rt, &local);
    let sink = Sink::default();
    let mut term = fixed_terminal(&sink);
    let theme = Theme::dark();
    let inflight: Vec<_> = (0..10)
        .map(|_| {
            let b = Arc::clone(&backend);
            rt.spawn(async move { b.dashboard().await })
        })
        .collect();
    let mut lat = Vec::new();
    let start = Instant::now();
    while start.elapsed() < Duration::from_millis(450) {
        let t = Instant::now();
        app.on_key(key(KeyCode::Down));
        term.draw(|f| cavra_tui::ui::draw(f, &app, &theme)).unwrap();
        lat.push(ms(t.elapsed()));
    }
    for h in inflight {
        rt.block_on(h).unwrap().unwrap();
    }
    let p99 = pct(&mut lat, 0.99);
    rows.push(Row {
        what: format!(
            "remote: key→frame p99 with 10 slow requests in flight ({} presses)",
            lat.len()
        ),
        figure: format!("{p99:.2} ms"),
        budget: "≤ 16 ms".into(),
        ok: Some(p99 <= 16.0),
    });
}

fn main() {
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
    let mut rows = Vec::new();
    for &n in &sizes {
        interactive(&rt, n, &mut rows);
        incremental(&rt, n, &mut rows);
        process(n, &mut rows);
    }
    bulk(&rt, *sizes.iter().max().unwrap(), &mut rows);
    remote(&rt, &mut rows);
    let w = rows.iter().map(|r| r.what.len()).max().unwrap_or(10);
    println!(
        "\n{:<w$}  {:<34}  {:<18}  result",
        "what", "figure", "budget"
    );
    for r in &rows {
        let verdict = match r.ok {
            Some(true) => "met",
            Some(false) => "NOT MET",
            None => "-",
        };
        println!(
            "{:<w$}  {:<34}  {:<18}  {verdict}",
            r.what, r.figure, r.budget
        );
    }
}
