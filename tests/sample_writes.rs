//! Sample-store writes under pressure: the write-ahead log copied into the store file after a
//! write, on a thread of its own (backend/sample/checkpoint.rs); kill -9 during a bulk (all or
//! nothing); and a bulk deciding on fresh data (a route changed since the preview is skipped).

mod support;

use std::time::{Duration, Instant};

use cavra_tui::backend::sample::SampleBackend;
use cavra_tui::backend::sample::generate::{Spec, generate};
use cavra_tui::backend::sample::store::Store;
use cavra_tui::backend::{Backend, BulkRequest};
use cavra_tui::domain::ack::AckState;

fn acks_by(db: &std::path::Path, who: &str) -> i64 {
    let c = rusqlite::Connection::open(db).unwrap();
    c.query_row(
        "SELECT count(*) FROM evidence_metadata WHERE payload LIKE ?1",
        [format!("%\"acknowledged_by\":\"{who}\"%")],
        |r| r.get(0),
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_write_that_grows_the_log_is_checkpointed_after_it_answers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    let mut store = Store::open(&db).unwrap();
    let spec = Spec {
        routes: 4_000,
        history: 8_000,
        seed: 11,
    };
    generate(&mut store, spec, chrono::Utc::now(), &mut |_, _| {}).unwrap();
    // The generator's connection stays open: its records are still only in the log.
    let backend = SampleBackend::open(&db).unwrap();
    let routes: Vec<_> = backend
        .routes()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.is_outstanding())
        .take(2_000)
        .map(|r| (r.key(), r.plan_id))
        .collect();
    let n = routes.len() as i64;
    assert!(n > 500, "{n} outstanding routes");
    let out = backend
        .bulk_acknowledge(BulkRequest {
            routes,
            state: AckState::Acknowledged,
            acknowledged_by: "checkpoint-test".into(),
            external_ref: String::new(),
            notes: String::new(),
            seen: Default::default(),
            actors: Vec::new(),
        })
        .await
        .unwrap();
    assert_eq!(out.recorded.len() as i64, n);
    let wal = dir.path().join("store.db-wal");
    assert!(
        std::fs::metadata(&wal).unwrap().len() > 4 * 1024 * 1024,
        "the write went to the log"
    );

    // Wait (bounded) for the deferred checkpoint to finish.
    let start = Instant::now();
    while backend.checkpointing() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "checkpoint hangs"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The database file alone, without its log, holds every acknowledgement written.
    let copy = dir.path().join("copy.db");
    std::fs::copy(&db, &copy).unwrap();
    assert_eq!(acks_by(&copy, "checkpoint-test"), n);
    drop(store);
}

/// kill -9 at moments spread over a bulk acknowledgement's run time (before, during and after
/// its commit, and during the checkpoint that follows): every route is recorded or none is, and the store
/// passes `sample check`.
#[test]
fn kill_9_during_a_bulk_leaves_all_or_nothing() {
    use std::process::Stdio;
    let home = tempfile::tempdir().unwrap();
    let src = home.path().join("src.db");
    let mut store = Store::open(&src).unwrap();
    let spec = Spec {
        routes: 20_000,
        history: 40_000,
        seed: 5,
    };
    generate(&mut store, spec, chrono::Utc::now(), &mut |_, _| {}).unwrap();
    drop(store);
    let outstanding: i64 = {
        let c = rusqlite::Connection::open(&src).unwrap();
        let total: i64 = c
            .query_row(
                "SELECT count(*) FROM route_index WHERE action = 'deliver'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let acked: i64 = c
            .query_row(
                "SELECT count(*) FROM route_index i JOIN route_state s USING (schedule_id, provider)
                 WHERE i.action = 'deliver' AND s.state IN ('acknowledged', 'resolved')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        total - acked
    };
    let bulk = |db: &std::path::Path| {
        support::cavra(home.path())
            .arg("--db")
            .arg(db)
            .args([
                "bulk",
                "ack-outstanding",
                "--yes",
                "--operator",
                "kill-test",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    // One run to the end: every outstanding route is recorded, and how long it takes.
    let whole = home.path().join("whole.db");
    std::fs::copy(&src, &whole).unwrap();
    let t = Instant::now();
    assert!(bulk(&whole).wait().unwrap().success());
    let took = t.elapsed();
    assert_eq!(acks_by(&whole, "kill-test"), outstanding);
    let (mut none, mut all) = (0, 0);
    for (i, part) in [0.2, 0.4, 0.6, 0.75, 0.9, 1.0].iter().enumerate() {
        let delay_ms = (took.as_millis() as f64 * part) as u64;
        let db = home.path().join(format!("k{i}.db"));
        std::fs::copy(&src, &db).unwrap();
        let mut child = bulk(&db);
        // Where the kill lands varies with the delay; the assertion holds wherever it lands.
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let n = acks_by(&db, "kill-test");
        assert!(
            n == 0 || n == outstanding,
            "kill after {delay_ms} ms: {n} of {outstanding} routes recorded"
        );
        if n == 0 {
            none += 1
        } else {
            all += 1
        }
        let o = support::store_cli::cavra(home.path(), &db, &["sample", "check"]);
        assert_eq!(o.status.code(), Some(0), "{}", support::store_cli::text(&o));
    }
    eprintln!("{none} kills left nothing, {all} left every route ({outstanding} routes)");
}

/// Decide on fresh data: an escalation confirmed while a route was outstanding is not recorded
/// on it once someone else has acknowledged it (the CLI runs of one store, done in-process).
#[tokio::test(flavor = "multi_thread")]
async fn a_bulk_skips_a_route_acknowledged_since_its_preview() {
    use cavra_tui::domain::ack::AckInput;
    let dir = tempfile::tempdir().unwrap();
    let backend = SampleBackend::open(&dir.path().join("store.db")).unwrap();
    let row = backend
        .routes()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.state.as_str() == "outstanding")
        .expect("an outstanding route");
    backend
        .acknowledge(AckInput {
            route: row.key(),
            plan_id: row.plan_id.clone(),
            state: AckState::Acknowledged,
            acknowledged_by: "someone-else".into(),
            external_ref: String::new(),
            notes: String::new(),
        })
        .await
        .unwrap();
    let out = backend
        .bulk_acknowledge(BulkRequest {
            routes: vec![(row.key(), row.plan_id.clone())],
            state: AckState::Escalated,
            acknowledged_by: "me".into(),
            external_ref: String::new(),
            notes: String::new(),
            seen: [(row.key(), "outstanding".to_string())].into(),
            actors: Vec::new(),
        })
        .await
        .unwrap();
    assert!(out.recorded.is_empty(), "{:?}", out.recorded);
    assert_eq!(out.skipped.len(), 1);
    assert!(
        out.skipped[0]
            .1
            .starts_with("now acknowledged, not outstanding"),
        "{:?}",
        out.skipped
    );
}
