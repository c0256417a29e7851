//! Query strings of the history endpoints: the `(name, value)` pairs of a query's fields that
//! are set, named as serde names them (each field's name is written once, on the field).

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

#[cfg(test)]
mod tests {
    use super::pairs;

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
