//! Bulk acknowledgement against a server (CONTRACT §4.5): chunks of at most 100 routes, one
//! request at a time. A route counts as recorded only when the answer shows its
//! acknowledgement; the routes a 200 answer does not show (`{}`, an empty or inconsistent
//! `acknowledgements` list, or `success: false`) are treated like a lost answer. The server is
//! not atomic — routes before a failing one are stored — so after a failure or such an answer
//! the console re-reads the acknowledgements and reports exactly which routes of the chunk
//! were recorded (or, when it cannot re-read, that their outcome is unknown); later chunks are
//! then not sent unless every route of the chunk was found. Right before sending, route
//! states are re-read and routes already moved to the target state since the preview are
//! skipped.

use std::collections::HashMap;

use serde_json::Value;

use super::{BASE, Client};
use crate::backend::{BackendError, BulkOutcome, BulkRequest};
use crate::domain::ack::{AckInput, BULK_LIMIT, changed_since_preview};
use crate::domain::carries::{carries, contradiction};
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
        let (unshown, reason, missing, landed) = match client
            .post(&format!("{BASE}/acknowledgements/bulk"), &body)
            .await
        {
            Ok(result) => {
                // A 200 counts a route recorded only when its acknowledgement is in the answer;
                // the routes it does not show are found out by re-reading, as after a lost answer.
                let doubt = crate::domain::answer::success(&result).doubt();
                let shown = match doubt {
                    Some(_) => Default::default(),
                    None => shown_routes(&result, chunk, req),
                };
                out.results.push(result);
                let (seen, unshown): (Vec<_>, Vec<_>) =
                    chunk.iter().cloned().partition(|(k, _)| shown.contains(k));
                out.recorded.extend(seen.into_iter().map(|(k, _)| k));
                if unshown.is_empty() {
                    continue;
                }
                let reason = doubt.unwrap_or_else(|| {
                    "the server answered 200 but its answer does not show this route's \
                     acknowledgement"
                        .into()
                });
                let landed = reread(client, &unshown, req, &started, &held).await;
                let missing = format!("{reason}; a re-read finds nothing stored as sent");
                (unshown, reason, missing, landed)
            }
            Err(e) => {
                // Only a failure to connect proves the chunk never left; anything else (a 400
                // part-way through, a 5xx, a lost answer) may have stored some routes.
                let landed = match &e {
                    BackendError::Unavailable(_) => Ok(Default::default()),
                    _ => reread(client, chunk, req, &started, &held).await,
                };
                (chunk.to_vec(), e.to_string(), e.to_string(), landed)
            }
        };
        let mut all_found = true;
        for (k, _) in &unshown {
            match &landed {
                Ok(set) if set.contains(k) => {
                    out.recorded.push(k.clone());
                    out.found.push((k.clone(), reason.clone()));
                }
                Ok(_) => {
                    all_found = false;
                    out.not_recorded.push((k.clone(), missing.clone()))
                }
                Err(re) => {
                    all_found = false;
                    out.unknown
                        .push((k.clone(), format!("{reason}; re-reading failed: {re}")))
                }
            }
        }
        if all_found {
            continue;
        }
        for later in &chunks[i + 1..] {
            out.not_recorded.extend(
                later
                    .iter()
                    .map(|(k, _)| (k.clone(), "not sent: an earlier chunk failed".to_string())),
            );
        }
        return Ok(out);
    }
    Ok(out)
}

/// The routes of `chunk` whose acknowledgement the answer shows (CONTRACT §4.5): an entry of
/// `acknowledgements` with the route's `schedule_id` and `provider`, an `acknowledgement_id`
/// and the requested state. An answer whose `acknowledgement_count` disagrees with its list
/// shows nothing: every route of the chunk is then re-read.
fn shown_routes(
    result: &serde_json::Map<String, Value>,
    chunk: &[(RouteKey, String)],
    req: &BulkRequest,
) -> std::collections::HashSet<RouteKey> {
    let Some(acks) = result.get("acknowledgements").and_then(Value::as_array) else {
        return Default::default();
    };
    let count = result.get("acknowledgement_count").and_then(Value::as_u64);
    if count != Some(acks.len() as u64) {
        return Default::default();
    }
    let text = |a: &serde_json::Map<String, Value>, key: &str| {
        a.get(key).and_then(Value::as_str).unwrap_or("").to_string()
    };
    let of_route = |list: Option<&Value>, k: &RouteKey| -> Vec<serde_json::Map<String, Value>> {
        (list.and_then(Value::as_array).into_iter().flatten())
            .filter_map(Value::as_object)
            .filter(|a| {
                text(a, "schedule_id") == k.schedule_id.trim()
                    && text(a, "provider") == k.provider.trim()
            })
            .cloned()
            .collect()
    };
    let sent: HashMap<RouteKey, AckInput> = (req.inputs().into_iter())
        .map(|i| (i.route.clone(), i))
        .collect();
    chunk
        .iter()
        .filter(|(k, _)| {
            let Some(fields) = sent.get(k).map(AckInput::stored_fields) else {
                return false;
            };
            // Its acknowledgement, with an id and what was sent; no record of it that says
            // otherwise.
            let acks = of_route(result.get("acknowledgements"), k);
            let records = of_route(result.get("metadata"), k);
            acks.iter().any(|a| {
                !text(a, "acknowledgement_id").is_empty() && contradiction(a, &fields).is_none()
            }) && records.iter().all(|r| contradiction(r, &fields).is_none())
        })
        .map(|(k, _)| k.clone())
        .collect()
}

/// Which routes of a chunk have an acknowledgement carrying what was sent for the route (its
/// state, plan, reference and notes), by this operator, created since the bulk action started.
async fn reread(
    client: &Client,
    chunk: &[(RouteKey, String)],
    req: &BulkRequest,
    since: &str,
    held: &HashMap<RouteKey, String>,
) -> Result<std::collections::HashSet<RouteKey>, BackendError> {
    let acks = super::reads::all_of_kind(client, kind::NOTIFICATION_ACK, &[]).await?;
    let latest = latest_acks(&acks);
    let sent: HashMap<RouteKey, AckInput> = (req.inputs().into_iter())
        .map(|i| (i.route.clone(), i))
        .collect();
    Ok(chunk
        .iter()
        .filter(|(k, _)| {
            latest.get(k).is_some_and(|r| {
                held.get(k).is_none_or(|id| id != r.session_id())
                    && r.created_at() >= since
                    && sent
                        .get(k)
                        .is_some_and(|i| carries(&r.0, &i.stored_fields()))
                    && signed_by_us(r, req)
            })
        })
        .map(|(k, _)| k.clone())
        .collect())
}

/// Is `r` signed by one of the request's actors (the name sent, the verified actor), or, when
/// it names none, acknowledged by the name sent?
fn signed_by_us(r: &crate::domain::Record, req: &BulkRequest) -> bool {
    let signer = r.str("signer");
    match req.actors.iter().any(|a| !a.is_empty()) {
        true => req.actors.iter().any(|a| !a.is_empty() && a == signer),
        false => {
            let by = r
                .object("acknowledgement")
                .and_then(|a| a.get("acknowledged_by"));
            by.and_then(Value::as_str) == Some(req.acknowledged_by.as_str())
        }
    }
}
