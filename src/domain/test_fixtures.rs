//! Fixtures the domain's unit tests share: the contract's samples, records from JSON,
//! notification plans, and fields of JSON objects pulled out for comparing them at once.

use std::ops::Index;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::record::{Record, kind};
use super::time;

/// A response sample of the contract, `tests/fixtures/contract/<name>`.
pub fn contract_sample(name: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/contract/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// The keys of a JSON object, in order.
pub fn keys_of(v: &Value) -> Vec<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

/// A JSON object literal as the object it is.
pub fn obj(v: Value) -> serde_json::Map<String, Value> {
    v.as_object().cloned().expect("an object literal")
}

/// A stored record from its JSON.
pub fn rec(v: Value) -> Record {
    Record::from_json(&v.to_string()).unwrap()
}

/// A notification plan for `schedule`, made `minutes_ago` before `now`, routing `decisions`.
pub fn notification_plan(
    now: DateTime<Utc>,
    schedule: &str,
    minutes_ago: i64,
    decisions: Value,
) -> Record {
    let at = time::iso(now - Duration::minutes(minutes_ago));
    let id = format!("gordn-{schedule}-{minutes_ago}");
    rec(json!({
        "session_id": id, "created_at": at, "metadata_kind": kind::NOTIFICATION_PLAN,
        "plan_id": id, "schedule_id": schedule,
        "plan": {"plan_id": id, "schedule_id": schedule, "route_decisions": decisions}
    }))
}

/// The field `key` of every object of the JSON array `rows` (`null` where it has none).
pub fn column(rows: &Value, key: &str) -> Vec<Value> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|row| row[key].clone())
        .collect()
}

/// The fields `keys` of a JSON object (a `Map` or a `Value`) as one JSON array, for
/// comparing several fields at once (`null` where it has none).
pub fn fields_of<O>(obj: &O, keys: &[&str]) -> Value
where
    O: for<'k> Index<&'k str, Output = Value> + ?Sized,
{
    keys.iter().map(|k| obj[*k].clone()).collect()
}

/// The fields `keys` of every object of the JSON array `rows`, one JSON array a row.
pub fn fields_of_rows(rows: &Value, keys: &[&str]) -> Vec<Value> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|row| fields_of(row, keys))
        .collect()
}

/// Is `field` a string starting with `prefix` (as an id `make_id` made)?
pub fn text_starts_with(field: &Value, prefix: &str) -> bool {
    field.as_str().is_some_and(|t| t.starts_with(prefix))
}
