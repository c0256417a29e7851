//! The store's incremental route reads (schema v3): every route with a watermark, the routes
//! changed since a watermark, or the first page; each read in one snapshot so the rows and the
//! watermark agree. A watermark from another generation, schema version or file is not trusted.

use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;

use super::{SCHEMA_VERSION, Store, StoreError};
use crate::backend::delta::{RouteDelta, RouteMark};
use crate::backend::sample::route_tables::{self, Routes};

/// The `store_meta` key of the store's generation (changed by every reset and generate).
pub const GENERATION: &str = "generation";

/// A new generation id: the time in nanoseconds and the process id, in hex.
pub fn new_generation() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{nanos:x}-{:x}", std::process::id())
}

impl Store {
    /// The routes changed since `since` (all of them when `since` is `None` or not trusted),
    /// evaluated at `now`; `file` identifies the file the caller opened (see
    /// [`file_identity`]), so a store replaced on disk reads in full.
    pub fn route_delta(
        &self,
        since: Option<&RouteMark>,
        file: &str,
        now: DateTime<Utc>,
    ) -> Result<RouteDelta, StoreError> {
        let snapshot = self.conn.unchecked_transaction().map_err(|e| self.err(e))?;
        let read = || -> rusqlite::Result<RouteDelta> {
            let generation: String = snapshot
                .query_row(
                    "SELECT value FROM store_meta WHERE key = ?1",
                    [GENERATION],
                    |r| r.get(0),
                )
                .optional()?
                .unwrap_or_default();
            let seq: i64 =
                snapshot.query_row("SELECT coalesce(max(seq), 0) FROM route_changes", [], |r| {
                    r.get(0)
                })?;
            let source = format!("{generation}/v{SCHEMA_VERSION}/{file}");
            let mark = Some(RouteMark {
                source: source.clone(),
                seq,
            });
            match since {
                Some(m) if m.source == source && m.seq <= seq => {
                    let (schedules, rows) = if m.seq == seq {
                        (Vec::new(), Vec::new())
                    } else {
                        let mut st = snapshot.prepare_cached(
                            "SELECT schedule_id FROM route_changes WHERE seq > ?1",
                        )?;
                        let schedules =
                            st.query_map([m.seq], |r| r.get(0))?
                                .collect::<Result<Vec<String>, _>>()?;
                        (
                            schedules,
                            route_tables::read(&snapshot, now, Routes::ChangedAfter(m.seq))?,
                        )
                    };
                    Ok(RouteDelta {
                        full: false,
                        schedules,
                        rows,
                        mark,
                        at: now,
                        partial: false,
                        cached_at: None,
                    })
                }
                _ => {
                    let rows = route_tables::read(&snapshot, now, Routes::All)?;
                    let mut d = RouteDelta::full(rows, now);
                    d.mark = mark;
                    Ok(d)
                }
            }
        };
        let out = read().map_err(|e| self.err(e));
        drop(snapshot);
        out
    }

    /// The first `limit` routes in base order, from the index: what the first frame shows
    /// while the full load runs.
    pub fn first_routes(&self, limit: usize, now: DateTime<Utc>) -> Result<RouteDelta, StoreError> {
        let rows =
            route_tables::read(&self.conn, now, Routes::First(limit)).map_err(|e| self.err(e))?;
        let mut d = RouteDelta::full(rows, now);
        d.partial = true;
        Ok(d)
    }
}

/// The identity of the file at `path` (device and inode on Unix, else the modification
/// time); empty when it cannot be read.
pub fn file_identity(path: &std::path::Path) -> String {
    let Ok(m) = std::fs::metadata(path) else {
        return String::new();
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        format!("{}:{}", m.dev(), m.ino())
    }
    #[cfg(not(unix))]
    {
        format!("{:?}", m.created().ok())
    }
}
