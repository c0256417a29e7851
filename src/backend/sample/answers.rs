//! What the sample backend's actions and issue-12 calls answer alike: a stored record with
//! its body, a history page, a worker run, a sent alert; and the retry's package and delivery plan.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::store::Store;
use crate::backend::wire::HistoryPage;
use crate::backend::{BackendError, Json};
use crate::domain::delivery::{AuditDeliveryInput, audit_delivery_plan};
use crate::domain::history::page;
use crate::domain::record::{PRODUCT, kind, nested};
use crate::domain::{InputError, Record};

fn obj(v: Value) -> Json {
    v.as_object().cloned().expect("object literal")
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

/// One page of a history (`items` already filtered, newest first) under its schema, as the
/// [`HistoryPage`] the remote backend reads.
pub fn history_page(schema: &str, items: Vec<Record>, limit: usize, offset: usize) -> Json {
    let (items, total) = page(items, limit, offset);
    let page = HistoryPage {
        schema_version: schema.into(),
        product: PRODUCT.into(),
        items: Some(items.into_iter().map(|r| Value::Object(r.0)).collect()),
        total: total as u64,
        limit: Some(limit as u64),
        offset: Some(offset as u64),
    };
    obj(serde_json::to_value(page).expect("a history page serialises"))
}

/// The newest stored audit package with this id.
pub fn newest_package(records: &[Record], audit_id: &str) -> Option<Json> {
    records
        .iter()
        .filter(|r| r.kind() == kind::AUDIT_PACKAGE && r.str("audit_id") == audit_id)
        .max_by(|a, b| a.created_at().cmp(b.created_at()))
        .and_then(|r| r.object(nested::AUDIT_PACKAGE).cloned())
}

/// The delivery plan by which a retry worker run re-sends one decision's package to `provider`.
pub fn retry_delivery_plan(
    package: &Json,
    provider: &String,
    generated_by: &str,
    run_id: &str,
    at: DateTime<Utc>,
) -> Json {
    let input = AuditDeliveryInput {
        package,
        requested_provider: provider,
        selected_providers: std::slice::from_ref(provider),
        generated_by,
        cadence: "retry",
        schedule_ref: &format!("retry:{run_id}"),
        next_delivery_at: "",
    };
    audit_delivery_plan(&input, at)
}

/// A worker run's answer: the run, its record, its retry plan's record, and each decision's
/// result.
pub fn run_answer(run: Json, run_rec: Record, retry_rec: Record, results: Vec<Value>) -> Json {
    obj(
        json!({"run": run, "metadata": run_rec.0, "retry_metadata": retry_rec.0,
               "retry_results": results, "actor": null}),
    )
}

/// Stores an alert plan and its delivery (if any providers were selected) and answers as the
/// server does for a sent alert.
pub fn alert_sent(
    s: &mut Store,
    health: Json,
    plan: Json,
    plan_rec: Record,
    delivery: Option<Record>,
) -> Result<Json, BackendError> {
    let mut store = vec![plan_rec.clone()];
    store.extend(delivery.iter().cloned());
    s.put_records(&store)?;
    let success = delivery
        .as_ref()
        .is_none_or(|d| d.bool("delivery_success") == Some(true));
    let event_id = json!(plan.get("health_id").and_then(Value::as_str).unwrap_or(""));
    Ok(obj(json!({
        "health": health, "plan": plan, "delivery": delivery.as_ref().and_then(|d| d.0.get("delivery").cloned()),
        "plan_metadata": plan_rec.0, "metadata": delivery.map(|d| Value::Object(d.0)), "success": success,
        "event_id": event_id, "actor": null,
    })))
}
