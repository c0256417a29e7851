//! What the TUI and the CLI resolve the same way before they run: the sample store's path, the
//! operator name a context acts as, and where exports go (flag, then config, then default).

use std::path::PathBuf;

use crate::cli::GlobalArgs;
use crate::config::Config;
use crate::context::Target;

/// The sample store: `--db`, else `db_path` from the config, else the data dir's.
pub fn db_path(global: &GlobalArgs, config: &Config) -> PathBuf {
    global
        .db
        .clone()
        .or_else(|| config.db_path.clone())
        .unwrap_or_else(crate::paths::sample_db)
}

/// The operator name for `target`: `--operator`, else the context's `operator`, else the
/// config's (or the login name).
pub fn operator(global: &GlobalArgs, config: &Config, target: &Target) -> String {
    global
        .operator
        .clone()
        .or_else(|| context_operator(target))
        .unwrap_or_else(|| config.operator_name())
}

/// The operator a context names, if any (sample mode names none).
pub fn context_operator(target: &Target) -> Option<String> {
    match target {
        Target::Remote(r) => r.operator.clone(),
        Target::Sample { .. } => None,
    }
}

/// Where exports are written: `export_dir` from the config, else the data dir's.
pub fn export_dir(config: &Config) -> PathBuf {
    config
        .export_dir
        .clone()
        .unwrap_or_else(crate::paths::export_dir)
}
