//! Builds the backend for a target: the sample store, or a remote server with the token
//! resolved (`CAVRA_TOKEN`, the keyring entry bound to the server's origin, none) and the TLS
//! settings of its context.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crate::backend::remote::{Client, ClientError, RemoteBackend};
use crate::backend::sample::SampleBackend;
use crate::backend::{Backend, StoreFailure};
use crate::context::{ContextError, Target};
use crate::credentials::{self, TokenSource};

/// Request timeout for the remote API.
pub const TIMEOUT: Duration = Duration::from_secs(15);

/// A connected backend and what the status bar says about it.
pub struct Connected {
    pub backend: Arc<dyn Backend>,
    pub token_source: TokenSource,
    pub readonly: bool,
    /// A keyring problem worth telling the user (the console still runs without a token).
    pub warning: Option<String>,
}

/// Why no backend could be built for a context.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error(transparent)]
    Context(#[from] ContextError),
    /// The sample store could not be opened.
    #[error(transparent)]
    Store(StoreFailure),
    #[error(transparent)]
    Client(#[from] ClientError),
}

/// Connects to `target`; `db` is the sample store's path. No cache (the subcommands). Runs
/// on the blocking pool: opening SQLite and asking the keyring may wait.
pub async fn connect(target: &Target, db: &Path) -> Result<Connected, ConnectError> {
    connect_off_thread(target, db, None).await
}

/// [`connect_cached`] on the blocking pool, for callers on an async thread (the console's
/// start, the subcommands).
pub async fn connect_off_thread(
    target: &Target,
    db: &Path,
    cache_dir: Option<&Path>,
) -> Result<Connected, ConnectError> {
    let (target, db) = (target.clone(), db.to_path_buf());
    let cache_dir = cache_dir.map(Path::to_path_buf);
    crate::blocking::run(move || connect_cached(&target, &db, cache_dir.as_deref())).await
}

/// Connects to `target`, keeping a remote server's routes in a cache under `cache_dir`
/// when one is given (the console; `--no-cache` gives `None`).
pub fn connect_cached(
    target: &Target,
    db: &Path,
    cache_dir: Option<&Path>,
) -> Result<Connected, ConnectError> {
    match target {
        Target::Sample { readonly } => Ok(Connected {
            backend: Arc::new(SampleBackend::open(db).map_err(|e| ConnectError::Store(e.into()))?),
            token_source: TokenSource::None,
            readonly: *readonly,
            warning: None,
        }),
        Target::Remote(r) => {
            let resolved = credentials::resolve_for(r);
            let warning = match (&resolved.keyring_problem, &resolved.source) {
                (Some(p), _) => Some(format!("no token from the keyring: {p}")),
                (None, TokenSource::None) => Some(format!(
                    "no token stored for {} (a token is only sent to the server it was stored for); if this server needs one: {}",
                    credentials::origin::origin(&r.api_url),
                    credentials::origin::login_hint(&r.name, &r.api_url)
                )),
                _ => None,
            };
            let client = Client::new(
                r.api_url.clone(),
                resolved.token,
                r.ca_file.as_deref(),
                TIMEOUT,
            )?
            .with_max_body(r.max_response_bytes);
            let mut remote = RemoteBackend::new(r.name.clone(), client);
            if let Some(dir) = cache_dir {
                remote = remote.with_cache(dir);
            }
            Ok(Connected {
                backend: Arc::new(remote),
                token_source: resolved.source,
                readonly: r.readonly,
                warning,
            })
        }
    }
}
