//! The remote cache's files on a shared machine (backend/remote/cache.rs): loose modes are
//! tightened, links are never followed, a damaged file is replaced, and a cache is used only
//! for the server that wrote it and never from the future.

mod support;

use std::os::unix::fs::PermissionsExt;

use chrono::{Duration, Utc};

use cavra_tui::backend::remote::cache::{Cache, servers_dir};

fn mode(p: &std::path::Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn url(s: &str) -> url::Url {
    s.parse().unwrap()
}

#[test]
fn loose_modes_are_tightened_and_rows_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let cache_dir = dir.path().join("cavra-tui");
    let c = Cache::for_server(&cache_dir, &url("http://127.0.0.1:1/"));
    let rows = support::fixed_rows();
    c.save(true, &rows, Utc::now()).unwrap();
    for (p, m) in [(&cache_dir, 0o777), (&servers_dir(&cache_dir), 0o755)] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    }
    std::fs::set_permissions(c.path(), std::fs::Permissions::from_mode(0o644)).unwrap();
    c.save(false, &rows, Utc::now()).unwrap();
    assert_eq!(mode(&cache_dir), 0o700);
    assert_eq!(mode(&servers_dir(&cache_dir)), 0o700);
    assert_eq!(mode(c.path()), 0o600);
    let (back, _) = c.load_rows(Utc::now()).expect("rows");
    assert_eq!(back.len(), rows.len());
}

#[test]
fn a_linked_servers_dir_is_never_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let cache_dir = dir.path().join("cavra-tui");
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(&cache_dir).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, servers_dir(&cache_dir)).unwrap();
    let c = Cache::for_server(&cache_dir, &url("http://127.0.0.1:1/"));
    let e = c
        .save(true, &support::fixed_rows(), Utc::now())
        .unwrap_err();
    assert!(e.to_string().contains("not used as a cache"), "{e}");
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
    assert!(c.load_rows(Utc::now()).is_none());
}

#[test]
fn a_damaged_cache_file_is_replaced_on_the_next_save() {
    let dir = tempfile::tempdir().unwrap();
    let c = Cache::for_server(dir.path(), &url("http://127.0.0.1:1/"));
    std::fs::create_dir_all(c.path().parent().unwrap()).unwrap();
    std::fs::write(c.path(), vec![0x5a; 8192]).unwrap();
    assert!(c.load_rows(Utc::now()).is_none(), "garbage is not read");
    let rows = support::fixed_rows();
    c.save(true, &rows, Utc::now()).unwrap();
    assert_eq!(c.load_rows(Utc::now()).unwrap().0.len(), rows.len());
    assert_eq!(mode(c.path()), 0o600);
}

#[test]
fn a_cache_is_used_only_for_its_server_and_never_from_the_future() {
    let dir = tempfile::tempdir().unwrap();
    let a = Cache::for_server(dir.path(), &url("http://127.0.0.1:1/"));
    let b = Cache::for_server(dir.path(), &url("http://127.0.0.1:2/"));
    let rows = support::fixed_rows();
    a.save(true, &rows, Utc::now()).unwrap();
    // Another server's file under this server's name.
    std::fs::copy(a.path(), b.path()).unwrap();
    assert!(b.load_rows(Utc::now()).is_none());
    assert!(a.load_rows(Utc::now()).is_some());
    // Saved "tomorrow": a clock or a file that cannot be trusted.
    a.save(true, &rows, Utc::now() + Duration::days(1)).unwrap();
    assert!(a.load_rows(Utc::now()).is_none());
}

#[test]
fn a_cache_of_another_layout_is_replaced_on_the_next_save() {
    let dir = tempfile::tempdir().unwrap();
    let c = Cache::for_server(dir.path(), &url("http://127.0.0.1:1/"));
    std::fs::create_dir_all(c.path().parent().unwrap()).unwrap();
    let other = rusqlite::Connection::open(c.path()).unwrap();
    other
        .execute_batch("CREATE TABLE routes (a); CREATE TABLE meta (key, value);")
        .unwrap();
    drop(other);
    assert!(c.load_rows(Utc::now()).is_none());
    let rows = support::fixed_rows();
    c.save(true, &rows, Utc::now()).unwrap();
    assert_eq!(c.load_rows(Utc::now()).unwrap().0.len(), rows.len());
}
