//! The OS keyring through the keyring ecosystem (`keyring-core` + store crates): Keychain on
//! macOS, Credential Manager on Windows; on Linux the Secret Service (via zbus), else the
//! kernel keyring (which lasts until reboot). Every call runs on its own thread with a timeout,
//! so a locked or absent keyring gives an error instead of a hang.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use keyring_core::{CredentialStore, Entry, Error as KError};

use super::Secret;

/// The keyring `service` under which cavra-tui stores tokens; the `user` is the account
/// (`CONTEXT@ORIGIN`, see [`super::origin::account`]).
pub const SERVICE: &str = "cavra-tui";

/// A keyring problem, said plainly with a way forward.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyringError {
    #[error(
        "the keyring did not answer within {0:?} (locked?): unlock it, or set CAVRA_TOKEN for this shell"
    )]
    Timeout(Duration),
    #[error(
        "no keyring is available here ({0}): set CAVRA_TOKEN, or start a Secret Service (gnome-keyring-daemon)"
    )]
    Unavailable(String),
    #[error("the keyring refused access ({0}): unlock it, or set CAVRA_TOKEN")]
    Refused(String),
    #[error("keyring error: {0}")]
    Other(String),
    /// `CAVRA_TUI_KEYRING` names no store of this platform: no store was looked at.
    #[error(
        "CAVRA_TUI_KEYRING={word} names no keyring here (known: {known}, in any case); no keyring was looked at: fix or unset it"
    )]
    UnknownStore { word: String, known: String },
}

impl KeyringError {
    /// What went wrong, without the advice (for a list of several stores' problems).
    fn detail(&self) -> String {
        match self {
            KeyringError::Timeout(t) => format!("no answer within {t:?}"),
            KeyringError::Unavailable(d) | KeyringError::Refused(d) | KeyringError::Other(d) => {
                d.clone()
            }
            unknown @ KeyringError::UnknownStore { .. } => unknown.to_string(),
        }
    }
}

fn unavailable(e: KError) -> KeyringError {
    KeyringError::Unavailable(e.to_string())
}

/// A keyring store this platform has: the `CAVRA_TUI_KEYRING` word that picks it (`""`: not
/// selectable), the name shown to the operator, and how to open it.
type Candidate = (
    &'static str,
    &'static str,
    fn() -> Result<Arc<CredentialStore>, KError>,
);

/// The stores of this platform, in the order they are tried.
fn candidates() -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    #[cfg(target_os = "linux")]
    {
        out.push(("secret-service", "Secret Service", || {
            zbus_secret_service_keyring_store::Store::new().map(|s| s as Arc<CredentialStore>)
        }));
        out.push(("kernel", "kernel keyring, cleared on reboot", || {
            linux_keyutils_keyring_store::Store::new().map(|s| s as Arc<CredentialStore>)
        }));
    }
    #[cfg(target_os = "macos")]
    out.push(("", "Keychain", || {
        apple_native_keyring_store::keychain::Store::new().map(|s| s as Arc<CredentialStore>)
    }));
    #[cfg(target_os = "windows")]
    out.push(("", "Credential Manager", || {
        windows_native_keyring_store::Store::new().map(|s| s as Arc<CredentialStore>)
    }));
    out
}

/// Which of `words` (this platform's selectable stores) `want` names, in any case and with
/// surrounding spaces ignored: `Ok(None)` when `want` is blank (every store is tried).
fn named(want: &str, words: &[&'static str]) -> Result<Option<&'static str>, KeyringError> {
    let want = want.trim();
    if want.is_empty() {
        return Ok(None);
    }
    match words.iter().find(|w| w.eq_ignore_ascii_case(want)) {
        Some(w) => Ok(Some(w)),
        None => Err(KeyringError::UnknownStore {
            word: want.to_string(),
            known: words.join(", "),
        }),
    }
}

/// The store `CAVRA_TUI_KEYRING` forces (`Ok(None)`: unset, try each); an error naming the
/// word and the known ones when it names none. A platform without selectable stores (macOS,
/// Windows) ignores it.
pub fn chosen() -> Result<Option<&'static str>, KeyringError> {
    let words: Vec<&'static str> = candidates()
        .iter()
        .map(|c| c.0)
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return Ok(None);
    }
    named(
        &std::env::var("CAVRA_TUI_KEYRING").unwrap_or_default(),
        &words,
    )
}

/// The stores to use, each with its name and the store or why it could not be opened.
type Opened = Vec<(String, Result<Arc<CredentialStore>, KeyringError>)>;

/// Which stores to use: `CAVRA_TUI_KEYRING=secret-service|kernel` forces one (Linux); default
/// tries the Secret Service, then the kernel keyring. A word that names no store of this
/// platform is an error (with the words it knows), before any store is opened.
fn stores() -> Result<Opened, KeyringError> {
    let want = chosen()?;
    Ok(candidates()
        .into_iter()
        .filter(|(word, _, _)| word.is_empty() || want.is_none_or(|w| w == *word))
        .map(|(_, name, open)| (name.to_string(), open().map_err(unavailable)))
        .collect())
}

fn entry(store: &Arc<CredentialStore>, context: &str) -> Result<Entry, KeyringError> {
    store.build(SERVICE, context, None).map_err(map)
}

fn map(e: KError) -> KeyringError {
    match e {
        KError::NoStorageAccess(p) => KeyringError::Refused(p.to_string()),
        KError::PlatformFailure(p) => KeyringError::Unavailable(p.to_string()),
        other => KeyringError::Other(other.to_string()),
    }
}

/// Runs `f` on its own thread; gives up after `timeout` (the thread is left to finish alone).
fn with_timeout<T: Send + 'static>(
    timeout: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, KeyringError> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(timeout)
        .map_err(|_| KeyringError::Timeout(timeout))
}

/// Reads a context's token: `Ok(None)` when no store holds one.
pub fn get(context: &str, timeout: Duration) -> Result<Option<(Secret, String)>, KeyringError> {
    let context = context.to_string();
    with_timeout(timeout, move || {
        let mut last = None;
        for (name, store) in stores()? {
            let store = match store {
                Ok(s) => s,
                Err(e) => {
                    last = Some(e);
                    continue;
                }
            };
            match entry(&store, &context)?.get_password() {
                Ok(t) => return Ok(Some((Secret::new(t), name))),
                Err(KError::NoEntry) => last = None,
                Err(e) => last = Some(map(e)),
            }
        }
        match last {
            Some(KeyringError::Unavailable(_)) | None => Ok(None),
            Some(e) => Err(e),
        }
    })?
}

/// Stores a token under `account` in the first store that works; returns the store's name.
///
/// A write is kept only when it reads back intact. Whatever a failed attempt may have written
/// (a store can report `AccessDenied` after writing part of the way) is deleted again, and so
/// is a write that lands after the caller gave up waiting: a failed `set` leaves nothing behind.
pub fn set(context: &str, token: &Secret, timeout: Duration) -> Result<String, KeyringError> {
    let (context, token) = (context.to_string(), token.clone());
    let abandoned = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&abandoned);
    let result = with_timeout(timeout, move || {
        let mut problems = Vec::new();
        for (name, store) in stores()? {
            let e = match store.and_then(|s| entry(&s, &context)) {
                Ok(e) => e,
                Err(err) => {
                    problems.push(format!("{name}: {}", err.detail()));
                    continue;
                }
            };
            let written = e.set_password(token.expose()).map_err(map).and_then(|()| {
                fault_after_write()?;
                match e.get_password() {
                    Ok(back) if back == token.expose() => Ok(()),
                    Ok(_) => Err(KeyringError::Other(
                        "the stored token read back differently".into(),
                    )),
                    Err(err) => Err(map(err)),
                }
            });
            match written {
                Ok(()) if !flag.load(Ordering::SeqCst) => return Ok(name),
                Ok(()) => {
                    let _ = e.delete_credential();
                    return Err(KeyringError::Timeout(timeout));
                }
                Err(err) => {
                    // Undo a partial write before trying the next store.
                    if e.delete_credential().is_err() {
                        purge_kernel(&context);
                    }
                    problems.push(format!("{name}: {}", err.detail()));
                }
            }
        }
        Err(KeyringError::Unavailable(problems.join("; ")))
    });
    if result.is_err() {
        abandoned.store(true, Ordering::SeqCst);
    }
    result?
}

/// A test hook (debug builds only): `CAVRA_TUI_TEST_KEYRING_DENY_AFTER_WRITE=1` makes a store
/// report `AccessDenied` after it wrote, as the kernel keyring does when linking a new key into
/// the persistent keyring is refused.
fn fault_after_write() -> Result<(), KeyringError> {
    if cfg!(debug_assertions)
        && std::env::var_os("CAVRA_TUI_TEST_KEYRING_DENY_AFTER_WRITE").is_some()
    {
        return Err(KeyringError::Refused(
            "AccessDenied after the write (test hook)".into(),
        ));
    }
    Ok(())
}

/// Deletes an account's token from every store that holds one (a store that fails does not
/// stop the others); true when one was deleted. When no store could be opened at all (and
/// none held a key), that is the error: nothing was looked at.
pub fn delete(context: &str, timeout: Duration) -> Result<bool, KeyringError> {
    let context = context.to_string();
    with_timeout(timeout, move || {
        let mut deleted = false;
        let mut problem = None;
        let (mut looked, mut unopened) = (false, None);
        for (_, store) in stores()? {
            let store = match store {
                Ok(s) => s,
                Err(e) => {
                    unopened = Some(e);
                    continue;
                }
            };
            looked = true;
            match entry(&store, &context).map(|e| e.delete_credential()) {
                Ok(Ok(())) => deleted = true,
                Ok(Err(KError::NoEntry)) => {}
                Ok(Err(e)) => problem = Some(map(e)),
                Err(e) => problem = Some(e),
            }
        }
        // A key the store cannot find again (its search runs into a keyring we may not read)
        // is found by description in the session and user keyrings and invalidated.
        deleted |= purge_kernel(&context);
        match (problem, unopened) {
            (Some(_), _) if deleted => Ok(true),
            (Some(e), _) => Err(e),
            (None, Some(e)) if !looked && !deleted => Err(e),
            (None, _) => Ok(deleted),
        }
    })?
}

/// Invalidates this account's key in the session and user kernel keyrings by walking their
/// direct links (no recursive search, which fails on a nested keyring we may not search, as
/// the persistent keyring can be); true when one was removed.
#[cfg(target_os = "linux")]
fn purge_kernel(context: &str) -> bool {
    use linux_keyutils::{KeyRing, KeyRingIdentifier};
    let description = format!("keyring:{context}@{SERVICE}");
    let mut purged = false;
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
        for key in links.iter().filter_map(|n| n.as_key()) {
            let named = key
                .metadata()
                .is_ok_and(|m| m.get_description() == description);
            if named {
                purged |= key.invalidate().is_ok() || ring.unlink_key(key).is_ok();
            }
        }
    }
    purged
}

#[cfg(not(target_os = "linux"))]
fn purge_kernel(_context: &str) -> bool {
    false
}

#[cfg(all(test, target_os = "linux"))]
mod purge_tests {
    #[test]
    fn purge_finds_a_key_by_description_in_the_session_keyring() {
        use linux_keyutils::{KeyRing, KeyRingIdentifier};
        let ring = KeyRing::from_special_id(KeyRingIdentifier::Session, false).unwrap();
        let key = ring
            .add_key(&format!("keyring:purge-test@{}", super::SERVICE), "x")
            .unwrap();
        let _ = key;
        assert!(
            super::purge_kernel("purge-test"),
            "the key was found and removed"
        );
        assert!(!super::purge_kernel("purge-test"), "and is gone");
    }
}

#[cfg(test)]
mod word_tests {
    use super::{KeyringError, named};

    const WORDS: [&str; 2] = ["secret-service", "kernel"];

    #[test]
    fn a_known_word_is_taken_in_any_case_and_with_spaces_around_it() {
        for (want, got) in [
            ("secret-service", "secret-service"),
            ("Secret-Service", "secret-service"),
            ("  SECRET-SERVICE\t", "secret-service"),
            ("KERNEL", "kernel"),
            (" Kernel ", "kernel"),
        ] {
            assert_eq!(named(want, &WORDS), Ok(Some(got)), "{want:?}");
        }
        assert_eq!(named("", &WORDS), Ok(None));
        assert_eq!(named("   ", &WORDS), Ok(None), "blank: try each store");
    }

    #[test]
    fn an_unknown_word_is_refused_by_name_with_the_known_ones() {
        for want in ["bogus", " none ", "secret service", "kernel-keyring"] {
            let err = named(want, &WORDS).unwrap_err();
            assert_eq!(
                err,
                KeyringError::UnknownStore {
                    word: want.trim().to_string(),
                    known: "secret-service, kernel".into()
                }
            );
            let said = err.to_string();
            assert!(
                said.starts_with(&format!(
                    "CAVRA_TUI_KEYRING={} names no keyring",
                    want.trim()
                )) && said.contains("known: secret-service, kernel")
                    && said.contains("no keyring was looked at"),
                "{said}"
            );
        }
    }
}
