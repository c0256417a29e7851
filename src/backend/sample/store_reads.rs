//! The store's reads: records by kind, the latest per schedule and per route, one route's
//! history, the family's newest records, the routes pane's join, the count and the store's own
//! metadata. A corruption any of them reports marks the store (see [`Store::write_refusal`]).

use rusqlite::params;

use super::{Store, StoreError};
use crate::backend::sample::route_tables::{self, Routes};
use crate::domain::record::Record;

impl Store {
    /// A key of the store's own metadata table, if set.
    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        use rusqlite::OptionalExtension;
        self.conn
            .query_row("SELECT value FROM store_meta WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.err(e))
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
    #[cfg(test)]
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
    pub fn routes(
        &self,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<crate::domain::RouteRow>, StoreError> {
        route_tables::read(&self.conn, now, Routes::All).map_err(|e| self.err(e))
    }

    /// How many records the store holds.
    pub fn count(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT count(*) FROM evidence_metadata", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n as u64)
            .map_err(|e| self.err(e))
    }

    fn query(&self, sql: &str, args: impl rusqlite::Params) -> Result<Vec<Record>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(args, |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, payload) = row.map_err(|e| self.err(e))?;
            let rec = Record::from_json(&payload).map_err(|_| StoreError::BadRecord {
                path: self.path.clone(),
                session_id: id,
            })?;
            out.push(rec);
        }
        Ok(out)
    }
}
