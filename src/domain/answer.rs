//! What a server's answer says of itself: its top-level `success`, which CAVRA sends on
//! delivering actions and which any answer may carry. Read once here for the verdict of panes
//! 2–6 and for route acknowledgements.

use serde_json::{Map, Value};

/// An answer's `success`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Success {
    /// None, or `null`: the answer does not say.
    Unsaid,
    /// `true` or `false`.
    Said(bool),
    /// Anything else (`"false"`, `0`, `{}`), as JSON text: not true, not false.
    Unreadable(String),
}

impl Success {
    /// Why an answer with this `success` does not confirm a write (`None`: it does not deny
    /// it): "the server answered `success: false`", or a value that is not true or false.
    pub fn doubt(&self) -> Option<String> {
        match self {
            Success::Said(false) => Some("the server answered `success: false`".into()),
            Success::Unreadable(v) => Some(format!(
                "the server answered `success: {v}`, which is not true or false"
            )),
            Success::Said(true) | Success::Unsaid => None,
        }
    }
}

/// What `out`'s top-level `success` says.
pub fn success(out: &Map<String, Value>) -> Success {
    match out.get("success") {
        None | Some(Value::Null) => Success::Unsaid,
        Some(Value::Bool(b)) => Success::Said(*b),
        Some(other) => Success::Unreadable(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_fixtures::obj;
    use serde_json::json;

    #[test]
    fn only_a_boolean_says_success_or_failure() {
        assert_eq!(success(&obj(json!({}))), Success::Unsaid);
        assert_eq!(success(&obj(json!({"success": null}))), Success::Unsaid);
        assert_eq!(
            success(&obj(json!({"success": false}))),
            Success::Said(false)
        );
        for odd in [json!("false"), json!(0), json!("no"), json!({})] {
            let said = success(&obj(json!({"success": odd})));
            assert_eq!(said, Success::Unreadable(odd.to_string()));
        }
    }
}
