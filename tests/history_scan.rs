//! History filters over the whole history (issue 13): the matches sit on the last page of a
//! store, a filter CAVRA lacks is scanned over every page (at most 4 requests in flight), the
//! total is the number of matches, and both modes agree (sample, and remote against the
//! contract server).

#[path = "support/contract_server/mod.rs"]
mod contract_server;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use serde_json::{Map, Value, json};

use cavra_tui::backend::remote::{Client, RemoteBackend};
use cavra_tui::backend::sample::SampleBackend;
use cavra_tui::backend::sample::store::Store;
use cavra_tui::backend::*;
use cavra_tui::domain::Record;
use cavra_tui::domain::ack::AckInput;
use cavra_tui::domain::audit::AuditScope;
use cavra_tui::domain::history::{HistoryQuery, in_family};
use cavra_tui::domain::history_filter::HistoryFilter;
use cavra_tui::domain::query::Page;
use cavra_tui::domain::record::{kind, source};
use cavra_tui::domain::retry::RetryAckInput;
use cavra_tui::domain::route::{RouteKey, RouteRow};
use cavra_tui::domain::worker::AlertQuery;
use cavra_tui::history_scan;

fn rec(v: Value) -> Record {
    Record::from_json(&v.to_string()).unwrap()
}

fn at(i: usize) -> String {
    format!(
        "2026-05-{:02}T{:02}:{:02}:00+00:00",
        1 + i / 1440,
        (i / 60) % 24,
        i % 60
    )
}

fn delivery(i: usize, providers: &[&str], ok: bool) -> Record {
    let failed: Vec<&str> = if ok { vec![] } else { providers.to_vec() };
    rec(
        json!({"session_id": format!("rcd-{i:05}"), "created_at": at(i), "metadata_kind": kind::CONNECTOR_DELIVERY,
               "connector_delivery_source": source::ACK_AUDIT, "delivery_success": ok, "providers": providers,
               "failed_providers": failed, "status_codes": [if ok { 200 } else { 503 }],
               "audit_id": "gordackaudit-1", "delivery_id": format!("gordackdelivery-{i}")}),
    )
}

/// A store whose SIEM deliveries are the oldest records: 7 failed and 3 delivered SIEM sends,
/// then 1,400 newer records of other kinds and providers (1,410 in the history).
fn store_with_matches_last() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut records = Vec::new();
    for i in 0..7 {
        records.push(delivery(
            i,
            &[["splunk", "sentinel", "datadog"][i % 3]],
            false,
        ));
    }
    for i in 7..10 {
        records.push(delivery(i, &["splunk"], true));
    }
    for i in 10..410 {
        records.push(delivery(i, &["jira"], i % 2 == 0));
    }
    for i in 410..900 {
        records.push(rec(json!({"session_id": format!("gordack-{i:05}"), "created_at": at(i),
                                "metadata_kind": kind::NOTIFICATION_ACK, "schedule_id": "s1",
                                "provider": if i % 2 == 0 { "Slack" } else { "slack" }, "acknowledgement_state": "acknowledged"})));
    }
    for i in 900..1390 {
        records.push(rec(json!({"session_id": format!("gordackretryack-{i:05}"), "created_at": at(i),
                                "metadata_kind": kind::RETRY_ACK, "provider": "webhook", "acknowledgement_state": "accepted"})));
    }
    for i in 1390..1410 {
        let k = if i % 2 == 0 {
            kind::WORKER_HEALTH_ALERT_PLAN
        } else {
            kind::WORKER_HEALTH_ALERT_ACK
        };
        records.push(rec(json!({"session_id": format!("gordackhealthalert-{i:05}"), "created_at": at(i),
                                "metadata_kind": k, "provider": "webhook", "alert_level": "warning"})));
    }
    let mut store = Store::open(&path).unwrap();
    store.put_records(&records).unwrap();
    drop(store);
    (dir, path)
}

/// The oracle: every family record of the store, matched with the filter's whole query.
fn expected(path: &std::path::Path, filter: &str) -> Vec<String> {
    let q = HistoryFilter::parse(filter).unwrap().query;
    let store = Store::open(path).unwrap();
    let mut all: Vec<Record> = store
        .family_records(500)
        .unwrap()
        .into_iter()
        .filter(|r| in_family(r) && q.matches(r) && q.console.matches(r))
        .collect();
    cavra_tui::domain::history::history_order(&mut all);
    all.iter().map(|r| r.session_id().to_string()).collect()
}

fn ids(page: &Map<String, Value>) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["session_id"].as_str().unwrap().to_string())
        .collect()
}

async fn check(b: &dyn Backend, path: &std::path::Path, filter: &str, want_n: usize) {
    let want = expected(path, filter);
    assert_eq!(want.len(), want_n, "{filter}: the oracle");
    let q = HistoryFilter::parse(filter).unwrap().query;
    let first = history_scan::page(b, &q, 50, 0).await.unwrap();
    assert_eq!(
        first["total"],
        json!(want_n),
        "{filter}: total is the matches"
    );
    let mut got = ids(&first);
    let mut offset = 50;
    while offset < want_n {
        got.extend(ids(&history_scan::page(b, &q, 50, offset).await.unwrap()));
        offset += 50;
    }
    assert_eq!(got, want, "{filter}: every match, in the server's order");
}

#[tokio::test]
async fn filters_find_every_match_when_the_matches_sit_on_the_last_page() {
    let (_dir, path) = store_with_matches_last();
    let b = SampleBackend::open(&path).unwrap();
    let all = b
        .history(HistoryQuery::default(), Page::first(50))
        .await
        .unwrap();
    assert_eq!(all["total"], json!(1410));
    check(&b, &path, "provider:siem state:failed", 7).await;
    check(&b, &path, "provider:siem", 10).await;
    check(&b, &path, "provider:Slack", 245).await;
    check(&b, &path, "provider:~slack", 490).await;
    check(&b, &path, "kind:worker-health", 20).await;
    check(
        &b,
        &path,
        "kind:\"retry acknowledgement\" state:accepted",
        490,
    )
    .await;
    let siem = HistoryFilter::parse("provider:siem state:failed")
        .unwrap()
        .query;
    let page = history_scan::page(&b, &siem, 50, 0).await.unwrap();
    assert_eq!(
        page["scanned"],
        json!(207),
        "only failed deliveries were sent back"
    );
}

/// Counts the history requests in flight at once.
struct Gauge {
    inner: SampleBackend,
    now: AtomicUsize,
    max: AtomicUsize,
    calls: AtomicUsize,
}

#[async_trait]
impl Backend for Gauge {
    fn info(&self) -> BackendInfo {
        self.inner.info()
    }
    async fn routes(&self) -> Result<Vec<RouteRow>, BackendError> {
        self.inner.routes().await
    }
    async fn route_records(&self, key: &RouteKey) -> Result<RouteRecords, BackendError> {
        self.inner.route_records(key).await
    }
    async fn acknowledge(&self, input: AckInput) -> Result<Record, BackendError> {
        self.inner.acknowledge(input).await
    }
    async fn bulk_acknowledge(&self, req: BulkRequest) -> Result<BulkOutcome, BackendError> {
        self.inner.bulk_acknowledge(req).await
    }
    async fn audit_package(&self, s: AuditScope, by: String) -> Result<Json, BackendError> {
        self.inner.audit_package(s, by).await
    }
    async fn dashboard(&self) -> Result<Json, BackendError> {
        self.inner.dashboard().await
    }
    async fn history(&self, q: HistoryQuery, page: Page) -> Result<Json, BackendError> {
        let n = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.max.fetch_max(n, Ordering::SeqCst);
        self.calls.fetch_add(1, Ordering::SeqCst);
        let out = self.inner.history(q, page).await;
        self.now.fetch_sub(1, Ordering::SeqCst);
        out
    }
    async fn deliver_audit(&self, r: AuditDeliveryRequest) -> Result<Json, BackendError> {
        self.inner.deliver_audit(r).await
    }
    async fn plan_retries(&self, r: RetryPlanRequest) -> Result<Json, BackendError> {
        self.inner.plan_retries(r).await
    }
    async fn retry_ack(&self, i: RetryAckInput) -> Result<Json, BackendError> {
        self.inner.retry_ack(i).await
    }
    async fn worker_run(&self, r: WorkerRunRequest) -> Result<Json, BackendError> {
        self.inner.worker_run(r).await
    }
    async fn worker_health(&self, p: HealthParams) -> Result<Json, BackendError> {
        self.inner.worker_health(p).await
    }
    async fn send_worker_alert(&self, r: SendAlertRequest) -> Result<Json, BackendError> {
        self.inner.send_worker_alert(r).await
    }
    async fn ack_worker_alert(&self, i: AlertAckInput) -> Result<Json, BackendError> {
        self.inner.ack_worker_alert(i).await
    }
    async fn worker_alerts(&self, q: AlertQuery, page: Page) -> Result<Json, BackendError> {
        self.inner.worker_alerts(q, page).await
    }
    async fn worker_alert_dashboard(&self) -> Result<Json, BackendError> {
        self.inner.worker_alert_dashboard().await
    }
    async fn archive_health(&self, r: ArchiveHealthRequest) -> Result<Json, BackendError> {
        self.inner.archive_health(r).await
    }
    async fn call(&self, c: cavra_tui::backend::Call) -> Result<Json, BackendError> {
        self.inner.call(c).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scan_reads_every_page_concurrently_and_at_most_four_at_once() {
    let (_dir, path) = store_with_matches_last();
    let g = Gauge {
        inner: SampleBackend::open(&path).unwrap(),
        now: AtomicUsize::new(0),
        max: AtomicUsize::new(0),
        calls: AtomicUsize::new(0),
    };
    let q = HistoryFilter::parse("provider:siem").unwrap().query;
    let page = history_scan::page(&g, &q, 50, 0).await.unwrap();
    assert_eq!(page["total"], json!(10));
    assert_eq!(page["scanned"], json!(1410));
    assert_eq!(
        g.calls.load(Ordering::SeqCst),
        3,
        "1,410 records in pages of 500"
    );
    assert!(g.max.load(Ordering::SeqCst) <= history_scan::IN_FLIGHT);
    // A filter CAVRA has is one request, the server's page.
    let sent = HistoryFilter::parse("provider:Slack state:acknowledged")
        .unwrap()
        .query;
    let page = history_scan::page(&g, &sent, 50, 0).await.unwrap();
    assert_eq!(g.calls.load(Ordering::SeqCst), 4);
    assert_eq!(page["total"], json!(245));
    assert!(page.get("scanned").is_none());
}

fn remote(url: &str) -> RemoteBackend {
    let client = Client::new(url.parse().unwrap(), None, None, Duration::from_secs(5)).unwrap();
    RemoteBackend::new("test", client.with_backoff(Duration::from_millis(10)))
}

#[tokio::test]
async fn remote_filters_page_through_the_server_and_send_what_cavra_has() {
    let (_dir, path) = store_with_matches_last();
    let server = contract_server::start(&path, None).await;
    let b = remote(&server.url());
    check(&b, &path, "provider:siem", 10).await;
    check(&b, &path, "provider:siem state:failed", 7).await;
    check(&b, &path, "kind:worker-health", 20).await;
    check(&b, &path, "provider:~SLACK", 490).await;
    let history: Vec<String> = server
        .seen()
        .into_iter()
        .filter(|s| s.path == contract_server::BASE)
        .map(|s| s.query)
        .collect();
    assert!(
        history
            .iter()
            .any(|q| q.contains("offset=1000") && q.contains("limit=500")),
        "the scan read the last page: {history:?}"
    );
    assert!(
        history.iter().any(|q| q.contains("delivery_success=false")),
        "state:failed is sent as delivery_success=false"
    );
    assert!(
        history.iter().all(|q| !q.contains("provider=siem")),
        "a provider group is never sent as a provider"
    );
    let before = server.seen().len();
    let q = HistoryFilter::parse("provider:Slack state:escalated")
        .unwrap()
        .query;
    history_scan::page(&b, &q, 50, 0).await.unwrap();
    let sent: Vec<String> = server.seen()[before..]
        .iter()
        .map(|s| s.query.clone())
        .collect();
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0].contains("provider=Slack"),
        "sent as typed: {sent:?}"
    );
    assert!(
        sent[0].contains("acknowledgement_state=escalated"),
        "{sent:?}"
    );
}
