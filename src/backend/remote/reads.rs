//! Paged history reads for the remote backend: one checked page (`page`), every record of one
//! kind, and the records behind one route (detail and raw JSON views).

use serde_json::Value;

use super::{BASE, Client};
use crate::backend::wire::HistoryPage;
use crate::backend::{BackendError, RouteRecords};
use crate::domain::Record;
use crate::domain::record::kind;
use crate::domain::route::RouteKey;

/// Page size for history reads.
pub const PAGE: usize = 200;
/// The most records read of one kind (a server that keeps sending new pages is stopped here).
pub const MAX_RECORDS: usize = 2_000_000;

/// Paging that cannot be followed, in words.
pub fn broken(metadata_kind: &str, what: impl std::fmt::Display) -> BackendError {
    BackendError::Decode(format!(
        "GET {BASE} ({metadata_kind}): the server's paging is broken: {what}; stopped"
    ))
}

/// More records of one kind than are ever read.
pub fn too_many(metadata_kind: &str, total: usize) -> BackendError {
    broken(
        metadata_kind,
        format!("more than {MAX_RECORDS} records of one kind (total {total})"),
    )
}

/// One page of one kind's history, its envelope read with [`HistoryPage`] and checked.
pub struct Page {
    /// The items that are records.
    pub records: Vec<Record>,
    /// The server's `total` (0 when it gives none).
    pub total: usize,
    /// How many items the page held (records and unreadable items alike: paging counts items).
    pub items: usize,
    /// The first item's `session_id`, to tell a page that repeats the one before.
    pub first: Option<String>,
}

/// The page of `metadata_kind` (narrowed by `extra`) at `offset`. Refused: an answer without
/// an items list, one that says another offset than the one asked for, one that repeats the
/// page whose first item was `previous` (when given), one with more items than its `total`.
pub async fn page(
    client: &Client,
    metadata_kind: &str,
    extra: &[(&str, String)],
    offset: usize,
    previous: Option<&Option<String>>,
) -> Result<Page, BackendError> {
    let mut q: Vec<(&str, String)> = vec![("metadata_kind", metadata_kind.to_string())];
    q.extend(extra.iter().cloned());
    q.push(("limit", PAGE.to_string()));
    q.push(("offset", offset.to_string()));
    let page = HistoryPage::from_json(client.get(BASE, &q).await?);
    let items = page
        .items
        .ok_or_else(|| BackendError::Decode(format!("GET {BASE}: the answer has no items list")))?;
    let n = items.len();
    if let Some(echoed) = page.offset.filter(|&o| o != offset as u64) {
        return Err(broken(
            metadata_kind,
            format!(
                "asked for offset {offset}, the answer says offset {echoed} (offset does not advance)"
            ),
        ));
    }
    let first = items
        .first()
        .and_then(|i| i.get("session_id"))
        .map(Value::to_string);
    if n > 0 && first.is_some() && previous == Some(&first) {
        return Err(broken(
            metadata_kind,
            format!(
                "the page at offset {offset} repeats the previous page (offset does not advance)"
            ),
        ));
    }
    let total = page.total as usize;
    if n > 0 && offset + n > total {
        return Err(broken(
            metadata_kind,
            format!(
                "{} items received but the answer's total is {total} (pages outrun total)",
                offset + n
            ),
        ));
    }
    let records = HistoryPage::records(items).collect();
    Ok(Page {
        records,
        total,
        items: n,
        first,
    })
}

/// Every record of one kind (optionally for one schedule/provider), paging until `total`.
///
/// A server that does not page properly is stopped with an error instead of being followed
/// forever ([`page`]'s checks), and after more than [`MAX_RECORDS`] records.
pub async fn all_of_kind(
    client: &Client,
    metadata_kind: &str,
    extra: &[(&str, String)],
) -> Result<Vec<Record>, BackendError> {
    let mut out = Vec::new();
    let mut offset = 0;
    let mut previous: Option<String> = None;
    loop {
        let p = page(client, metadata_kind, extra, offset, Some(&previous)).await?;
        previous = p.first;
        offset += p.items;
        if offset > MAX_RECORDS {
            return Err(too_many(metadata_kind, p.total));
        }
        out.extend(p.records);
        if p.items == 0 || offset >= p.total {
            return Ok(out);
        }
    }
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
