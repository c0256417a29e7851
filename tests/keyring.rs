//! The OS keyring for real. The stores need a session: CI runs these under
//! `dbus-run-session` with an unlocked `gnome-keyring-daemon` (Secret Service) and under
//! `keyctl session -` (kernel keyring), selecting the store with `CAVRA_TUI_KEYRING`:
//!
//! ```sh
//! dbus-run-session -- sh -c 'echo pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; \
//!   CAVRA_TUI_KEYRING=secret-service cargo test --test keyring -- --ignored'
//! keyctl session - sh -c 'CAVRA_TUI_KEYRING=kernel cargo test --test keyring -- --ignored'
//! ```
//! They are `#[ignore]`d by default because a plain `cargo test` has no such session.

use std::time::Duration;

use cavra_tui::credentials::keyring::{delete, get, set};
use cavra_tui::credentials::{Secret, TokenSource, resolve};

fn store_under_test() -> String {
    std::env::var("CAVRA_TUI_KEYRING")
        .expect("run with CAVRA_TUI_KEYRING=secret-service or kernel (see the module doc)")
}

#[test]
#[ignore = "needs a keyring session (see the module doc)"]
fn a_token_is_stored_read_and_deleted() {
    let store = store_under_test();
    let context = format!("test-{}-{}", store, std::process::id());
    let token = Secret::new("canary-keyring-7d21");
    let t = Duration::from_secs(10);
    let name = set(&context, &token, t).unwrap();
    let expected = if store == "kernel" {
        "kernel"
    } else {
        "Secret Service"
    };
    assert!(name.contains(expected), "{name}");
    let (back, from) = get(&context, t).unwrap().expect("stored token is readable");
    assert_eq!(back, token);
    assert_eq!(from, name);
    // Resolution order: the keyring entry is used when CAVRA_TOKEN is not set.
    let resolved = resolve(&context);
    assert_eq!(resolved.source, TokenSource::Keyring(name.clone()));
    assert_eq!(resolved.token, Some(token));
    assert!(delete(&context, t).unwrap());
    assert!(get(&context, t).unwrap().is_none());
    assert!(
        !delete(&context, t).unwrap(),
        "deleting twice reports nothing to delete"
    );
}
