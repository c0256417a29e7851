//! `login`, `logout` and `auth status`: the token goes from a no-echo prompt (or stdin when
//! it is not a terminal, never argv) through `GET /console/session` into the OS keyring.

use std::io::{BufRead, IsTerminal};

use serde_json::json;

use super::{Failure, output};
use crate::backend::Backend;
use crate::cli::{AuthAction, Command, GlobalArgs, OutputFormat};
use crate::config::Config;
use crate::context::{RemoteTarget, Target};
use crate::credentials::{self, KEYRING_TIMEOUT, Secret, keyring};
use crate::remote::{Client, RemoteBackend};

fn remote(target: &Target) -> Result<&RemoteTarget, Failure> {
    match target {
        Target::Remote(r) => Ok(r),
        Target::Sample => Err(Failure {
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
        Command::Login => {
            let token = read_token()?;
            let client = Client::new(
                r.api_url.clone(),
                Some(token.clone()),
                r.ca_file.as_deref(),
                crate::connect::TIMEOUT,
            )
            .map_err(Failure::new)?;
            let session = RemoteBackend::new(r.name.clone(), client).session().await?;
            let store = tokio::task::spawn_blocking({
                let (name, token) = (r.name.clone(), token.clone());
                move || keyring::set(&name, &token, KEYRING_TIMEOUT)
            })
            .await
            .map_err(|e| Failure::new(e.to_string()))??;
            let lasts = if store.contains("kernel") {
                " (the kernel keyring lasts until reboot)"
            } else {
                ""
            };
            println!(
                "token {} stored for context {} in the {store}{lasts}; server session: {} as {}",
                token.fingerprint(),
                r.name,
                session.mode,
                session.actor.as_deref().unwrap_or("no verified actor")
            );
            Ok(0)
        }
        Command::Logout => {
            let name = r.name.clone();
            let deleted =
                tokio::task::spawn_blocking(move || keyring::delete(&name, KEYRING_TIMEOUT))
                    .await
                    .map_err(|e| Failure::new(e.to_string()))??;
            println!(
                "{}",
                if deleted {
                    format!("token for {} deleted from the keyring", r.name)
                } else {
                    format!("no token stored for {}", r.name)
                }
            );
            Ok(0)
        }
        Command::Auth {
            action: AuthAction::Status,
        } => {
            let name = r.name.clone();
            let resolved = tokio::task::spawn_blocking(move || credentials::resolve(&name))
                .await
                .map_err(|e| Failure::new(e.to_string()))?;
            let fingerprint = resolved.token.as_ref().map(Secret::fingerprint);
            let client = Client::new(
                r.api_url.clone(),
                resolved.token,
                r.ca_file.as_deref(),
                crate::connect::TIMEOUT,
            )
            .map_err(Failure::new)?;
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
                    println!(
                        "context      {} ({}){}",
                        r.name,
                        r.api_url,
                        if r.readonly { " read-only" } else { "" }
                    );
                    println!(
                        "token        {} {}",
                        resolved.source,
                        fingerprint.unwrap_or_default()
                    );
                    if let Some(p) = status["keyring_problem"].as_str() {
                        println!("keyring      {p}");
                    }
                    match session {
                        Ok(s) => {
                            println!(
                                "session      {} · actor {}",
                                s.mode,
                                s.actor.as_deref().unwrap_or("none")
                            );
                            println!(
                                "may record   {}",
                                s.blocked_reason().unwrap_or_else(|| "yes".into())
                            );
                        }
                        Err(e) => println!("session      unavailable: {e}"),
                    }
                }
            }
            Ok(code)
        }
        _ => unreachable!("only auth commands come here"),
    }
}
