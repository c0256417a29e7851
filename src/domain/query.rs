//! Query strings of the history endpoints: the `(name, value)` pairs of a query's fields that
//! are set, named as serde names them (each field's name is written once, on the field), and
//! the page a paged read asks for.

use serde::Serialize;
use serde_json::Value;

/// The `(name, value)` pairs of the fields of `query` that are set, in field order: `None`,
/// empty text and fields serde skips are left out (the server reads an empty parameter as no
/// filter); numbers and booleans as JSON writes them.
pub fn pairs<Q: Serialize>(query: &Q) -> Vec<(String, String)> {
    let Ok(Value::Object(fields)) = serde_json::to_value(query) else {
        return Vec::new();
    };
    fields
        .into_iter()
        .filter_map(|(name, value)| match value {
            Value::String(s) if s.is_empty() => None,
            Value::String(s) => Some((name, s)),
            Value::Bool(_) | Value::Number(_) => Some((name, value.to_string())),
            _ => None,
        })
        .collect()
}

/// One page of a paged read: up to `limit` records from `offset` (CONTRACT §1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub limit: usize,
    pub offset: usize,
}

impl Page {
    /// The first `limit` records.
    pub const fn first(limit: usize) -> Page {
        Page { limit, offset: 0 }
    }

    /// `limit` records from `offset`.
    pub const fn at(limit: usize, offset: usize) -> Page {
        Page { limit, offset }
    }

    /// This page of `items`, and how many items there are in all.
    pub fn of<T>(self, items: Vec<T>) -> (Vec<T>, usize) {
        let total = items.len();
        let page = items
            .into_iter()
            .skip(self.offset)
            .take(self.limit)
            .collect();
        (page, total)
    }

    /// `limit` and `offset` as query pairs.
    pub fn pairs(self) -> [(String, String); 2] {
        [
            ("limit".into(), self.limit.to_string()),
            ("offset".into(), self.offset.to_string()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::{Page, pairs};

    #[test]
    fn a_page_takes_its_slice_and_counts_all() {
        assert_eq!(Page::at(2, 1).of(vec![1, 2, 3, 4]), (vec![2, 3], 4));
        assert_eq!(Page::at(5, 9).of(vec![1, 2]), (vec![], 2));
        assert_eq!(Page::first(1).pairs()[1], ("offset".into(), "0".into()));
    }

    #[derive(serde::Serialize)]
    struct Q {
        a: Option<String>,
        n: Option<String>,
        e: Option<String>,
        ok: Option<bool>,
        #[serde(skip)]
        _console: Option<String>,
        b: Option<String>,
    }

    #[test]
    fn only_fields_with_a_value_are_sent_in_order() {
        let q = Q {
            a: Some("x".into()),
            n: None,
            e: Some(String::new()),
            ok: Some(false),
            _console: Some("never sent".into()),
            b: Some("y".into()),
        };
        let got = pairs(&q);
        let got: Vec<(&str, &str)> = got.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(got, [("a", "x"), ("ok", "false"), ("b", "y")]);
    }
}
