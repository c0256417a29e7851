//! CAVRA identifiers: `<prefix>-<first 16 hex chars of sha256(material)>` (CONTRACT §1.5).

use sha2::{Digest, Sha256};

/// Builds an id the way CAVRA does from a material string.
pub fn make_id(prefix: &str, material: &str) -> String {
    let digest = Sha256::digest(material.as_bytes());
    format!("{prefix}-{}", &hex::encode(digest)[..16])
}

/// Full lowercase hex SHA-256 of some bytes (export digests).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
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
    fn sha256_of_empty_is_the_well_known_value() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
