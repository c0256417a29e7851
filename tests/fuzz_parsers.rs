//! Issue 10, property tests: the parsers (routes and history filters, key specs, config and
//! theme files) and the readers of every endpoint's answer (dashboard cards, facts, history,
//! decision and alert rows, verdicts, the choice of a retry decision or alert, the route
//! derivation, and the remote backend's session and routes over HTTP) are fed arbitrary input;
//! none may panic, and derived routes keep their invariants (no made-up age, a breach never
//! hidden). The default run is bounded (proptest's 256 cases per property, a few seconds); a
//! longer one: `PROPTEST_CASES=100000 cargo test --release --test fuzz_parsers`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

use cavra_tui::actions::select::{self, DecisionChoice};
use cavra_tui::actions::verdict::Verdict;
use cavra_tui::backend::Backend;
use cavra_tui::config::{Config, KeyList};
use cavra_tui::domain::Record;
use cavra_tui::domain::filter::RouteFilter;
use cavra_tui::domain::history_filter::HistoryFilter;
use cavra_tui::domain::record::kind;
use cavra_tui::domain::route::{MAX_AGE_MINUTES, derive_routes};
use cavra_tui::keymap::{KeySpec, Keymap};
use cavra_tui::theme::Theme;
use cavra_tui::views::{cards, facts, rows};

/// Keys the readers look for, so generated objects actually reach their code paths.
const KEYS: &[&str] = &[
    "items",
    "total",
    "offset",
    "plan",
    "route_decisions",
    "provider",
    "schedule_id",
    "owner",
    "escalation_owner",
    "action",
    "acknowledgement_minutes",
    "created_at",
    "metadata_kind",
    "session_id",
    "plan_id",
    "acknowledgement",
    "acknowledgement_state",
    "acknowledged_by",
    "acknowledged_at",
    "notes",
    "external_ref",
    "run",
    "health",
    "alerts",
    "severity",
    "category",
    "message",
    "alert_id",
    "retry_decisions",
    "delivery_id",
    "export_id",
    "audit_id",
    "retry_count",
    "max_retry_attempts",
    "next_retry_at",
    "failed_status_codes",
    "reason",
    "mode",
    "authenticated",
    "auth_required",
    "actor",
    "permissions",
    "acknowledge_drill_notifications",
    "oidc_configured",
    "success",
    "delivery_plan",
    "selected_providers",
    "suppressed_providers",
    "deliveries",
    "delivery",
    "status_code",
    "recommended_actions",
    "follow_up_actions",
    "outstanding_acknowledgements",
    "alert_level",
    "summary",
    "schedule",
    "health_id",
    "retry_plan_id",
    "acknowledgement_audit_delivery_retry_plan",
    "maintenance_window",
    "owner_availability",
    "available",
    "detail",
    "selected_retries",
    "simulated",
    "error",
];

/// Words the readers compare against, dates good and bad, and hostile text.
const WORDS: &[&str] = &[
    "",
    "not-a-date",
    "2026-05-20T10:00:00+00:00",
    "2026-05-20T10:00:00",
    "0001-01-01T00:00:00",
    "9999-12-31T23:59:59Z",
    "sixty",
    "45",
    "suppress",
    "deliver",
    "retry",
    "wait",
    "acknowledged",
    "resolved",
    "escalated",
    "critical",
    "warning",
    "healthy",
    "slack",
    kind::NOTIFICATION_PLAN,
    kind::NOTIFICATION_ACK,
    kind::RETRY_PLAN,
    "\u{1b}]0;t\u{7}\u{9b}2J",
    "İİİ",
    "ǅ\u{301}",
    "/",
    "a/b/c",
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(WORDS).prop_map(str::to_string),
        1 => prop::collection::vec(any::<char>(), 0..10).prop_map(String::from_iter),
    ]
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from), // NaN and infinities become null
        prop::sample::select(vec![1e308, -1e308, 0.5, -0.0, 60.0]).prop_map(Value::from),
    ]
}

/// Arbitrary JSON, biased towards the shapes CAVRA answers with.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let key = prop_oneof![
            4 => prop::sample::select(KEYS).prop_map(str::to_string),
            1 => text(),
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((key, inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn object(v: &Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

/// Every object found anywhere in `v` (the records a page or a nested plan may hold).
fn objects(v: &Value, out: &mut Vec<Map<String, Value>>) {
    match v {
        Value::Object(m) => {
            out.push(m.clone());
            m.values().for_each(|x| objects(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| objects(x, out)),
        _ => {}
    }
}

fn every_reader(v: &Value) {
    let m = object(v);
    let mut all = Vec::new();
    objects(v, &mut all);
    for o in std::iter::once(&m).chain(all.iter()) {
        let _ = cards::dashboard_cards(o);
        let _ = (
            facts::worker_health(o),
            facts::worker_run(o),
            facts::follow_ups(o),
        );
        let _ = (
            facts::alert_dashboard(o),
            facts::archive_health(o),
            facts::level(o),
        );
        let _ = (facts::retry_plan_summary(o), facts::acknowledgement_line(o));
        let _ = facts::strings(o, "recommended_actions");
        for d in rows::decisions(o) {
            let _ = rows::decision_row(&d);
        }
        let _ = rows::history_row(&Record(o.clone()));
        let _ = rows::alert_line(&Value::Object(o.clone()));
        let _ = Verdict::of(o).lines();
        let choice = DecisionChoice {
            provider: Some("slack"),
            delivery_id: None,
            audit_id: None,
        };
        if let Ok(d) = select::retry_decision(o, &choice) {
            let _ = select::retry_ack(o, &d, "accepted", "fuzz");
        }
        if let Ok(e) = select::outstanding_alert(o, None, None) {
            let _ = select::alert_ack(&e, "acknowledged", "fuzz");
        }
    }
    // The route derivation over every object as a record, plans and acks alike.
    let records: Vec<Record> = all.into_iter().map(Record).collect();
    let now = Utc.with_ymd_and_hms(2026, 5, 20, 12, 0, 0).unwrap();
    let filter = RouteFilter::parse("owner:a state:breached").unwrap();
    for r in derive_routes(&records, &records, now) {
        assert!(
            r.age_minutes.is_finite() && (0.0..=MAX_AGE_MINUTES).contains(&r.age_minutes),
            "no absurd age: {r:?}"
        );
        if r.age_unknown() && r.is_outstanding() {
            assert!(r.breached, "an unknown age never hides a breach: {r:?}");
        }
        let _ = (rows::age_slo(&r), r.flaw_text(), filter.matches(&r));
    }
}

proptest! {
    #[test]
    fn route_filter_parses_anything(expr in text(), tail in prop::collection::vec(any::<char>(), 0..30)) {
        let expr = format!("{expr} {}", String::from_iter(tail));
        if let Ok(f) = RouteFilter::parse(&expr) {
            let _ = f.is_empty();
        }
    }

    #[test]
    fn history_filter_parses_anything(parts in prop::collection::vec((prop::sample::select(
        &["", "source:", "provider:", "siem", "state:", "kind:", "success:", "level:", "audit:",
          "delivery:", "cadence:", "schedule:", ":", "::"][..]), text()), 0..6)) {
        let expr: String = parts.iter().map(|(k, v)| format!("{k}{v} ")).collect();
        if let Ok(f) = HistoryFilter::parse(&expr) {
            let _ = f.query.console.matches(&Record(Map::new()));
            let _ = f.query.matches(&Record(Map::new()));
        }
    }

    #[test]
    fn key_specs_never_panic(spec in text(), prefix in prop::sample::select(
        &["", "ctrl-", "CTRL-", "c-", "shift-", "alt-", "İ", "ctrl-shift-"][..])) {
        let _ = KeySpec::parse(&format!("{prefix}{spec}"));
        let mut keys = BTreeMap::new();
        keys.insert("quit".to_string(), KeyList::One(format!("{prefix}{spec}")));
        keys.insert(spec.clone(), KeyList::Many(vec![spec.clone(), "q".into()]));
        let _ = Keymap::with_overrides(&keys);
    }

    #[test]
    fn config_and_theme_files_never_panic(lines in prop::collection::vec(prop_oneof![
        3 => prop::sample::select(&[
            "[keys]", "quit = \"CTRL-İİİ\"", "acknowledge = [\"a\", \"ctrl-\\u0000\"]", "theme = 5",
            "[contexts.x]", "api_url = \"http://[::1\"", "api_url = \"http://u:p@h\"",
            "refresh_seconds = -1", "max_response_mib = 1e308", "operator = \"\\u001b]0;x\\u0007\"",
            "[styles]", "title = { fg = \"#zzzzzz\" }", "fg = \"#ff8000\"", "bold = \"yes\"",
            "default_context = \"nope\"", "[contexts.\"\"]", "readonly = \"yes\"", "x = [[1]]",
        ][..]).prop_map(str::to_string),
        1 => text(),
    ], 0..10)) {
        let file = lines.join("\n");
        if let Ok(loaded) = Config::parse(&file) {
            let _ = Keymap::with_overrides(&loaded.config.keys);
            let _ = cavra_tui::context::names(&loaded.config);
            let _ = cavra_tui::context::choose(&Default::default(), &loaded.config);
        }
        let _ = Theme::parse(&file);
    }

    #[test]
    fn every_answer_reader_tolerates_any_json(v in json_value()) {
        every_reader(&v);
    }

    #[test]
    fn pages_of_odd_records_derive_routes_without_panic(items in prop::collection::vec(json_value(), 0..6),
                                                        slo in json_value(), date in text()) {
        let plan = json!({"metadata_kind": kind::NOTIFICATION_PLAN, "created_at": date, "schedule_id": "s",
                          "plan": {"route_decisions": [{"provider": "slack", "acknowledgement_minutes": slo}]}});
        let page = json!({"items": items.into_iter().chain([plan]).collect::<Vec<_>>()});
        every_reader(&page);
    }
}

/// A server answering whatever the current case put in `answer`.
async fn echo(answer: Arc<Mutex<Value>>) -> String {
    let app = axum::Router::new().fallback(move || {
        let v = answer.lock().unwrap().clone();
        async move { axum::Json(v) }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

#[test]
fn the_remote_backend_reads_any_answer_without_panic() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let answer = Arc::new(Mutex::new(Value::Null));
    let url = rt.block_on(echo(Arc::clone(&answer)));
    let client = cavra_tui::backend::remote::Client::new(
        url.parse().unwrap(),
        None,
        None,
        std::time::Duration::from_secs(5),
    )
    .unwrap()
    .with_backoff(std::time::Duration::from_millis(1));
    let backend = cavra_tui::backend::remote::RemoteBackend::new("fuzz", client);
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256u32)
        .min(2_000); // HTTP round trips: the long run is bounded by the parsers, not here
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(cases));
    let page = prop_oneof![
        json_value(),
        prop::collection::vec(json_value(), 0..5)
            .prop_map(|items| json!({"items": items, "total": 3, "offset": 0})),
    ];
    runner
        .run(&page, |v| {
            *answer.lock().unwrap() = v;
            rt.block_on(async {
                if let Ok(s) = backend.session().await {
                    let _ = (s.blocked_reason(), s.verified_actor());
                }
                if let Ok(rows) = backend.routes().await {
                    for r in rows {
                        let _ = rows::age_slo(&r);
                    }
                }
                let _ = backend.dashboard().await;
            });
            Ok(())
        })
        .unwrap();
}
