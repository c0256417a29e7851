//! The sample store: a real SQLite file of CAVRA evidence metadata records.
//!
//! Identity: `PRAGMA application_id` marks the file as ours and `PRAGMA user_version` is the
//! schema version. A file that is not SQLite, is another program's database, is newer than
//! this binary, or is locked is refused with a clear error and never written to.
//! WAL mode and a busy timeout let two consoles share one file; every write is one
//! `BEGIN IMMEDIATE` transaction.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, params};

use crate::domain::record::Record;

/// `application_id` of a cavra-tui store: "CAVR".
pub const APPLICATION_ID: i32 = 0x4341_5652;
/// The schema version this binary writes.
pub const SCHEMA_VERSION: i32 = 2;
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Migrations: index `i` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[include_str!("schema.sql"), include_str!("schema_v2.sql")];

/// Why the store could not be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: not a SQLite database (refusing to touch it; choose another file with --db)")]
    NotSqlite { path: PathBuf },
    #[error(
        "{path}: a SQLite database, but not a cavra-tui sample store (application_id {found:#x}); it was left unchanged"
    )]
    Foreign { path: PathBuf, found: i32 },
    #[error(
        "{path}: store schema version {found} is newer than this cavra-tui understands ({SCHEMA_VERSION}); upgrade cavra-tui"
    )]
    TooNew { path: PathBuf, found: i32 },
    #[error("{path}: the database is corrupt ({detail}); it was left unchanged")]
    Corrupt { path: PathBuf, detail: String },
    #[error("{path}: the database is locked by another program (waited {}s); try again", BUSY_TIMEOUT.as_secs())]
    Locked { path: PathBuf },
    #[error("{path}: cannot open: {detail}")]
    Open { path: PathBuf, detail: String },
    #[error("{path}: a stored record is not valid JSON ({session_id})")]
    BadRecord { path: PathBuf, session_id: String },
    #[error("{path}: {detail}")]
    Sqlite { path: PathBuf, detail: String },
}

/// An open sample store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    created: bool,
}

impl Store {
    /// Opens the store at `path`, creating and initialising it when the file does not exist
    /// (or is empty). Existing files are checked before anything is written.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let existing = path.exists()
            && std::fs::metadata(path)
                .map(|m| m.len() > 0)
                .unwrap_or(false);
        if existing {
            check_sqlite_header(path)?;
        } else if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Open {
                path: path.to_path_buf(),
                detail: e.to_string(),
            })?;
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| map_err(path, e))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| map_err(path, e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            created: false,
        };
        store.check_identity_and_migrate()?;
        Ok(store)
    }

    /// True when this open created the schema (a new store, to be seeded).
    pub fn was_created(&self) -> bool {
        self.created
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Changes how long a write waits for another writer's lock before failing as `Locked`.
    pub fn set_busy_timeout(&self, timeout: Duration) -> Result<(), StoreError> {
        self.conn
            .busy_timeout(timeout)
            .map_err(|e| map_err(&self.path, e))
    }

    fn check_identity_and_migrate(&mut self) -> Result<(), StoreError> {
        let app_id: i32 = self.pragma_i32("application_id")?;
        let version: i32 = self.pragma_i32("user_version")?;
        if app_id != APPLICATION_ID {
            let tables: i64 = self
                .conn
                .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
                .map_err(|e| map_err(&self.path, e))?;
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
        self.conn
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| map_err(&self.path, e))?;
        self.conn
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(|e| map_err(&self.path, e))?;
        // 64 MiB of page cache: large stores stay fast without reading the disk on every refresh.
        self.conn
            .pragma_update(None, "cache_size", -65536)
            .map_err(|e| map_err(&self.path, e))?;
        if version < SCHEMA_VERSION {
            self.migrate(version)?;
        }
        Ok(())
    }

    fn migrate(&mut self, from: i32) -> Result<(), StoreError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| map_err(&path, e))?;
        // Re-read inside the lock: another console may have migrated meanwhile.
        let now: i32 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| map_err(&path, e))?;
        if now == from {
            for sql in &MIGRATIONS[from as usize..SCHEMA_VERSION as usize] {
                tx.execute_batch(sql).map_err(|e| map_err(&path, e))?;
            }
            if from < 2 {
                super::route_tables::rebuild(&tx).map_err(|e| map_err(&path, e))?;
            }
            tx.pragma_update(None, "application_id", APPLICATION_ID)
                .map_err(|e| map_err(&path, e))?;
            tx.pragma_update(None, "user_version", SCHEMA_VERSION)
                .map_err(|e| map_err(&path, e))?;
            self.created = from == 0;
        }
        tx.commit().map_err(|e| map_err(&path, e))
    }

    fn pragma_i32(&self, name: &str) -> Result<i32, StoreError> {
        self.conn
            .query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
            .map_err(|e| map_err(&self.path, e))
    }

    /// The file this store lives in.
    pub(super) fn path_buf(&self) -> std::path::PathBuf {
        self.path.clone()
    }

    /// The connection, for the write paths of this module's siblings.
    pub(super) fn connection(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Writes records (upsert by `session_id`, as CAVRA's store does) in one transaction.
    pub fn put_records(&mut self, records: &[Record]) -> Result<(), StoreError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| map_err(&path, e))?;
        insert_all(&tx, records).map_err(|e| map_err(&path, e))?;
        tx.commit().map_err(|e| map_err(&path, e))
    }

    /// Replaces every record with `records` in one transaction (`sample reset`).
    pub fn replace_all(&mut self, records: &[Record]) -> Result<(), StoreError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| map_err(&path, e))?;
        tx.execute_batch(
            "DELETE FROM evidence_metadata; DELETE FROM route_index; DELETE FROM route_state;",
        )
        .map_err(|e| map_err(&path, e))?;
        insert_all(&tx, records).map_err(|e| map_err(&path, e))?;
        tx.commit().map_err(|e| map_err(&path, e))
    }

    /// Sets a key in the store's own metadata table.
    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO store_meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
            .map(|_| ())
            .map_err(|e| map_err(&self.path, e))
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        use rusqlite::OptionalExtension;
        self.conn
            .query_row("SELECT value FROM store_meta WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| map_err(&self.path, e))
    }

    /// Every record of a kind, oldest first.
    pub fn records_of_kind(&self, kind: &str) -> Result<Vec<Record>, StoreError> {
        self.query(
            "SELECT session_id, payload FROM evidence_metadata WHERE metadata_kind = ?1 ORDER BY created_at",
            params![kind],
        )
    }

    /// The latest record of a kind per schedule (ties broken by session_id), from the index.
    pub fn latest_per_schedule(&self, kind: &str) -> Result<Vec<Record>, StoreError> {
        self.query(
            "SELECT e.session_id, e.payload FROM evidence_metadata e
             WHERE e.metadata_kind = ?1 AND e.session_id = (
                 SELECT session_id FROM evidence_metadata x
                 WHERE x.metadata_kind = ?1 AND x.schedule_id = e.schedule_id
                 ORDER BY x.created_at DESC, x.session_id DESC LIMIT 1)
             ORDER BY e.schedule_id",
            params![kind],
        )
    }

    /// The latest record of a kind per `(schedule_id, provider)`.
    pub fn latest_per_route(&self, kind: &str) -> Result<Vec<Record>, StoreError> {
        self.query(
            "SELECT e.session_id, e.payload FROM evidence_metadata e
             WHERE e.metadata_kind = ?1 AND e.session_id = (
                 SELECT session_id FROM evidence_metadata x
                 WHERE x.metadata_kind = ?1 AND x.schedule_id = e.schedule_id AND x.provider = e.provider
                 ORDER BY x.created_at DESC, x.session_id DESC LIMIT 1)",
            params![kind],
        )
    }

    /// Every record of a kind for one route, newest first.
    pub fn route_records(
        &self,
        kind: &str,
        schedule_id: &str,
        provider: &str,
    ) -> Result<Vec<Record>, StoreError> {
        self.query(
            "SELECT session_id, payload FROM evidence_metadata
             WHERE metadata_kind = ?1 AND schedule_id = ?2 AND provider = ?3
             ORDER BY created_at DESC, session_id DESC",
            params![kind, schedule_id, provider],
        )
    }

    /// One record by id.
    pub fn record(&self, session_id: &str) -> Result<Option<Record>, StoreError> {
        Ok(self
            .query(
                "SELECT session_id, payload FROM evidence_metadata WHERE session_id = ?1",
                params![session_id],
            )?
            .pop())
    }

    /// The drill-notification family's records, at most `per_kind` newest of each kind
    /// (the server reads at most 500 per kind).
    pub fn family_records(&self, per_kind: u32) -> Result<Vec<Record>, StoreError> {
        self.query(
            "SELECT session_id, payload FROM (
                 SELECT session_id, payload, created_at,
                        row_number() OVER (PARTITION BY metadata_kind ORDER BY created_at DESC, session_id DESC) AS n
                 FROM evidence_metadata
                 WHERE metadata_kind = 'release-connector-delivery' OR metadata_kind LIKE 'go-backend-rollback-drill-%')
             WHERE n <= ?1 ORDER BY created_at",
            params![per_kind],
        )
    }

    /// Every route of the latest plan per schedule with its latest acknowledgement (schema v2 tables).
    /// Every route of the latest plan per schedule with its latest acknowledgement (schema v2 tables).
    pub fn routes(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<crate::domain::RouteRow>, StoreError> {
        super::route_tables::read_routes(&self.conn, now).map_err(|e| map_err(&self.path, e))
    }

    /// How many records the store holds.
    pub fn count(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT count(*) FROM evidence_metadata", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n as u64)
            .map_err(|e| map_err(&self.path, e))
    }

    fn query(&self, sql: &str, args: impl rusqlite::Params) -> Result<Vec<Record>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(sql)
            .map_err(|e| map_err(&self.path, e))?;
        let rows = stmt
            .query_map(args, |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(|e| map_err(&self.path, e))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, payload) = row.map_err(|e| map_err(&self.path, e))?;
            let rec = Record::from_json(&payload).map_err(|_| StoreError::BadRecord {
                path: self.path.clone(),
                session_id: id,
            })?;
            out.push(rec);
        }
        Ok(out)
    }
}

pub(super) fn insert_all(
    tx: &rusqlite::Transaction<'_>,
    records: &[Record],
) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT OR REPLACE INTO evidence_metadata
         (session_id, created_at, signer, decision_count, blocked_count, approval_required_count,
          metadata_kind, schedule_id, provider, payload)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for r in records {
        let n = |k: &str| r.0.get(k).and_then(serde_json::Value::as_i64).unwrap_or(0);
        stmt.execute(params![
            r.session_id(),
            r.created_at(),
            r.str("signer"),
            n("decision_count"),
            n("blocked_count"),
            n("approval_required_count"),
            r.kind(),
            r.str("schedule_id"),
            r.str("provider"),
            r.to_json(),
        ])?;
        super::route_tables::on_write(tx, r)?;
    }
    Ok(())
}

fn check_sqlite_header(path: &Path) -> Result<(), StoreError> {
    let mut header = [0u8; 16];
    let mut f = std::fs::File::open(path).map_err(|e| StoreError::Open {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    let n = f.read(&mut header).unwrap_or(0);
    if n < 16 || &header != b"SQLite format 3\0" {
        return Err(StoreError::NotSqlite {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Maps a SQLite error to a store error that says what happened to the file.
pub fn map_err(path: &Path, e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode as C;
    let path = path.to_path_buf();
    if let rusqlite::Error::SqliteFailure(f, msg) = &e {
        match f.code {
            C::DatabaseBusy | C::DatabaseLocked => return StoreError::Locked { path },
            C::NotADatabase => return StoreError::NotSqlite { path },
            C::DatabaseCorrupt => {
                return StoreError::Corrupt {
                    path,
                    detail: msg.clone().unwrap_or_else(|| f.to_string()),
                };
            }
            C::CannotOpen | C::PermissionDenied | C::ReadOnly => {
                return StoreError::Open {
                    path,
                    detail: e.to_string(),
                };
            }
            _ => {}
        }
    }
    StoreError::Sqlite {
        path,
        detail: e.to_string(),
    }
}

#[cfg(test)]
#[path = "store_tests.rs"]
mod tests;
