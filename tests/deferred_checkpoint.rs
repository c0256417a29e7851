//! The sample store commits into its write-ahead log and copies the log into the database
//! file afterwards, on a thread of its own (backend/sample/checkpoint.rs): the database file
//! alone then holds what was written, and the log never grows without bound.

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
