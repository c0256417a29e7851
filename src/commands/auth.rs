//! `login`, `logout` and `auth status`: the token goes from a no-echo prompt (or stdin when
//! it is not a terminal, never argv) through `GET /console/session` into the OS keyring, under
//! an entry bound to the context and the server's origin. A token the server did not verify
//! is not stored, and a failed store leaves nothing behind.

use std::io::{BufRead, IsTerminal};

use serde_json::json;

use super::{Failure, output};
use crate::backend::Backend;
use crate::backend::remote::{Client, RemoteBackend};
use crate::cli::{AuthAction, Command, GlobalArgs, OutputFormat};
use crate::config::Config;
use crate::context::{RemoteTarget, Target};
use crate::credentials::{self, KEYRING_TIMEOUT, Secret, keyring, origin};
use crate::safe_text::single_line;

fn remote(target: &Target) -> Result<&RemoteTarget, Failure> {
    match target {
        Target::Remote(r) => Ok(r),
        Target::Sample { .. } => Err(Failure {
            message: "sample mode needs no token: name a remote context (--context NAME, --api URL, or default_context)".into(),
            code: 2,
        }),
    }
}

fn read_token() -> Result<Secret, Failure> {
    let token = if std::io::stdin().is_terminal() {
        rpassword::prompt_password("CAVRA token (not echoed): ")
            .map_err(|e| Failure::new(format!("cannot read the token: {e}")))?
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Failure::new(format!("cannot read the token from stdin: {e}")))?;
        line
    };
    let token = token.trim().to_string();
    if token.is_empty() {
        return Err(Failure {
            message: "no token given".into(),
            code: 2,
        });
    }
    Ok(Secret::new(token))
}

pub async fn run(
    cmd: Command,
    target: &Target,
    global: &GlobalArgs,
    _config: &Config,
) -> Result<u8, Failure> {
    let out = super::output::resolve(global.output);
    let r = remote(target)?;
    match cmd {
        Command::Login => login(r).await,
        Command::Logout => {
            // A keyring word that names no store: nothing is looked at, and that is said.
            keyring::chosen()?;
            let account = origin::account(&r.name, &r.api_url);
            // Also remove entries written before tokens were bound to a server.
            let legacy: Vec<String> = match r.name.as_str() {
                "cli" | "env" => vec!["cli".into(), "env".into()],
                name => vec![name.to_string()],
            };
            let deleted = tokio::task::spawn_blocking(move || {
                let mut any = keyring::delete(&account, KEYRING_TIMEOUT)?;
                for old in legacy {
                    any |= keyring::delete(&old, KEYRING_TIMEOUT).unwrap_or(false);
                }
                Ok::<bool, keyring::KeyringError>(any)
            })
            .await
            .map_err(|e| Failure::new(e.to_string()))??;
            let server = origin::origin(&r.api_url);
            crate::outln!(
                "{}",
                if deleted {
                    format!("token for {} at {server} deleted from the keyring", r.name)
                } else {
                    format!("no token stored for {} at {server}", r.name)
                }
            );
            Ok(0)
        }
        Command::Auth {
            action: AuthAction::Status,
        } => {
            let target = r.clone();
            let resolved = tokio::task::spawn_blocking(move || credentials::resolve_for(&target))
                .await
                .map_err(|e| Failure::new(e.to_string()))?;
            let fingerprint = resolved.token.as_ref().map(Secret::fingerprint);
            let client = Client::new(
                r.api_url.clone(),
                resolved.token,
                r.ca_file.as_deref(),
                crate::connect::TIMEOUT,
            )?
            .with_max_body(r.max_response_bytes);
            let session = RemoteBackend::new(r.name.clone(), client).session().await;
            let (session_json, code) = match &session {
                Ok(s) => (
                    json!({"mode": s.mode, "authenticated": s.authenticated, "auth_required": s.auth_required,
                           "actor": s.actor, "acknowledge_drill_notifications": s.may_acknowledge,
                           "mutations_blocked": s.blocked_reason()}),
                    0,
                ),
                Err(e) => (json!({"error": e.to_string()}), 1),
            };
            let status = json!({
                "context": r.name, "api_url": r.api_url.as_str(), "readonly": r.readonly,
                "token_source": resolved.source.to_string(), "token_fingerprint": fingerprint,
                "keyring_problem": resolved.keyring_problem, "session": session_json,
            });
            match out {
                OutputFormat::Json => output::json(&status),
                OutputFormat::Table => {
                    crate::outln!(
                        "context      {} ({}){}",
                        r.name,
                        r.api_url,
                        if r.readonly { " read-only" } else { "" }
                    );
                    crate::outln!(
                        "token        {} {}",
                        resolved.source,
                        fingerprint.unwrap_or_default()
                    );
                    if let Some(p) = status["keyring_problem"].as_str() {
                        crate::outln!("keyring      {}", single_line(p));
                    }
                    match session {
                        Ok(s) => {
                            crate::outln!(
                                "session      {} · actor {}",
                                single_line(&s.mode),
                                single_line(s.actor.as_deref().unwrap_or("none"))
                            );
                            crate::outln!(
                                "may record   {}",
                                single_line(&s.blocked_reason().unwrap_or_else(|| "yes".into()))
                            );
                        }
                        Err(e) => {
                            crate::outln!(
                                "session      unavailable: {}",
                                single_line(&e.to_string())
                            )
                        }
                    }
                }
            }
            Ok(code)
        }
        _ => unreachable!("only auth commands come here"),
    }
}

/// `login`: verify the token with the server, then store it; any failure stores nothing.
async fn login(r: &RemoteTarget) -> Result<u8, Failure> {
    // A keyring word that names no store is refused before the token is asked for.
    keyring::chosen()?;
    let token = crate::blocking::run(read_token).await?;
    let server = origin::origin(&r.api_url);
    let client = Client::new(
        r.api_url.clone(),
        Some(token.clone()),
        r.ca_file.as_deref(),
        crate::connect::TIMEOUT,
    )?
    .with_max_body(r.max_response_bytes);
    let session = RemoteBackend::new(r.name.clone(), client)
        .session()
        .await
        .map_err(|e| Failure::new(format!("{e}; nothing was stored")))?;
    let actor = match &session.actor {
        Some(a) if session.authenticated && !a.trim().is_empty() => a.clone(),
        _ => {
            let why = if session.auth_required {
                "it did not verify the token"
            } else {
                "its auth is off, so it needs no token and cannot verify one"
            };
            return Err(Failure::new(format!(
                "{server} did not report an authenticated session with an actor (mode {}): {why}; nothing was stored",
                single_line(&session.mode)
            )));
        }
    };
    let account = origin::account(&r.name, &r.api_url);
    let stored = tokio::task::spawn_blocking({
        let (account, token) = (account.clone(), token.clone());
        move || keyring::set(&account, &token, KEYRING_TIMEOUT)
    })
    .await
    .map_err(|e| keyring::KeyringError::Other(e.to_string()))
    .and_then(|r| r);
    let store = match stored {
        Ok(store) => store,
        Err(e) => {
            // Whatever a store wrote before failing is removed (set already tried; again here
            // for a write that landed after the timeout).
            let cleaned =
                tokio::task::spawn_blocking(move || keyring::delete(&account, KEYRING_TIMEOUT))
                    .await
                    .map_err(|e| keyring::KeyringError::Other(e.to_string()))
                    .and_then(|r| r);
            let after = match cleaned {
                Ok(_) => "nothing is stored for this server".to_string(),
                Err(c) => format!("removing a partial entry also failed ({c})"),
            };
            return Err(Failure::new(format!("{e}; {after}")));
        }
    };
    let lasts = if store.contains("kernel") {
        " (the kernel keyring lasts until reboot)"
    } else {
        ""
    };
    crate::outln!(
        "token {} stored for context {} at {server} in the {store}{lasts}; server session: {} as {}",
        token.fingerprint(),
        r.name,
        single_line(&session.mode),
        single_line(&actor)
    );
    Ok(0)
}
