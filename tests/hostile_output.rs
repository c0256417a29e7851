//! Issue 10, terminal injection through the CLI: every subcommand, in table and JSON output,
//! against a server whose every string (and in one run every key) carries a title change, a
//! screen clear, an OSC 52 clipboard write, the alternate screen and a C1 CSI, and against one
//! whose every error `detail` carries them. Nothing a terminal would interpret may reach stdout
//! or stderr, nothing may panic, and the JSON output must still hold the server's strings
//! exactly (escaped, not lost).

mod support;

#[path = "support/contract_server/mod.rs"]
mod contract_server;
#[path = "support/hostile.rs"]
mod hostile;

use serde_json::Value;

use hostile::{Mode, PAYLOAD};

/// Does any string (or key) of `v` still hold the whole payload, byte for byte?
fn holds_payload(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains(PAYLOAD),
        Value::Array(a) => a.iter().any(holds_payload),
        Value::Object(m) => m
            .iter()
            .any(|(k, x)| k.contains(PAYLOAD) || holds_payload(x)),
        _ => false,
    }
}

/// Runs every subcommand in both formats against a server in `mode`; returns the runs made.
async fn every_subcommand(mode: Mode) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let url = hostile::poisoned(&dir.path().join("server.db"), mode).await;
    let home = dir.path().join("home");
    let route = format!("payments_api_monthly{PAYLOAD}/teams{PAYLOAD}");
    tokio::task::spawn_blocking(move || {
        let mut runs = 0;
        let mut shown_escaped = 0;
        for output in ["table", "json"] {
            for args in hostile::subcommands(&route) {
                let o = hostile::run(&home, &url, &args, output);
                let what = format!("{mode:?} {output} {}", args.join(" ")).replace(PAYLOAD, "<payload>");
                runs += 1;
                hostile::assert_clean(&what, &o);
                let stderr = String::from_utf8_lossy(&o.stderr);
                assert!(!stderr.contains("panicked"), "{what}: {stderr}");
                let code = o.status.code();
                println!("{what}: exit {code:?}");
                assert!(
                    matches!(code, Some(0..=4)),
                    "{what}: exit {code:?}: {stderr}"
                );
                let all = format!("{}{stderr}", String::from_utf8_lossy(&o.stdout));
                if all.contains("\\x1b]0;pwned-title\\x07") || all.contains("\\u001b]0;pwned-title") {
                    shown_escaped += 1;
                }
                // The JSON output keeps the server's strings whole: escaped, not dropped.
                if output == "json" && mode == Mode::Readable && args[0] == "routes" {
                    let v: Value = serde_json::from_slice(&o.stdout)
                        .unwrap_or_else(|e| panic!("{what}: not JSON ({e})"));
                    assert!(holds_payload(&v), "{what}: the payload was lost");
                    let rows = v.as_array().map(Vec::len).unwrap_or(0);
                    assert!(rows >= 5, "{what}: {rows} routes");
                }
            }
        }
        let want = if mode == Mode::Total { 1 } else { runs / 2 };
        assert!(
            shown_escaped >= want,
            "{mode:?}: the hostile strings were shown (escaped) by most runs: {shown_escaped} of {runs}"
        );
        runs
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_subcommand_escapes_hostile_strings_in_table_and_json() {
    let runs = every_subcommand(Mode::Readable).await;
    println!("hostile strings: {runs} runs clean");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_subcommand_escapes_hostile_keys_kinds_and_dates() {
    let runs = every_subcommand(Mode::Total).await;
    println!("hostile keys, kinds and dates: {runs} runs clean");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_subcommand_escapes_hostile_error_details() {
    let runs = every_subcommand(Mode::Errors).await;
    println!("hostile error details: {runs} runs clean");
}

#[test]
fn the_check_itself_sees_raw_sequences() {
    let raw = std::process::Output {
        status: std::process::ExitStatus::default(),
        stdout: format!("owner {PAYLOAD}").into_bytes(),
        stderr: Vec::new(),
    };
    assert!(hostile::first_control(&raw.stdout).is_some());
    assert!(hostile::first_control(b"x\x9by").is_some(), "a raw C1 byte");
    assert!(
        hostile::first_control("x\u{9b}y".as_bytes()).is_some(),
        "C1 as UTF-8"
    );
    assert!(hostile::first_control(b"a\tb\nc").is_none());
}

/// The commands and `main.rs` print only through `outln!` / `out!` / `errln!` (which make the
/// whole line terminal-safe): a raw `println!` added later would be a path around them.
#[test]
fn commands_and_main_print_only_through_the_safe_macros() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("src/main.rs")];
    for e in std::fs::read_dir(root.join("src/commands")).unwrap() {
        files.push(e.unwrap().path());
    }
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") || code.starts_with("::std::") {
                continue; // the macros' own bodies in output.rs, and comments
            }
            let mut rest = code.to_string();
            for ok in ["outln!(", "errln!(", "out!("] {
                for path in ["crate::", "cavra_tui::"] {
                    rest = rest.replace(&format!("{path}{ok}"), "");
                }
            }
            assert!(
                !rest.contains("print!(") && !rest.contains("println!("),
                "{}:{}: a raw print (use crate::outln!/out!/errln!): {line}",
                f.display(),
                i + 1
            );
        }
    }
}
