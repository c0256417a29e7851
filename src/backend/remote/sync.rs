//! Incremental sync of the routes' records from a server: the notification plans and
//! acknowledgements read are held between refreshes. History is newest first (CONTRACT §4.1),
//! so a refresh reads each kind page by page only until it reaches a record it holds: with
//! nothing new that is one request per kind, both kinds at once. New records that push old
//! ones out of the server's 500-record window cost one more request (the cut is checked).
//! Every [`FULL_EVERY`]th refresh, on ctrl-r and
//! whenever the counts disagree with the server's `total`, both kinds are read in full (CAVRA
//! overwrites some records in place, §1.5); a full read fetches its pages concurrently (the
//! client lets at most four reads fly), as is the first read after a start. The derived rows
//! are saved to the server's cache, if any.

use std::collections::HashMap;

use chrono::Utc;
use futures_util::StreamExt;
use serde_json::Value;

use super::cache::Cache;
use super::reads::{self, MAX_RECORDS};
use super::{BASE, Client};
use crate::backend::BackendError;
use crate::backend::delta::{RouteDelta, RouteMark};
use crate::domain::Record;
use crate::domain::history::history_cmp;
use crate::domain::record::kind;
use crate::domain::route::{RouteRow, derive_routes};

/// Every this many refreshes both kinds are read in full.
pub const FULL_EVERY: u64 = 10;
const KINDS: [&str; 2] = [kind::NOTIFICATION_PLAN, kind::NOTIFICATION_ACK];

/// Records held per kind, by `session_id`.
#[derive(Default)]
struct Held {
    kinds: [HashMap<String, Record>; 2],
    /// Refreshes since the held records were read in full (`None`: nothing held).
    since_full: Option<u64>,
    refreshes: u64,
    /// The last cache save, still running (the next sync waits for it: saves stay in order).
    saving: Option<tokio::task::JoinHandle<()>>,
}

/// The routes' records of one server, kept between refreshes.
pub struct RouteSync {
    held: tokio::sync::Mutex<Held>,
    cache: Option<Cache>,
    source: String,
}

impl RouteSync {
    pub fn new(base: &url::Url, cache: Option<Cache>) -> RouteSync {
        RouteSync {
            held: Default::default(),
            cache,
            source: format!("remote:{base}"),
        }
    }

    /// Waits until the last sync's cache save has finished.
    pub async fn saved(&self) {
        let pending = self.held.lock().await.saving.take();
        if let Some(save) = pending {
            let _ = save.await;
        }
    }

    /// The routes from the local cache, when there is one (nothing is read from the server).
    pub async fn cached(&self) -> Option<RouteDelta> {
        let cache = self.cache.clone()?;
        let (rows, saved_at) = tokio::task::spawn_blocking(move || cache.load_rows(Utc::now()))
            .await
            .ok()??;
        let mut d = RouteDelta::full(rows, Utc::now());
        d.partial = true;
        d.cached_at = Some(saved_at);
        d.mark = Some(RouteMark {
            source: self.source.clone(),
            seq: 0,
        });
        Some(d)
    }

    /// Syncs with the server and derives every route: incrementally when `since` is this
    /// server's mark and the periodic full read is not due, else in full.
    pub async fn routes(
        &self,
        client: &Client,
        since: Option<&RouteMark>,
    ) -> Result<RouteDelta, BackendError> {
        let mut held = self.held.lock().await;
        if let Some(save) = held.saving.take() {
            let _ = save.await;
        }
        // The first read after a start (from the cache or not) is a full one: a cache may be
        // days old, and only a full read proves what the server holds now.
        let trusted = since.is_some_and(|m| m.source == self.source);
        let due = held.since_full.is_none_or(|n| n >= FULL_EVERY);
        let mut changed: Vec<Record> = Vec::new();
        let mut removed = Vec::new();
        let mut full = !trusted || due;
        if !full {
            // Both kinds at once: a refresh with nothing new costs one round trip.
            let [plans, acks] = &mut held.kinds;
            let (p, a) = tokio::try_join!(
                refresh_kind(client, KINDS[0], plans),
                refresh_kind(client, KINDS[1], acks)
            )?;
            for (new, cut) in [p, a] {
                changed.extend(new);
                match cut {
                    Some(cut) => removed.extend(cut),
                    None => full = true,
                }
            }
        }
        if full {
            let (plans, acks) = tokio::try_join!(
                all_concurrent(client, KINDS[0]),
                all_concurrent(client, KINDS[1])
            )?;
            for (i, fresh) in [plans, acks].into_iter().enumerate() {
                let old = std::mem::replace(&mut held.kinds[i], fresh);
                removed.extend(
                    old.keys()
                        .filter(|k| !held.kinds[i].contains_key(*k))
                        .cloned(),
                );
                changed.extend(
                    held.kinds[i]
                        .iter()
                        .filter(|(id, r)| old.get(*id) != Some(*r))
                        .map(|(_, r)| r.clone()),
                );
            }
            held.since_full = Some(0);
        }
        held.since_full = held.since_full.map(|n| n + 1);
        held.refreshes += 1;
        let now = Utc::now();
        let plans: Vec<Record> = held.kinds[0].values().cloned().collect();
        let acks: Vec<Record> = held.kinds[1].values().cloned().collect();
        let rows = derive_routes(&plans, &acks, now);
        if let Some(cache) = self.cache.clone() {
            let (saved, dirty) = (rows.clone(), !changed.is_empty() || !removed.is_empty());
            // Saving is best effort and off the async threads; a failure only costs the next start.
            held.saving = Some(tokio::task::spawn_blocking(move || {
                if let Err(e) = cache.save(dirty, &saved, now) {
                    tracing::warn!("cache not saved: {e}");
                }
            }));
        }
        let mut d = RouteDelta::full(rows, now);
        d.mark = Some(RouteMark {
            source: self.source.clone(),
            seq: held.refreshes as i64,
        });
        Ok(d)
    }
}

/// The key a record is held by: its `session_id`, or, for a record without a readable one,
/// its whole text (such records stay apart instead of replacing each other).
fn held_key(r: &Record) -> String {
    match r.session_id() {
        "" => format!("~{}", r.to_json()),
        id => id.to_string(),
    }
}

/// One page of a kind, checked as `reads` checks pages: its records, the server's `total` and
/// how many items it held.
async fn page(
    client: &Client,
    metadata_kind: &str,
    offset: usize,
) -> Result<(Vec<Record>, usize, usize), BackendError> {
    let p = reads::page(client, metadata_kind, &[], offset, None).await?;
    Ok((p.records, p.total, p.items))
}

/// Reads one kind newest first until a held record shows up unchanged; adds what is new (and
/// refreshes what the pages carried). Returns the server's total and the records that changed.
async fn newer(
    client: &Client,
    metadata_kind: &str,
    held: &mut HashMap<String, Record>,
) -> Result<(usize, Vec<Record>), BackendError> {
    let mut offset = 0;
    let mut changed = Vec::new();
    loop {
        let (items, total, n) = page(client, metadata_kind, offset).await?;
        let mut reached = false;
        for r in items {
            let id = held_key(&r);
            match held.get(&id) {
                // Only an unchanged record proves the rest is held: a record saved again in
                // place (CONTRACT §1.5) comes back newer with older news below it.
                Some(old) if *old == r => reached = true,
                Some(_) => {
                    changed.push(r.clone());
                    held.insert(id, r);
                }
                None => {
                    changed.push(r.clone());
                    held.insert(id, r);
                }
            }
        }
        offset += n;
        if reached || n == 0 || offset >= total || offset > MAX_RECORDS {
            return Ok((total, changed));
        }
    }
}

/// One kind's incremental refresh: the records that changed, and the ids cut from the held
/// records because they left the server's window; `None` when the held records disagree with
/// the server's count (then everything is read again).
async fn refresh_kind(
    client: &Client,
    metadata_kind: &str,
    held: &mut HashMap<String, Record>,
) -> Result<(Vec<Record>, Option<Vec<String>>), BackendError> {
    let (total, new) = newer(client, metadata_kind, held).await?;
    let cut = match held.len().cmp(&total) {
        std::cmp::Ordering::Equal => Some(Vec::new()),
        // New records pushed older ones out of the server's window.
        std::cmp::Ordering::Greater => to_window(client, metadata_kind, held, total).await?,
        std::cmp::Ordering::Less => None,
    };
    Ok((new, cut))
}

/// CAVRA answers with at most its newest 500 records of a kind (CONTRACT §1.2): when new records
/// pushed older ones out, the held records are cut to the newest `total` in the history's
/// order, and the cut is checked against the server's oldest record in the window (one
/// request, which also finds a `total` that hides records). Returns the ids cut, or `None` when the server holds another window (read it all).
async fn to_window(
    client: &Client,
    metadata_kind: &str,
    held: &mut HashMap<String, Record>,
    total: usize,
) -> Result<Option<Vec<String>>, BackendError> {
    let mut order: Vec<&Record> = held.values().collect();
    order.sort_by(|a, b| history_cmp(a, b));
    let Some(last) = total.checked_sub(1).and_then(|i| order.get(i)) else {
        return Ok(None);
    };
    let last = last.session_id().to_string();
    let cut: Vec<String> = order[total..].iter().map(|r| held_key(r)).collect();
    // Two asked for at the last place: one answer is the window's oldest record; a second
    // would be a record beyond the announced total, which a full read refuses too.
    let query = [
        ("metadata_kind", metadata_kind.to_string()),
        ("limit", "2".to_string()),
        ("offset", (total - 1).to_string()),
    ];
    let page = client.get(BASE, &query).await?;
    let items = page.get("items").and_then(Value::as_array);
    if items.is_some_and(|i| i.len() > 1) {
        return Err(BackendError::Decode(format!(
            "GET {BASE} ({metadata_kind}): the server's paging is broken: {} items received but the answer's total is {total} (pages outrun total); stopped",
            total + 1
        )));
    }
    let oldest = items
        .and_then(|items| items.first())
        .and_then(|r| r.get("session_id"))
        .and_then(Value::as_str);
    if oldest != Some(last.as_str()) {
        return Ok(None);
    }
    for id in &cut {
        held.remove(id);
    }
    Ok(Some(cut))
}

/// Every record of one kind: the first two pages one after the other (so broken paging is
/// caught in two requests), the rest concurrently.
pub(super) async fn all_concurrent(
    client: &Client,
    metadata_kind: &str,
) -> Result<HashMap<String, Record>, BackendError> {
    let mut out = HashMap::new();
    let (first, total, n) = page(client, metadata_kind, 0).await?;
    if total > MAX_RECORDS {
        return Err(BackendError::Decode(format!(
            "GET {BASE} ({metadata_kind}): the server's paging is broken: more than {MAX_RECORDS} records of one kind (total {total}); stopped"
        )));
    }
    let first_id = first.first().map(|r| r.session_id().to_string());
    out.extend(first.into_iter().map(|r| (held_key(&r), r)));
    if n == 0 || n >= total {
        return Ok(out);
    }
    let (second, _, second_n) = page(client, metadata_kind, n).await?;
    if second.first().map(|r| r.session_id().to_string()) == first_id && first_id.is_some() {
        return Err(BackendError::Decode(format!(
            "GET {BASE} ({metadata_kind}): the server's paging is broken: the page at offset {n} repeats the previous page (offset does not advance); stopped"
        )));
    }
    let step = n.max(1);
    let mut next = n + second_n;
    out.extend(second.into_iter().map(|r| (held_key(&r), r)));
    let offsets: Vec<usize> = std::iter::from_fn(|| {
        let o = next;
        next += step;
        (o < total).then_some(o)
    })
    .collect();
    let mut pages = futures_util::stream::iter(offsets)
        .map(|o| page(client, metadata_kind, o))
        .buffer_unordered(super::client::MAX_READS);
    while let Some(p) = pages.next().await {
        let (items, _, _) = p?;
        out.extend(items.into_iter().map(|r| (held_key(&r), r)));
    }
    Ok(out)
}

/// Every route, read in full as the console's full refresh reads it (one reader, one set of
/// paging checks).
pub async fn full_routes(client: &Client) -> Result<Vec<RouteRow>, BackendError> {
    let (plans, acks) = tokio::try_join!(
        all_concurrent(client, kind::NOTIFICATION_PLAN),
        all_concurrent(client, kind::NOTIFICATION_ACK)
    )?;
    let plans: Vec<Record> = plans.into_values().collect();
    let acks: Vec<Record> = acks.into_values().collect();
    Ok(derive_routes(&plans, &acks, chrono::Utc::now()))
}
