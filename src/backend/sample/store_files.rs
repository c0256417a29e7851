//! The store's file before SQLite touches it, and errors that name the real cause: a directory,
//! device or FIFO is refused before anything is opened (so no `-journal` appears beside
//! `/dev/null`); a read-only file or directory is opened read-only with the reason kept for
//! the first write; a full disk says so with the path; new files are 0600 in 0700 directories.

use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a write waits for another writer's lock.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Why the store could not be used.
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: not a SQLite database (refusing to touch it; choose another file with --db)")]
    NotSqlite { path: PathBuf },
    #[error(
        "{path}: a SQLite database, but not a cavra-tui sample store (application_id {found:#x}); it was left unchanged"
    )]
    Foreign { path: PathBuf, found: i32 },
    #[error(
        "{path}: store schema version {found} is newer than this cavra-tui understands ({}); upgrade cavra-tui",
        super::SCHEMA_VERSION
    )]
    TooNew { path: PathBuf, found: i32 },
    #[error(
        "{path}: the database is corrupt ({detail}); it was left unchanged (see `cavra-tui sample check`)"
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "{path}: the store reported corruption earlier in this run ({detail}); nothing more is written to it (run `cavra-tui sample check`)"
    )]
    Poisoned { path: PathBuf, detail: String },
    #[error("{path}: the database is locked by another program (waited {}s); try again", BUSY_TIMEOUT.as_secs())]
    Locked { path: PathBuf },
    #[error("{path}: not a regular file ({kind}); choose a store file with --db")]
    NotRegular { path: PathBuf, kind: String },
    #[error("{path}: the directory {} is read-only: {what}", dir.display())]
    ReadOnlyDir {
        path: PathBuf,
        dir: PathBuf,
        what: String,
    },
    #[error("{path}: the file is read-only: {what}")]
    ReadOnlyFile { path: PathBuf, what: String },
    #[error(
        "{path}: disk full: the filesystem holding it has no space left ({what}); nothing was changed"
    )]
    DiskFull { path: PathBuf, what: String },
    #[error("{path}: cannot open: {detail}")]
    Open { path: PathBuf, detail: String },
    #[error("{path}: a stored record is not valid JSON ({session_id})")]
    BadRecord { path: PathBuf, session_id: String },
    #[error("{path}: {detail}")]
    Sqlite { path: PathBuf, detail: String },
}

impl StoreError {
    /// True for errors that mean the file is damaged.
    pub fn is_corruption(&self) -> bool {
        matches!(
            self,
            StoreError::Corrupt { .. } | StoreError::NotSqlite { .. }
        )
    }
}

/// What was found before opening.
pub struct Preflight {
    /// The file existed with content (else it was created, empty, 0600).
    pub existed: bool,
    /// Why the store can only be read, when it can only be read.
    pub read_only: Option<StoreError>,
    /// `-wal` / `-shm` that existed before the open (stray ones are removed after a failed open).
    pub had_wal: bool,
    pub had_shm: bool,
}

pub fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

fn dir_of(path: &Path) -> PathBuf {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn read_only_error(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::ReadOnlyFilesystem | ErrorKind::PermissionDenied
    )
}

/// Checks the path, creates a new store file (0600, directories 0700), and finds out whether
/// the store can be written.
pub fn preflight(path: &Path) -> Result<Preflight, StoreError> {
    let p = path.to_path_buf();
    let dir = dir_of(path);
    let existed = match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            return Err(StoreError::NotRegular {
                path: p,
                kind: "a directory".into(),
            });
        }
        Ok(m) if !m.is_file() => {
            return Err(StoreError::NotRegular {
                path: p,
                kind: file_kind(&m),
            });
        }
        Ok(m) => m.len() > 0,
        Err(e) if e.kind() == ErrorKind::NotFound => false,
        Err(e) => {
            return Err(StoreError::Open {
                path: p,
                detail: e.to_string(),
            });
        }
    };
    let (had_wal, had_shm) = (
        sidecar(path, "-wal").exists(),
        sidecar(path, "-shm").exists(),
    );
    if existed {
        check_sqlite_header(path)?;
        let read_only = probe_writable(path, &dir);
        return Ok(Preflight {
            existed,
            read_only,
            had_wal,
            had_shm,
        });
    }
    let created = crate::paths::create_private_dir(&dir)
        .and_then(|()| crate::paths::create_private_file(path));
    if let Err(e) = created {
        return Err(io_error(path, &dir, &e, "cannot create the store there"));
    }
    Ok(Preflight {
        existed,
        read_only: None,
        had_wal,
        had_shm,
    })
}

/// The error for an IO failure on the store's path, naming the real cause.
pub fn io_error(path: &Path, dir: &Path, e: &std::io::Error, what: &str) -> StoreError {
    if e.kind() == ErrorKind::StorageFull || e.kind() == ErrorKind::QuotaExceeded {
        return StoreError::DiskFull {
            path: path.to_path_buf(),
            what: what.to_string(),
        };
    }
    if read_only_error(e) {
        return StoreError::ReadOnlyDir {
            path: path.to_path_buf(),
            dir: dir.to_path_buf(),
            what: what.to_string(),
        };
    }
    StoreError::Open {
        path: path.to_path_buf(),
        detail: format!("{what}: {e}"),
    }
}

/// `None` when the file and its directory can be written; else the read-only reason.
fn probe_writable(path: &Path, dir: &Path) -> Option<StoreError> {
    if let Err(e) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
    {
        if read_only_error(&e) {
            return Some(StoreError::ReadOnlyFile {
                path: path.to_path_buf(),
                what: "it can be read but nothing can be recorded in it".into(),
            });
        }
    }
    // SQLite needs to create `-wal` and `-shm` beside the store.
    if let Err(e) = tempfile::Builder::new()
        .prefix(".cavra-tui-probe")
        .tempfile_in(dir)
    {
        if read_only_error(&e) {
            return Some(StoreError::ReadOnlyDir {
                path: path.to_path_buf(),
                dir: dir.to_path_buf(),
                what: "the store can be read but nothing can be recorded (SQLite needs to create its -wal and -shm files there)".into(),
            });
        }
    }
    None
}

/// Opens a store that cannot be written: read-only, and when SQLite cannot set up its shared
/// memory beside it (a read-only directory without `-shm`) and no `-wal` holds changes, as an
/// immutable file. Failing both, the read-only reason is the error.
pub fn open_read_only(path: &Path, why: &StoreError) -> Result<rusqlite::Connection, StoreError> {
    use rusqlite::{Connection, OpenFlags};
    let ro = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let usable = |c: Connection| {
        c.query_row("PRAGMA application_id", [], |_| Ok(()))
            .map(|()| c)
    };
    if let Ok(c) = Connection::open_with_flags(path, ro).and_then(usable) {
        return Ok(c);
    }
    let wal_empty = std::fs::metadata(sidecar(path, "-wal"))
        .map(|m| m.len() == 0)
        .unwrap_or(true);
    if wal_empty {
        if let Ok(url) = url::Url::from_file_path(std::path::absolute(path).unwrap_or_default()) {
            let uri = format!("{url}?immutable=1");
            if let Ok(c) =
                Connection::open_with_flags(&uri, ro | OpenFlags::SQLITE_OPEN_URI).and_then(usable)
            {
                return Ok(c);
            }
        }
    }
    Err(why.clone())
}

/// True when the filesystem holding `path` cannot take 64 KiB more.
pub fn disk_is_full(path: &Path) -> bool {
    use std::io::Write;
    let Ok(mut f) = tempfile::Builder::new()
        .prefix(".cavra-tui-space")
        .tempfile_in(dir_of(path))
    else {
        return false;
    };
    let probe = vec![0u8; 64 * 1024];
    matches!(f.write_all(&probe).and_then(|()| f.as_file().sync_all()),
        Err(e) if e.kind() == ErrorKind::StorageFull || e.kind() == ErrorKind::QuotaExceeded)
}

/// Removes `-wal` / `-shm` files a failed open created (a full disk leaves a 3-byte `-shm`).
pub fn remove_stray_sidecars(path: &Path, pre: &Preflight) {
    for (suffix, had) in [("-wal", pre.had_wal), ("-shm", pre.had_shm)] {
        let f = sidecar(path, suffix);
        let small = std::fs::metadata(&f)
            .map(|m| m.len() < 32 * 1024)
            .unwrap_or(false);
        if !had && small {
            let _ = std::fs::remove_file(&f);
        }
    }
    if !pre.existed {
        // A store file this open created and could not initialise.
        if std::fs::metadata(path)
            .map(|m| m.len() == 0)
            .unwrap_or(false)
        {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn file_kind(m: &std::fs::Metadata) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = m.file_type();
        if t.is_char_device() {
            return "a character device".into();
        }
        if t.is_block_device() {
            return "a block device".into();
        }
        if t.is_fifo() {
            return "a FIFO".into();
        }
        if t.is_socket() {
            return "a socket".into();
        }
    }
    let _ = m;
    "not a file".into()
}

pub fn check_sqlite_header(path: &Path) -> Result<(), StoreError> {
    let mut header = [0u8; 16];
    let mut f = std::fs::File::open(path).map_err(|e| StoreError::Open {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    let n = f.read(&mut header).unwrap_or(0);
    if n < 16 || &header != b"SQLite format 3\0" {
        return Err(StoreError::NotSqlite {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Maps a SQLite error to a store error that says what happened to the file.
pub fn map_err(path: &Path, e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode as C;
    let path = path.to_path_buf();
    if let rusqlite::Error::SqliteFailure(f, msg) = &e {
        match f.code {
            C::DatabaseBusy | C::DatabaseLocked => return StoreError::Locked { path },
            C::NotADatabase => return StoreError::NotSqlite { path },
            C::DatabaseCorrupt => {
                return StoreError::Corrupt {
                    path,
                    detail: msg.clone().unwrap_or_else(|| f.to_string()),
                };
            }
            C::DiskFull => {
                return StoreError::DiskFull {
                    path,
                    what: "a write failed".into(),
                };
            }
            C::SystemIoFailure if disk_is_full(&path) => {
                return StoreError::DiskFull {
                    path,
                    what: "SQLite could not write its files".into(),
                };
            }
            C::CannotOpen | C::PermissionDenied | C::ReadOnly => {
                return StoreError::Open {
                    path,
                    detail: e.to_string(),
                };
            }
            _ => {}
        }
    }
    StoreError::Sqlite {
        path,
        detail: e.to_string(),
    }
}
