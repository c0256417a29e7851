//! Route reads for the remote backend: notification plans and acknowledgements paged out of
//! the history (`limit`/`offset`), then the same route derivation as sample mode.

use chrono::Utc;
use serde_json::Value;

use super::{BASE, Client};
use crate::backend::{BackendError, RouteRecords};
use crate::domain::Record;
use crate::domain::record::kind;
use crate::domain::route::{RouteKey, RouteRow, derive_routes};

/// Page size for history reads.
pub const PAGE: usize = 200;
/// The most records read of one kind (a server that keeps sending new pages is stopped here).
pub const MAX_RECORDS: usize = 2_000_000;

/// Every record of one kind (optionally for one schedule/provider), paging until `total`.
///
/// A server that does not page properly is stopped with an error instead of being followed
/// forever: an answer whose `offset` is not the one asked for, a page that repeats the previous
/// one, more items than the `total` it announced, or more than [`MAX_RECORDS`] records.
pub async fn all_of_kind(
    client: &Client,
    metadata_kind: &str,
    extra: &[(&str, String)],
) -> Result<Vec<Record>, BackendError> {
    let mut out = Vec::new();
    let mut offset = 0;
    let mut previous_first: Option<String> = None;
    let broken = |what: String| {
        BackendError::Decode(format!(
            "GET {BASE} ({metadata_kind}): the server's paging is broken: {what}; stopped"
        ))
    };
    loop {
        let mut q: Vec<(&str, String)> = vec![("metadata_kind", metadata_kind.to_string())];
        q.extend(extra.iter().cloned());
        q.push(("limit", PAGE.to_string()));
        q.push(("offset", offset.to_string()));
        let page = client.get(BASE, &q).await?;
        let items = page.get("items").and_then(Value::as_array).ok_or_else(|| {
            BackendError::Decode(format!("GET {BASE}: the answer has no items list"))
        })?;
        let n = items.len();
        if let Some(echoed) = page.get("offset").and_then(Value::as_u64) {
            if echoed != offset as u64 {
                return Err(broken(format!(
                    "asked for offset {offset}, the answer says offset {echoed} (offset does not advance)"
                )));
            }
        }
        let first = items
            .first()
            .and_then(|i| i.get("session_id"))
            .map(Value::to_string);
        if n > 0 && first.is_some() && first == previous_first {
            return Err(broken(format!(
                "the page at offset {offset} repeats the previous page (offset does not advance)"
            )));
        }
        previous_first = first;
        let total = page.get("total").and_then(Value::as_u64).unwrap_or(0) as usize;
        offset += n;
        if n > 0 && offset > total {
            return Err(broken(format!(
                "{offset} items received but the answer's total is {total} (pages outrun total)"
            )));
        }
        if offset > MAX_RECORDS {
            return Err(broken(format!(
                "more than {MAX_RECORDS} records of one kind (total {total})"
            )));
        }
        out.extend(
            items
                .iter()
                .filter_map(Value::as_object)
                .map(|o| Record(o.clone())),
        );
        if n == 0 || offset >= total {
            return Ok(out);
        }
    }
}

/// Every route, read in full as the console's full refresh reads it (one reader, one set of
/// paging checks).
pub async fn routes(client: &Client) -> Result<Vec<RouteRow>, BackendError> {
    let (plans, acks) = tokio::try_join!(
        super::sync::all_concurrent(client, kind::NOTIFICATION_PLAN),
        super::sync::all_concurrent(client, kind::NOTIFICATION_ACK)
    )?;
    let plans: Vec<Record> = plans.into_values().collect();
    let acks: Vec<Record> = acks.into_values().collect();
    Ok(derive_routes(&plans, &acks, Utc::now()))
}

pub async fn route_records(client: &Client, key: &RouteKey) -> Result<RouteRecords, BackendError> {
    let schedule = [("schedule_id", key.schedule_id.clone())];
    let mut plans = all_of_kind(client, kind::NOTIFICATION_PLAN, &schedule).await?;
    plans.sort_by(|a, b| b.created_at().cmp(a.created_at()));
    let mut acks: Vec<Record> = all_of_kind(
        client,
        kind::NOTIFICATION_ACK,
        &[
            ("schedule_id", key.schedule_id.clone()),
            ("provider", key.provider.clone()),
        ],
    )
    .await?
    .into_iter()
    .filter(|r| crate::domain::route::ack_key(r).provider == key.provider)
    .collect();
    acks.sort_by(|a, b| b.created_at().cmp(a.created_at()));
    Ok(RouteRecords {
        plan: plans.into_iter().next(),
        acks,
    })
}
