//! Logs go to a file in the state dir (0600 in a 0700 directory), never to the screen.
//! `CAVRA_TUI_LOG` sets the level.

use std::path::Path;
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;

/// Starts logging to `path`; a failure to open the file is reported and logging is skipped.
pub fn init(path: &Path) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        crate::paths::create_private_dir(dir)
            .map_err(|e| format!("cannot create log dir {}: {e}", dir.display()))?;
    }
    let file = crate::paths::open_private_append(path)
        .map_err(|e| format!("cannot open log file {}: {e}", path.display()))?;
    let filter =
        EnvFilter::try_from_env("CAVRA_TUI_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .try_init()
        .map_err(|e| e.to_string())
}
