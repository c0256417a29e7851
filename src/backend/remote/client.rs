//! The HTTP client of the remote backend: one `reqwest::Client` (rustls with the platform
//! verifier, optional private CA, timeouts), the bearer token sent only as `Authorization`,
//! reads capped and retried with backoff on transient failures, writes one at a time and never
//! retried, and every HTTP failure mapped to a [`BackendError`] that says what to do.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde_json::Value;
use tokio::sync::{Mutex, Semaphore};
use url::Url;

use crate::backend::{BackendError, Json};
use crate::credentials::Secret;

/// A request without a query string.
pub const NO_QUERY: &[(&str, String)] = &[];

/// CAVRA's 400 detail when a bearer token reaches a server without console OIDC (§2.2).
pub const NO_OIDC: &str = "console OIDC config is not configured";

/// Reads in flight at once.
pub const MAX_READS: usize = 4;
/// Attempts for a read (1 + retries); writes get one.
pub const READ_ATTEMPTS: u32 = 3;

mod limits;

/// A configured client for one server.
pub struct Client {
    http: limits::Http,
    max_body: u64,
    base: Url,
    token: Option<Secret>,
    reads: Semaphore,
    writes: Mutex<()>,
    backoff: Duration,
}

/// Why the HTTP client could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("ca_file {}: {source}", path.display())]
    CaFile {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("ca_file {}: {source}", path.display())]
    CaPem {
        path: std::path::PathBuf,
        source: reqwest::Error,
    },
    #[error("cannot build the HTTP client: {0}")]
    Build(#[source] reqwest::Error),
}

impl Client {
    /// Builds the client; `ca_file` adds a private CA's PEM certificates.
    pub fn new(
        base: Url,
        token: Option<Secret>,
        ca_file: Option<&std::path::Path>,
        timeout: Duration,
    ) -> Result<Client, ClientError> {
        let builder = |policy: reqwest::redirect::Policy| -> Result<reqwest::Client, ClientError> {
            let mut b = reqwest::Client::builder()
                .timeout(timeout)
                .connect_timeout(timeout.min(Duration::from_secs(5)))
                .user_agent(concat!("cavra-tui/", env!("CARGO_PKG_VERSION")))
                .redirect(policy);
            if let Some(path) = ca_file {
                let pem = std::fs::read(path).map_err(|source| ClientError::CaFile {
                    path: path.to_path_buf(),
                    source,
                })?;
                for cert in reqwest::Certificate::from_pem_bundle(&pem).map_err(|source| {
                    ClientError::CaPem {
                        path: path.to_path_buf(),
                        source,
                    }
                })? {
                    b = b.add_root_certificate(cert);
                }
            }
            b.build().map_err(ClientError::Build)
        };
        let http = limits::Http {
            read: builder(limits::read_policy())?,
            write: builder(limits::write_policy())?,
        };
        Ok(Client {
            http,
            max_body: limits::DEFAULT_MAX_BODY,
            base,
            token,
            reads: Semaphore::new(MAX_READS),
            writes: Mutex::new(()),
            backoff: Duration::from_millis(250),
        })
    }

    /// Sets the response body cap in bytes (default [`limits::DEFAULT_MAX_BODY`]).
    pub fn with_max_body(mut self, bytes: u64) -> Client {
        self.max_body = bytes.max(1);
        self
    }

    /// Shortens the retry backoff (tests).
    pub fn with_backoff(mut self, backoff: Duration) -> Client {
        self.backoff = backoff;
        self
    }

    pub fn base(&self) -> &Url {
        &self.base
    }

    /// Does this client send a bearer token?
    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }

    fn url(&self, path: &str) -> Url {
        let mut u = self.base.clone();
        let joined = format!("{}{}", u.path().trim_end_matches('/'), path);
        u.set_path(&joined);
        u
    }

    /// A GET of the contract; transient failures are retried with backoff.
    pub async fn get<K: Serialize>(
        &self,
        path: &str,
        query: &[(K, String)],
    ) -> Result<Json, BackendError> {
        let _permit = self.read_permit().await?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self
                .send(Method::GET, path, query, None, Sending::READ)
                .await
            {
                Err(e) if e.is_transient() && attempt < READ_ATTEMPTS => {
                    tracing::debug!(path, attempt, "retrying read: {e}");
                    tokio::time::sleep(self.backoff * attempt).await;
                }
                other => return other,
            }
        }
    }

    /// A GET without the token (to learn what the server says to an anonymous console).
    pub async fn get_without_token(&self, path: &str) -> Result<Json, BackendError> {
        let _permit = self.read_permit().await?;
        self.send(Method::GET, path, NO_QUERY, None, Sending::ANONYMOUS_READ)
            .await
    }

    /// A GET that stores a record on the server (suppression trends, the retry recovery
    /// report): sent once, one writer at a time, and a spoilt answer leaves the outcome
    /// unknown, as for a POST.
    pub async fn get_write<K: Serialize>(
        &self,
        path: &str,
        query: &[(K, String)],
    ) -> Result<Json, BackendError> {
        let _one_writer = self.writes.lock().await;
        self.send(Method::GET, path, query, None, Sending::WRITE)
            .await
    }

    /// A POST of the contract: one at a time (CAVRA's JSON store loses concurrent writes),
    /// never retried (the server is not idempotent). `body` is one of [`crate::backend::wire`]'s.
    pub async fn post<B: serde::Serialize>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<Json, BackendError> {
        let body = serde_json::to_value(body).map_err(|e| BackendError::Internal(e.to_string()))?;
        let _one_writer = self.writes.lock().await;
        self.send(Method::POST, path, NO_QUERY, Some(&body), Sending::WRITE)
            .await
    }

    /// One of the concurrent reads the client allows.
    async fn read_permit(&self) -> Result<tokio::sync::SemaphorePermit<'_>, BackendError> {
        self.reads
            .acquire()
            .await
            .map_err(|e| BackendError::Internal(e.to_string()))
    }

    async fn send<K: Serialize>(
        &self,
        method: Method,
        path: &str,
        query: &[(K, String)],
        body: Option<&Value>,
        how: Sending,
    ) -> Result<Json, BackendError> {
        let Sending { with_token, write } = how;
        let mut req = self.http.request(method.clone(), self.url(path));
        if !query.is_empty() {
            req = req.query(query);
        }
        let token = self.token.as_ref().filter(|_| with_token);
        if let Some(t) = token {
            req = req.bearer_auth(t.expose());
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let endpoint = format!("{method} {path}");
        let resp = req
            .send()
            .await
            .map_err(|e| transport_error(&self.base, &e, write))?;
        let (status, text) = match limits::read_body(resp, &method, self.max_body).await {
            Ok(answer) => answer,
            // The request reached the server: for a write, whatever spoilt the answer (a
            // timeout, a broken body, a body over the cap, a redirect) leaves its outcome unknown.
            Err(e) if write => return Err(BackendError::OutcomeUnknown(e.to_string())),
            Err(e) => return Err(e),
        };
        if status.is_success() {
            return match serde_json::from_str::<Value>(&text) {
                Ok(Value::Object(m)) => Ok(m),
                Ok(_) | Err(_) if write => Err(BackendError::OutcomeUnknown(format!(
                    "{endpoint}: the server answered {status} but its answer is not JSON"
                ))),
                Ok(_) | Err(_) => Err(BackendError::Decode(format!(
                    "{endpoint}: the server's answer is not the JSON object the contract describes"
                ))),
            };
        }
        match status_error(status, &text, &endpoint, token.is_some()) {
            BackendError::Unavailable(m) if write => Err(BackendError::OutcomeUnknown(m)),
            e => Err(e),
        }
    }
}

/// How one request is sent: with the stored token or without it, and whether it writes
/// (a write is never retried, and whatever spoils its answer leaves its outcome unknown).
#[derive(Debug, Clone, Copy)]
struct Sending {
    with_token: bool,
    write: bool,
}

impl Sending {
    const READ: Sending = Sending {
        with_token: true,
        write: false,
    };
    /// A read without the token.
    const ANONYMOUS_READ: Sending = Sending {
        with_token: false,
        write: false,
    };
    const WRITE: Sending = Sending {
        with_token: true,
        write: true,
    };
}

/// Maps a transport failure. Only a failure while connecting proves a write never left; a
/// timeout or a broken connection after that leaves its outcome unknown.
fn transport_error(base: &Url, e: &reqwest::Error, write: bool) -> BackendError {
    let host = base.host_str().unwrap_or("the server");
    if write && !e.is_connect() {
        let what = if e.is_timeout() {
            "no answer before the timeout"
        } else {
            "the connection broke before the answer arrived"
        };
        return BackendError::OutcomeUnknown(format!("{host}: {what}"));
    }
    let what = if e.is_timeout() && !e.is_connect() {
        "timed out".to_string()
    } else if e.is_connect() {
        let chain = format!("{e:?}").to_lowercase();
        if chain.contains("dns") || chain.contains("resolve") || chain.contains("lookup") {
            "name lookup failed".to_string()
        } else if chain.contains("certificate") || chain.contains("tls") {
            "TLS handshake failed (certificate not trusted? see ca_file)".to_string()
        } else if e.is_timeout() {
            "connection timed out".to_string()
        } else {
            "connection refused or unreachable".to_string()
        }
    } else {
        "request failed".to_string()
    };
    BackendError::Unavailable(format!("cannot reach {host}: {what}"))
}

/// The `detail` of an error body: a string, or FastAPI's 422 list named field by field.
fn detail(text: &str) -> String {
    let Ok(v) = serde_json::from_str::<Value>(text) else {
        return text.chars().take(200).collect();
    };
    match v.get("detail") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| {
                let loc: Vec<String> = i
                    .get("loc")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|l| {
                        l.as_str()
                            .map(str::to_string)
                            .unwrap_or_else(|| l.to_string())
                    })
                    .collect();
                format!(
                    "{}: {}",
                    loc.join("."),
                    i.get("msg").and_then(Value::as_str).unwrap_or("invalid")
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        Some(other) => other.to_string(),
        None => text.chars().take(200).collect(),
    }
}

fn status_error(status: StatusCode, text: &str, endpoint: &str, sent_token: bool) -> BackendError {
    // The server's words stay on one line: a newline in them cannot start a line of its own.
    let d = crate::safe_text::single_line(&detail(text)).into_owned();
    match status.as_u16() {
        401 if sent_token => BackendError::Unauthorized(format!(
            "token rejected or expired: run cavra-tui login ({d})"
        )),
        401 => BackendError::Unauthorized(format!(
            "this server requires a verified console session and no token was sent: run cavra-tui login for it ({d})"
        )),
        403 => BackendError::NotAllowed(format!("the server refused this session: {d}")),
        400 if d == NO_OIDC && sent_token => BackendError::Rejected(format!(
            "{NO_OIDC}: the server accepts no bearer token (if it requires auth, it accepts only unverified actor_claims, which cavra-tui never sends; otherwise run cavra-tui logout or unset CAVRA_TOKEN)"
        )),
        400 => BackendError::Rejected(d),
        404 => BackendError::Rejected(format!("{endpoint}: not found ({d})")),
        422 => BackendError::Invalid(d),
        s if s >= 500 => BackendError::Unavailable(format!("{endpoint}: server error {s} ({d})")),
        s => BackendError::Rejected(format!("{endpoint}: HTTP {s} ({d})")),
    }
}

#[cfg(test)]
mod tests;
