//! Which CAVRA the console talks to: the sample store, or a named remote context.
//!
//! Order: `--api URL`, `--context NAME`, `CAVRA_API_URL`, the config's `default_context`, else
//! sample. Plain `http://` is allowed only for loopback addresses unless
//! `--allow-insecure-http` is given. A context is read-only with `--readonly` (any context) or
//! `readonly = true` in its `[contexts.NAME]` (`[contexts.sample]` for the sample store).

use std::net::IpAddr;
use std::path::PathBuf;

use url::Url;

use crate::config::{Config, ContextConfig};

/// The name of the always-available local context.
pub use crate::config::SAMPLE;

/// A remote server to talk to.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteTarget {
    pub name: String,
    pub api_url: Url,
    pub operator: Option<String>,
    pub readonly: bool,
    pub ca_file: Option<PathBuf>,
    /// The response body cap in bytes (config `max_response_mib`).
    pub max_response_bytes: u64,
}

/// Where the console's data comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Sample { readonly: bool },
    Remote(RemoteTarget),
}

impl Target {
    pub fn name(&self) -> &str {
        match self {
            Target::Sample { .. } => SAMPLE,
            Target::Remote(r) => &r.name,
        }
    }

    /// Whether mutations are refused here (`--readonly`, or the context's `readonly = true`).
    pub fn readonly(&self) -> bool {
        match self {
            Target::Sample { readonly } => *readonly,
            Target::Remote(r) => r.readonly,
        }
    }
}

/// Why no target could be chosen; the messages name the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContextError {
    #[error("no context named '{name}' (known: {known})")]
    Unknown { name: String, known: String },
    #[error("context {name}: api_url '{url}' is not a URL: {detail}")]
    NotAUrl {
        name: String,
        /// The URL as given, user information redacted.
        url: String,
        detail: String,
    },
    #[error(
        "context {name}: api_url must not carry a user name or password ('user:password@'): credentials in a URL would be sent as Basic auth and shown; remove them and use `cavra-tui login`"
    )]
    Credentials { name: String },
    #[error(
        "context {name}: plain http to {host} would send the token unencrypted; use https, or --allow-insecure-http"
    )]
    PlainHttp { name: String, host: String },
    #[error("context {name}: api_url scheme '{scheme}' is not http or https")]
    Scheme { name: String, scheme: String },
}

/// What the command line says about the context.
#[derive(Debug, Clone, Default)]
pub struct Choice {
    pub api: Option<String>,
    pub context: Option<String>,
    pub allow_insecure_http: bool,
    /// `--readonly`: refuse mutations whatever the context says.
    pub readonly: bool,
}

/// Picks the target; errors name the problem (unknown context, bad URL, plain http).
pub fn choose(choice: &Choice, config: &Config) -> Result<Target, ContextError> {
    let mut target = choose_target(choice, config)?;
    match &mut target {
        Target::Remote(r) => {
            r.max_response_bytes = config.max_response_mib.max(1).saturating_mul(1024 * 1024);
            r.readonly |= choice.readonly;
        }
        Target::Sample { readonly } => {
            *readonly = choice.readonly || config.contexts.get(SAMPLE).is_some_and(|c| c.readonly);
        }
    }
    Ok(target)
}

/// Why `target` is read-only, naming the flag or the config key; `None` when it is not.
pub fn readonly_reason(choice: &Choice, target: &Target) -> Option<String> {
    if !target.readonly() {
        None
    } else if choice.readonly {
        Some("--readonly".into())
    } else {
        Some(format!("readonly = true in [contexts.{}]", target.name()))
    }
}

fn choose_target(choice: &Choice, config: &Config) -> Result<Target, ContextError> {
    if let Some(url) = &choice.api {
        return remote(
            "cli",
            &ContextConfig {
                api_url: url.clone(),
                ..Default::default()
            },
            choice.allow_insecure_http,
        );
    }
    let named = choice
        .context
        .clone()
        .or_else(|| {
            std::env::var("CAVRA_API_URL")
                .ok()
                .filter(|u| !u.is_empty())
                .map(|u| format!("url:{u}"))
        })
        .or_else(|| config.default_context.clone());
    match named.as_deref() {
        None | Some(SAMPLE) => Ok(Target::Sample { readonly: false }),
        Some(n) if n.starts_with("url:") => remote(
            "env",
            &ContextConfig {
                api_url: n[4..].to_string(),
                ..Default::default()
            },
            choice.allow_insecure_http,
        ),
        Some(n) => match config.contexts.get(n) {
            Some(c) => remote(n, c, choice.allow_insecure_http),
            None => Err(ContextError::Unknown {
                name: n.to_string(),
                known: std::iter::once(SAMPLE)
                    .chain(
                        config
                            .contexts
                            .keys()
                            .map(String::as_str)
                            .filter(|k| *k != SAMPLE),
                    )
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        },
    }
}

/// Every context name the console can switch to, sample first.
pub fn names(config: &Config) -> Vec<String> {
    std::iter::once(SAMPLE.to_string())
        .chain(config.contexts.keys().filter(|k| *k != SAMPLE).cloned())
        .collect()
}

fn remote(
    name: &str,
    c: &ContextConfig,
    allow_insecure_http: bool,
) -> Result<Target, ContextError> {
    let url = Url::parse(c.api_url.trim()).map_err(|e| ContextError::NotAUrl {
        name: name.to_string(),
        url: redact_userinfo(&c.api_url),
        detail: e.to_string(),
    })?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ContextError::Credentials {
            name: name.to_string(),
        });
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) || allow_insecure_http => {}
        "http" => {
            return Err(ContextError::PlainHttp {
                name: name.to_string(),
                host: url.host_str().unwrap_or("").to_string(),
            });
        }
        other => {
            return Err(ContextError::Scheme {
                name: name.to_string(),
                scheme: other.to_string(),
            });
        }
    }
    Ok(Target::Remote(RemoteTarget {
        name: name.to_string(),
        api_url: url,
        operator: c.operator.clone(),
        readonly: c.readonly,
        ca_file: c.ca_file.clone(),
        max_response_bytes: 64 * 1024 * 1024,
    }))
}

/// The text with anything between `://` and the last `@` of the authority replaced by `***`.
fn redact_userinfo(text: &str) -> String {
    let Some(start) = text.find("://").map(|i| i + 3) else {
        return text.to_string();
    };
    let authority_end = text[start..]
        .find(['/', '?', '#'])
        .map_or(text.len(), |i| start + i);
    match text[start..authority_end].rfind('@') {
        Some(at) => format!("{}***{}", &text[..start], &text[start + at..]),
        None => text.to_string(),
    }
}

/// Loopback: `localhost`, 127.0.0.0/8, ::1.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(url: &str) -> Choice {
        Choice {
            api: Some(url.into()),
            ..Default::default()
        }
    }

    fn context(name: &str) -> Choice {
        Choice {
            context: Some(name.into()),
            ..Default::default()
        }
    }

    fn cfg() -> Config {
        Config::parse("default_context = \"prod\"\n[contexts.prod]\napi_url = \"https://cavra.example.com\"\nreadonly = true\n[contexts.lab]\napi_url = \"http://10.0.0.5:8000\"\n")
            .unwrap()
            .config
    }

    #[test]
    fn order_is_api_then_context_then_default() {
        let c = cfg();
        let t = choose(
            &Choice {
                api: Some("http://127.0.0.1:8000".into()),
                context: Some("prod".into()),
                ..Default::default()
            },
            &c,
        )
        .unwrap();
        assert_eq!(t.name(), "cli");
        let t = choose(&context("sample"), &c).unwrap();
        assert_eq!(t, Target::Sample { readonly: false });
        let Target::Remote(r) = choose(&Choice::default(), &c).unwrap() else {
            panic!()
        };
        assert_eq!((r.name.as_str(), r.readonly), ("prod", true));
        assert_eq!(
            choose(&Choice::default(), &Config::default()).unwrap(),
            Target::Sample { readonly: false }
        );
    }

    #[test]
    fn readonly_comes_from_the_flag_or_the_context_sample_included() {
        let flag = Choice {
            readonly: true,
            ..Default::default()
        };
        let t = choose(&flag, &Config::default()).unwrap();
        assert_eq!(t, Target::Sample { readonly: true });
        assert_eq!(readonly_reason(&flag, &t).as_deref(), Some("--readonly"));
        let lab = Choice {
            context: Some("lab".into()),
            allow_insecure_http: true,
            readonly: true,
            ..Default::default()
        };
        assert!(choose(&lab, &cfg()).unwrap().readonly());
        let c = Config::parse("[contexts.sample]\nreadonly = true\n")
            .unwrap()
            .config;
        let t = choose(&Choice::default(), &c).unwrap();
        assert!(t.readonly());
        assert_eq!(
            readonly_reason(&Choice::default(), &t).as_deref(),
            Some("readonly = true in [contexts.sample]")
        );
        assert_eq!(names(&c), ["sample"]);
        let t = choose(&Choice::default(), &Config::default()).unwrap();
        assert_eq!(readonly_reason(&Choice::default(), &t), None);
    }

    #[test]
    fn url_credentials_are_refused_and_never_shown() {
        for url in [
            "http://u:pw-secret@127.0.0.1:8000",
            "https://user@cavra.example.com",
            "http://u:pw-secret@[bad",
        ] {
            let err = choose(&api(url), &Config::default())
                .unwrap_err()
                .to_string();
            assert!(!err.contains("pw-secret"), "{err}");
            assert!(
                err.contains("user name or password") || err.contains("***"),
                "{err}"
            );
        }
    }

    #[test]
    fn plain_http_only_to_loopback_unless_allowed() {
        let c = cfg();
        let err = choose(&context("lab"), &c).unwrap_err().to_string();
        assert!(err.contains("--allow-insecure-http"), "{err}");
        assert!(
            choose(
                &Choice {
                    context: Some("lab".into()),
                    allow_insecure_http: true,
                    ..Default::default()
                },
                &c
            )
            .is_ok()
        );
        for ok in [
            "http://localhost:8000",
            "http://127.0.0.2:1",
            "http://[::1]:8000",
        ] {
            assert!(choose(&api(ok), &c).is_ok(), "{ok}");
        }
        assert!(
            choose(&context("nope"), &c)
                .unwrap_err()
                .to_string()
                .contains("known: sample, lab, prod")
        );
        assert!(choose(&api("ftp://x"), &c).is_err());
    }
}
