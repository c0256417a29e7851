//! Execute Retry and deliveries say only what happened, against a contract server on 127.0.0.1
//! behind a layer that can spoil its answers: a history answer without `items`, or refused
//! with 401, stops the run before anything is sent (never "nothing will be sent" followed by a
//! live run; the 401 keeps the exit code a plain read gives it), and an execution record
//! without a status, or an audit delivery without a boolean `success`, is an outcome unknown
//! (exit 4), not a failed delivery. So are a bare `{}` answer to a delivering or recording
//! action, a live run without a readable list of results or execution records, and an
//! execution status its delivery contradicts; `success: false` without a `delivery` is a
//! failure (exit 1).

mod support;

#[path = "support/contract_server/mod.rs"]
mod contract_server;

use std::sync::Arc;
use std::sync::Mutex;

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::{Next, from_fn};
use axum::response::Response;
use serde_json::Value;

use contract_server::{BASE, Running, ServerState};

/// What the layer spoils.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spoil {
    Nothing,
    /// History answers (`GET {BASE}`) lose their `items` list (`total` stays).
    HistoryItems,
    /// History answers (`GET {BASE}`) hold one empty object, of no kind.
    HistoryBlankRecord,
    /// Worker-run answers lose each execution record's `execution_status`.
    ExecutionStatus,
    /// History reads (`GET {BASE}`) are refused with 401.
    HistoryUnauthorized,
    /// Audit-delivery answers lose each delivery's `success`.
    DeliverySuccess,
    /// The answer to a POST whose path ends with this is a bare `{}`.
    Bare(&'static str),
    /// Audit-delivery answers lose their `delivery` and say `success: false`.
    DeliveryGoneFailed,
    /// Worker-run answers carry `retry_results` as an object, not a list.
    ResultsNotList,
    /// Worker-run answers carry each execution record as this JSON text (`null`, a string…).
    ExecutionRecord(&'static str),
    /// Worker-run answers say each execution was `delivered` (its delivery unchanged).
    ExecutionDelivered,
}

fn spoil(v: &mut Value, how: Spoil) {
    match how {
        Spoil::Nothing => {}
        Spoil::HistoryItems => {
            if let Some(o) = v.as_object_mut() {
                o.remove("items");
            }
        }
        Spoil::HistoryBlankRecord => {
            if let Some(o) = v.as_object_mut() {
                o.insert("items".into(), serde_json::json!([{}]));
                o.insert("total".into(), serde_json::json!(1));
            }
        }
        Spoil::ExecutionStatus => {
            for r in v["retry_results"].as_array_mut().into_iter().flatten() {
                if let Some(e) = r["execution_record"].as_object_mut() {
                    e.remove("execution_status");
                }
            }
        }
        Spoil::HistoryUnauthorized => {}
        Spoil::Bare(_) => *v = serde_json::json!({}),
        Spoil::DeliveryGoneFailed => {
            let o = v.as_object_mut().unwrap();
            o.remove("delivery");
            o.insert("success".into(), Value::Bool(false));
        }
        Spoil::ResultsNotList => {
            let results = v["retry_results"].take();
            v["retry_results"] = serde_json::json!({ "results": results });
        }
        Spoil::ExecutionRecord(text) => {
            for r in v["retry_results"].as_array_mut().into_iter().flatten() {
                r["execution_record"] = serde_json::from_str(text).unwrap();
            }
        }
        Spoil::ExecutionDelivered => {
            for r in v["retry_results"].as_array_mut().into_iter().flatten() {
                r["execution_record"]["execution_status"] = "delivered".into();
            }
        }
        Spoil::DeliverySuccess => {
            for d in v["delivery"]["deliveries"]
                .as_array_mut()
                .into_iter()
                .flatten()
            {
                if let Some(d) = d.as_object_mut() {
                    d.remove("success");
                }
            }
        }
    }
}

/// The contract server over a seeded store, behind the spoiling layer (switched by `how`).
async fn server(db: &std::path::Path, how: Arc<Mutex<Spoil>>) -> Running {
    let state = Arc::new(ServerState {
        backend: cavra_tui::backend::sample::SampleBackend::open(db).unwrap(),
        auth: None,
        rbac_only: Default::default(),
        seen: Default::default(),
        delay: Default::default(),
        config: Mutex::new(Default::default()),
    });
    let app = contract_server::router(Arc::clone(&state)).layer(from_fn(
        move |req: Request, next: Next| {
            let how = Arc::clone(&how);
            async move {
                let (method, path) = (req.method().clone(), req.uri().path().to_string());
                let res = next.run(req).await;
                let how = *how.lock().unwrap();
                let applies = match how {
                    Spoil::Nothing => false,
                    Spoil::HistoryItems
                    | Spoil::HistoryBlankRecord
                    | Spoil::HistoryUnauthorized => method == Method::GET && path == BASE,
                    Spoil::ExecutionStatus
                    | Spoil::ResultsNotList
                    | Spoil::ExecutionRecord(_)
                    | Spoil::ExecutionDelivered => {
                        method == Method::POST && path.ends_with("/worker-run")
                    }
                    Spoil::DeliverySuccess | Spoil::DeliveryGoneFailed => {
                        method == Method::POST && path.ends_with("/acknowledgements/audit-delivery")
                    }
                    Spoil::Bare(end) => method == Method::POST && path.ends_with(end),
                };
                if !applies {
                    return res;
                }
                if how == Spoil::HistoryUnauthorized {
                    return contract_server::detail(
                        StatusCode::UNAUTHORIZED,
                        "console action requires verified actor context",
                    );
                }
                let (mut parts, body) = res.into_parts();
                let bytes = to_bytes(body, 64 << 20).await.unwrap();
                let mut v: Value = serde_json::from_slice(&bytes).unwrap();
                spoil(&mut v, how);
                parts.headers.remove(header::CONTENT_LENGTH);
                Response::from_parts(parts, Body::from(serde_json::to_vec(&v).unwrap()))
            }
        },
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    Running { addr, state }
}

use support::remote_cli as cli;

/// An outcome reported unknown (exit 4) for `provider` because of `why`: said on stderr with
/// where to look, marked `?` in the table, and never called a failure.
fn assert_unknown((code, out, err): (Option<i32>, &str, &str), provider: &str, why: &str) {
    assert_eq!(code, Some(4), "outcome unknown: {out}{err}");
    assert!(
        err.contains(&format!("delivery outcome unknown: {provider}: {why}"))
            && err.contains("`cavra-tui history`"),
        "{err}"
    );
    assert!(!err.contains("FAILED"), "not known to have failed: {err}");
    assert!(
        out.contains(&format!("? {provider}: {why}")) && !out.contains(&format!("✗ {provider}")),
        "{out}"
    );
}

/// Plans a retry, accepts splunk's, plans approvals and approves it: a live run would send.
fn approve_splunk(home: &std::path::Path, url: &str) {
    for args in [
        &["retry", "plan", "--yes"][..],
        &["retry", "ack", "--provider", "splunk", "--yes"],
        &["retry", "approval", "plan", "--yes"],
        &[
            "retry",
            "approval",
            "decide",
            "--provider",
            "splunk",
            "--state",
            "approved",
            "--yes",
        ],
    ] {
        let (code, _, err) = cli(home, url, args);
        assert_eq!(code, Some(0), "{args:?}: {err}");
    }
    let (code, _, preview) = cli(home, url, &["worker", "run", "--execute"]);
    assert_eq!(code, Some(2), "{preview}");
    assert!(preview.contains("re-send splunk"), "{preview}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_history_stops_execute_retry_before_anything_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let how = Arc::new(Mutex::new(Spoil::Nothing));
    let server = server(&dir.path().join("s.db"), Arc::clone(&how)).await;
    let (url, home) = (server.url(), dir.path().join("home"));
    let (code, err) = tokio::task::spawn_blocking(move || {
        approve_splunk(&home, &url);
        *how.lock().unwrap() = Spoil::HistoryItems;
        let (code, _, err) = cli(&home, &url, &["worker", "run", "--execute", "--yes"]);
        (code, err)
    })
    .await
    .unwrap();
    assert!(
        server.posts("/worker-run").is_empty(),
        "the live run was sent: {err}"
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("error: Execute Retry not run, nothing sent: the preview could not be read")
            && err.contains("no readable `items` list"),
        "{err}"
    );
    assert!(!err.contains("nothing will be sent"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_history_of_records_of_no_kind_stops_execute_retry_before_anything_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let how = Arc::new(Mutex::new(Spoil::Nothing));
    let server = server(&dir.path().join("s.db"), Arc::clone(&how)).await;
    let (url, home) = (server.url(), dir.path().join("home"));
    let (code, err) = tokio::task::spawn_blocking(move || {
        approve_splunk(&home, &url);
        *how.lock().unwrap() = Spoil::HistoryBlankRecord;
        let (code, _, err) = cli(&home, &url, &["worker", "run", "--execute", "--yes"]);
        (code, err)
    })
    .await
    .unwrap();
    assert!(server.posts("/worker-run").is_empty(), "sent: {err}");
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("are not of that kind") && !err.contains("nothing will be sent"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_execution_without_a_status_is_an_unknown_outcome_not_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let how = Arc::new(Mutex::new(Spoil::Nothing));
    let server = server(&dir.path().join("s.db"), Arc::clone(&how)).await;
    let (url, home) = (server.url(), dir.path().join("home"));
    let (code, out, err) = tokio::task::spawn_blocking(move || {
        approve_splunk(&home, &url);
        *how.lock().unwrap() = Spoil::ExecutionStatus;
        cli(
            &home,
            &url,
            &["worker", "run", "--execute", "--yes", "--output", "table"],
        )
    })
    .await
    .unwrap();
    assert_eq!(
        server.posts("/worker-run").len(),
        1,
        "the run was sent once"
    );
    assert_unknown((code, &out, &err), "splunk", "execution status missing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_preview_read_keeps_the_exit_code_a_plain_read_gets() {
    let dir = tempfile::tempdir().unwrap();
    let how = Arc::new(Mutex::new(Spoil::Nothing));
    let server = server(&dir.path().join("s.db"), Arc::clone(&how)).await;
    let (url, home) = (server.url(), dir.path().join("home"));
    let (read, run) = tokio::task::spawn_blocking(move || {
        approve_splunk(&home, &url);
        *how.lock().unwrap() = Spoil::HistoryUnauthorized;
        (
            cli(&home, &url, &["history"]),
            cli(&home, &url, &["worker", "run", "--execute", "--yes"]),
        )
    })
    .await
    .unwrap();
    let (read_code, _, read_err) = read;
    let (code, _, err) = run;
    assert!(
        server.posts("/worker-run").is_empty(),
        "the live run was sent: {err}"
    );
    assert!(
        read_err.contains("this server requires a verified console session"),
        "the plain read met the 401: {read_err}"
    );
    assert_ne!(read_code, Some(0), "{read_err}");
    assert_eq!(code, read_code, "the 401's own exit code: {err}");
    assert!(
        err.contains(
            "error: Execute Retry not run, nothing sent: the preview could not be read: \
             this server requires a verified console session"
        ),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_audit_delivery_without_a_boolean_success_is_an_unknown_outcome_not_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let how = Arc::new(Mutex::new(Spoil::Nothing));
    let server = server(&dir.path().join("s.db"), Arc::clone(&how)).await;
    let (url, home) = (server.url(), dir.path().join("home"));
    let deliver = [
        "audit",
        "deliver",
        "--provider",
        "slack",
        "--yes",
        "--output",
        "table",
    ];
    let (whole, spoiled) = tokio::task::spawn_blocking(move || {
        let whole = cli(&home, &url, &deliver);
        *how.lock().unwrap() = Spoil::DeliverySuccess;
        (whole, cli(&home, &url, &deliver))
    })
    .await
    .unwrap();
    // The same delivery with its `success` intact is a success.
    let (code, out, err) = whole;
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("✓ slack: status 200"), "{out}");
    let (code, out, err) = spoiled;
    assert_eq!(
        server.posts("/audit-delivery").len(),
        2,
        "each was sent once"
    );
    assert_unknown(
        (code, &out, &err),
        "slack",
        "delivery result missing (status 200)",
    );
}

/// Runs `args` once with `how` spoiling the answer (after `setup`, unspoiled), on a fresh
/// server; returns (exit code, stdout, stderr) and how many POSTs ending with `post` it saw.
fn spoiled_run(
    setup: fn(&std::path::Path, &str),
    how: Spoil,
    args: &[&str],
    post: &str,
) -> ((Option<i32>, String, String), usize) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let spoiling = Arc::new(Mutex::new(Spoil::Nothing));
    let server = rt.block_on(server(&dir.path().join("s.db"), Arc::clone(&spoiling)));
    let (url, home) = (server.url(), dir.path().join("home"));
    setup(&home, &url);
    let before = server.posts(post).len();
    *spoiling.lock().unwrap() = how;
    let out = cli(&home, &url, args);
    (out, server.posts(post).len() - before)
}

fn nothing(_: &std::path::Path, _: &str) {}

fn retry_planned(home: &std::path::Path, url: &str) {
    let (code, _, err) = cli(home, url, &["retry", "plan", "--yes"]);
    assert_eq!(code, Some(0), "{err}");
}

/// A command run after a setup, the path its POST ends with, and what the error names.
type Case = (
    fn(&std::path::Path, &str),
    &'static [&'static str],
    &'static str,
    &'static str,
);

#[test]
fn bare_answers_to_delivering_and_recording_actions_are_unknown_not_success() {
    let cases: [Case; 5] = [
        (
            nothing,
            &[
                "audit",
                "deliver",
                "--provider",
                "splunk",
                "--yes",
                "--output",
                "table",
            ],
            "/acknowledgements/audit-delivery",
            "it has no `delivery`",
        ),
        (
            approve_splunk,
            &["worker", "run", "--execute", "--yes", "--output", "table"],
            "/worker-run",
            "it has no `retry_results`",
        ),
        (
            nothing,
            &[
                "auditor-retry",
                "run",
                "--execute",
                "--yes",
                "--output",
                "table",
            ],
            "/delivery-retry-worker-run",
            "it has no `retry_results`",
        ),
        (
            nothing,
            &["worker", "alert", "send", "--yes", "--output", "table"],
            "/worker-health-alerts/deliver",
            "it has no `delivery`",
        ),
        (
            retry_planned,
            &[
                "retry",
                "ack",
                "--provider",
                "splunk",
                "--yes",
                "--output",
                "table",
            ],
            "/acknowledgements",
            "no `acknowledgement` with its `acknowledgement_id`",
        ),
    ];
    for (setup, args, post, says) in cases {
        let ((code, out, err), sent) = spoiled_run(setup, Spoil::Bare(post), args, post);
        assert_eq!(sent, 1, "{args:?} was sent once: {err}");
        assert_eq!(code, Some(4), "{args:?}: outcome unknown: {out}{err}");
        assert!(
            err.contains("error: ")
                && err.contains(": answered, but the answer did not show the record")
                && err.contains(says)
                && err.contains("`cavra-tui history`"),
            "{args:?}: {err}"
        );
        assert!(!err.contains(": recorded"), "{args:?}: {err}");
        // Nothing printed as if a record came back with its fields blank.
        assert!(
            !out.contains("destinations null")
                && !out.contains("recorded  for")
                && !out.contains("✓"),
            "{args:?}: {out}"
        );
        assert!(
            out.contains("? the answer did not show the record"),
            "{args:?}: {out}"
        );
    }
}

#[test]
fn success_false_without_a_delivery_is_a_failure() {
    let args = &[
        "audit",
        "deliver",
        "--provider",
        "slack",
        "--yes",
        "--output",
        "table",
    ];
    let post = "/acknowledgements/audit-delivery";
    let ((code, out, err), sent) = spoiled_run(nothing, Spoil::DeliveryGoneFailed, args, post);
    assert_eq!(sent, 1);
    assert_eq!(code, Some(1), "a failure: {out}{err}");
    assert!(
        err.contains(
            "Deliver Ack Audit: recorded, but delivery FAILED: the server reports `success: \
             false` (the answer does not show which delivery failed)"
        ),
        "{err}"
    );
    assert!(
        out.contains("✗ the server reports `success: false`"),
        "{out}"
    );
    assert!(!err.contains("unknown"), "the server said it failed: {err}");
}

#[test]
fn a_live_run_without_readable_results_or_executions_is_unknown() {
    let args = &["worker", "run", "--execute", "--yes", "--output", "table"];
    let cases = [
        (
            Spoil::ResultsNotList,
            "? the answer does not say which retries went out: its `retry_results` is not a list",
        ),
        (
            Spoil::ExecutionRecord("null"),
            "? splunk: no readable execution record (status 503)",
        ),
        (
            Spoil::ExecutionRecord("\"gordackretryexec-1\""),
            "? splunk: no readable execution record (status 503)",
        ),
        (
            Spoil::ExecutionDelivered,
            "? splunk: execution delivered, but its delivery failed (status 503)",
        ),
    ];
    for (how, line) in cases {
        let ((code, out, err), sent) = spoiled_run(approve_splunk, how, args, "/worker-run");
        assert_eq!(sent, 1, "{how:?}: {err}");
        assert_eq!(code, Some(4), "{how:?}: outcome unknown: {out}{err}");
        assert!(out.contains(line), "{how:?}: {out}");
        assert!(
            err.contains("Execute Retry: recorded, but delivery outcome unknown: ")
                && err.contains("`cavra-tui history`"),
            "{how:?}: {err}"
        );
        assert!(
            !out.contains("✓ splunk") && !err.contains("FAILED"),
            "{how:?}: neither delivered nor known to have failed: {out}{err}"
        );
    }
}
