//! What the sample backend's actions and issue-12 calls share: the family's records and the
//! simulated connectors they read, and what they answer alike: a stored record with its body,
//! a history page, a sent alert.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::seed::{EMBEDDED_SCENARIO, scenario_connectors};
use super::store::Store;
use crate::backend::wire::HistoryPage;
use crate::backend::{BackendError, Json};
use crate::domain::delivery::{ProviderOutcome, connector_delivery_record};
use crate::domain::history::page;
use crate::domain::query::Page;
use crate::domain::record::{self, PRODUCT};
use crate::domain::retry::normalise;
use crate::domain::{InputError, Record};

/// The server reads at most this many records per kind.
pub const PER_KIND_CAP: u32 = 500;

/// A JSON object literal as the object it is.
pub fn obj(v: Value) -> Json {
    v.as_object().cloned().expect("object literal")
}

/// The family's records, as many per kind as the server reads.
pub fn family(s: &Store) -> Result<Vec<Record>, BackendError> {
    Ok(s.family_records(PER_KIND_CAP)?)
}

/// The simulated connectors: stored with the store, else the embedded scenario's.
pub fn connectors(s: &Store) -> Result<BTreeMap<String, u16>, BackendError> {
    if let Some(text) = s.meta("connectors")? {
        if let Ok(map) = serde_json::from_str(&text) {
            return Ok(map);
        }
    }
    scenario_connectors(EMBEDDED_SCENARIO).map_err(|e| BackendError::Internal(e.to_string()))
}

/// The outcome the simulated connector gives `provider`, if it is configured.
pub fn outcome(configured: &BTreeMap<String, u16>, provider: &str) -> Option<ProviderOutcome> {
    let p = normalise(provider);
    configured.get(&p).map(|code| ProviderOutcome {
        provider: p,
        status_code: *code,
    })
}

/// Stores `rec` and answers `{key: body, "metadata": rec}`, with `"actor": null` where the
/// server sends it.
pub fn stored(
    s: &mut Store,
    key: &str,
    body: Json,
    rec: Record,
    actor: bool,
) -> Result<Json, BackendError> {
    s.put_records(std::slice::from_ref(&rec))?;
    let mut out = obj(json!({key: body, "metadata": rec.0}));
    if actor {
        out.insert("actor".into(), Value::Null);
    }
    Ok(out)
}

/// What a domain function makes of one operator's decision: the body the server answers and
/// the record it stores, or the server's 400 on bad input.
pub type Decided = Result<(Json, Record), InputError>;

/// Validates and builds one decision with `decide`, stores its record and answers
/// `{key: body, "metadata": record, "actor": null}` (acknowledgements, approvals, closures).
pub fn recorded<I>(
    s: &mut Store,
    key: &str,
    input: &I,
    now: DateTime<Utc>,
    decide: fn(&I, DateTime<Utc>) -> Decided,
) -> Result<Json, BackendError> {
    let (body, rec) = decide(input, now)?;
    stored(s, key, body, rec, true)
}

/// One page of the family's records that `wanted` keeps (newest first) under `schema`, as the
/// [`HistoryPage`] the remote backend reads.
pub fn history_page(
    s: &Store,
    schema: &str,
    wanted: impl Fn(&Record) -> bool,
    at: Page,
) -> Result<Json, BackendError> {
    let items: Vec<Record> = family(s)?.into_iter().filter(|r| wanted(r)).collect();
    let (items, total) = page(items, at);
    let page = HistoryPage {
        schema_version: schema.into(),
        product: PRODUCT.into(),
        items: Some(items.into_iter().map(|r| Value::Object(r.0)).collect()),
        total: total as u64,
        limit: Some(at.limit as u64),
        offset: Some(at.offset as u64),
    };
    Ok(obj(
        serde_json::to_value(page).expect("a history page serialises")
    ))
}

/// The alerts a send plans and delivers: worker-health alerts (§4.12) or archive-health
/// ones (§4.17.1).
pub struct AlertKind {
    pub plan_record: fn(&Json) -> Record,
    /// The connector delivery's source and event type.
    pub source: &'static str,
    pub event_type: &'static str,
}

/// Delivers an alert `plan` on `health` to its selected providers through the simulated
/// connectors (`outcome` gives each one's answer, `None`: not delivered), stores the plan and
/// the delivery (if any providers were selected), and answers as the server does for a sent
/// alert.
pub fn alert_sent(
    s: &mut Store,
    alerts: &AlertKind,
    health: Json,
    plan: Json,
    outcome: impl Fn(&str) -> Option<ProviderOutcome>,
    now: DateTime<Utc>,
) -> Result<Json, BackendError> {
    let plan_rec = (alerts.plan_record)(&plan);
    let text = |k: &str| record::s(&plan, k).to_string();
    let (health_id, plan_id) = (text("health_id"), text("plan_id"));
    let selected: Vec<ProviderOutcome> = plan
        .get("selected_providers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter_map(outcome)
        .collect();
    let delivery = (!selected.is_empty()).then(|| {
        connector_delivery_record(
            alerts.source,
            alerts.event_type,
            &health_id,
            &selected,
            now + Duration::milliseconds(1),
            &[("health_id", &health_id), ("plan_id", &plan_id)],
        )
    });
    let mut store = vec![plan_rec.clone()];
    store.extend(delivery.iter().cloned());
    s.put_records(&store)?;
    let success = delivery
        .as_ref()
        .is_none_or(|d| d.bool("delivery_success") == Some(true));
    Ok(obj(json!({
        "health": health, "plan": plan, "delivery": delivery.as_ref().and_then(|d| d.0.get("delivery").cloned()),
        "plan_metadata": plan_rec.0, "metadata": delivery.map(|d| Value::Object(d.0)), "success": success,
        "event_id": health_id, "actor": null,
    })))
}
