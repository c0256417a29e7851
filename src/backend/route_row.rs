//! One route row as SQLite holds it: the sample store's route join and the remote routes
//! cache keep the same 16 columns in the same order (the route decision, the plan, the latest
//! acknowledgement), read back here by one rule.

use rusqlite::Row;

use crate::domain::route::{AckSummary, RouteAction, RouteDecision, RouteKey};

/// A route row's columns as read back, before the route-state rule evaluates them.
pub struct StoredRoute {
    pub decision: RouteDecision,
    pub plan_id: String,
    pub plan_created_at: String,
    pub latest_ack: Option<AckSummary>,
}

/// Reads columns 0–15: schedule id, provider, owner, escalation owner, plan id, plan time,
/// action, category, reason, acknowledgement minutes; then the latest acknowledgement's id
/// (NULL: none), state, author, time, reference and notes.
pub fn read(row: &Row<'_>) -> rusqlite::Result<StoredRoute> {
    let action = if row.get_ref(6)?.as_str()? == "suppress" {
        RouteAction::Suppress
    } else {
        RouteAction::Deliver
    };
    let latest_ack = match row.get::<_, Option<String>>(10)? {
        Some(id) => Some(AckSummary {
            acknowledgement_id: id,
            state: row.get(11)?,
            acknowledged_by: row.get(12)?,
            acknowledged_at: row.get(13)?,
            external_ref: row.get(14)?,
            notes: row.get(15)?,
        }),
        None => None,
    };
    let (slo, flaws) = RouteDecision::slo_from_column(row.get(9)?);
    let decision = RouteDecision {
        key: RouteKey::new(row.get::<_, String>(0)?, row.get::<_, String>(1)?),
        owner: row.get(2)?,
        escalation_owner: row.get(3)?,
        action,
        category: row.get(7)?,
        reason: row.get(8)?,
        acknowledgement_minutes: slo,
        flaws,
    };
    Ok(StoredRoute {
        decision,
        plan_id: row.get(4)?,
        plan_created_at: row.get(5)?,
        latest_ack,
    })
}
