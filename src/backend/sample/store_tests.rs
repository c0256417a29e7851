//! The sample store on real SQLite files in a temp dir.

use super::*;
use serde_json::json;

fn rec(id: &str, kind: &str, schedule: &str, provider: &str, at: &str) -> Record {
    Record::envelope(
        json!({"session_id": id, "created_at": at, "signer": "t", "metadata_kind": kind,
               "schedule_id": schedule, "provider": provider, "future_field": {"kept": [1, 2]}})
        .as_object()
        .cloned()
        .unwrap(),
    )
}

#[test]
fn a_new_file_is_created_marked_and_reopens_with_its_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/sample.db");
    let mut s = Store::open(&path).unwrap();
    assert!(s.was_created());
    let r = rec("a", "k", "s1", "slack", "2026-01-01T00:00:00+00:00");
    s.put_records(std::slice::from_ref(&r)).unwrap();
    drop(s);
    let s = Store::open(&path).unwrap();
    assert!(!s.was_created());
    assert_eq!(s.count().unwrap(), 1);
    assert_eq!(
        s.record("a").unwrap().unwrap(),
        r,
        "unknown fields survive the round trip"
    );
    let conn = rusqlite::Connection::open(&path).unwrap();
    let app: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(app, APPLICATION_ID);
    assert_eq!(mode, "wal");
}

#[test]
fn latest_queries_pick_by_created_at_per_schedule_and_route() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("s.db")).unwrap();
    s.put_records(&[
        rec("p1", "plan", "s1", "", "2026-01-01T00:00:00+00:00"),
        rec("p2", "plan", "s1", "", "2026-01-02T00:00:00+00:00"),
        rec("p3", "plan", "s2", "", "2026-01-01T00:00:00+00:00"),
        rec("a1", "ack", "s1", "slack", "2026-01-03T00:00:00+00:00"),
        rec("a2", "ack", "s1", "slack", "2026-01-02T00:00:00+00:00"),
        rec("a3", "ack", "s1", "teams", "2026-01-01T00:00:00+00:00"),
    ])
    .unwrap();
    let ids = |v: Vec<Record>| {
        let mut v: Vec<String> = v.iter().map(|r| r.session_id().to_string()).collect();
        v.sort();
        v
    };
    assert_eq!(ids(s.latest_per_schedule("plan").unwrap()), ["p2", "p3"]);
    assert_eq!(ids(s.latest_per_route("ack").unwrap()), ["a1", "a3"]);
    let hist = s.route_records("ack", "s1", "slack").unwrap();
    assert_eq!(hist[0].session_id(), "a1", "newest first");
}

#[test]
fn a_text_file_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    std::fs::write(&path, "my precious notes, definitely not sqlite").unwrap();
    let err = Store::open(&path).err().unwrap();
    assert!(matches!(err, StoreError::NotSqlite { .. }), "{err}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "my precious notes, definitely not sqlite"
    );
}

#[test]
fn another_programs_database_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE evidence_metadata (session_id TEXT PRIMARY KEY, payload TEXT); INSERT INTO evidence_metadata VALUES ('x', '{}');").unwrap();
    drop(conn);
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).err().unwrap();
    assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
    assert!(err.to_string().contains("not a cavra-tui sample store"));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    let err = Store::open(&path).err().unwrap();
    assert!(matches!(err, StoreError::TooNew { .. }), "{err}");
}

#[test]
fn a_corrupt_file_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corrupt.db");
    {
        let mut s = Store::open(&path).unwrap();
        let recs: Vec<Record> = (0..200)
            .map(|i| rec(&format!("r{i}"), "k", "s", "p", "2026-01-01T00:00:00+00:00"))
            .collect();
        s.put_records(&recs).unwrap();
    }
    // Checkpoint the WAL into the main file, then scribble over the schema page.
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "journal_mode", "DELETE")
        .unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    for b in &mut bytes[100..4096] {
        *b = 0xAB;
    }
    std::fs::write(&path, &bytes).unwrap();
    let err = Store::open(&path).err().unwrap();
    assert!(
        matches!(
            err,
            StoreError::Corrupt { .. } | StoreError::NotSqlite { .. }
        ),
        "{err}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "never overwritten");
}

#[test]
fn a_write_blocked_by_another_writer_reports_locked_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("locked.db");
    let mut s = Store::open(&path).unwrap();
    s.put_records(&[rec("keep", "k", "s", "p", "2026-01-01T00:00:00+00:00")])
        .unwrap();
    s.set_busy_timeout(std::time::Duration::from_millis(100))
        .unwrap();
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let err = s
        .put_records(&[rec("new", "k", "s", "p", "2026-01-01T00:00:00+00:00")])
        .unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    other.execute_batch("ROLLBACK").unwrap();
    assert_eq!(s.count().unwrap(), 1);
    s.put_records(&[rec("new", "k", "s", "p", "2026-01-01T00:00:00+00:00")])
        .unwrap();
    assert_eq!(s.count().unwrap(), 2);
}

#[test]
fn two_writers_on_one_file_both_land() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.db");
    drop(Store::open(&path).unwrap());
    let handles: Vec<_> = (0..2)
        .map(|w| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut s = Store::open(&path).unwrap();
                for i in 0..50 {
                    let id = format!("w{w}-{i}");
                    s.put_records(&[rec(&id, "k", "s", "p", "2026-01-01T00:00:00+00:00")])
                        .unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(Store::open(&path).unwrap().count().unwrap(), 100);
}

#[test]
fn the_route_tables_agree_with_the_domain_derivation() {
    use crate::backend::sample::seed::{EMBEDDED_SCENARIO, scenario_records};
    use crate::domain::record::kind;
    use crate::domain::route::derive_routes;
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("r.db")).unwrap();
    let now = chrono::Utc::now();
    let mut recs = scenario_records(EMBEDDED_SCENARIO, now).unwrap();
    recs.reverse(); // written newest first: older plans and acks must not win
    s.put_records(&recs).unwrap();
    let plans = s.records_of_kind(kind::NOTIFICATION_PLAN).unwrap();
    let acks = s.records_of_kind(kind::NOTIFICATION_ACK).unwrap();
    let mut want = derive_routes(&plans, &acks, now);
    let mut got = s.routes(now).unwrap();
    let order = |v: &mut Vec<crate::domain::RouteRow>| {
        v.sort_by(|a, b| {
            (&a.schedule_id, &a.provider, &a.owner).cmp(&(&b.schedule_id, &b.provider, &b.owner))
        })
    };
    order(&mut want);
    order(&mut got);
    assert_eq!(got.len(), 45);
    assert_eq!(got, want);
}

#[test]
fn a_v1_store_is_migrated_and_its_route_tables_rebuilt() {
    use crate::backend::sample::seed::{EMBEDDED_SCENARIO, scenario_records};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        let tx = conn.unchecked_transaction().unwrap();
        insert_v1(
            &tx,
            &scenario_records(EMBEDDED_SCENARIO, chrono::Utc::now()).unwrap(),
        );
        tx.commit().unwrap();
    }
    let s = Store::open(&path).unwrap();
    assert_eq!(s.routes(chrono::Utc::now()).unwrap().len(), 45);
    let v: i32 = s
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, SCHEMA_VERSION);
}

fn insert_v1(tx: &rusqlite::Transaction<'_>, records: &[Record]) {
    for r in records {
        tx.execute(
            "INSERT INTO evidence_metadata (session_id, created_at, signer, metadata_kind, schedule_id, provider, payload) VALUES (?1, ?2, '', ?3, ?4, ?5, ?6)",
            rusqlite::params![r.session_id(), r.created_at(), r.kind(), r.str("schedule_id"), r.str("provider"), r.to_json()],
        )
        .unwrap();
    }
}

#[test]
fn replacing_all_records_also_resets_the_route_tables() {
    use crate::backend::sample::seed::{EMBEDDED_SCENARIO, scenario_records};
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("r.db")).unwrap();
    let now = chrono::Utc::now();
    let recs = scenario_records(EMBEDDED_SCENARIO, now).unwrap();
    s.put_records(&recs).unwrap();
    let acked_before = s
        .routes(now)
        .unwrap()
        .iter()
        .filter(|r| r.latest_ack.is_some())
        .count();
    let plans_only: Vec<Record> = recs
        .iter()
        .filter(|r| r.kind() == crate::domain::record::kind::NOTIFICATION_PLAN)
        .cloned()
        .collect();
    s.replace_all(&plans_only).unwrap();
    let after = s.routes(now).unwrap();
    assert!(acked_before > 0);
    assert_eq!(after.len(), 45);
    assert!(
        after.iter().all(|r| r.latest_ack.is_none()),
        "old acknowledgements must not survive a reset"
    );
    s.replace_all(&[]).unwrap();
    assert!(s.routes(now).unwrap().is_empty());
}
