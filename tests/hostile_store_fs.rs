//! The sample store on hostile filesystems, with the real binary and real SQLite files: a full
//! tmpfs during `sample generate` and on open, a read-only filesystem (tmpfs mounts are skipped
//! when mounting is not permitted), a read-only directory and file (run as `nobody`, since root
//! ignores modes), and `--db` naming `/dev/null`, a FIFO or a directory.

mod support;

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use support::store_cli::{cavra, ids, seeded, text};

/// A tmpfs of `size` mounted on a temp dir; unmounted on drop. `None` when mounting is not
/// permitted here (the test then skips).
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !ok {
            eprintln!("skipped: cannot mount a tmpfs here (needs root)");
            return None;
        }
        Some(Tmpfs { dir })
    }
    fn path(&self) -> &Path {
        self.dir.path()
    }
    fn remount_ro(&self) {
        let s = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(self.path())
            .status()
            .unwrap();
        assert!(s.success());
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// Fills the filesystem holding `dir` until a write fails.
fn fill(dir: &Path) {
    let mut f = std::fs::File::create(dir.join("filler")).unwrap();
    let block = vec![0xA5u8; 64 * 1024];
    while f.write_all(&block).is_ok() {}
    let small = vec![0u8; 512];
    while f.write_all(&small).is_ok() {}
    let _ = f.sync_all();
}

#[test]
fn generate_on_a_full_filesystem_fails_clearly_and_keeps_every_record() {
    let Some(fs) = Tmpfs::mount("4m") else { return };
    let home = tempfile::tempdir().unwrap();
    let db = fs.path().join("sample.db");
    let before = seeded(home.path(), &db);
    let o = cavra(
        home.path(),
        &db,
        &[
            "sample",
            "generate",
            "--routes",
            "4000",
            "--history",
            "60000",
            "--yes",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains("disk full") && t.contains(&db.display().to_string()),
        "{t}"
    );
    assert_eq!(ids(&db), before, "no record was lost");
    let o = cavra(home.path(), &db, &["sample", "check"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

#[test]
fn a_full_disk_on_open_says_so_and_leaves_no_stray_shm() {
    let Some(fs) = Tmpfs::mount("2m") else { return };
    let home = tempfile::tempdir().unwrap();
    let db = fs.path().join("sample.db");
    seeded(home.path(), &db);
    let shm = fs.path().join("sample.db-shm");
    let listing: Vec<_> = std::fs::read_dir(fs.path())
        .unwrap()
        .flatten()
        .map(|e| (e.file_name(), e.metadata().unwrap().len()))
        .collect();
    assert!(!shm.exists(), "closed cleanly: {listing:?}");
    fill(fs.path());
    let o = cavra(home.path(), &db, &["routes", "--output", "json"]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(
        t.contains("disk full") && t.contains(&db.display().to_string()),
        "{t}"
    );
    assert!(!shm.exists(), "no stray -shm left behind");
    assert!(!fs.path().join("sample.db-wal").exists());
}

#[test]
fn a_read_only_filesystem_reads_and_refuses_writes_naming_the_cause() {
    let Some(fs) = Tmpfs::mount("8m") else { return };
    let home = tempfile::tempdir().unwrap();
    let db = fs.path().join("sample.db");
    seeded(home.path(), &db);
    fs.remount_ro();
    let o = cavra(home.path(), &db, &["routes", "--output", "json"]);
    assert!(
        o.status.success(),
        "routes reads a read-only store: {}",
        text(&o)
    );
    let rows: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(rows.as_array().is_some_and(|a| !a.is_empty()), "{rows}");
    let o = cavra(
        home.path(),
        &db,
        &["ack", "--route", "payments_api_monthly/teams", "--yes"],
    );
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("read-only"), "{t}");
    assert!(!t.contains("attempt to write a readonly database"), "{t}");
}

/// Runs the binary as `nobody`, where file modes apply (root ignores them).
fn as_nobody(home: &Path, db: &Path, args: &[&str]) -> Output {
    use std::os::unix::process::CommandExt;
    support::cavra(home)
        .arg("--db")
        .arg(db)
        .args(args)
        .uid(65534)
        .gid(65534)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn read_only_directory_and_file_name_the_real_cause() {
    let base = tempfile::tempdir().unwrap();
    std::fs::set_permissions(base.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let (home, dir) = (base.path().join("home"), base.path().join("ro"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::create_dir_all(&home).unwrap();
    let db = dir.join("sample.db");
    let admin = tempfile::tempdir().unwrap();
    seeded(admin.path(), &db);
    let chown = |p: &Path| {
        Command::new("chown")
            .args(["-R", "65534:65534"])
            .arg(p)
            .status()
            .unwrap()
    };
    assert!(chown(&home).success() && chown(&dir).success());
    // The directory is read-only, the file writable.
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let o = as_nobody(&home, &db, &["routes", "--output", "json"]);
    let t = text(&o);
    assert!(
        o.status.success(),
        "routes reads from a read-only directory: {t}"
    );
    assert!(!t.contains("attempt to write a readonly database"), "{t}");
    let o = as_nobody(
        &home,
        &db,
        &["ack", "--route", "payments_api_monthly/teams", "--yes"],
    );
    let t = text(&o);
    assert!(!o.status.success(), "{t}");
    assert!(
        t.contains(&format!("the directory {} is read-only", dir.display())),
        "{t}"
    );
    // The file is read-only, the directory writable.
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    let o = as_nobody(
        &home,
        &db,
        &["ack", "--route", "payments_api_monthly/teams", "--yes"],
    );
    let t = text(&o);
    assert!(!o.status.success(), "{t}");
    assert!(t.contains("the file is read-only"), "{t}");
}

#[test]
fn non_regular_paths_are_refused_before_sqlite_touches_them() {
    let home = tempfile::tempdir().unwrap();
    let journal = Path::new("/dev/null-journal");
    let had_journal = journal.exists();
    let fifo = home.path().join("fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    for (db, kind) in [
        (PathBuf::from("/dev/null"), "a character device"),
        (fifo.clone(), "a FIFO"),
        (home.path().to_path_buf(), "a directory"),
    ] {
        let o = cavra(home.path(), &db, &["routes", "--output", "json"]);
        let t = text(&o);
        assert_eq!(o.status.code(), Some(1), "{t}");
        assert!(t.contains("not a regular file") && t.contains(kind), "{t}");
    }
    if !had_journal {
        assert!(!journal.exists(), "no /dev/null-journal was created");
    }
    assert!(!home.path().join("fifo-journal").exists());
}
