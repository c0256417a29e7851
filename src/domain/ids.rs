//! CAVRA identifiers: `<prefix>-<first 16 hex chars of sha256(material)>` (CONTRACT §1.5).

use serde_json::Value;
use sha2::{Digest, Sha256};

/// Builds an id the way CAVRA does from a material string.
pub fn make_id(prefix: &str, material: &str) -> String {
    let digest = Sha256::digest(material.as_bytes());
    format!("{prefix}-{}", &hex::encode(digest)[..16])
}

/// JSON text as Python's `json.dumps(value, sort_keys=True)` writes it (keys sorted, `", "`
/// and `": "` separators, non-ASCII escaped): the material CAVRA hashes into its ids.
pub fn py_json(v: &Value) -> String {
    let mut out = String::new();
    write_py(v, &mut out);
    out
}

fn write_py(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, (k, x)) in keys
                .into_iter()
                .filter_map(|k| m.get(k).map(|x| (k, x)))
                .enumerate()
            {
                if i > 0 {
                    out.push_str(", ");
                }
                write_py_str(k, out);
                out.push_str(": ");
                write_py(x, out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_py(x, out);
            }
            out.push(']');
        }
        Value::String(s) => write_py_str(s, out),
        other => out.push_str(&other.to_string()),
    }
}

fn write_py_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Full lowercase hex SHA-256 of some bytes (export digests).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A hashed record's id and hash: the sha256 of the material's compact JSON, and the prefix
/// with its first 16 hex characters (as [`make_id`] makes it).
pub fn hashed_id(prefix: &str, material: &Value) -> (String, String) {
    let hash = sha256_hex(material.to_string().as_bytes());
    (format!("{prefix}-{}", &hash[..16]), hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_has_prefix_and_16_hex_chars_and_is_stable() {
        let id = make_id("gordack", "a|b|c");
        assert!(id.starts_with("gordack-"));
        assert_eq!(id.len(), "gordack-".len() + 16);
        assert_eq!(id, make_id("gordack", "a|b|c"));
        assert_ne!(id, make_id("gordack", "a|b|d"));
    }

    #[test]
    fn py_json_writes_what_python_json_dumps_sort_keys_writes() {
        let v = serde_json::json!({"b": [1, true, null], "a": "é\"x", "c": {"z": 1.5, "y": "t"}});
        assert_eq!(
            py_json(&v),
            r#"{"a": "\u00e9\"x", "b": [1, true, null], "c": {"y": "t", "z": 1.5}}"#
        );
    }

    #[test]
    fn sha256_of_empty_is_the_well_known_value() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
