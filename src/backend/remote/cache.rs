//! The local cache of a server's routes, for slow links and a server that is down: one SQLite
//! file per server under the cache dir (`servers/<hash of the URL>.db`, 0600 in 0700 dirs,
//! tightened when found looser; a symbolic link is never followed) holding the route rows
//! derived from the server's records, the server's URL and when they were saved, so a console
//! starts from it before the server answers. Nothing else: no record, token, header or
//! credential. A file that is not a cache is replaced.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use sha2::{Digest, Sha256};

use crate::backend::route_row;
use crate::domain::route::{RouteRow, evaluate};
use crate::domain::time;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS routes (schedule_id TEXT, provider TEXT, owner TEXT, escalation_owner TEXT,
    plan_id TEXT, plan_created_at TEXT, action TEXT, category TEXT, reason TEXT, slo INTEGER,
    ack_id TEXT, ack_state TEXT, ack_by TEXT, ack_at TEXT, ack_ref TEXT, ack_notes TEXT);
";

/// The servers' cache files live here.
pub fn servers_dir(cache_dir: &Path) -> PathBuf {
    cache_dir.join("servers")
}

/// Removes every server's cache file; returns how many files were removed.
pub fn clear(cache_dir: &Path) -> std::io::Result<usize> {
    let dir = servers_dir(cache_dir);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut n = 0;
    for entry in entries {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            std::fs::remove_file(entry.path())?;
            n += 1;
        }
    }
    Ok(n)
}

/// One server's cache file.
#[derive(Debug, Clone)]
pub struct Cache {
    path: PathBuf,
    server: String,
}

impl Cache {
    /// The cache of the server at `base` under `cache_dir` (nothing is created yet).
    pub fn for_server(cache_dir: &Path, base: &url::Url) -> Cache {
        let digest = hex::encode(Sha256::digest(base.as_str().as_bytes()));
        Cache {
            path: servers_dir(cache_dir).join(format!("{}.db", &digest[..16])),
            server: base.as_str().to_string(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn open(&self, create: bool) -> rusqlite::Result<Option<Connection>> {
        let io = |e: std::io::Error| rusqlite::Error::ToSqlConversionFailure(Box::new(e));
        if let Some(dir) = self.path.parent() {
            if create {
                crate::paths::create_private_dir(dir).map_err(io)?;
            }
            // The servers dir and the cache dir: never through a link, never looser than 0700.
            for d in [Some(dir), dir.parent()].into_iter().flatten() {
                private_dir(d).map_err(io)?;
            }
        }
        match std::fs::symlink_metadata(&self.path) {
            Ok(m) if !m.is_file() => return Err(io(not_a_file(&self.path))),
            Ok(_) => crate::paths::set_mode(&self.path, 0o600).map_err(io)?,
            Err(_) if !create => return Ok(None),
            Err(_) => crate::paths::create_private_file(&self.path).map_err(io)?,
        }
        match connect(&self.path) {
            Err(e) if create && not_a_cache(&e) => {
                // Only a cache: a damaged one is replaced, never worked around.
                std::fs::remove_file(&self.path).map_err(io)?;
                crate::paths::create_private_file(&self.path).map_err(io)?;
                connect(&self.path).map(Some)
            }
            other => other.map(Some),
        }
    }

    /// The cached route rows evaluated at `now`, and when they were saved; `None` without a
    /// usable cache.
    pub fn load_rows(&self, now: DateTime<Utc>) -> Option<(Vec<RouteRow>, DateTime<Utc>)> {
        let conn = self.open(false).ok()??;
        let saved: String = conn
            .query_row("SELECT value FROM meta WHERE key = 'saved_at'", [], |r| {
                r.get(0)
            })
            .ok()?;
        let saved = time::parse(&saved).filter(|t| *t <= now + chrono::Duration::minutes(5))?;
        let server: String = conn
            .query_row("SELECT value FROM meta WHERE key = 'server'", [], |r| {
                r.get(0)
            })
            .ok()?;
        if server != self.server {
            return None; // another server's cache under this name
        }
        let mut st = conn.prepare("SELECT * FROM routes ORDER BY rowid").ok()?;
        let rows = st
            .query_map([], |r| {
                let stored = route_row::read(r)?;
                let plan_time = time::parse(&stored.plan_created_at);
                Ok(evaluate(
                    stored.decision,
                    stored.plan_id,
                    stored.plan_created_at,
                    plan_time,
                    stored.latest_ack,
                    now,
                ))
            })
            .ok()?
            .collect::<Result<Vec<_>, _>>()
            .ok()?;
        Some((rows, saved))
    }

    /// Saves a sync in one transaction: the derived rows (when they changed, or none are
    /// saved yet), the server's URL and the time.
    pub fn save(
        &self,
        changed: bool,
        rows: &[RouteRow],
        now: DateTime<Utc>,
    ) -> rusqlite::Result<()> {
        let Some(mut conn) = self.open(true)? else {
            return Ok(());
        };
        let tx = conn.transaction()?;
        {
            let empty: bool = tx.query_row("SELECT count(*) = 0 FROM routes", [], |r| r.get(0))?;
            if changed || empty {
                tx.execute("DELETE FROM routes", [])?;
                let mut st = tx.prepare(
                    "INSERT INTO routes VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                )?;
                for r in rows {
                    let a = r.latest_ack.as_ref();
                    st.execute(params![
                        r.schedule_id,
                        r.provider,
                        r.owner,
                        r.escalation_owner,
                        r.plan_id,
                        r.plan_created_at,
                        r.action.as_str(),
                        r.category,
                        r.reason,
                        r.acknowledgement_minutes as i64,
                        a.map(|a| &a.acknowledgement_id),
                        a.map(|a| &a.state),
                        a.map(|a| &a.acknowledged_by),
                        a.map(|a| &a.acknowledged_at),
                        a.map(|a| &a.external_ref),
                        a.map(|a| &a.notes),
                    ])?;
                }
            }
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('saved_at', ?1), ('server', ?2)",
                [time::iso(now), self.server.clone()],
            )?;
        }
        tx.commit()
    }
}

/// The cache file's layout version (`PRAGMA user_version`).
const LAYOUT: i32 = 1;

/// Opens a cache file: a new, empty one gets the layout; one of another layout (or another
/// program's tables) is not a cache, and is replaced at the next save.
fn connect(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(2))?;
    let version: i32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    if version != LAYOUT && tables > 0 {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_NOTADB),
            Some(format!("{}: not a cache of this version", path.display())),
        ));
    }
    conn.execute_batch(SCHEMA)?;
    conn.pragma_update(None, "user_version", LAYOUT)?;
    Ok(conn)
}

/// A file SQLite cannot use as a database (garbage, truncated, another format).
fn not_a_cache(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
    )
}

fn not_a_file(path: &Path) -> std::io::Error {
    std::io::Error::other(format!(
        "{} is not a regular file (a link or a directory): not used as a cache",
        path.display()
    ))
}

/// A cache directory as it must be: a real directory (not a link) of mode 0700.
fn private_dir(dir: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_symlink() || !m.is_dir() => Err(not_a_file(dir)),
        Ok(_) => crate::paths::set_mode(dir, 0o700),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}
