//! The OS keyring through the keyring ecosystem (`keyring-core` + store crates): Keychain on
//! macOS, Credential Manager on Windows; on Linux the Secret Service (via zbus), else the
//! kernel keyring (which lasts until reboot). Every call runs on its own thread with a timeout,
//! so a locked or absent keyring gives an error instead of a hang.

use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use keyring_core::{CredentialStore, Entry, Error as KError};

use super::Secret;

/// The keyring `service` under which cavra-tui stores tokens; the `user` is the context name.
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
}

/// Which store to use: `CAVRA_TUI_KEYRING=secret-service|kernel` forces one; default tries
/// the Secret Service, then the kernel keyring.
fn stores() -> Vec<(String, Result<Arc<CredentialStore>, String>)> {
    let want = std::env::var("CAVRA_TUI_KEYRING").unwrap_or_default();
    let mut out: Vec<(String, Result<Arc<CredentialStore>, String>)> = Vec::new();
    #[cfg(target_os = "linux")]
    {
        if want.is_empty() || want == "secret-service" {
            out.push((
                "Secret Service".into(),
                zbus_secret_service_keyring_store::Store::new()
                    .map(|s| s as Arc<CredentialStore>)
                    .map_err(|e| e.to_string()),
            ));
        }
        if want.is_empty() || want == "kernel" {
            out.push((
                "kernel keyring, cleared on reboot".into(),
                linux_keyutils_keyring_store::Store::new()
                    .map(|s| s as Arc<CredentialStore>)
                    .map_err(|e| e.to_string()),
            ));
        }
    }
    #[cfg(target_os = "macos")]
    out.push((
        "Keychain".into(),
        apple_native_keyring_store::keychain::Store::new()
            .map(|s| s as Arc<CredentialStore>)
            .map_err(|e| e.to_string()),
    ));
    #[cfg(target_os = "windows")]
    out.push((
        "Credential Manager".into(),
        windows_native_keyring_store::Store::new()
            .map(|s| s as Arc<CredentialStore>)
            .map_err(|e| e.to_string()),
    ));
    let _ = want;
    out
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
        for (name, store) in stores() {
            let store = match store {
                Ok(s) => s,
                Err(e) => {
                    last = Some(KeyringError::Unavailable(e));
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

/// Stores a context's token in the first store that works; returns the store's name.
pub fn set(context: &str, token: &Secret, timeout: Duration) -> Result<String, KeyringError> {
    let (context, token) = (context.to_string(), token.clone());
    with_timeout(timeout, move || {
        let mut problems = Vec::new();
        for (name, store) in stores() {
            match store
                .map_err(KeyringError::Unavailable)
                .and_then(|s| entry(&s, &context))
            {
                Ok(e) => match e.set_password(token.expose()) {
                    Ok(()) => return Ok(name),
                    Err(err) => problems.push(format!("{name}: {}", map(err))),
                },
                Err(err) => problems.push(format!("{name}: {err}")),
            }
        }
        Err(KeyringError::Unavailable(problems.join("; ")))
    })?
}

/// Deletes a context's token from every store that holds one; true when one was deleted.
pub fn delete(context: &str, timeout: Duration) -> Result<bool, KeyringError> {
    let context = context.to_string();
    with_timeout(timeout, move || {
        let mut deleted = false;
        for (_, store) in stores() {
            let Ok(store) = store else { continue };
            match entry(&store, &context)?.delete_credential() {
                Ok(()) => deleted = true,
                Err(KError::NoEntry) => {}
                Err(e) => return Err(map(e)),
            }
        }
        Ok(deleted)
    })?
}
