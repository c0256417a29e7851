//! Bulk acknowledgement against a server (CONTRACT §4.5): chunks of at most 100 routes, one
//! request at a time. The server is not atomic — routes before a failing one are stored — so
//! after a failure the console re-reads the acknowledgements and reports exactly which routes
//! of the failed chunk were recorded (or, when it cannot re-read, that their outcome is
//! unknown); later chunks are not sent. Right before sending, route states are re-read and
//! routes already moved to the target state since the preview are skipped.

use std::collections::HashMap;

use serde_json::Value;

use super::{BASE, Client};
use crate::backend::{BackendError, BulkOutcome, BulkRequest};
use crate::domain::ack::{BULK_LIMIT, changed_since_preview};
use crate::domain::record::kind;
use crate::domain::route::{RouteKey, latest_acks};

pub async fn bulk(client: &Client, req: &BulkRequest) -> Result<BulkOutcome, BackendError> {
    let mut out = BulkOutcome::default();
    // Decide on fresh data: re-read the route states right before sending, and skip routes
    // someone else moved to the target state since the operator's preview. The same read says
    // which acknowledgement each route held before: after a failure, only a newer one counts.
    let acks = super::reads::all_of_kind(client, kind::NOTIFICATION_ACK, &[]).await?;
    let latest = latest_acks(&acks);
    let held: HashMap<RouteKey, String> = latest
        .iter()
        .map(|(k, r)| (k.clone(), r.session_id().to_string()))
        .collect();
    let mut routes = Vec::new();
    for (k, plan) in &req.routes {
        let now = latest.get(k).map(|r| r.str("acknowledgement_state"));
        match changed_since_preview(req.seen.get(k).map(String::as_str), now, req.state) {
            Some(why) => out.skipped.push((k.clone(), why)),
            None => routes.push((k.clone(), plan.clone())),
        }
    }
    let started = crate::domain::time::iso(chrono::Utc::now() - chrono::Duration::seconds(5));
    let chunks: Vec<&[(RouteKey, String)]> = routes.chunks(BULK_LIMIT).collect();
    for (i, chunk) in chunks.iter().enumerate() {
        let body = crate::backend::wire::BulkBody::chunk(req, chunk);
        out.requests += 1;
        match client
            .post(&format!("{BASE}/acknowledgements/bulk"), &body)
            .await
        {
            Ok(result) => {
                out.recorded.extend(chunk.iter().map(|(k, _)| k.clone()));
                out.results.push(result);
            }
            Err(e) => {
                let reason = e.to_string();
                // Only a failure to connect proves the chunk never left; anything else (a 400
                // part-way through, a 5xx, a lost answer) may have stored some routes.
                let landed = match &e {
                    BackendError::Unavailable(_) => Ok(Default::default()),
                    _ => reread(client, chunk, req, &started, &held).await,
                };
                for (k, _) in chunk.iter() {
                    match &landed {
                        Ok(set) if set.contains(k) => out.recorded.push(k.clone()),
                        Ok(_) => out.not_recorded.push((k.clone(), reason.clone())),
                        Err(re) => out
                            .unknown
                            .push((k.clone(), format!("{reason}; re-reading failed: {re}"))),
                    }
                }
                for later in &chunks[i + 1..] {
                    out.not_recorded.extend(later.iter().map(|(k, _)| {
                        (k.clone(), "not sent: an earlier chunk failed".to_string())
                    }));
                }
                return Ok(out);
            }
        }
    }
    Ok(out)
}

/// Which routes of a chunk have an acknowledgement with the requested state by this operator
/// created since the bulk action started.
async fn reread(
    client: &Client,
    chunk: &[(RouteKey, String)],
    req: &BulkRequest,
    since: &str,
    held: &HashMap<RouteKey, String>,
) -> Result<std::collections::HashSet<RouteKey>, BackendError> {
    let acks = super::reads::all_of_kind(client, kind::NOTIFICATION_ACK, &[]).await?;
    let latest = latest_acks(&acks);
    Ok(chunk
        .iter()
        .filter(|(k, _)| {
            latest.get(k).is_some_and(|r| {
                held.get(k).is_none_or(|id| id != r.session_id())
                    && r.created_at() >= since
                    && r.str("acknowledgement_state") == req.state.as_str()
                    && r.object("acknowledgement")
                        .and_then(|a| a.get("acknowledged_by"))
                        .and_then(Value::as_str)
                        .is_some_and(|by| by == req.acknowledged_by || r.str("signer") == by)
            })
        })
        .map(|(k, _)| k.clone())
        .collect())
}
