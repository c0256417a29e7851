//! Remote-mode figures (issues #5 and #14), printed beside their budgets:
//! `cargo build --release && cargo bench --bench remote`. Against a history server on
//! 127.0.0.1 adding 150 ms per request and holding 10k notification plans and 20k
//! acknowledgements (CAVRA's 500-record window per kind): a cold routes load, warm refreshes
//! with nothing new and with 10 new records (time and requests). Against the contract server
//! (+150 ms): the release binary's first frame with routes from the cache, with the server slow
//! and stopped. Also the bulk acknowledge over a +100 ms server and key presses with slow
//! requests in flight.

#[path = "../tests/support/contract_server/mod.rs"]
mod contract_server;
mod support;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::KeyCode;

use cavra_tui::backend::remote::{Client, RemoteBackend};
use cavra_tui::backend::sample::SampleBackend;
use cavra_tui::backend::sample::generate::{Spec, generate};
use cavra_tui::backend::sample::store::Store;
use cavra_tui::backend::{Backend, BulkRequest};
use cavra_tui::domain::ack::{AckInput, AckState};
use cavra_tui::domain::route::RouteKey;
use cavra_tui::theme::Theme;
use support::app::{Sink, fixed_terminal, key, ready_app, store_for};
use support::history_server::HistoryServer;
use support::{Row, ms, pct};

/// Every request the server adds this much (a bastion far from the server).
const LATENCY: Duration = Duration::from_millis(150);
/// 8 routes a schedule, one plan each: 10k plans.
const SERVER_ROUTES: usize = 80_000;

/// The server's store, generated once (10k plans; about 55 % of the routes acknowledged).
fn server_store() -> std::path::PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-stores");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("server-r{SERVER_ROUTES}.db"));
    if !path.exists() {
        let mut store = Store::open(&path).unwrap();
        let spec = Spec {
            routes: SERVER_ROUTES,
            history: SERVER_ROUTES,
            seed: 3,
        };
        generate(&mut store, spec, chrono::Utc::now(), &mut |_, _| {}).unwrap();
    }
    path
}

/// The newest `n` records of a kind in the store, newest first (CAVRA's history order).
fn newest(db: &Path, kind: &str, n: usize) -> Vec<serde_json::Value> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut st = c
        .prepare(
            "SELECT payload FROM evidence_metadata WHERE metadata_kind = ?1 \
             ORDER BY created_at DESC, session_id ASC LIMIT ?2",
        )
        .unwrap();
    st.query_map(rusqlite::params![kind, n as i64], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|p| serde_json::from_str(&p.unwrap()).unwrap())
        .collect()
}

fn client(url: &str) -> Client {
    Client::new(url.parse().unwrap(), None, None, Duration::from_secs(30)).unwrap()
}

/// Cold load, warm refreshes (nothing new, 10 new) against the history server holding 10k
/// plans and 20k acknowledgements, then the binary from the cache.
fn sync(rt: &tokio::runtime::Runtime, rows: &mut Vec<Row>) {
    use cavra_tui::domain::ack::{ack_record, build_ack};
    use cavra_tui::domain::record::kind;
    let db = server_store();
    let held = HashMap::from([
        (
            kind::NOTIFICATION_PLAN.to_string(),
            newest(&db, kind::NOTIFICATION_PLAN, 10_000),
        ),
        (
            kind::NOTIFICATION_ACK.to_string(),
            newest(&db, kind::NOTIFICATION_ACK, 20_000),
        ),
    ]);
    let at = format!(
        "{} plans, {} acks held, +150 ms/request",
        held[kind::NOTIFICATION_PLAN].len(),
        held[kind::NOTIFICATION_ACK].len()
    );
    let server = rt.block_on(HistoryServer::start(held, LATENCY));

    let (mut cold, mut cold_req, mut shown) = (Vec::new(), 0, 0);
    let mut warm_backend = None;
    for _ in 0..3 {
        server.take_gets();
        let b = RemoteBackend::new("bench", client(&server.url));
        let t = Instant::now();
        let d = rt.block_on(b.route_delta(None)).unwrap();
        cold.push(ms(t.elapsed()));
        cold_req = server.take_gets();
        shown = d.rows.len();
        warm_backend = Some((b, d.mark.clone()));
    }
    let (b, mut mark) = warm_backend.unwrap();
    let c = pct(&mut cold, 0.5);
    rows.push(Row {
        what: format!("remote cold load ({at}; {shown} routes shown, median of 3)"),
        figure: format!("{c:.0} ms, {cold_req} requests"),
        budget: "(reported)".into(),
        ok: None,
    });

    let (mut quiet, mut quiet_req) = (Vec::new(), 0);
    for _ in 0..5 {
        let t = Instant::now();
        let d = rt.block_on(b.route_delta(mark.clone())).unwrap();
        quiet.push(ms(t.elapsed()));
        quiet_req = quiet_req.max(server.take_gets());
        mark = d.mark.clone();
    }
    let q = pct(&mut quiet, 0.5);
    rows.push(Row {
        what: "remote warm refresh, nothing new (median of 5, most requests)".into(),
        figure: format!("{q:.0} ms, {quiet_req} requests"),
        budget: "≤ 1 request per kind (2)".into(),
        ok: Some(quiet_req <= 2),
    });

    let (mut busy, mut busy_req) = (Vec::new(), 0);
    for round in 0..3 {
        let d = rt.block_on(b.route_delta(mark.clone())).unwrap();
        mark = d.mark.clone();
        let todo = d.rows.iter().filter(|r| r.is_outstanding()).take(10);
        for (i, row) in todo.enumerate() {
            let input = AckInput {
                route: row.key(),
                plan_id: row.plan_id.clone(),
                state: AckState::Escalated,
                acknowledged_by: "bench".into(),
                external_ref: String::new(),
                notes: format!("round {round}"),
            };
            let at = chrono::Utc::now() + chrono::Duration::milliseconds(i as i64);
            let record = ack_record(&build_ack(&input, at));
            server.add(kind::NOTIFICATION_ACK, serde_json::Value::Object(record.0));
        }
        server.take_gets();
        let t = Instant::now();
        let d = rt.block_on(b.route_delta(mark.clone())).unwrap();
        busy.push(ms(t.elapsed()));
        busy_req = busy_req.max(server.take_gets());
        mark = d.mark.clone();
    }
    let w = pct(&mut busy, 0.5);
    rows.push(Row {
        what: "remote warm refresh, 10 new acknowledgements (median of 3, most requests)".into(),
        figure: format!("{w:.0} ms, {busy_req} requests"),
        budget: "(reported)".into(),
        ok: None,
    });
    from_cache(&db, rows);
}

/// The release binary's first frame with routes, from the cache, with the server slow and
/// then stopped.
fn from_cache(src: &Path, rows: &mut Vec<Row>) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.db");
    std::fs::copy(src, &db).unwrap();
    // The contract server runs on its own runtime: dropping it stops the server.
    let server_rt = tokio::runtime::Runtime::new().unwrap();
    let server = server_rt.block_on(contract_server::start(&db, None));
    *server.state.delay.lock().unwrap() = LATENCY;
    let url = &server.url();
    let bin = support::pty::binary();
    let home = tempfile::tempdir().unwrap();
    let cfg = home.path().join("config/cavra-tui");
    std::fs::create_dir_all(&cfg).unwrap();
    let config = format!("default_context = \"lab\"\n[contexts.lab]\napi_url = \"{url}\"\n");
    std::fs::write(cfg.join("config.toml"), config).unwrap();
    // The cache the binary uses ($XDG_CACHE_HOME/cavra-tui), filled by one full read.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let b = RemoteBackend::new("lab", client(url)).with_cache(&home.path().join("cache/cavra-tui"));
    rt.block_on(b.route_delta(None)).unwrap();
    rt.block_on(b.cache_saved());
    let cached = |text: &str| text.contains("cached,") && text.contains("slack");
    push_cache_rows(&bin, home.path(), "slow (150 ms/request)", rows, &cached);
    drop(server_rt);
    // A stopped server refuses connections.
    assert!(
        rt.block_on(RemoteBackend::new("x", client(url)).routes())
            .is_err()
    );
    push_cache_rows(&bin, home.path(), "stopped", rows, &cached);
}

fn push_cache_rows(
    bin: &Path,
    home: &Path,
    what: &str,
    rows: &mut Vec<Row>,
    cached: &dyn Fn(&str) -> bool,
) {
    let mut datas: Vec<f64> = (0..5)
        .map(|_| support::pty::run(bin, "", home, " Routes ", cached).data)
        .collect();
    let d = pct(&mut datas, 0.5);
    rows.push(Row {
        what: format!("remote first frame with routes from the cache, server {what} (median of 5)"),
        figure: format!("{d:.1} ms"),
        budget: "≤ 200 ms".into(),
        ok: Some(d <= 200.0),
    });
}

/// Bulk acknowledge over a slow server, and key presses while slow requests are in flight.
fn slow_server(rt: &tokio::runtime::Runtime, rows: &mut Vec<Row>) {
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
    // The bulk reads the acknowledgements right before sending (fresh data): one empty page.
    rt.block_on(
        wiremock::Mock::given(wiremock::matchers::method("GET"))
            .respond_with(
                wiremock::ResponseTemplate::new(200)
                    .set_body_json(
                        serde_json::json!({"items": [], "total": 0, "limit": 200, "offset": 0}),
                    )
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
            actors: Vec::new(),
        }))
        .unwrap();
    let took = t.elapsed().as_secs_f64();
    assert_eq!(out.recorded.len(), 1000);
    // Requests are sent one after another: the floor is their count × 100 ms.
    let sent = rt
        .block_on(mock.received_requests())
        .unwrap_or_default()
        .len();
    let floor = sent as f64 * 0.1;
    rows.push(Row {
        what: "remote: bulk ack 1000 routes, +100 ms per request".into(),
        figure: format!(
            "{took:.3} s = {:.2}x of {sent} requests × 100 ms",
            took / floor
        ),
        budget: "≤ 1.2x".into(),
        ok: Some(took <= 1.2 * floor),
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
    cavra_tui::memory::no_huge_pages();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut rows = Vec::new();
    sync(&rt, &mut rows);
    slow_server(&rt, &mut rows);
    support::print(&rows);
}
