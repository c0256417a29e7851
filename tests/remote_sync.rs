//! Remote incremental sync and the local cache (issue #14), against the contract server:
//! a refresh with nothing new is one request per kind; new records arrive with the same one
//! request; the cache is 0600 in a 0700 dir, holds no token, feeds the first rows without a
//! request, and `cache clear` removes it.

#[path = "support/contract_server/mod.rs"]
mod contract_server;
mod support;

use std::collections::HashMap;
use std::time::Duration;

use cavra_tui::backend::Backend;
use cavra_tui::backend::remote::{Client, RemoteBackend};
use cavra_tui::credentials::Secret;
use cavra_tui::domain::ack::{AckInput, AckState};

/// Rows without their age (two reads are a few milliseconds apart).
fn same(rows: &[cavra_tui::domain::route::RouteRow]) -> Vec<String> {
    rows.iter()
        .map(|r| {
            format!(
                "{} {} {} {:?} {:?}",
                r.key(),
                r.owner,
                r.plan_id,
                r.state,
                r.latest_ack
            )
        })
        .collect()
}

const TOKEN: &str = "sync-canary-token-5d1e";

fn history_gets(server: &contract_server::Running) -> Vec<String> {
    server
        .seen()
        .into_iter()
        .filter(|s| s.method == "GET" && s.path == contract_server::BASE)
        .map(|s| s.query)
        .collect()
}

async fn server(dir: &std::path::Path) -> contract_server::Running {
    let auth = HashMap::from([(TOKEN.to_string(), "alice@example.com".to_string())]);
    contract_server::start(&dir.join("server.db"), Some(auth)).await
}

fn backend(url: &str, cache: Option<&std::path::Path>) -> RemoteBackend {
    let client = Client::new(
        url.parse().unwrap(),
        Some(Secret::new(TOKEN.to_string())),
        None,
        Duration::from_secs(10),
    )
    .unwrap();
    let b = RemoteBackend::new("lab", client);
    match cache {
        Some(dir) => b.with_cache(dir),
        None => b,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refresh_with_nothing_new_is_one_request_per_kind() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    let b = backend(&server.url(), None);
    let cold = b.route_delta(None).await.unwrap();
    let mark = cold.mark.clone().expect("a mark");
    server.state.seen.lock().unwrap().clear();
    let warm = b.route_delta(Some(mark.clone())).await.unwrap();
    assert_eq!(
        history_gets(&server).len(),
        2,
        "{:?}",
        history_gets(&server)
    );
    assert_eq!(same(&warm.rows), same(&b.routes().await.unwrap()));

    // A new acknowledgement: still one request per kind, and it is in the rows.
    let row = warm
        .rows
        .iter()
        .find(|r| r.is_outstanding())
        .unwrap()
        .clone();
    b.acknowledge(AckInput {
        route: row.key(),
        plan_id: row.plan_id.clone(),
        state: AckState::Escalated,
        acknowledged_by: "alice@example.com".into(),
        external_ref: String::new(),
        notes: "sync".into(),
    })
    .await
    .unwrap();
    server.state.seen.lock().unwrap().clear();
    let mark = warm.mark.clone().unwrap();
    let after = b.route_delta(Some(mark)).await.unwrap();
    assert_eq!(
        history_gets(&server).len(),
        2,
        "{:?}",
        history_gets(&server)
    );
    let now = after.rows.iter().find(|r| r.key() == row.key()).unwrap();
    assert_eq!(now.state.as_str(), "escalated");
    assert_eq!(same(&after.rows), same(&b.routes().await.unwrap()));

    // ctrl-r (no mark) reads everything again.
    server.state.seen.lock().unwrap().clear();
    b.route_delta(None).await.unwrap();
    assert!(history_gets(&server).len() >= 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cache_is_private_holds_no_token_and_gives_the_first_rows_without_a_request() {
    let dir = tempfile::tempdir().unwrap();
    let cache_dir = dir.path().join("cache");
    let server = server(dir.path()).await;
    let b = backend(&server.url(), Some(&cache_dir));
    let synced = b.route_delta(None).await.unwrap();
    b.cache_saved().await;
    let files: Vec<_> = std::fs::read_dir(cache_dir.join("servers"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&files[0]), 0o600);
        assert_eq!(mode(&cache_dir.join("servers")), 0o700);
        assert_eq!(mode(&cache_dir), 0o700);
    }
    let bytes = std::fs::read(&files[0]).unwrap();
    assert!(
        !bytes.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes()),
        "the token is not in the cache"
    );

    // A new console over the same server starts from the cache: rows, no request.
    server.state.seen.lock().unwrap().clear();
    let fresh = backend(&server.url(), Some(&cache_dir));
    let first = fresh.first_routes().await.expect("cached rows");
    assert!(history_gets(&server).is_empty());
    assert!(first.cached_at.is_some() && first.partial);
    let key = |rows: &[cavra_tui::domain::route::RouteRow]| {
        rows.iter()
            .map(|r| (r.key(), r.owner.clone(), r.state))
            .collect::<Vec<_>>()
    };
    assert_eq!(key(&first.rows), key(&synced.rows));
    // ... then reads the server in full (one page per kind on this small server).
    fresh.route_delta(first.mark.clone()).await.unwrap();
    assert_eq!(
        history_gets(&server).len(),
        2,
        "{:?}",
        history_gets(&server)
    );

    // `cache clear` removes the files.
    let home = tempfile::tempdir().unwrap();
    let servers = home.path().join(".cache/cavra-tui/servers");
    std::fs::create_dir_all(&servers).unwrap();
    std::fs::copy(&files[0], servers.join("x.db")).unwrap();
    let out = support::cavra(home.path())
        .args(["cache", "clear"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("removed 1 cache file"));
    assert_eq!(std::fs::read_dir(&servers).unwrap().count(), 0);
}

/// CAVRA answers with its newest 500 records of a kind: new acknowledgements push the oldest
/// out of that window. A refresh then costs one request per kind plus one that checks the cut
/// (not a full re-read), and gives exactly what a full read gives.
#[tokio::test(flavor = "multi_thread")]
async fn new_records_that_push_old_ones_out_of_the_window_cost_one_more_request() {
    use cavra_tui::backend::sample::generate::{Spec, generate};
    let dir = tempfile::tempdir().unwrap();
    let mut store =
        cavra_tui::backend::sample::store::Store::open(&dir.path().join("server.db")).unwrap();
    let spec = Spec {
        routes: 2_000,
        history: 3_000,
        seed: 7,
    };
    generate(&mut store, spec, chrono::Utc::now(), &mut |_, _| {}).unwrap();
    drop(store);
    let server = server(dir.path()).await;
    let b = backend(&server.url(), None);
    let cold = b.route_delta(None).await.unwrap();
    let acks_total = |s: &contract_server::Running| {
        s.seen()
            .iter()
            .filter(|q| q.path == contract_server::BASE && q.query.contains("notification-ack"))
            .count()
    };
    assert!(
        acks_total(&server) >= 3,
        "the acknowledgements fill the 500 window"
    );
    let mut mark = cold.mark.clone().unwrap();
    let outstanding: Vec<_> = cold
        .rows
        .iter()
        .filter(|r| r.is_outstanding())
        .take(3)
        .cloned()
        .collect();
    assert_eq!(outstanding.len(), 3);
    for (i, row) in outstanding.iter().enumerate() {
        b.acknowledge(AckInput {
            route: row.key(),
            plan_id: row.plan_id.clone(),
            state: AckState::Acknowledged,
            acknowledged_by: "alice@example.com".into(),
            external_ref: String::new(),
            notes: format!("window {i}"),
        })
        .await
        .unwrap();
        server.state.seen.lock().unwrap().clear();
        let warm = b.route_delta(Some(mark.clone())).await.unwrap();
        let gets = history_gets(&server);
        assert_eq!(gets.len(), 3, "one per kind and the window check: {gets:?}");
        assert!(gets.iter().any(|q| q.contains("limit=2")), "{gets:?}");
        let now = warm.rows.iter().find(|r| r.key() == row.key()).unwrap();
        assert_eq!(now.state.as_str(), "acknowledged");
        let fresh = backend(&server.url(), None)
            .route_delta(None)
            .await
            .unwrap();
        assert_eq!(
            same(&warm.rows),
            same(&fresh.rows),
            "the same rows as a full read"
        );
        mark = warm.mark.clone().unwrap();
    }
}

/// Sets one stored acknowledgement's state in the server's file, in place (same id, same time).
fn rewrite_in_place(db: &std::path::Path, session_id: &str, state: &str) {
    let c = rusqlite::Connection::open(db).unwrap();
    let n = c
        .execute(
            "UPDATE evidence_metadata SET payload = json_set(payload, '$.acknowledgement_state', ?2)
             WHERE session_id = ?1",
            [session_id, state],
        )
        .unwrap();
    assert_eq!(n, 1);
}

/// A console that starts from its cache reads everything on its first refresh: the cache may
/// be old, and only a full read proves what the server holds (a change below the newest
/// records would escape an incremental one).
#[tokio::test(flavor = "multi_thread")]
async fn the_first_refresh_after_a_start_from_the_cache_reads_everything() {
    use cavra_tui::backend::sample::generate::{Spec, generate};
    use cavra_tui::domain::record::kind;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.db");
    let mut store = cavra_tui::backend::sample::store::Store::open(&db).unwrap();
    let spec = Spec {
        routes: 2_000,
        history: 3_000,
        seed: 9,
    };
    generate(&mut store, spec, chrono::Utc::now(), &mut |_, _| {}).unwrap();
    drop(store);
    let cache_dir = dir.path().join("cache");
    let server = server(dir.path()).await;
    let b = backend(&server.url(), Some(&cache_dir));
    b.route_delta(None).await.unwrap();
    b.cache_saved().await;
    // A route's latest acknowledgement on the history's second page, changed in place: an
    // incremental read stops on the first page, which is unchanged.
    let c = rusqlite::Connection::open(&db).unwrap();
    let (id, schedule, provider, state): (String, String, String, String) = c
        .query_row(
            "SELECT session_id, schedule_id, provider, payload ->> '$.acknowledgement_state'
             FROM evidence_metadata a WHERE metadata_kind = ?1 AND created_at = (
               SELECT max(created_at) FROM evidence_metadata b WHERE b.metadata_kind = ?1
               AND b.schedule_id = a.schedule_id AND b.provider = a.provider)
             ORDER BY created_at DESC, session_id LIMIT 1 OFFSET 300",
            [kind::NOTIFICATION_ACK],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    let target = if state == "escalated" {
        "resolved"
    } else {
        "escalated"
    };
    rewrite_in_place(&db, &id, target);

    let fresh = backend(&server.url(), Some(&cache_dir));
    let first = fresh.first_routes().await.expect("cached rows");
    let key = cavra_tui::domain::route::RouteKey::new(schedule, provider);
    let was = first
        .rows
        .iter()
        .find(|r| r.key() == key)
        .expect("a cached row");
    assert_eq!(was.state.as_str(), state, "the cache holds the old state");
    let now = fresh.route_delta(first.mark.clone()).await.unwrap();
    let seen = now.rows.iter().find(|r| r.key() == key).unwrap();
    assert_eq!(
        seen.state.as_str(),
        target,
        "the first refresh reads it all"
    );
}
