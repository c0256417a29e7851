//! Tokens and the OS keyring against real servers on 127.0.0.1 and 127.0.0.2: a token stored
//! by `login` to one server is never sent to another; a login the server did not verify, or
//! whose keyring write failed half-way, leaves nothing in the keyring. `#[ignore]`d: they need
//! a keyring session (CI runs them under `keyctl session -` and `dbus-run-session`, see
//! tests/keyring.rs).

mod support;

#[path = "support/contract_server/mod.rs"]
mod contract_server;

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use cavra_tui::credentials::keyring;
use cavra_tui::credentials::origin::account;

const CANARY: &str = "canary-origin-4c8e21";

fn cli(home: &Path, url: &str, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cavra-tui"));
    support::isolate(&mut c, home);
    for k in ["CAVRA_TUI_KEYRING", "DBUS_SESSION_BUS_ADDRESS"] {
        if let Some(v) = std::env::var_os(k) {
            c.env(k, v);
        }
    }
    c.envs(env.iter().copied())
        .arg("--api")
        .arg(url)
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
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn stored(url: &str) -> bool {
    let acct = account("cli", &url.parse().unwrap());
    keyring::get(&acct, Duration::from_secs(10))
        .unwrap()
        .is_some()
}

fn tokens() -> Option<HashMap<String, String>> {
    Some(HashMap::from([(
        CANARY.to_string(),
        "alice@example.com".to_string(),
    )]))
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a keyring session (see the module doc)"]
async fn a_token_stored_for_one_server_is_never_sent_to_another() {
    let dir = tempfile::tempdir().unwrap();
    let first = contract_server::start_on("127.0.0.1:0", &dir.path().join("a.db"), tokens()).await;
    let second = contract_server::start_on("127.0.0.2:0", &dir.path().join("b.db"), tokens()).await;
    let (a, b) = (first.url(), second.url());
    let home = dir.path().join("home");
    let (h, a2, b2) = (home.clone(), a.clone(), b.clone());
    let outs = tokio::task::spawn_blocking(move || {
        vec![
            cli(&h, &a2, &["login"], Some(&format!("{CANARY}\n")), &[]),
            cli(&h, &a2, &["routes", "--output", "json"], None, &[]),
            cli(&h, &b2, &["routes", "--output", "json"], None, &[]),
            cli(&h, &b2, &["auth", "status", "--output", "json"], None, &[]),
            cli(&h, &a2, &["logout"], None, &[]),
        ]
    })
    .await
    .unwrap();
    assert!(outs[0].status.success(), "{}", text(&outs[0]));
    assert!(outs[1].status.success(), "{}", text(&outs[1]));
    assert!(
        first
            .seen()
            .iter()
            .any(|s| s.authorization.as_deref() == Some(&format!("Bearer {CANARY}"))),
        "the first server got its token"
    );
    let to_second = second.seen();
    assert!(!to_second.is_empty(), "the second server was asked");
    assert!(
        to_second.iter().all(|s| s.authorization.is_none()),
        "no Authorization reached the second server: {to_second:?}"
    );
    let warn = text(&outs[2]);
    assert!(
        warn.contains(&format!("cavra-tui --api {b} login")),
        "the warning says how to log in there: {warn}"
    );
    let status: serde_json::Value = serde_json::from_slice(&outs[3].stdout).unwrap();
    assert_eq!(status["token_source"], "no token", "{status}");
    assert!(text(&outs[4]).contains("deleted"), "{}", text(&outs[4]));
    assert!(!stored(&a));
    for o in &outs {
        assert!(!text(o).contains(CANARY), "token leaked: {}", text(o));
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a keyring session (see the module doc)"]
async fn a_login_that_fails_leaves_nothing_in_the_keyring() {
    let dir = tempfile::tempdir().unwrap();
    let auth_off = contract_server::start(&dir.path().join("off.db"), None).await;
    let auth_on = contract_server::start(&dir.path().join("on.db"), tokens()).await;
    let (off, on) = (auth_off.url(), auth_on.url());
    let home = dir.path().join("home");
    let (h, off2, on2) = (home.clone(), off.clone(), on.clone());
    let outs = tokio::task::spawn_blocking(move || {
        vec![
            // The server cannot verify a token: auth is off.
            cli(&h, &off2, &["login"], Some(&format!("{CANARY}\n")), &[]),
            // The keyring reports AccessDenied after it wrote (the kernel keyring's failed
            // link into the persistent keyring), through the debug build's hook.
            cli(
                &h,
                &on2,
                &["login"],
                Some(&format!("{CANARY}\n")),
                &[("CAVRA_TUI_TEST_KEYRING_DENY_AFTER_WRITE", "1")],
            ),
            cli(&h, &on2, &["auth", "status", "--output", "json"], None, &[]),
        ]
    })
    .await
    .unwrap();
    assert!(!outs[0].status.success(), "{}", text(&outs[0]));
    assert!(
        text(&outs[0]).contains("nothing was stored"),
        "{}",
        text(&outs[0])
    );
    assert!(!stored(&off), "an unverified token was not stored");
    assert!(!outs[1].status.success(), "{}", text(&outs[1]));
    assert!(
        text(&outs[1]).contains("AccessDenied"),
        "{}",
        text(&outs[1])
    );
    assert!(
        text(&outs[1]).contains("nothing is stored for this server"),
        "{}",
        text(&outs[1])
    );
    assert!(!stored(&on), "the partial write was removed");
    let status: serde_json::Value = serde_json::from_slice(&outs[2].stdout).unwrap();
    assert_eq!(status["token_source"], "no token", "{status}");
    for o in &outs {
        assert!(!text(o).contains(CANARY), "token leaked: {}", text(o));
    }
}
