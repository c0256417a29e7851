//! A keyring that is absent or does not answer gives a clear error, never a hang. The
//! "locked" Secret Service is a real Unix socket that accepts the D-Bus connection and then
//! never answers (what a hung or locked keyring daemon looks like to a client).

use std::os::unix::net::UnixListener;
use std::time::{Duration, Instant};

use cavra_tui::credentials::keyring::{KeyringError, get};

#[test]
fn an_unanswering_secret_service_times_out_and_an_absent_one_fails_fast() {
    // SAFETY (test process): this binary has one test, so nothing else reads the environment concurrently.
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().join("bus");
    let listener = UnixListener::bind(&sock).unwrap();
    let _held = std::thread::spawn(move || {
        let mut conns = Vec::new();
        for c in listener.incoming() {
            conns.push(c); // accept and never answer
        }
    });
    unsafe {
        std::env::set_var("CAVRA_TUI_KEYRING", "secret-service");
        std::env::set_var(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}", sock.display()),
        );
    }
    let start = Instant::now();
    let err = get("ctx", Duration::from_millis(800)).unwrap_err();
    assert_eq!(err, KeyringError::Timeout(Duration::from_millis(800)));
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
    assert!(
        err.to_string().contains("CAVRA_TOKEN"),
        "the message says the way forward: {err}"
    );

    unsafe {
        std::env::set_var(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}/nothing-here", dir.path().display()),
        )
    };
    let start = Instant::now();
    let r = get("ctx", Duration::from_secs(5));
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "absent keyring answers quickly: {:?}",
        start.elapsed()
    );
    assert!(
        matches!(r, Ok(None)),
        "no Secret Service means no stored token, not a failure: {r:?}"
    );
}
