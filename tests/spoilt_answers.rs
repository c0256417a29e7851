//! A spoilt 200 answer to an acknowledgement is never taken for success, and a stored
//! acknowledgement is never reported as a failure. Through a proxy on 127.0.0.1 that forwards
//! each write to a real contract server and then replaces the answer (`{}`, `{"results":[]}`,
//! a count with an empty list), the console re-reads the server and reports each route as
//! recorded, not recorded or unknown, exactly as the server holds it (CLI exit 0, 3, 1 or 4).

mod support;

#[path = "support/contract_server/mod.rs"]
mod contract_server;
#[path = "support/spoiling_proxy.rs"]
mod spoiling_proxy;

use std::collections::BTreeSet;
use std::sync::atomic::Ordering;

use serde_json::{Value, json};

use cavra_tui::backend::Backend;
use cavra_tui::domain::history::HistoryQuery;
use cavra_tui::domain::query::Page;
use cavra_tui::domain::record::kind;

/// A contract server behind a spoiling proxy, with a runtime to keep them serving.
struct Rig {
    rt: tokio::runtime::Runtime,
    server: contract_server::Running,
    proxy: spoiling_proxy::Proxy,
    _dir: tempfile::TempDir,
    home: tempfile::TempDir,
}

/// A rig, and the routes (two or more) `bulk ack-outstanding` over [`FILTER`] would record.
fn rig_with_routes() -> (Rig, BTreeSet<String>) {
    let rig = rig();
    let planned = rig.planned(FILTER);
    assert!(planned.len() >= 2, "{planned:?}");
    (rig, planned)
}

fn rig() -> Rig {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (server, proxy) = rt.block_on(async {
        let server = contract_server::start(&dir.path().join("s.db"), None).await;
        let proxy = spoiling_proxy::start(server.addr).await;
        (server, proxy)
    });
    Rig {
        rt,
        server,
        proxy,
        _dir: dir,
        home: tempfile::tempdir().unwrap(),
    }
}

impl Rig {
    /// Runs the binary through the proxy with `--output json`: (exit code, stdout JSON, stderr).
    fn run(&self, args: &[&str]) -> (Option<i32>, Value, String) {
        let args: Vec<&str> = ["--output", "json"].iter().chain(args).copied().collect();
        let (code, out, err) = support::remote_cli(self.home.path(), &self.proxy.url(), &args);
        let json = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
        (code, json, err)
    }

    /// The routes the server holds an acknowledgement for with `note`, as "schedule/provider".
    fn stored(&self, note: &str) -> BTreeSet<String> {
        let q = HistoryQuery {
            metadata_kind: Some(kind::NOTIFICATION_ACK.into()),
            ..Default::default()
        };
        let page = self
            .rt
            .block_on(self.server.state.backend.history(q, Page::first(500)))
            .unwrap();
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["acknowledgement"]["notes"] == note)
            .map(|r| format!("{}/{}", text(&r["schedule_id"]), text(&r["provider"])))
            .collect()
    }

    /// `bulk ack-outstanding` over [`FILTER`] with `note`, through the proxy.
    fn bulk_ack(&self, note: &str) -> (Option<i32>, Value, String) {
        self.run(&[
            "bulk",
            "ack-outstanding",
            "--filter",
            FILTER,
            "--yes",
            "--note",
            note,
        ])
    }

    /// The outstanding routes `bulk ack-outstanding` would record for `filter`.
    fn planned(&self, filter: &str) -> BTreeSet<String> {
        self.planned_by("ack-outstanding", &["--filter", filter])
    }

    /// The routes `bulk ACTION` would record with the `filter` flags.
    fn planned_by(&self, action: &str, filter: &[&str]) -> BTreeSet<String> {
        let args = [&["bulk", action, "--dry-run"], filter].concat();
        let (code, out, err) = self.run(&args);
        assert_eq!(code, Some(0), "{err}");
        out["plan"]["routes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| route(&p["route"]))
            .collect()
    }
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

/// A route as the CLI's JSON names it: "schedule/provider", or an object with both.
fn route(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        _ => format!("{}/{}", text(&v["schedule_id"]), text(&v["provider"])),
    }
}

fn routes(list: &Value) -> BTreeSet<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| route(e.get("route").unwrap_or(e)))
        .collect()
}

const FILTER: &str = "provider:slack";

#[test]
fn a_bulk_answer_that_shows_no_acknowledgements_is_re_read_and_every_stored_route_found() {
    for body in [
        "{}".to_string(),
        r#"{"results":[]}"#.to_string(),
        r#"{"acknowledgement_count":4,"acknowledgements":[]}"#.to_string(),
    ] {
        let (rig, planned) = rig_with_routes();
        rig.proxy.answer(&body);
        let note = "spoilt-bulk";
        let (code, out, err) = rig.bulk_ack(note);
        assert_eq!(rig.proxy.spoil.spoilt.load(Ordering::SeqCst), 1, "{body}");
        let stored = rig.stored(note);
        assert_eq!(stored, planned, "{body}: the server stored them all");
        assert_eq!(code, Some(0), "{body}: {out}\n{err}");
        assert_eq!(routes(&out["recorded"]), stored, "{body}: {out}");
        assert_eq!(routes(&out["found_on_reread"]), stored, "{body}: {out}");
        assert!(routes(&out["not_recorded"]).is_empty(), "{body}: {out}");
        assert!(routes(&out["outcome_unknown"]).is_empty(), "{body}: {out}");
        assert_eq!(
            rig.stored(note).len(),
            planned.len(),
            "{body}: nothing sent twice"
        );
    }
}

#[test]
fn a_spoilt_bulk_answer_when_the_server_stored_only_some_routes_is_partly_recorded() {
    let (rig, planned) = rig_with_routes();
    // The server receives (and stores) only the first route; the answer shows nothing.
    *rig.proxy.spoil.keep_routes.lock().unwrap() = Some(1);
    rig.proxy.answer(&format!(
        r#"{{"acknowledgement_count":{},"acknowledgements":[]}}"#,
        planned.len()
    ));
    let note = "spoilt-partly";
    let (code, out, err) = rig.bulk_ack(note);
    let stored = rig.stored(note);
    assert_eq!(stored.len(), 1, "{stored:?}");
    assert_eq!(code, Some(3), "{out}\n{err}");
    assert_eq!(
        routes(&out["recorded"]),
        stored,
        "only what the server holds: {out}"
    );
    let missing: BTreeSet<String> = planned.difference(&stored).cloned().collect();
    assert_eq!(routes(&out["not_recorded"]), missing, "{out}");
    for e in out["not_recorded"].as_array().unwrap() {
        let why = text(&e["reason"]);
        assert!(
            why.contains("does not show") && why.contains("a re-read finds nothing stored as sent"),
            "{why}"
        );
    }
}

#[test]
fn a_spoilt_bulk_answer_to_a_write_never_stored_is_not_recorded() {
    let rig = rig();
    let planned = rig.planned_by("escalate-breached", &[]);
    assert!(!planned.is_empty());
    rig.proxy.spoil.swallow.store(true, Ordering::SeqCst);
    rig.proxy.answer("{}");
    let note = "spoilt-swallowed";
    let (code, out, err) = rig.run(&["bulk", "escalate-breached", "--yes", "--note", note]);
    assert!(rig.stored(note).is_empty());
    assert_eq!(code, Some(1), "{out}\n{err}");
    assert!(routes(&out["recorded"]).is_empty(), "{out}");
    assert_eq!(routes(&out["not_recorded"]), planned, "{out}");
}

#[test]
fn a_spoilt_bulk_answer_that_cannot_be_re_read_is_unknown() {
    let rig = rig();
    let planned = rig.planned(FILTER);
    rig.proxy
        .spoil
        .refuse_after_spoil
        .store(true, Ordering::SeqCst);
    rig.proxy.answer("{}");
    let (code, out, err) = rig.run(&["bulk", "ack-outstanding", "--filter", FILTER, "--yes"]);
    assert_eq!(code, Some(4), "{out}\n{err}");
    assert!(routes(&out["recorded"]).is_empty(), "{out}");
    assert_eq!(routes(&out["outcome_unknown"]), planned, "{out}");
    assert!(err.contains("unknown"), "{err}");
}

#[test]
fn a_stored_route_ack_whose_answer_is_spoilt_is_found_on_the_server() {
    let rig = rig();
    let planned = rig.planned(FILTER);
    let target = planned.iter().next().unwrap().clone();
    rig.proxy.answer("{}");
    let note = "spoilt-single";
    let (code, out, err) = rig.run(&["ack", "--route", &target, "--yes", "--note", note]);
    assert_eq!(rig.stored(note), BTreeSet::from([target.clone()]));
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert_eq!(
        routes(&out["recorded"]),
        BTreeSet::from([target.clone()]),
        "{out}"
    );
    assert_eq!(
        routes(&out["found_on_reread"]),
        BTreeSet::from([target]),
        "{out}"
    );
    assert!(!err.contains("error"), "{err}");
}

#[test]
fn a_route_ack_never_stored_whose_answer_is_spoilt_is_not_recorded() {
    let rig = rig();
    let target = rig.planned(FILTER).into_iter().next().unwrap();
    rig.proxy.spoil.swallow.store(true, Ordering::SeqCst);
    rig.proxy.answer(r#"{"acknowledgement":{}}"#);
    let note = "spoilt-single-lost";
    let (code, out, err) = rig.run(&["ack", "--route", &target, "--yes", "--note", note]);
    assert!(rig.stored(note).is_empty());
    assert_eq!(code, Some(1), "{out}\n{err}");
    assert!(routes(&out["recorded"]).is_empty(), "{out}");
    assert_eq!(
        routes(&out["not_recorded"]),
        BTreeSet::from([target]),
        "{out}"
    );
}

#[test]
fn a_route_ack_answered_success_false_is_re_read_not_taken_for_recorded() {
    for (said, shown) in [
        (json!(false), "`success: false`"),
        (
            json!("false"),
            "`success: \"false\"`, which is not true or false",
        ),
    ] {
        let rig = rig();
        let target = rig.planned(FILTER).into_iter().next().unwrap();
        let (schedule, provider) = target.split_once('/').unwrap();
        rig.proxy.spoil.swallow.store(true, Ordering::SeqCst);
        // The answer shows a record, but does not say the write succeeded; nothing was stored.
        rig.proxy.answer(
            &json!({"success": said,
                "acknowledgement": {"acknowledgement_id": "x", "schedule_id": schedule, "provider": provider},
                "metadata": {"session_id": "gordack-x", "schedule_id": schedule, "provider": provider}})
            .to_string(),
        );
        let note = "said-false-single";
        let (code, out, err) = rig.run(&["ack", "--route", &target, "--yes", "--note", note]);
        assert!(rig.stored(note).is_empty());
        assert_eq!(code, Some(1), "{said}: {out}\n{err}");
        assert!(routes(&out["recorded"]).is_empty(), "{out}");
        let why = text(&out["not_recorded"][0]["reason"]);
        assert!(
            why.contains(shown) && why.contains("a re-read finds nothing stored as sent"),
            "{why}"
        );
    }
}

#[test]
fn a_bulk_answer_with_success_false_is_re_read_not_taken_for_recorded() {
    let (rig, planned) = rig_with_routes();
    let acks: Vec<Value> = planned
        .iter()
        .map(|r| {
            let (s, p) = r.split_once('/').unwrap();
            serde_json::json!({"schedule_id": s, "provider": p, "acknowledgement_id": "x",
                "acknowledgement_state": "acknowledged"})
        })
        .collect();
    rig.proxy.spoil.swallow.store(true, Ordering::SeqCst);
    rig.proxy.answer(
        &json!({"success": false, "acknowledgement_count": acks.len(), "acknowledgements": acks})
            .to_string(),
    );
    let note = "said-false-bulk";
    let (code, out, err) = rig.bulk_ack(note);
    assert!(rig.stored(note).is_empty());
    assert_eq!(code, Some(1), "{out}\n{err}");
    assert!(routes(&out["recorded"]).is_empty(), "{out}");
    assert_eq!(routes(&out["not_recorded"]), planned, "{out}");
    assert!(
        text(&out["not_recorded"][0]["reason"]).contains("`success: false`"),
        "{out}"
    );
}
