//! The sample store under damage and bad luck, with the real binary and real SQLite files:
//! kill -9 during `sample generate`, deliberately corrupted pages, a store poisoned by the
//! corruption a read reported, and the modes of every file the console creates. (Full disks,
//! read-only and non-regular paths: tests/hostile_store_fs.rs.)

mod support;

use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use cavra_tui::backend::sample::store::Store;

use support::store_cli::{cavra, ids, seeded, text};

#[test]
fn kill_9_during_generate_keeps_every_original_record() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("store/sample.db");
    let before = seeded(home.path(), &db);
    let mut child = support::cavra(home.path())
        .arg("--db")
        .arg(&db)
        .args([
            "sample",
            "generate",
            "--routes",
            "40000",
            "--history",
            "400000",
            "--yes",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut seen = 0;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if line.starts_with("progress:") {
            seen += 1;
            if seen == 3 {
                break;
            }
        }
    }
    assert_eq!(seen, 3, "generate printed its progress");
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert_eq!(
        ids(&db),
        before,
        "every original record is still there, and only those"
    );
    let o = cavra(home.path(), &db, &["sample", "check"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("ok"), "{}", text(&o));
}

fn sha(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

/// Overwrites the middle of page `page` (1-based) with garbage.
fn corrupt_page(db: &Path, page: u64) {
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(db)
        .unwrap();
    let mut header = [0u8; 18];
    f.read_exact(&mut header).unwrap();
    let size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65536,
        n => n as u64,
    };
    f.seek(SeekFrom::Start((page - 1) * size)).unwrap();
    let garbage: Vec<u8> = (0..size).map(|i| (i * 151 % 251) as u8).collect();
    f.write_all(&garbage).unwrap();
    f.sync_all().unwrap();
}

/// The root pages of the store's tables and indexes.
fn root_pages(db: &Path) -> Vec<(String, u64)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT name, rootpage FROM sqlite_master WHERE rootpage > 1 ORDER BY rootpage")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn corrupted_pages_are_never_written_to() {
    let home = tempfile::tempdir().unwrap();
    let pristine = home.path().join("pristine.db");
    seeded(home.path(), &pristine);
    let pages = std::fs::metadata(&pristine).unwrap().len() / 4096;
    let mut targets = root_pages(&pristine);
    targets.push(("last page".into(), pages));
    targets.push(("a middle page".into(), pages / 2));
    for (what, page) in targets {
        let db = home.path().join(format!("corrupt-{page}.db"));
        std::fs::copy(&pristine, &db).unwrap();
        corrupt_page(&db, page);
        let before = sha(&db);
        let out = home.path().join(format!("pkg-{page}.json"));
        let runs = [
            cavra(
                home.path(),
                &db,
                &["ack", "--route", "payments_api_monthly/teams", "--yes"],
            ),
            cavra(
                home.path(),
                &db,
                &[
                    "export-audit",
                    "--filter",
                    "owner:payments",
                    "--out",
                    out.to_str().unwrap(),
                    "--yes",
                ],
            ),
            // The bulk path writes through its own transaction: the same checks apply.
            cavra(
                home.path(),
                &db,
                &["bulk", "ack-outstanding", "--filter", "owner:data", "--yes"],
            ),
        ];
        for o in &runs {
            let t = text(o);
            assert!(!o.status.success(), "{what} (page {page}): {t}");
            assert!(t.contains("corrupt"), "{what} (page {page}): {t}");
        }
        assert!(
            sha(&db) == before,
            "{what} (page {page}): the file bytes are unchanged"
        );
        assert!(!out.exists(), "{what}: no export was written");
        let o = cavra(home.path(), &db, &["sample", "check"]);
        assert_eq!(o.status.code(), Some(1), "{what}: {}", text(&o));
    }
}

#[test]
fn a_store_that_reported_corruption_is_not_written_for_the_rest_of_the_process() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("sample.db");
    seeded(home.path(), &db);
    let route_state = root_pages(&db)
        .into_iter()
        .find(|(n, _)| n == "route_state")
        .unwrap()
        .1;
    corrupt_page(&db, route_state);
    let before = sha(&db);
    let mut store = Store::open(&db).unwrap();
    let err = store.routes(chrono::Utc::now()).unwrap_err().to_string();
    assert!(err.contains("corrupt"), "{err}");
    let records = support::fixed_records(chrono::Utc::now());
    let err = store.put_records(&records[..1]).unwrap_err().to_string();
    assert!(
        err.contains("reported corruption earlier in this run"),
        "{err}"
    );
    assert!(store.set_meta("k", "v").is_err());
    drop(store);
    assert!(sha(&db) == before);
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        out.push(e.path());
        if e.path().is_dir() {
            walk(&e.path(), out);
        }
    }
}

#[test]
fn every_file_the_console_creates_is_0600_in_0700_directories() {
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        // A permissive umask, so the modes come from the console, not the umask.
        let o = Command::new("sh")
            .arg("-c")
            .arg("umask 000; exec \"$0\" \"$@\"")
            .arg(env!("CARGO_BIN_EXE_cavra-tui"))
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home.path())
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_STATE_HOME", home.path().join("state"))
            .env("USER", "tester")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", text(&o));
    };
    run(&["routes", "--output", "json"]);
    run(&["ack", "--route", "payments_api_monthly/teams", "--yes"]);
    run(&["export-audit", "--filter", "owner:payments", "--yes"]);
    let db = support::db(home.path());
    // -wal and -shm exist while a store is open: hold one open and write.
    let mut store = Store::open(&db).unwrap();
    store
        .put_records(&support::fixed_records(chrono::Utc::now())[..1])
        .unwrap();
    let mut all = Vec::new();
    walk(home.path(), &mut all);
    let names: Vec<String> = all.iter().map(|p| p.display().to_string()).collect();
    for suffix in [
        "sample.db",
        "sample.db-wal",
        "sample.db-shm",
        "cavra-tui.log",
        ".json",
        ".sha256",
    ] {
        assert!(
            names.iter().any(|n| n.ends_with(suffix)),
            "{suffix} in {names:?}"
        );
    }
    for p in &all {
        let want = if p.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode(p), want, "{} is {:o}", p.display(), mode(p));
    }
    drop(store);
}
