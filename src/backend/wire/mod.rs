//! The contract's bodies as serde types, written once for the remote backend (which sends the
//! request bodies and reads the history page envelope) and the test contract server (which
//! parses them): strict in what is sent, tolerant in what is read (unknown fields ignored,
//! missing or mistyped ones read as their default).

mod acks;
mod runs;

pub use acks::*;
pub use runs::*;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::Json;

/// Fields the console never sends stay out of the body while empty.
fn unset(s: &str) -> bool {
    s.is_empty()
}

/// Reads a field as `T`, or `T::default()` when it has another type (a `null`, a string for a
/// number): one odd field does not spoil the whole answer.
pub fn lenient<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + Default,
{
    let v = Value::deserialize(d)?;
    Ok(T::deserialize(v).unwrap_or_default())
}

/// A history page (`GET {BASE}` and the other paged reads, CONTRACT §4.2): `items` from
/// `offset`, `limit` of them at most, out of `total`. The remote backend reads it, the sample
/// backend writes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HistoryPage {
    /// The page's schema (sent first when set; empty when the answer has none).
    #[serde(deserialize_with = "lenient", skip_serializing_if = "unset")]
    pub schema_version: String,
    #[serde(deserialize_with = "lenient", skip_serializing_if = "unset")]
    pub product: String,
    /// `None` when the answer has no items list.
    #[serde(deserialize_with = "lenient")]
    pub items: Option<Vec<Value>>,
    /// 0 when missing or not a count.
    #[serde(deserialize_with = "lenient")]
    pub total: u64,
    #[serde(deserialize_with = "lenient", skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
    /// The offset the server says it answered (`None`: it did not say).
    #[serde(deserialize_with = "lenient", skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

impl HistoryPage {
    /// Reads an answer the client has parsed, moving its items out (no copy of the records).
    pub fn from_json(mut page: Json) -> HistoryPage {
        let items = page.remove("items");
        let mut out: HistoryPage = serde_json::from_value(Value::Object(page)).unwrap_or_default();
        out.items = items.and_then(|i| match i {
            Value::Array(a) => Some(a),
            _ => None,
        });
        out
    }

    /// The items that are objects, as records (anything else in the list is skipped).
    pub fn records(items: Vec<Value>) -> impl Iterator<Item = crate::domain::Record> {
        items.into_iter().filter_map(|v| match v {
            Value::Object(o) => Some(crate::domain::Record(o)),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests;
