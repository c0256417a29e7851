//! Writing export files atomically (temp file in the same dir, then rename) with a
//! `sha256sum`-compatible `.sha256` file beside each; files 0600, new directories 0700.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::domain::ids::sha256_hex;

/// Where an export went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    pub sha256_path: PathBuf,
    pub sha256: String,
}

/// A server-given id made safe as part of a file name in the export directory: letters,
/// digits, `-`, `_` and `.` kept, anything else (a `/`, `..` at the start, control characters)
/// replaced by `_`, at most 100 characters; `audit` when nothing is left.
pub fn file_name_part(id: &str) -> String {
    let kept: String = (id.chars())
        .map(
            |c| match c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                true => c,
                false => '_',
            },
        )
        .take(100)
        .collect();
    let kept = kept.trim_start_matches('.');
    match kept.is_empty() {
        true => "audit".to_string(),
        false => kept.to_string(),
    }
}

/// Writes `bytes` to `path` atomically and `path.sha256` beside it.
pub fn write_with_digest(path: &Path, bytes: &[u8]) -> std::io::Result<Written> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    crate::paths::create_private_dir(dir)?;
    let digest = sha256_hex(bytes);
    atomic_write(dir, path, bytes)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut sha_path = path.as_os_str().to_owned();
    sha_path.push(".sha256");
    let sha_path = PathBuf::from(sha_path);
    atomic_write(dir, &sha_path, format!("{digest}  {name}\n").as_bytes())?;
    Ok(Written {
        path: path.to_path_buf(),
        sha256_path: sha_path,
        sha256: digest,
    })
}

fn atomic_write(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    // NamedTempFile creates the file 0600; it keeps that mode when renamed into place.
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_file_and_matching_digest() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out/pkg.json");
        let w = write_with_digest(&p, b"{}").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"{}");
        let line = std::fs::read_to_string(&w.sha256_path).unwrap();
        assert_eq!(line, format!("{}  pkg.json\n", sha256_hex(b"{}")));
        let leftovers: Vec<_> = std::fs::read_dir(p.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 2, "no temp files left behind");
    }

    #[test]
    fn a_server_id_cannot_leave_the_export_directory() {
        let cases = [
            ("gordackaudit-1a2b", "gordackaudit-1a2b"),
            ("../../../../tmp/pwned", "_.._.._.._tmp_pwned"),
            ("x\u{1b}]0;X\u{7}/../y", "x__0_X__.._y"),
            ("..", "audit"),
            ("", "audit"),
        ];
        for (id, name) in cases {
            assert_eq!(file_name_part(id), name, "{id:?}");
        }
        assert_eq!(file_name_part(&"a".repeat(300)).len(), 100);
        for id in ["../x", "/etc/passwd", "a/../../b"] {
            assert!(!file_name_part(id).contains('/'), "{id}");
        }
    }
}
