//! What the client accepts from a server it does not control: redirects only within the
//! server's origin (never to another host or port, never https to http) and only for reads —
//! writes follow none — and response bodies read in chunks up to a cap, so a hostile or broken
//! server cannot take the client's memory.

use reqwest::redirect::{Attempt, Policy};
use reqwest::{Method, StatusCode};
use url::Url;

use crate::backend::BackendError;
use crate::credentials::origin::{origin, same_origin};

/// The default response body cap: 64 MiB.
pub const DEFAULT_MAX_BODY: u64 = 64 * 1024 * 1024;
/// Redirects followed for one read at most.
const MAX_REDIRECTS: usize = 5;

/// Why following `from -> to` is refused, if it is.
pub fn redirect_refusal(from: &Url, to: &Url) -> Option<&'static str> {
    if from.scheme() == "https" && to.scheme() != "https" {
        return Some("a redirect from https to http is never followed");
    }
    if !same_origin(from, to) {
        return Some(
            "a redirect to another origin is never followed (the token and the request stay with the server named)",
        );
    }
    None
}

/// The reads' policy: same origin only; a refused redirect stops and comes back to
/// [`read_body`] as the 3xx response, which names both URLs.
pub fn read_policy() -> Policy {
    Policy::custom(|attempt: Attempt<'_>| {
        let Some(first) = attempt.previous().first().cloned() else {
            return attempt.stop();
        };
        let last = attempt.previous().last().cloned().unwrap_or(first.clone());
        if attempt.previous().len() > MAX_REDIRECTS
            || redirect_refusal(&first, attempt.url()).is_some()
            || redirect_refusal(&last, attempt.url()).is_some()
        {
            attempt.stop()
        } else {
            attempt.follow()
        }
    })
}

/// The writes' policy: none followed.
pub fn write_policy() -> Policy {
    Policy::none()
}

/// Two `reqwest` clients, one per policy; `request` picks by method.
pub struct Http {
    pub read: reqwest::Client,
    pub write: reqwest::Client,
}

impl Http {
    pub fn request(&self, method: Method, url: Url) -> reqwest::RequestBuilder {
        if method == Method::GET || method == Method::HEAD {
            self.read.request(method, url)
        } else {
            self.write.request(method, url)
        }
    }
}

/// The status and body of a response: a redirect that was not followed becomes an error naming
/// the request URL and the `Location`; the body is read in chunks and abandoned past `max` bytes.
pub async fn read_body(
    mut resp: reqwest::Response,
    method: &Method,
    max: u64,
) -> Result<(StatusCode, String), BackendError> {
    let status = resp.status();
    let url = resp.url().clone();
    if status.is_redirection() {
        return Err(redirect_error(method, &url, &resp));
    }
    let too_big = |got: u64| {
        BackendError::Decode(format!(
            "{method} {url}: the response body is larger than the {} MiB limit ({got} bytes or more); stopped reading (raise max_response_mib in the config if this server really sends that much)",
            max / (1024 * 1024)
        ))
    };
    if let Some(len) = resp.content_length().filter(|&n| n > max) {
        return Err(too_big(len));
    }
    // Chunks are kept as they arrive (no doubling reallocations) and joined once at the end,
    // so a body abandoned at the cap never held more than `max` bytes.
    let mut chunks = Vec::new();
    let mut len: u64 = 0;
    loop {
        match resp.chunk().await {
            Ok(Some(chunk)) => {
                len += chunk.len() as u64;
                if len > max {
                    drop(chunks);
                    return Err(too_big(len));
                }
                chunks.push(chunk);
            }
            Ok(None) => break,
            Err(e) => {
                let what = if e.is_timeout() {
                    "timed out"
                } else {
                    "broke off"
                };
                return Err(BackendError::Unavailable(format!(
                    "{method} {url}: reading the response {what}"
                )));
            }
        }
    }
    let mut body = Vec::with_capacity(len as usize);
    for c in chunks {
        body.extend_from_slice(&c);
    }
    let text = String::from_utf8(body)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Ok((status, text))
}

fn redirect_error(method: &Method, url: &Url, resp: &reqwest::Response) -> BackendError {
    let location = resp
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let target = url.join(location).ok();
    let shown = target
        .as_ref()
        .map(Url::to_string)
        .unwrap_or_else(|| crate::safe_text::single_line(location).into_owned());
    let reason = match &target {
        None => "the Location is not a URL",
        Some(t) => match redirect_refusal(url, t) {
            Some(r) => r,
            None if *method != Method::GET => {
                "writes follow no redirect (nothing was sent to the new location)"
            }
            None => "too many redirects",
        },
    };
    BackendError::Rejected(format!(
        "{method} {url} was redirected ({}) to {shown}: not followed: {reason}; check the api_url (the server's origin is {})",
        resp.status().as_u16(),
        origin(url)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn only_same_origin_redirects_pass() {
        let base = u("http://127.0.0.1:18801/api");
        assert_eq!(
            redirect_refusal(&base, &u("http://127.0.0.1:18801/api/")),
            None
        );
        for bad in [
            "http://127.0.0.2:18801/api",
            "http://[::ffff:127.0.0.1]:18801/api",
            "http://127.0.0.1:18802/api",
            "https://127.0.0.1:18801/api",
        ] {
            assert!(redirect_refusal(&base, &u(bad)).is_some(), "{bad}");
        }
        assert!(
            redirect_refusal(&u("https://a.example"), &u("http://a.example:443"))
                .unwrap()
                .contains("https to http")
        );
    }
}
