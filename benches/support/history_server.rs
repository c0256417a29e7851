//! A history-only server on 127.0.0.1 for the remote sync figures: it serves records held in
//! memory, newest first, through CAVRA's 500-record window per kind (CONTRACT §1.2), adds a
//! fixed latency to every request and counts them. Its own work is a slice of a vector, so the
//! figures measure the console, not a server.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Query, State};
use serde_json::{Value, json};

/// CAVRA's history window per kind.
const WINDOW: usize = 500;

struct Inner {
    kinds: Mutex<HashMap<String, Vec<Value>>>,
    gets: AtomicUsize,
    delay: Duration,
}

pub struct HistoryServer {
    pub url: String,
    inner: Arc<Inner>,
}

impl HistoryServer {
    /// Serves `kinds` (each newest first) at `delay` per request.
    pub async fn start(kinds: HashMap<String, Vec<Value>>, delay: Duration) -> HistoryServer {
        let inner = Arc::new(Inner {
            kinds: Mutex::new(kinds),
            gets: AtomicUsize::new(0),
            delay,
        });
        let app = axum::Router::new()
            .route(
                cavra_tui::backend::remote::BASE,
                axum::routing::get(history),
            )
            .with_state(Arc::clone(&inner));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        HistoryServer { url, inner }
    }

    /// Stores a new record (the newest of its kind).
    pub fn add(&self, kind: &str, record: Value) {
        let mut kinds = self.inner.kinds.lock().unwrap();
        kinds.entry(kind.to_string()).or_default().insert(0, record);
    }

    /// The requests served since the last call.
    pub fn take_gets(&self) -> usize {
        self.inner.gets.swap(0, Ordering::SeqCst)
    }
}

async fn history(
    State(s): State<Arc<Inner>>,
    Query(q): Query<HashMap<String, String>>,
) -> axum::Json<Value> {
    s.gets.fetch_add(1, Ordering::SeqCst);
    tokio::time::sleep(s.delay).await;
    let num = |k: &str, d: usize| q.get(k).and_then(|v| v.parse().ok()).unwrap_or(d);
    let (limit, offset) = (num("limit", 50), num("offset", 0));
    let kinds = s.kinds.lock().unwrap();
    let all = q
        .get("metadata_kind")
        .and_then(|k| kinds.get(k))
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let window = &all[..all.len().min(WINDOW)];
    let items: Vec<Value> = window.iter().skip(offset).take(limit).cloned().collect();
    axum::Json(json!({
        "schema_version": "cavra.go-backend-pilot.rollback-drill-notification-history.v1",
        "product": "CAVRA", "items": items, "total": window.len(), "limit": limit, "offset": offset,
    }))
}
