//! Where cavra-tui keeps things, via `directories` (XDG on Linux, the platform's dirs elsewhere),
//! and how it creates them: directories 0700 and files 0600, set explicitly whatever the umask.

use std::path::PathBuf;

use directories::ProjectDirs;

/// The standard directories, or `None` when the OS reports no home directory.
fn dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("", "", "cavra-tui")
}

fn fallback() -> PathBuf {
    std::env::temp_dir().join("cavra-tui")
}

/// `name` in one of the standard directories (`dir` picks it), or in the temp-dir fallback.
fn standard(dir: fn(&ProjectDirs) -> &std::path::Path, name: &str) -> PathBuf {
    dirs()
        .map(|d| dir(&d).join(name))
        .unwrap_or_else(|| fallback().join(name))
}

/// The default config file: `$XDG_CONFIG_HOME/cavra-tui/config.toml`.
pub fn config_file() -> PathBuf {
    standard(ProjectDirs::config_dir, "config.toml")
}

/// The default sample store: `$XDG_DATA_HOME/cavra-tui/sample.db`.
pub fn sample_db() -> PathBuf {
    standard(ProjectDirs::data_dir, "sample.db")
}

/// Where audit exports go by default: `$XDG_DATA_HOME/cavra-tui/exports`.
pub fn export_dir() -> PathBuf {
    standard(ProjectDirs::data_dir, "exports")
}

/// The cache dir: `$XDG_CACHE_HOME/cavra-tui` (servers' routes for slow links, see backend::remote::cache).
pub fn cache_dir() -> PathBuf {
    dirs()
        .map(|d| d.cache_dir().to_path_buf())
        .unwrap_or_else(|| fallback().join("cache"))
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

/// Sets a Unix mode explicitly (whatever the umask); a no-op elsewhere.
pub fn set_mode(path: &std::path::Path, mode: u32) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
}

fn private(options: &mut std::fs::OpenOptions) -> &mut std::fs::OpenOptions {
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(options, 0o600);
    options
}

/// Creates `dir` and any missing parents with mode 0700 (set explicitly, whatever the umask);
/// directories that already exist keep their mode.
pub fn create_private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent() {
        create_private_dir(parent)?;
    }
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    match builder.create(dir) {
        Ok(()) => set_mode(dir, 0o700),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(e) => Err(e),
    }
}

/// Opens `path` for appending, creating it with mode 0600 (set explicitly) when it is new.
pub fn open_private_append(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    let existed = path.exists();
    let file = private(std::fs::OpenOptions::new().create(true).append(true)).open(path)?;
    if !existed {
        set_mode(path, 0o600)?;
    }
    Ok(file)
}

/// Creates a new empty file with mode 0600 (set explicitly); an existing file is left alone.
pub fn create_private_file(path: &std::path::Path) -> std::io::Result<()> {
    match private(std::fs::OpenOptions::new().write(true).create_new(true)).open(path) {
        Ok(_) => set_mode(path, 0o600),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}
