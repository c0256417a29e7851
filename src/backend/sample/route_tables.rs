//! The store's compact route tables (schema v2): `route_index` holds the route decisions of
//! the latest plan per schedule, `route_state` the latest acknowledgement per route. They are
//! updated inside the same transaction as every record write, so the routes pane is one join.
//! They store what `domain::route` reads from a plan ([`RouteDecision`]) and rows are made by
//! the same rule ([`evaluate`]): no second copy of the route-state rule lives here.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde_json::Value;

use crate::backend::route_row;
use crate::domain::Record;
use crate::domain::record::kind;
use crate::domain::route::{
    AckSummary, RouteDecision, RouteRow, ack_key, evaluate, plan_decisions, plan_id,
    plan_schedule_id,
};
use crate::domain::time;

/// Keeps the route tables in step with one written record.
pub fn on_write(tx: &Transaction<'_>, r: &Record) -> rusqlite::Result<()> {
    match r.kind() {
        kind::NOTIFICATION_PLAN => on_plan(tx, r),
        kind::NOTIFICATION_ACK => on_ack(tx, r),
        _ => Ok(()),
    }
}

fn on_plan(tx: &Transaction<'_>, plan: &Record) -> rusqlite::Result<()> {
    let schedule = plan_schedule_id(plan);
    let schedule: &str = &schedule;
    let current: Option<String> = tx
        .query_row(
            "SELECT max(plan_created_at) FROM route_index WHERE schedule_id = ?1",
            [schedule],
            |row| row.get(0),
        )
        .optional()?
        .flatten();
    if current.as_deref().is_some_and(|c| c > plan.created_at()) {
        return Ok(()); // an older plan: the routes pane shows the latest only
    }
    tx.execute("DELETE FROM route_index WHERE schedule_id = ?1", [schedule])?;
    touch(tx, schedule)?;
    let mut st = tx.prepare_cached(
        "INSERT OR REPLACE INTO route_index (schedule_id, provider, owner, escalation_owner, plan_id, plan_created_at,
         action, category, reason, acknowledgement_minutes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    for d in plan_decisions(plan).iter().filter_map(Value::as_object) {
        let Some(d) = RouteDecision::read(d, schedule) else {
            continue;
        };
        st.execute(params![
            d.key.schedule_id,
            d.key.provider,
            d.owner,
            d.escalation_owner,
            plan_id(plan),
            plan.created_at(),
            d.action.as_str(),
            d.category,
            d.reason,
            d.slo_column(),
        ])?;
    }
    Ok(())
}

/// Stamps `schedule` with the next change number (schema v3's `route_changes`), in the
/// transaction that changed its routes: incremental refreshes read the stamped schedules.
fn touch(tx: &Transaction<'_>, schedule: &str) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO route_changes (schedule_id, seq)
         VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM route_changes))
         ON CONFLICT (schedule_id) DO UPDATE SET seq = excluded.seq",
    )?
    .execute([schedule])?;
    Ok(())
}

fn on_ack(tx: &Transaction<'_>, r: &Record) -> rusqlite::Result<()> {
    let a = AckSummary::from_record(r);
    let key = ack_key(r);
    touch(tx, &key.schedule_id)?;
    tx.prepare_cached(
        "INSERT INTO route_state (schedule_id, provider, created_at, acknowledgement_id, state, acknowledged_by,
         acknowledged_at, external_ref, notes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (schedule_id, provider) DO UPDATE SET created_at = excluded.created_at,
           acknowledgement_id = excluded.acknowledgement_id, state = excluded.state,
           acknowledged_by = excluded.acknowledged_by, acknowledged_at = excluded.acknowledged_at,
           external_ref = excluded.external_ref, notes = excluded.notes
         WHERE excluded.created_at >= route_state.created_at",
    )?
    .execute(params![
        key.schedule_id,
        key.provider,
        r.created_at(),
        a.acknowledgement_id,
        a.state,
        a.acknowledged_by,
        a.acknowledged_at,
        a.external_ref,
        a.notes
    ])?;
    Ok(())
}

/// Rebuilds both tables from the records (the v1 -> v2 migration, and `sample reset`).
pub fn rebuild(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch("DELETE FROM route_index; DELETE FROM route_state;")?;
    for k in [kind::NOTIFICATION_PLAN, kind::NOTIFICATION_ACK] {
        let mut st = tx.prepare(
            "SELECT payload FROM evidence_metadata WHERE metadata_kind = ?1 ORDER BY created_at",
        )?;
        let payloads: Vec<String> = st
            .query_map([k], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        for p in payloads {
            if let Ok(r) = Record::from_json(&p) {
                on_write(tx, &r)?;
            }
        }
    }
    Ok(())
}

/// Which route rows a read returns (always in base order: schedule, provider, owner).
#[derive(Debug, Clone, Copy)]
pub enum Routes {
    /// Every route.
    All,
    /// The first `n` routes (the first page a console shows).
    First(usize),
    /// The routes of the schedules stamped after change `seq` (an incremental refresh).
    ChangedAfter(i64),
}

/// Reads the chosen route rows at `now`, deriving state, breach and recommendation as
/// `domain::route` does.
pub fn read(
    conn: &Connection,
    now: chrono::DateTime<chrono::Utc>,
    which: Routes,
) -> rusqlite::Result<Vec<RouteRow>> {
    const ORDER: &str = "ORDER BY r.schedule_id, r.provider, r.owner";
    match which {
        Routes::All => {
            // Sized up front: growing a vector of 100k rows copies it and faults in fresh
            // pages at each doubling, which cost as much as reading the rows.
            let count: i64 =
                conn.query_row("SELECT COUNT(*) FROM route_index", [], |r| r.get(0))?;
            read_where(conn, now, &format!("1 {ORDER}"), [], count as usize)
        }
        Routes::First(n) => {
            let tail = format!("1 {ORDER} LIMIT ?1");
            read_where(conn, now, &tail, [n as i64], n)
        }
        Routes::ChangedAfter(seq) => {
            let changed = "SELECT schedule_id FROM route_changes WHERE seq > ?1";
            let tail = format!("r.schedule_id IN ({changed}) {ORDER}");
            read_where(conn, now, &tail, [seq], 0)
        }
    }
}

/// The route rows the join yields under `tail` (a WHERE condition and its ORDER/LIMIT), in a
/// vector made for `expected` rows.
fn read_where(
    conn: &Connection,
    now: chrono::DateTime<chrono::Utc>,
    tail: &str,
    args: impl rusqlite::Params,
    expected: usize,
) -> rusqlite::Result<Vec<RouteRow>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT r.schedule_id, r.provider, r.owner, r.escalation_owner, r.plan_id, r.plan_created_at, r.action,
                r.category, r.reason, r.acknowledgement_minutes,
                s.acknowledgement_id, s.state, s.acknowledged_by, s.acknowledged_at, s.external_ref, s.notes
         FROM route_index r LEFT JOIN route_state s ON s.schedule_id = r.schedule_id AND s.provider = r.provider
         WHERE {tail}"
    ))?;
    let mut plan_time_cache: Option<(String, Option<chrono::DateTime<chrono::Utc>>)> = None;
    let rows = st.query_map(args, |row| {
        let stored = route_row::read(row)?;
        let created = stored.plan_created_at;
        let plan_time = match &plan_time_cache {
            Some((c, t)) if *c == created => *t,
            _ => {
                let t = time::parse(&created);
                plan_time_cache = Some((created.clone(), t));
                t
            }
        };
        Ok(evaluate(
            stored.decision,
            stored.plan_id,
            created,
            plan_time,
            stored.latest_ack,
            now,
        ))
    })?;
    let mut out = Vec::with_capacity(expected);
    for row in rows {
        out.push(row?);
    }
    Ok(out)
}
