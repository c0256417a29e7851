//! Writing route acknowledgements on fresh data: inside one write transaction, each route's
//! latest state is read from `route_state` and the caller decides, route by route, whether to
//! record it or skip it (two consoles bulk-acknowledging one store record each route once).

use rusqlite::{OptionalExtension, params};

use super::store::{Store, StoreError, map_err};
use super::store_writes::insert_all;
use crate::domain::Record;
use crate::domain::ack::AckInput;
use crate::domain::route::RouteKey;

/// What to do with one route, decided on its latest state.
pub enum Decision {
    Write(Record),
    Skip(String),
}

/// What was written (route and record) and what was skipped (route and why).
pub type Written = (Vec<(RouteKey, Record)>, Vec<(RouteKey, String)>);

impl Store {
    /// In one IMMEDIATE transaction: for each input, `decide(input, latest state)` gives the
    /// record to write or the reason to skip; the records are written before the commit.
    pub fn put_acks_fresh(
        &mut self,
        inputs: &[AckInput],
        decide: impl Fn(&AckInput, Option<&str>) -> Decision,
    ) -> Result<Written, StoreError> {
        let path = self.path_buf();
        let tx = self
            .write_connection()?
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| map_err(&path, e))?;
        let mut written = Vec::new();
        let mut skipped = Vec::new();
        {
            let mut latest = tx
                .prepare_cached(
                    "SELECT state FROM route_state WHERE schedule_id = ?1 AND provider = ?2",
                )
                .map_err(|e| map_err(&path, e))?;
            for i in inputs {
                let current: Option<String> = latest
                    .query_row(params![i.route.schedule_id, i.route.provider], |r| r.get(0))
                    .optional()
                    .map_err(|e| map_err(&path, e))?;
                match decide(i, current.as_deref()) {
                    Decision::Skip(why) => skipped.push((i.route.clone(), why)),
                    Decision::Write(record) => written.push((i.route.clone(), record)),
                }
            }
        }
        insert_all(&tx, written.iter().map(|(_, r)| r)).map_err(|e| map_err(&path, e))?;
        tx.commit().map_err(|e| map_err(&path, e))?;
        Ok((written, skipped))
    }
}
