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

/// Every record of one kind (optionally for one schedule/provider), paging until `total`.
pub async fn all_of_kind(
    client: &Client,
    metadata_kind: &str,
    extra: &[(&str, String)],
) -> Result<Vec<Record>, BackendError> {
    let mut out = Vec::new();
    let mut offset = 0;
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
        out.extend(
            items
                .iter()
                .filter_map(Value::as_object)
                .map(|o| Record(o.clone())),
        );
        let total = page.get("total").and_then(Value::as_u64).unwrap_or(0) as usize;
        offset += n;
        if n == 0 || offset >= total {
            return Ok(out);
        }
    }
}

pub async fn routes(client: &Client) -> Result<Vec<RouteRow>, BackendError> {
    let plans = all_of_kind(client, kind::NOTIFICATION_PLAN, &[]).await?;
    let acks = all_of_kind(client, kind::NOTIFICATION_ACK, &[]).await?;
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
    .filter(|r| r.str("provider") == key.provider)
    .collect();
    acks.sort_by(|a, b| b.created_at().cmp(a.created_at()));
    Ok(RouteRecords {
        plan: plans.into_iter().next(),
        acks,
    })
}
