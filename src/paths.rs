//! Where cavra-tui keeps things, via `directories` (XDG on Linux, the platform's dirs elsewhere).

use std::path::PathBuf;

use directories::ProjectDirs;

/// The standard directories, or `None` when the OS reports no home directory.
fn dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("", "", "cavra-tui")
}

fn fallback() -> PathBuf {
    std::env::temp_dir().join("cavra-tui")
}

/// The default config file: `$XDG_CONFIG_HOME/cavra-tui/config.toml`.
pub fn config_file() -> PathBuf {
    dirs()
        .map(|d| d.config_dir().join("config.toml"))
        .unwrap_or_else(|| fallback().join("config.toml"))
}

/// The default sample store: `$XDG_DATA_HOME/cavra-tui/sample.db`.
pub fn sample_db() -> PathBuf {
    dirs()
        .map(|d| d.data_dir().join("sample.db"))
        .unwrap_or_else(|| fallback().join("sample.db"))
}

/// Where audit exports go by default: `$XDG_DATA_HOME/cavra-tui/exports`.
pub fn export_dir() -> PathBuf {
    dirs()
        .map(|d| d.data_dir().join("exports"))
        .unwrap_or_else(|| fallback().join("exports"))
}

/// The log file: `$XDG_STATE_HOME/cavra-tui/cavra-tui.log` (data-local dir where there is no state dir).
pub fn log_file() -> PathBuf {
    dirs()
        .map(|d| {
            d.state_dir()
                .unwrap_or_else(|| d.data_local_dir())
                .join("cavra-tui.log")
        })
        .unwrap_or_else(|| fallback().join("cavra-tui.log"))
}
