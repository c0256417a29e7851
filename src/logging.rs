//! Logs go to a file in the state dir (0600 in a 0700 directory), never to the screen.
//! `CAVRA_TUI_LOG` sets the level.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

/// Why logging could not start.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("cannot create log dir {}: {source}", dir.display())]
    Dir {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open log file {}: {source}", path.display())]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A subscriber was already set.
    #[error("{0}")]
    Init(Box<dyn std::error::Error + Send + Sync>),
}

/// Starts logging to `path`; a failure to open the file is reported and logging is skipped.
pub fn init(path: &Path) -> Result<(), LogError> {
    if let Some(dir) = path.parent() {
        crate::paths::create_private_dir(dir).map_err(|source| LogError::Dir {
            dir: dir.to_path_buf(),
            source,
        })?;
    }
    let file = crate::paths::open_private_append(path).map_err(|source| LogError::File {
        path: path.to_path_buf(),
        source,
    })?;
    let filter =
        EnvFilter::try_from_env("CAVRA_TUI_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .try_init()
        .map_err(LogError::Init)
}
