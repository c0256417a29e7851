//! Bearer tokens: a [`Secret`] type that never prints its value, where a server's token comes
//! from (`CAVRA_TOKEN` for the server named in this run, then the OS keyring entry bound to the
//! context and the server's origin, else none), and a short fingerprint to show instead.

pub mod keyring;
pub mod origin;

use std::fmt;
use std::time::Duration;

use crate::domain::ids::sha256_hex;

/// A token. Its `Debug` and `Display` print `[redacted]`; only [`Secret::expose`] reads it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The token itself, for the `Authorization` header and the keyring only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A short fingerprint that identifies the token without revealing it.
    pub fn fingerprint(&self) -> String {
        format!("sha256:{}", &sha256_hex(self.0.as_bytes())[..12])
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Where the token in use came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    Env,
    Keyring(String),
    None,
}

impl fmt::Display for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenSource::Env => f.write_str("CAVRA_TOKEN"),
            TokenSource::Keyring(store) => write!(f, "keyring ({store})"),
            TokenSource::None => f.write_str("no token"),
        }
    }
}

/// A resolved token and its source, plus why the keyring could not be read, if it could not.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub token: Option<Secret>,
    pub source: TokenSource,
    pub keyring_problem: Option<String>,
}

/// How long a keyring call may take before it is abandoned (a locked Secret Service can hang).
pub const KEYRING_TIMEOUT: Duration = Duration::from_secs(5);

/// Resolves the token for a remote target: `CAVRA_TOKEN` first (it applies to whatever server
/// this run names), then the keyring entry of (context, origin), else none — a token stored
/// for another server is never used.
pub fn resolve_for(target: &crate::context::RemoteTarget) -> Resolved {
    resolve(&origin::account(&target.name, &target.api_url))
}

/// Resolves a keyring account's token: `CAVRA_TOKEN` first, then the keyring entry, else none.
pub fn resolve(context: &str) -> Resolved {
    if let Some(t) = std::env::var("CAVRA_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty())
    {
        return Resolved {
            token: Some(Secret::new(t.trim())),
            source: TokenSource::Env,
            keyring_problem: None,
        };
    }
    match keyring::get(context, KEYRING_TIMEOUT) {
        Ok(Some((token, store))) => Resolved {
            token: Some(token),
            source: TokenSource::Keyring(store),
            keyring_problem: None,
        },
        Ok(None) => Resolved {
            token: None,
            source: TokenSource::None,
            keyring_problem: None,
        },
        Err(e) => Resolved {
            token: None,
            source: TokenSource::None,
            keyring_problem: Some(e.to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_prints_its_value() {
        let s = Secret::new("canary-3f9c1d");
        assert_eq!(format!("{s}"), "[redacted]");
        assert_eq!(format!("{s:?}"), "Secret([redacted])");
        assert!(!format!("{:?}", Some(s.clone())).contains("canary"));
        assert!(s.fingerprint().starts_with("sha256:"));
        assert!(!s.fingerprint().contains("canary"));
        assert_eq!(s.expose(), "canary-3f9c1d");
    }
}
