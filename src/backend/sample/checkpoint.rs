//! WAL checkpoints off the write's path: the store commits into its write-ahead log and the
//! operator gets the answer; copying the log into the database file (and syncing it) runs
//! afterwards on its own connection and thread, so neither the write nor later reads wait.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::{Connection, OpenFlags};

use super::store::sidecar;

/// A log larger than this is checkpointed after the write that grew it (SQLite's own
/// automatic checkpoint would run at 1000 pages, inside the committing write).
const AFTER_BYTES: u64 = 4 * 1024 * 1024;

/// One store's deferred checkpoints: at most one runs at a time.
#[derive(Clone, Default)]
pub struct Checkpoints {
    running: Arc<AtomicBool>,
}

impl Checkpoints {
    /// After a store call: when the store's log has grown past [`AFTER_BYTES`], copies it into
    /// the database on a thread of its own (a passive checkpoint: it never blocks readers or
    /// writers, and is crash-safe: a kill leaves the log to the next open).
    pub fn after_call(&self, db: &Path) {
        let wal = sidecar(db, "-wal");
        let big = std::fs::metadata(&wal).is_ok_and(|m| m.len() > AFTER_BYTES);
        if !big || self.running.swap(true, Ordering::SeqCst) {
            return;
        }
        let (db, running) = (db.to_path_buf(), Arc::clone(&self.running));
        std::thread::spawn(move || {
            if let Err(e) = checkpoint(&db) {
                tracing::warn!("deferred checkpoint of {}: {e}", db.display());
            }
            running.store(false, Ordering::SeqCst);
        });
    }

    /// Whether a checkpoint is running (tests and benches wait for it).
    pub fn running(&self) -> bool {
        self.running.load(Ordering::SeqCst)
    }
}

/// A passive checkpoint of the store at `db` on a connection of its own (never creates a file).
pub fn checkpoint(db: &Path) -> rusqlite::Result<()> {
    let conn = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
}
