//! Hostile servers on 127.0.0.1: redirects to another origin (reads and writes), to
//! `http://[::ffff:127.0.0.1]`, a 300 MB body, paging that never ends, and URL credentials.
//! Each server is a small axum app that counts what it receives.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde_json::json;

use cavra_tui::backend::Backend;
use cavra_tui::backend::remote::{Client, NO_QUERY, RemoteBackend};

const BASE: &str = "/runtime/go-pilot/rollback-drill-notifications";

#[derive(Default)]
struct Counter {
    requests: AtomicUsize,
    authorized: AtomicUsize,
}

async fn serve(bind: &str, app: Router) -> String {
    let listener = tokio::net::TcpListener::bind(bind).await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    format!("http://{addr}")
}

/// A server that counts every request (and those carrying Authorization) and answers `{}`.
async fn sink(bind: &str) -> (String, Arc<Counter>) {
    let c = Arc::new(Counter::default());
    let app = Router::new()
        .fallback(|State(c): State<Arc<Counter>>, h: HeaderMap| async move {
            c.requests.fetch_add(1, Ordering::SeqCst);
            if h.contains_key(header::AUTHORIZATION) {
                c.authorized.fetch_add(1, Ordering::SeqCst);
            }
            axum::Json(json!({"items": [], "total": 0}))
        })
        .with_state(Arc::clone(&c));
    (serve(bind, app).await, c)
}

/// A server that answers every request with a 307 to `target` + the same path.
async fn redirector(target: String) -> String {
    let app = Router::new().fallback(move |uri: axum::http::Uri| {
        let target = target.clone();
        async move {
            (
                StatusCode::TEMPORARY_REDIRECT,
                [(header::LOCATION, format!("{target}{}", uri.path()))],
            )
        }
    });
    serve("127.0.0.1:0", app).await
}

fn client(url: &str) -> Client {
    Client::new(
        url.parse().unwrap(),
        Some(cavra_tui::credentials::Secret::new("canary-redirect-1")),
        None,
        Duration::from_secs(10),
    )
    .unwrap()
    .with_backoff(Duration::from_millis(1))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redirect_to_another_origin_is_not_followed_for_reads_or_writes() {
    let (other, seen) = sink("127.0.0.2:0").await;
    let from = redirector(other.clone()).await;
    let c = client(&from);
    let read = c.get(BASE, NO_QUERY).await.unwrap_err().to_string();
    let write = c
        .post(
            &format!("{BASE}/x/acknowledgements"),
            &json!({"notes": "secret notes"}),
        )
        .await
        .unwrap_err()
        .to_string();
    for e in [&read, &write] {
        assert!(
            e.contains(&from) && e.contains(&other),
            "names both URLs: {e}"
        );
        assert!(e.contains("another origin"), "{e}");
    }
    assert_eq!(
        seen.requests.load(Ordering::SeqCst),
        0,
        "nothing reached the other server"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redirect_to_an_ipv4_mapped_loopback_is_refused_like_the_api_flag() {
    let (to, _seen) = sink("127.0.0.1:0").await;
    let port = to.rsplit(':').next().unwrap().to_string();
    let mapped = format!("http://[::ffff:127.0.0.1]:{port}");
    let from = redirector(mapped.clone()).await;
    let e = client(&from)
        .get(BASE, NO_QUERY)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("[::ffff:7f00:1]") || e.contains("[::ffff:127.0.0.1]"),
        "{e}"
    );
    assert!(e.contains("not followed"), "{e}");
    // The same URL given with --api is refused as plain http to a non-loopback host.
    let err = cavra_tui::context::choose(
        &cavra_tui::context::Choice {
            api: Some(mapped),
            ..Default::default()
        },
        &cavra_tui::config::Config::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("--allow-insecure-http"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_same_origin_redirect_is_followed_for_reads_but_not_writes() {
    let hits = Arc::new(AtomicUsize::new(0));
    let h2 = Arc::clone(&hits);
    let app = Router::new()
        .route(
            "/old/console/session",
            axum::routing::get(|| async {
                (
                    StatusCode::TEMPORARY_REDIRECT,
                    [(header::LOCATION, "/new/console/session")],
                )
            })
            .post(|| async {
                (
                    StatusCode::TEMPORARY_REDIRECT,
                    [(header::LOCATION, "/new/console/session")],
                )
            }),
        )
        .route(
            "/new/console/session",
            axum::routing::get(|| async { axum::Json(json!({"mode": "local_or_demo"})) }).post(
                move || {
                    h2.fetch_add(1, Ordering::SeqCst);
                    async { axum::Json(json!({})) }
                },
            ),
        );
    let url = serve("127.0.0.1:0", app).await;
    let c = client(&format!("{url}/old"));
    assert_eq!(
        c.get("/console/session", NO_QUERY).await.unwrap()["mode"],
        "local_or_demo"
    );
    let e = c
        .post("/console/session", &json!({}))
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("writes follow no redirect"), "{e}");
    assert!(e.contains("/new/console/session"), "{e}");
    assert_eq!(hits.load(Ordering::SeqCst), 0, "the POST body went nowhere");
}

/// 300 MB of JSON-looking bytes, streamed in 64 KiB chunks without a Content-Length.
fn huge_body() -> Body {
    let chunk = bytes_of(64 * 1024);
    let stream = futures_util::stream::iter(
        (0..(300 * 1024 * 1024 / chunk.len())).map(move |_| Ok::<_, std::io::Error>(chunk.clone())),
    );
    Body::from_stream(stream)
}

fn bytes_of(n: usize) -> axum::body::Bytes {
    axum::body::Bytes::from(vec![b' '; n])
}

/// A raw TCP server announcing a 300 MB body (and sending a little of it) on every connection.
async fn declared_length_server() -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = sock.read(&mut buf).await;
                let _ = sock
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 314572800\r\n\r\n{\"items\": [")
                    .await;
            });
        }
    });
    format!("http://{addr}")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_300_mb_body_is_abandoned_at_the_cap() {
    let sent = Arc::new(AtomicUsize::new(0));
    let s2 = Arc::clone(&sent);
    let app = Router::new().route(
        "/streamed",
        axum::routing::get(move || {
            s2.fetch_add(1, Ordering::SeqCst);
            async { Response::new(huge_body()) }
        }),
    );
    let url = serve("127.0.0.1:0", app).await;
    let declared = declared_length_server().await;
    let c = client(&url);
    let e = c.get("/streamed", NO_QUERY).await.unwrap_err().to_string();
    assert!(e.contains("larger than the 64 MiB limit"), "{e}");
    assert!(e.contains("max_response_mib"), "{e}");
    assert_eq!(
        sent.load(Ordering::SeqCst),
        1,
        "a too-large answer is not retried"
    );
    let e = client(&declared)
        .get("/declared", NO_QUERY)
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("314572800 bytes"), "{e}");
    let small = client(&url).with_max_body(1024 * 1024);
    let e = small
        .get("/streamed", NO_QUERY)
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("1 MiB limit"), "{e}");
}

#[derive(serde::Deserialize)]
struct Page {
    offset: Option<u64>,
}

/// A history whose `total` is huge and whose items never change; `echo` says whether the
/// answer's `offset` echoes the request.
async fn endless(echo: bool, total: u64) -> (String, Arc<AtomicUsize>) {
    let n = Arc::new(AtomicUsize::new(0));
    let n2 = Arc::clone(&n);
    let app = Router::new().route(
        BASE,
        axum::routing::get(move |Query(p): Query<Page>| {
            n2.fetch_add(1, Ordering::SeqCst);
            let items: Vec<_> = (0..200)
                .map(|i| json!({"session_id": format!("gordack-{i:016x}"), "metadata_kind": "go-backend-rollback-drill-notification-ack"}))
                .collect();
            let offset = if echo { p.offset.unwrap_or(0) } else { 0 };
            async move {
                axum::Json(json!({"items": items, "total": total, "limit": 200, "offset": offset}))
            }
        }),
    );
    (serve("127.0.0.1:0", app).await, n)
}

#[tokio::test(flavor = "multi_thread")]
async fn paging_that_never_advances_ends_with_an_error() {
    // A total beyond any real history is refused at the first page; a plausible one at the
    // second, which does not advance.
    for (total, says) in [
        (1_000_000_000_000u64, "more than 2000000 records"),
        (100_000, "offset does not advance"),
    ] {
        for echo in [false, true] {
            let (url, requests) = endless(echo, total).await;
            let backend = RemoteBackend::new("hostile", client(&url));
            let e = tokio::time::timeout(Duration::from_secs(60), backend.routes())
                .await
                .expect("bounded")
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("the server's paging is broken") && e.contains(says),
                "{e}"
            );
            // Both kinds are read at once: at most two pages each.
            let n = requests.load(Ordering::SeqCst);
            assert!(n <= 4, "{n} requests");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_that_outrun_total_end_with_an_error() {
    let app = Router::new().route(
        BASE,
        axum::routing::get(|Query(p): Query<Page>| async move {
            let o = p.offset.unwrap_or(0);
            let items: Vec<_> = (0..200)
                .map(|i| json!({"session_id": format!("gordn-{:016x}", o + i)}))
                .collect();
            axum::Json(json!({"items": items, "total": 5, "limit": 200, "offset": o}))
        }),
    );
    let url = serve("127.0.0.1:0", app).await;
    let e = RemoteBackend::new("hostile", client(&url))
        .routes()
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("pages outrun total"), "{e}");
}

#[tokio::test(flavor = "multi_thread")]
async fn url_credentials_are_refused_and_nothing_is_sent() {
    let (url, seen) = sink("127.0.0.1:0").await;
    let with_creds = url.replace("http://", "http://u:pw-canary-77@");
    let home = tempfile::tempdir().unwrap();
    let h = home.path().to_path_buf();
    let out = tokio::task::spawn_blocking(move || {
        support::cavra(&h)
            .args(["--api", &with_creds, "routes", "--output", "json"])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains("must not carry a user name or password"),
        "{text}"
    );
    assert!(!text.contains("pw-canary-77"), "{text}");
    assert_eq!(seen.requests.load(Ordering::SeqCst), 0);
}
