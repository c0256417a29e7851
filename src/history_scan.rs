//! One page of the history under a filter, over the **whole** history. The one place pane 3
//! and `cavra-tui history` read the history through.
//!
//! What CAVRA's endpoint can filter is sent to it, and its page is the answer. When the
//! filter has a part CAVRA lacks (a provider group, a case-insensitive provider, a kind word
//! naming several kinds, a derived state), every page of the server's narrowed answer is read
//! ([`SCAN_PAGE`] records a request, at most [`IN_FLIGHT`] requests at once), the console's
//! part is matched, and the matches are paged: `total` is the number of matches, never the
//! number of records looked at (that is `scanned`).

use std::collections::HashSet;

use futures_util::stream::{self, StreamExt};
use serde_json::{Value, json};

use crate::backend::{Backend, BackendError, Json};
use crate::domain::Record;
use crate::domain::history::HistoryQuery;
use crate::domain::query::Page;

/// Records asked for per request while scanning (CAVRA does not clamp `limit`).
pub const SCAN_PAGE: usize = 500;
/// Scan requests in flight at once.
pub const IN_FLIGHT: usize = 4;

/// The records of a history page: its `items` that are objects (anything else is skipped).
pub fn records(page: &Json) -> Vec<Record> {
    page.get("items")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .map(|o| Record(o.clone()))
        .collect()
}

/// Why a history page's `items` cannot be read as records (`None`: they can): no `items`
/// list, or items that are not records. Never read as "no records".
pub fn unreadable_items(page: &Json) -> Option<String> {
    let Some(items) = page.get("items").and_then(Value::as_array) else {
        return Some("it has no readable `items` list".into());
    };
    let bad = items.iter().filter(|i| !i.is_object()).count();
    (bad > 0).then(|| format!("{bad} of its {} items are not records", items.len()))
}

/// A history page as `asked`, or an error naming what is wrong with it: unreadable items, or
/// paging that cannot be trusted (another `offset` than asked, no `total`, or a `total` below
/// the records it shows).
pub fn checked_page(page: Json, asked: Page) -> Result<Json, BackendError> {
    let broken = |why: String| {
        Err(BackendError::Decode(format!(
            "GET history: {why}, so the page is not shown"
        )))
    };
    if let Some(why) = unreadable_items(&page) {
        return broken(why);
    }
    let shown = records(&page).len();
    let offset = page.get("offset").filter(|o| !o.is_null());
    match offset {
        Some(o) if o.as_u64() != Some(asked.offset as u64) => {
            return broken(format!(
                "the server's paging is broken: it answered offset {o} for offset {}",
                asked.offset
            ));
        }
        None if asked.offset > 0 => {
            return broken(format!(
                "the server's paging is broken: it does not say which offset it answered for \
                 offset {}",
                asked.offset
            ));
        }
        _ => {}
    }
    if shown > asked.limit {
        return broken(format!(
            "the server's paging is broken: {shown} records for a page of {}",
            asked.limit
        ));
    }
    match page.get("total").and_then(Value::as_u64) {
        None => broken("the server's paging is broken: the answer has no `total`".into()),
        // A page past the end is empty, and fine.
        Some(t) if shown > 0 && (t as usize) < asked.offset + shown => broken(format!(
            "the server's paging is broken: {shown} records at offset {} but a total of {t}",
            asked.offset
        )),
        Some(_) => Ok(page),
    }
}

fn total(page: &Json) -> usize {
    page.get("total").and_then(Value::as_u64).unwrap_or(0) as usize
}

/// One page (`limit` from `offset`) of the records matching the whole query.
pub async fn page(
    backend: &dyn Backend,
    query: &HistoryQuery,
    limit: usize,
    offset: usize,
) -> Result<Json, BackendError> {
    if query.console.is_empty() {
        let asked = Page::at(limit, offset);
        return checked_page(backend.history(query.clone(), asked).await?, asked);
    }
    let sent = query.server_part();
    let read = |at: Page| {
        let q = sent.clone();
        async move { checked_page(backend.history(q, at).await?, at) }
    };
    let first = read(Page::first(SCAN_PAGE)).await?;
    let scanned = total(&first);
    let rest: Vec<Result<Json, BackendError>> = stream::iter(
        (SCAN_PAGE..scanned)
            .step_by(SCAN_PAGE)
            .map(|o| read(Page::at(SCAN_PAGE, o))),
    )
    .buffered(IN_FLIGHT)
    .collect()
    .await;
    let mut pages = vec![records(&first)];
    for p in rest {
        pages.push(records(&p?));
    }
    let mut seen = HashSet::new();
    let mut matched = Vec::new();
    for p in pages {
        for r in p {
            // A record written while we page shifts the pages: count it once.
            if seen.insert(r.session_id().to_string()) && query.console.matches(&r) {
                matched.push(r);
            }
        }
    }
    let n = matched.len();
    let page: Vec<Value> = matched
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(|r| Value::Object(r.0))
        .collect();
    let mut out = first;
    out.insert("items".into(), Value::Array(page));
    out.insert("total".into(), json!(n));
    out.insert("limit".into(), json!(limit));
    out.insert("offset".into(), json!(offset));
    out.insert("scanned".into(), json!(scanned));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_fixtures::obj;

    #[test]
    fn a_page_is_shown_only_when_its_paging_can_be_trusted() {
        let r = json!({"session_id": "a"});
        let ok = |v: Value, at: Page| checked_page(obj(v), at).is_ok();
        assert!(ok(
            json!({"items": [r], "total": 5, "offset": 3}),
            Page::at(2, 3)
        ));
        // A page past the end is empty, and fine.
        assert!(ok(
            json!({"items": [], "total": 78, "offset": 600}),
            Page::at(2, 600)
        ));
        for broken in [
            json!({"total": 3}),
            json!({"items": [1, r], "total": 3}),
            json!({"items": [r], "total": 5, "offset": 0}),
            json!({"items": [r], "total": 5}),
            json!({"items": [r, r, r], "total": 5, "offset": 3}),
            json!({"items": [r], "offset": 3}),
            json!({"items": [r], "total": 3, "offset": 3}),
        ] {
            assert!(!ok(broken.clone(), Page::at(2, 3)), "{broken}");
        }
    }
}
