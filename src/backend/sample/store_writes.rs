//! Writing records in a transaction: the upsert by `session_id` CAVRA's store does, and the
//! route tables kept in step in the same transaction.

use rusqlite::params;

use crate::domain::record::Record;

pub(crate) fn insert_all<'a>(
    tx: &rusqlite::Transaction<'_>,
    records: impl IntoIterator<Item = &'a Record>,
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
