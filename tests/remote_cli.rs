//! The CLI in remote mode against a real server on 127.0.0.1: login from stdin into the OS
//! keyring (ignored without a keyring session, see tests/keyring.rs), and a canary token that
//! must never appear in output, logs or exports.

mod support;

#[path = "support/contract_server/mod.rs"]
mod contract_server;

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use support::isolate;

const CANARY: &str = "canary-tok-5b1e9a7c";

fn run(
    home: &Path,
    url: &str,
    args: &[&str],
    stdin: Option<&str>,
    token_env: Option<&str>,
) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cavra-tui"));
    isolate(&mut c, home);
    for k in ["CAVRA_TUI_KEYRING", "DBUS_SESSION_BUS_ADDRESS"] {
        if let Some(v) = std::env::var_os(k) {
            c.env(k, v);
        }
    }
    c.env("CAVRA_TUI_LOG", "trace")
        .arg("--api")
        .arg(url)
        .args(args);
    if let Some(t) = token_env {
        c.env("CAVRA_TOKEN", t);
    }
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(s) = stdin {
        input.write_all(s.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn all_files_text(dir: &Path) -> String {
    let mut out = String::new();
    for e in walk(dir) {
        if let Ok(t) = std::fs::read(&e) {
            out.push_str(&String::from_utf8_lossy(&t));
        }
    }
    out
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            v.extend(walk(&p))
        } else {
            v.push(p)
        }
    }
    v
}

async fn server(dir: &Path) -> contract_server::Running {
    let tokens = HashMap::from([(CANARY.to_string(), "alice@example.com".to_string())]);
    contract_server::start(&dir.join("server.db"), Some(tokens)).await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_canary_token_never_appears_in_output_logs_or_exports() {
    let dir = tempfile::tempdir().unwrap();
    let srv = server(dir.path()).await;
    let home = dir.path().join("home");
    let url = srv.url();
    let (h, u) = (home.clone(), url.clone());
    let outputs = tokio::task::spawn_blocking(move || {
        vec![
            run(
                &h,
                &u,
                &[
                    "ack",
                    "--route",
                    "payments_api_monthly/teams",
                    "--yes",
                    "--output",
                    "json",
                ],
                None,
                Some(CANARY),
            ),
            run(
                &h,
                &u,
                &[
                    "export-audit",
                    "--yes",
                    "--filter",
                    "owner:payments",
                    "--output",
                    "json",
                ],
                None,
                Some(CANARY),
            ),
            run(
                &h,
                &u,
                &["auth", "status", "--output", "json"],
                None,
                Some(CANARY),
            ),
            run(
                &h,
                &u,
                &["retry", "plan", "--yes"],
                None,
                Some("wrong-token"),
            ),
        ]
    })
    .await
    .unwrap();
    assert!(outputs[0].status.success(), "{}", text(&outputs[0]));
    assert!(
        text(&outputs[0]).contains("alice@example.com"),
        "the verified actor was recorded: {}",
        text(&outputs[0])
    );
    let status: serde_json::Value = serde_json::from_slice(&outputs[2].stdout).unwrap();
    assert_eq!(status["token_source"], "CAVRA_TOKEN");
    assert!(
        status["token_fingerprint"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
    assert_eq!(status["session"]["actor"], "alice@example.com");
    assert!(
        text(&outputs[3]).contains("token rejected or expired: run cavra-tui login"),
        "{}",
        text(&outputs[3])
    );
    let seen = srv.posts("/payments_api_monthly/acknowledgements");
    assert_eq!(
        seen[0].authorization.as_deref(),
        Some(format!("Bearer {CANARY}").as_str()),
        "the token did go to the server"
    );
    for o in &outputs {
        assert!(
            !text(o).contains(CANARY),
            "token leaked to output: {}",
            text(o)
        );
    }
    let files = all_files_text(&home);
    assert!(
        files.contains("TRACE") || files.contains("DEBUG"),
        "the log was written at trace level"
    );
    assert!(files.contains("gordackaudit-"), "the export was written");
    assert!(
        !files.contains(CANARY),
        "token leaked into the log, the store or an export"
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a keyring session (see tests/keyring.rs)"]
async fn login_status_record_logout_through_the_keyring() {
    let dir = tempfile::tempdir().unwrap();
    let srv = server(dir.path()).await;
    let home = dir.path().join("home");
    let url = srv.url();
    let (h, u) = (home.clone(), url.clone());
    let outs = tokio::task::spawn_blocking(move || {
        let ctx_args = ["--context", "lab"];
        std::fs::create_dir_all(h.join("config/cavra-tui")).unwrap();
        std::fs::write(
            h.join("config/cavra-tui/config.toml"),
            format!("[contexts.lab]\napi_url = \"{u}\"\n"),
        )
        .unwrap();
        let cli = |args: &[&str], stdin: Option<&str>| {
            let mut c = Command::new(env!("CARGO_BIN_EXE_cavra-tui"));
            isolate(&mut c, &h);
            for k in ["CAVRA_TUI_KEYRING", "DBUS_SESSION_BUS_ADDRESS"] {
                if let Some(v) = std::env::var_os(k) {
                    c.env(k, v);
                }
            }
            c.args(ctx_args)
                .args(args)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            let mut child = c.spawn().unwrap();
            let mut i = child.stdin.take().unwrap();
            if let Some(s) = stdin {
                i.write_all(s.as_bytes()).unwrap();
            }
            drop(i);
            child.wait_with_output().unwrap()
        };
        vec![
            cli(&["login"], Some("not-the-token\n")),
            cli(&["login"], Some(&format!("{CANARY}\n"))),
            cli(&["auth", "status", "--output", "json"], None),
            cli(
                &[
                    "resolve",
                    "--route",
                    "payments_api_monthly/teams",
                    "--yes",
                    "--output",
                    "json",
                ],
                None,
            ),
            cli(&["logout"], None),
            cli(&["auth", "status", "--output", "json"], None),
        ]
    })
    .await
    .unwrap();
    assert!(
        !outs[0].status.success() && text(&outs[0]).contains("token rejected"),
        "{}",
        text(&outs[0])
    );
    assert!(outs[1].status.success(), "{}", text(&outs[1]));
    assert!(
        text(&outs[1]).contains("alice@example.com"),
        "{}",
        text(&outs[1])
    );
    let status: serde_json::Value = serde_json::from_slice(&outs[2].stdout).unwrap();
    assert!(
        status["token_source"]
            .as_str()
            .unwrap()
            .starts_with("keyring"),
        "{status}"
    );
    assert!(outs[3].status.success(), "{}", text(&outs[3]));
    assert!(text(&outs[4]).contains("deleted"));
    let status: serde_json::Value = serde_json::from_slice(&outs[5].stdout).unwrap();
    assert_eq!(status["token_source"], "no token");
    for o in &outs {
        assert!(!text(o).contains(CANARY), "token leaked: {}", text(o));
    }
}
