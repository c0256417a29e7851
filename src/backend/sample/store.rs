//! The sample store: a real SQLite file of CAVRA evidence metadata records.
//!
//! Identity: `PRAGMA application_id` marks the file as ours and `PRAGMA user_version` is the
//! schema version. A file that is not SQLite, is another program's database, is newer than
//! this binary, or is locked is refused with a clear error and never written to.
//! WAL mode and a busy timeout let two consoles share one file; every write is one
//! `BEGIN IMMEDIATE` transaction.

use std::cell::OnceCell;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, params};

use super::store_writes::insert_all;
use crate::domain::record::Record;

#[path = "store_delta.rs"]
mod delta;
#[path = "store_files.rs"]
mod files;
#[path = "store_reads.rs"]
mod reads;
pub use delta::file_identity;
pub use files::sidecar;
use files::{BUSY_TIMEOUT, Preflight};
pub use files::{StoreError, map_err};

/// `application_id` of a cavra-tui store: "CAVR".
pub const APPLICATION_ID: i32 = 0x4341_5652;
/// The schema version this binary writes.
pub const SCHEMA_VERSION: i32 = 3;
/// Stores up to this size get `PRAGMA quick_check` before the first write of a process (a
/// damaged page that no read touched is found before anything is written); larger ones rely
/// on the corruption reads report and on `cavra-tui sample check`.
pub const PRECHECK_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Migrations: index `i` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("schema.sql"),
    include_str!("schema_v2.sql"),
    include_str!("schema_v3.sql"),
];

/// Where [`Store::rebuild`] hands batches of records.
pub type Sink<'a> = dyn FnMut(&[Record]) -> Result<(), StoreError> + 'a;
/// What fills a [`Store::rebuild`]: called once with the sink.
pub type Fill<'a> = dyn FnMut(&mut Sink<'_>) -> Result<(), StoreError> + 'a;

/// An open sample store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    created: bool,
    /// Why nothing can be written (a read-only file or directory), when that is so.
    read_only: Option<StoreError>,
    /// Set by the first corruption any read or write reports; no write is attempted after it.
    poisoned: OnceCell<String>,
    /// The pre-write integrity check ran.
    checked: bool,
}

/// Maps a SQLite error, remembering corruption in `poisoned`.
fn note(poisoned: &OnceCell<String>, path: &Path, e: rusqlite::Error) -> StoreError {
    let err = map_err(path, e);
    if err.is_corruption() {
        let _ = poisoned.set(err.to_string());
    }
    err
}

impl Store {
    /// Opens the store at `path`, creating and initialising it when the file does not exist
    /// (or is empty). Existing files are checked before anything is written; a read-only file
    /// or directory gives a store that reads and refuses writes with the reason.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let pre = files::preflight(path)?;
        let opened = Store::open_checked(path, &pre);
        if opened.is_err() {
            files::remove_stray_sidecars(path, &pre);
        }
        opened
    }

    fn open_checked(path: &Path, pre: &Preflight) -> Result<Store, StoreError> {
        let conn = match &pre.read_only {
            Some(ro) => files::open_read_only(path, ro)?,
            None => Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_CREATE
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|e| map_err(path, e))?,
        };
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| map_err(path, e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            created: false,
            read_only: pre.read_only.clone(),
            poisoned: OnceCell::new(),
            checked: false,
        };
        store.check_identity_and_migrate()?;
        Ok(store)
    }

    /// Why writes are refused, if they are: earlier corruption, or a read-only file or directory.
    pub fn write_refusal(&self) -> Option<StoreError> {
        if let Some(detail) = self.poisoned.get() {
            return Some(StoreError::Poisoned {
                path: self.path.clone(),
                detail: detail.clone(),
            });
        }
        self.read_only.clone()
    }

    /// Called before every write: refuses as [`Store::write_refusal`] says, and checks a
    /// store of up to [`PRECHECK_MAX_BYTES`] once per process before its first write.
    fn writable(&mut self) -> Result<(), StoreError> {
        if let Some(e) = self.write_refusal() {
            return Err(e);
        }
        if !self.checked {
            let size = std::fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0)
                + std::fs::metadata(files::sidecar(&self.path, "-wal"))
                    .map(|m| m.len())
                    .unwrap_or(0);
            if size <= PRECHECK_MAX_BYTES {
                let problems = self.integrity("quick_check")?;
                if !problems.is_empty() {
                    let detail = problems.into_iter().take(3).collect::<Vec<_>>().join("; ");
                    let _ = self.poisoned.set(detail.clone());
                    return Err(StoreError::Corrupt {
                        path: self.path.clone(),
                        detail,
                    });
                }
            }
            self.checked = true;
        }
        Ok(())
    }

    /// `PRAGMA integrity_check` (or `quick_check`): the problems found, none when the store is
    /// sound. Corruption reported while checking is a problem too.
    pub fn integrity(&self, pragma: &str) -> Result<Vec<String>, StoreError> {
        let rows = (|| -> rusqlite::Result<Vec<String>> {
            let mut stmt = self.conn.prepare(&format!("PRAGMA {pragma}"))?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            rows.collect()
        })();
        match rows {
            Ok(rows) if rows.len() == 1 && rows[0] == "ok" => Ok(Vec::new()),
            Ok(rows) => {
                let _ = self.poisoned.set(format!("{pragma}: {}", rows.join("; ")));
                Ok(rows)
            }
            Err(e) => {
                let err = self.err(e);
                if err.is_corruption() {
                    Ok(vec![err.to_string()])
                } else {
                    Err(err)
                }
            }
        }
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        note(&self.poisoned, &self.path, e)
    }

    /// True when this open created the schema (a new store, to be seeded).
    pub fn was_created(&self) -> bool {
        self.created
    }

    /// Changes how long a write waits for another writer's lock before failing as `Locked`.
    #[cfg(test)]
    pub fn set_busy_timeout(&self, timeout: std::time::Duration) -> Result<(), StoreError> {
        self.conn.busy_timeout(timeout).map_err(|e| self.err(e))
    }

    fn check_identity_and_migrate(&mut self) -> Result<(), StoreError> {
        let app_id: i32 = self.pragma_i32("application_id")?;
        let version: i32 = self.pragma_i32("user_version")?;
        if app_id != APPLICATION_ID {
            let tables: i64 = self
                .conn
                .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
                .map_err(|e| self.err(e))?;
            if app_id != 0 || tables > 0 {
                return Err(StoreError::Foreign {
                    path: self.path.clone(),
                    found: app_id,
                });
            }
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: self.path.clone(),
                found: version,
            });
        }
        if let Some(ro) = &self.read_only {
            if version < SCHEMA_VERSION {
                return Err(ro.clone());
            }
            return Ok(());
        }
        self.conn
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| self.err(e))?;
        self.conn
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(|e| self.err(e))?;
        // 64 MiB of page cache: large stores stay fast without reading the disk on every refresh.
        self.conn
            .pragma_update(None, "cache_size", -65536)
            .map_err(|e| self.err(e))?;
        // Checkpoints run after a write, not inside it (checkpoint.rs).
        self.conn
            .pragma_update(None, "wal_autocheckpoint", 0)
            .map_err(|e| self.err(e))?;
        if version < SCHEMA_VERSION {
            self.migrate(version)?;
        }
        Ok(())
    }

    fn migrate(&mut self, from: i32) -> Result<(), StoreError> {
        let (tx, e) = self.begin_write()?;
        // Re-read inside the lock: another console may have migrated meanwhile.
        let now: i32 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(e)?;
        let migrating = now == from;
        if migrating {
            for sql in &MIGRATIONS[from as usize..SCHEMA_VERSION as usize] {
                tx.execute_batch(sql).map_err(e)?;
            }
            if from < 2 {
                super::route_tables::rebuild(&tx).map_err(e)?;
            }
            put_meta(&tx, delta::GENERATION, &delta::new_generation()).map_err(e)?;
            tx.pragma_update(None, "application_id", APPLICATION_ID)
                .map_err(e)?;
            tx.pragma_update(None, "user_version", SCHEMA_VERSION)
                .map_err(e)?;
        }
        tx.commit().map_err(e)?;
        if migrating {
            self.created = from == 0;
        }
        Ok(())
    }

    /// Begins an immediate write transaction; the error mapper it returns marks the store when
    /// an error is a corruption (as every write's errors do).
    fn begin_write(
        &mut self,
    ) -> Result<
        (
            rusqlite::Transaction<'_>,
            impl Fn(rusqlite::Error) -> StoreError + Copy + '_,
        ),
        StoreError,
    > {
        let (path, poisoned) = (&self.path, &self.poisoned);
        let e = move |e| note(poisoned, path, e);
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(e)?;
        Ok((tx, e))
    }

    fn pragma_i32(&self, name: &str) -> Result<i32, StoreError> {
        self.conn
            .query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    /// The file this store lives in.
    pub(super) fn path_buf(&self) -> std::path::PathBuf {
        self.path.clone()
    }

    /// The connection for a write path of this module's siblings, after the same checks every
    /// write passes (earlier corruption, read-only, the once-per-process quick check).
    pub(super) fn write_connection(&mut self) -> Result<&mut Connection, StoreError> {
        self.writable()?;
        Ok(&mut self.conn)
    }

    /// Writes records (upsert by `session_id`, as CAVRA's store does) in one transaction.
    pub fn put_records(&mut self, records: &[Record]) -> Result<(), StoreError> {
        self.writable()?;
        let (tx, e) = self.begin_write()?;
        insert_all(&tx, records).map_err(e)?;
        tx.commit().map_err(e)
    }

    /// Replaces every record with `records` in one transaction (`sample reset`).
    pub fn replace_all(&mut self, records: &[Record]) -> Result<(), StoreError> {
        self.rebuild(&mut |sink| sink(records), &[])
    }

    /// Replaces every record in **one** transaction: `fill` hands batches to the sink it is
    /// given, and `meta` is set at the end. A failure (a full disk) or a kill anywhere before
    /// the commit leaves every record the store had; readers see the old store until then.
    pub fn rebuild(
        &mut self,
        fill: &mut Fill<'_>,
        meta: &[(&str, &str)],
    ) -> Result<(), StoreError> {
        self.writable()?;
        let (tx, e) = self.begin_write()?;
        tx.execute_batch(
            "DELETE FROM evidence_metadata; DELETE FROM route_index; DELETE FROM route_state; DELETE FROM route_changes;",
        )
        .map_err(e)?;
        // A new generation: every watermark taken before this rebuild is void.
        put_meta(&tx, delta::GENERATION, &delta::new_generation()).map_err(e)?;
        fill(&mut |batch: &[Record]| insert_all(&tx, batch).map_err(e))?;
        for (k, v) in meta {
            put_meta(&tx, k, v).map_err(e)?;
        }
        let done = tx.commit().map_err(e);
        if done.is_err() {
            // Give back the space a failed transaction's pages took in the WAL.
            let _ = self
                .conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        }
        done
    }

    /// Sets a key in the store's own metadata table.
    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.writable()?;
        put_meta(&self.conn, key, value).map_err(|e| self.err(e))
    }
}

/// `sample check`: opens an existing store read-only and runs `PRAGMA integrity_check`; the
/// problems found (none when sound). Damage that stops the open is a problem too.
pub fn check_file(path: &Path) -> Result<Vec<String>, StoreError> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() => {}
        Ok(_) => {
            return Err(StoreError::NotRegular {
                path: path.to_path_buf(),
                kind: "not a file".into(),
            });
        }
        Err(e) => {
            return Err(StoreError::Open {
                path: path.to_path_buf(),
                detail: e.to_string(),
            });
        }
    }
    files::check_sqlite_header(path)?;
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| map_err(path, e))?;
    let store = Store {
        conn,
        path: path.to_path_buf(),
        created: false,
        read_only: None,
        poisoned: OnceCell::new(),
        checked: true,
    };
    store.integrity("integrity_check")
}

fn put_meta(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO store_meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )
    .map(|_| ())
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
