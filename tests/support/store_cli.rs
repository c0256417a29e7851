//! The binary run against one sample store file, and that store's session ids read back.

use std::path::Path;
use std::process::{Output, Stdio};

/// Runs the binary with `--db db` and `args`, stdin closed.
pub fn cavra(home: &Path, db: &Path, args: &[&str]) -> Output {
    super::cavra(home)
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// Stdout then stderr, as text.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Every session id in the store, sorted.
pub fn ids(db: &Path) -> Vec<String> {
    // Read-write, so closing removes -wal/-shm like the console does.
    let conn = rusqlite::Connection::open(db).unwrap();
    let ids: Vec<String> = {
        let mut stmt = conn
            .prepare("SELECT session_id FROM evidence_metadata ORDER BY session_id")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    conn.close().unwrap();
    ids
}

/// Resets the store to the shipped scenario and returns its session ids.
pub fn seeded(home: &Path, db: &Path) -> Vec<String> {
    let o = cavra(home, db, &["sample", "reset", "--yes"]);
    assert!(o.status.success(), "{}", text(&o));
    let ids = ids(db);
    assert!(ids.len() > 40, "{}", ids.len());
    ids
}
