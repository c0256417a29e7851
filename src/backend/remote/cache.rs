//! The local cache of a server's routes, for slow links and a server that is down: one SQLite
//! file per server under the cache dir (`servers/<hash of the URL>.db`, 0600 in 0700 dirs)
//! holding the notification plans and acknowledgements read from it and the route rows derived
//! from them, so a console starts from it before the server answers. It holds records as the
//! server returned them and nothing else: no token, no header, no credential.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use sha2::{Digest, Sha256};

use crate::domain::Record;
use crate::domain::record::kind;
use crate::domain::route::{AckSummary, RouteAction, RouteDecision, RouteKey, RouteRow, evaluate};
use crate::domain::time;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (kind TEXT NOT NULL, session_id TEXT NOT NULL, payload TEXT NOT NULL,
    PRIMARY KEY (kind, session_id)) WITHOUT ROWID;
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
}

impl Cache {
    /// The cache of the server at `base` under `cache_dir` (nothing is created yet).
    pub fn for_server(cache_dir: &Path, base: &url::Url) -> Cache {
        let digest = hex::encode(Sha256::digest(base.as_str().as_bytes()));
        Cache {
            path: servers_dir(cache_dir).join(format!("{}.db", &digest[..16])),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn open(&self, create: bool) -> rusqlite::Result<Option<Connection>> {
        if !self.path.exists() {
            if !create {
                return Ok(None);
            }
            let made = self
                .path
                .parent()
                .map(crate::paths::create_private_dir)
                .unwrap_or(Ok(()))
                .and_then(|()| crate::paths::create_private_file(&self.path));
            if let Err(e) = made {
                return Err(rusqlite::Error::ToSqlConversionFailure(Box::new(e)));
            }
        }
        let conn = Connection::open(&self.path)?;
        conn.busy_timeout(std::time::Duration::from_secs(2))?;
        conn.execute_batch(SCHEMA)?;
        Ok(Some(conn))
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
        let saved = time::parse(&saved)?;
        let mut st = conn.prepare("SELECT * FROM routes ORDER BY rowid").ok()?;
        let rows = st
            .query_map([], |r| {
                let plan_created_at: String = r.get(5)?;
                let ack = match r.get::<_, Option<String>>(10)? {
                    Some(id) => Some(AckSummary {
                        acknowledgement_id: id,
                        state: r.get(11)?,
                        acknowledged_by: r.get(12)?,
                        acknowledged_at: r.get(13)?,
                        external_ref: r.get(14)?,
                        notes: r.get(15)?,
                    }),
                    None => None,
                };
                let action: String = r.get(6)?;
                let (slo, flaws) = RouteDecision::slo_from_column(r.get(9)?);
                let decision = RouteDecision {
                    key: RouteKey::new(r.get::<_, String>(0)?, r.get::<_, String>(1)?),
                    owner: r.get(2)?,
                    escalation_owner: r.get(3)?,
                    action: if action == "suppress" {
                        RouteAction::Suppress
                    } else {
                        RouteAction::Deliver
                    },
                    category: r.get(7)?,
                    reason: r.get(8)?,
                    acknowledgement_minutes: slo,
                    flaws,
                };
                let plan_time = time::parse(&plan_created_at);
                Ok(evaluate(
                    decision,
                    r.get(4)?,
                    plan_created_at,
                    plan_time,
                    ack,
                    now,
                ))
            })
            .ok()?
            .collect::<Result<Vec<_>, _>>()
            .ok()?;
        Some((rows, saved))
    }

    /// The cached records: plans and acknowledgements by `session_id`.
    pub fn load(&self) -> rusqlite::Result<Option<[HashMap<String, Record>; 2]>> {
        let Some(conn) = self.open(false)? else {
            return Ok(None);
        };
        let mut out: [HashMap<String, Record>; 2] = Default::default();
        let mut st = conn.prepare("SELECT kind, session_id, payload FROM records")?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (k, id, payload) = row?;
            let i = usize::from(k == kind::NOTIFICATION_ACK);
            if let Ok(rec) = Record::from_json(&payload) {
                out[i].insert(id, rec);
            }
        }
        Ok(Some(out))
    }

    /// Saves a sync in one transaction: records changed and removed, the derived rows (when
    /// anything changed), and the time.
    pub fn save(
        &self,
        changed: &[Record],
        removed: &[String],
        rows: &[RouteRow],
        now: DateTime<Utc>,
    ) -> rusqlite::Result<()> {
        let Some(mut conn) = self.open(true)? else {
            return Ok(());
        };
        let tx = conn.transaction()?;
        {
            let mut put = tx.prepare(
                "INSERT OR REPLACE INTO records (kind, session_id, payload) VALUES (?1, ?2, ?3)",
            )?;
            for r in changed {
                put.execute(params![r.kind(), r.session_id(), r.to_json()])?;
            }
            let mut del = tx.prepare("DELETE FROM records WHERE session_id = ?1")?;
            for id in removed {
                del.execute([id])?;
            }
            let empty: bool = tx.query_row("SELECT count(*) = 0 FROM routes", [], |r| r.get(0))?;
            if !changed.is_empty() || !removed.is_empty() || empty {
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
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('saved_at', ?1)",
                [time::iso(now)],
            )?;
        }
        tx.commit()
    }
}
