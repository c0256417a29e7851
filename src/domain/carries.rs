//! Does a record carry what a write sent? Each field — the record's own, else the first nested
//! object's that has it — equal to the value sent, ignoring case. One rule for the re-read
//! after a lost or unconfirming answer (`actions::verify`, the remote bulk acknowledgement)
//! and for the record an answer shows (`actions::perform`, `ops::record`).

use serde_json::{Map, Value};

/// The fields a write sent and the values a record of it must carry.
pub type Sent = [(&'static str, String)];

/// A field of a record as text: its own, else the first nested object's that has it (`None`
/// when absent or null).
pub fn field_text(r: &Map<String, Value>, k: &str) -> Option<String> {
    let as_text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    };
    if let Some(v) = r.get(k).and_then(as_text) {
        return Some(v);
    }
    r.values()
        .filter_map(Value::as_object)
        .find_map(|o| o.get(k).and_then(as_text))
}

/// Every value a record gives a field: its own, and each nested object's (null is none).
fn values(r: &Map<String, Value>, k: &str) -> Vec<String> {
    let as_text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    };
    let nested = r
        .values()
        .filter_map(Value::as_object)
        .filter_map(|o| o.get(k));
    (r.get(k).into_iter().chain(nested))
        .filter_map(as_text)
        .collect()
}

/// Does the stored record `r` carry every field as `sent`: each value it gives the field (its
/// own and its nested objects') equal to the one sent, and a field it leaves out only where
/// nothing was sent?
pub fn carries(r: &Map<String, Value>, sent: &Sent) -> bool {
    sent.iter().all(|(k, want)| {
        let got = values(r, k);
        match got.is_empty() {
            true => want.is_empty(),
            false => got.iter().all(|g| g.eq_ignore_ascii_case(want)),
        }
    })
}

/// How the record an answer shows (`shown`) contradicts what was `sent`: the first value it
/// gives a field (its own or a nested object's) that differs (`None`: none; a field the
/// answer leaves out contradicts nothing).
pub fn contradiction(shown: &Map<String, Value>, sent: &Sent) -> Option<String> {
    sent.iter().find_map(|(k, want)| {
        let got = values(shown, k)
            .into_iter()
            .find(|g| !g.eq_ignore_ascii_case(want))?;
        Some(format!("it shows {k} {got:?}, not {want:?} as sent"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_fixtures::obj;
    use serde_json::json;

    #[test]
    fn a_record_carries_what_was_sent_in_its_own_or_nested_fields() {
        let r =
            obj(json!({"provider": "Splunk", "acknowledgement": {"notes": "n", "plan_id": "P"}}));
        let sent = [
            ("provider", "splunk".to_string()),
            ("notes", "n".into()),
            ("plan_id", "P".into()),
        ];
        assert!(carries(&r, &sent));
        assert!(!carries(&r, &[("plan_id", "Q".to_string())]));
        // Missing is empty: it carries an empty value, and not a set one.
        assert!(carries(&r, &[("external_ref", String::new())]));
        assert!(!carries(&r, &[("external_ref", "CHG-1".to_string())]));
        // A nested value that differs from its own is not what was sent.
        let two = obj(json!({"provider": "splunk", "acknowledgement": {"provider": "jira"}}));
        assert!(!carries(&two, &[("provider", "splunk".to_string())]));
        assert!(contradiction(&two, &[("provider", "splunk".to_string())]).is_some());
    }

    #[test]
    fn an_answer_contradicts_only_with_a_field_it_shows() {
        let shown = obj(json!({"approval_state": "denied", "provider": "splunk"}));
        let sent = [
            ("approval_state", "approved".to_string()),
            ("notes", "n".into()),
        ];
        assert_eq!(
            contradiction(&shown, &sent).as_deref(),
            Some(r#"it shows approval_state "denied", not "approved" as sent"#)
        );
        assert_eq!(
            contradiction(&shown, &[("provider", "SPLUNK".to_string())]),
            None
        );
    }
}
