//! A login that fails leaves nothing in the kernel keyring, and `logout` removes what a login
//! stored — also where the session keyring holds a persistent keyring this user may not
//! search (the default session on many hosts: the store's own search then fails with
//! AccessDenied). Runs in the plain test environment, whichever way its keyring behaves.

mod support;

#[path = "support/contract_server/mod.rs"]
mod contract_server;

use std::collections::HashMap;
use std::io::Write;
use std::process::Stdio;

/// Keys in the session and user keyrings whose description names this server.
#[cfg(target_os = "linux")]
fn keys_for(origin: &str) -> usize {
    use linux_keyutils::{KeyRing, KeyRingIdentifier};
    let mut n = 0;
    for id in [
        KeyRingIdentifier::Session,
        KeyRingIdentifier::UserSession,
        KeyRingIdentifier::User,
    ] {
        let Ok(ring) = KeyRing::from_special_id(id, false) else {
            continue;
        };
        let Ok(links) = ring.get_links(4096) else {
            continue;
        };
        n += links
            .iter()
            .filter_map(|l| l.as_key())
            .filter(|k| {
                k.metadata()
                    .is_ok_and(|m| m.get_description().contains(origin))
            })
            .count();
    }
    n
}

#[cfg(target_os = "linux")]
#[test]
fn no_token_is_left_in_the_kernel_keyring_after_a_failed_login_or_a_logout() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let server = rt.block_on(contract_server::start(
        &dir.path().join("s.db"),
        Some(HashMap::from([(
            "leftover-tok-9".to_string(),
            "alice@example.com".to_string(),
        )])),
    ));
    let origin = server.url();
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str], stdin: &str| {
        let mut c = support::cavra(home.path());
        c.env("CAVRA_TUI_KEYRING", "kernel")
            .args(["--api", &origin])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let login = run(&["login"], "leftover-tok-9\n");
    if login.status.success() {
        assert_eq!(keys_for(&origin), 1, "a successful login stores one key");
        let logout = run(&["logout"], "");
        assert!(
            logout.status.success(),
            "{}",
            String::from_utf8_lossy(&logout.stderr)
        );
    }
    assert_eq!(
        keys_for(&origin),
        0,
        "a key is left behind (login {:?}: {})",
        login.status.code(),
        String::from_utf8_lossy(&login.stderr)
    );
}
