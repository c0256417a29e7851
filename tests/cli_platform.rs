//! Platform conventions of the binary: shell completions, the man page, `--readonly` (and
//! `readonly = true` for the sample context) refusing every write, and unknown config keys.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use support::cavra;

fn run(home: &Path, args: &[&str]) -> Output {
    cavra(home).args(args).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// What the store holds: the record count, the newest record and the payload sizes (a reseed
/// at another moment changes it even at the same count).
fn store_state(home: &Path) -> String {
    let conn = rusqlite::Connection::open(support::db(home)).unwrap();
    conn.query_row(
        "SELECT count(*) || ':' || coalesce(max(created_at), '') || ':' || total(length(payload)) FROM evidence_metadata",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

/// Every top-level subcommand a user would complete.
const SUBCOMMANDS: &[&str] = &[
    "routes",
    "ack",
    "bulk",
    "export-audit",
    "history",
    "retry",
    "worker",
    "archive",
    "completions",
    "man",
];

#[test]
fn completions_for_every_shell_name_the_subcommands() {
    let home = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = run(home.path(), &["completions", shell]);
        assert!(out.status.success(), "{shell}: {}", text(&out.stderr));
        let script = text(&out.stdout);
        assert!(script.len() > 1000, "{shell}: {script}");
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell} does not complete {sub}");
        }
        assert!(script.contains("readonly"), "{shell}: --readonly");
    }
    let out = run(home.path(), &["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    // A broken config does not stop them (they read no config).
    std::fs::create_dir_all(home.path().join("config/cavra-tui")).unwrap();
    std::fs::write(
        home.path().join("config/cavra-tui/config.toml"),
        "theme = \n",
    )
    .unwrap();
    assert!(run(home.path(), &["completions", "bash"]).status.success());
    assert!(run(home.path(), &["man"]).status.success());
}

#[test]
fn man_is_one_roff_page_that_man_renders() {
    let home = tempfile::tempdir().unwrap();
    let out = run(home.path(), &["man"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let page = text(&out.stdout);
    assert!(page.starts_with(".TH cavra-tui 1 "), "{}", &page[..80]);
    assert_eq!(
        page.matches(".ds Aq").count(),
        2,
        "one apostrophe definition"
    );
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH OPTIONS", ".SH COMMANDS"] {
        assert!(page.contains(section), "{section}");
    }
    for sub in SUBCOMMANDS {
        let heading = format!(".SS \"cavra\\-tui {}\"", sub.replace('-', "\\-"));
        assert!(page.contains(&heading), "{heading}");
    }
    assert!(page.contains(".SS \"cavra\\-tui worker alert send\""));
    assert!(page.contains("\\-\\-readonly"));
    // `man -l -` takes it (where man is installed): rendered, with the subcommands.
    let Ok(mut child) = Command::new("man")
        .args(["--warnings=all", "-l", "-"])
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "100")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    else {
        eprintln!("man is not installed: the roff checks above stand alone");
        return;
    };
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&out.stdout).unwrap();
    let shown = child.wait_with_output().unwrap();
    assert!(shown.status.success(), "{}", text(&shown.stderr));
    assert_eq!(text(&shown.stderr), "", "groff warnings");
    let shown = text(&shown.stdout);
    assert!(shown.contains("cavra-tui export-audit"), "{shown}");
    assert!(shown.contains("FILTERS AND EXIT STATUS"), "{shown}");
}

/// Every subcommand that records evidence (or rewrites the store), as a user would type it.
const WRITES: &[&[&str]] = &[
    &["ack", "--route", "edge_cdn_rollback_monthly/slack", "--yes"],
    &[
        "escalate",
        "--route",
        "edge_cdn_rollback_monthly/slack",
        "--yes",
    ],
    &[
        "resolve",
        "--route",
        "edge_cdn_rollback_monthly/slack",
        "--yes",
    ],
    &[
        "dismiss",
        "--route",
        "edge_cdn_rollback_monthly/slack",
        "--yes",
    ],
    &["bulk", "ack-outstanding", "--yes"],
    &["bulk", "escalate-breached", "--yes"],
    &["export-audit", "--yes"],
    &["deliver", "--yes"],
    &["audit", "deliver", "--provider", "splunk", "--yes"],
    &["retry", "plan", "--yes"],
    &["retry", "ack", "--yes"],
    &["auditor-retry", "plan", "--yes"],
    &["worker", "run", "--dry-run", "--yes"],
    &["worker", "alert", "send", "--yes"],
    &["worker", "alert", "ack", "--yes"],
    &["archive", "health", "--record", "--yes"],
    &["sample", "reset", "--yes"],
    &[
        "sample",
        "generate",
        "--routes",
        "16",
        "--history",
        "100",
        "--yes",
    ],
];

#[test]
fn readonly_refuses_every_write_in_sample_mode_and_records_nothing() {
    let home = tempfile::tempdir().unwrap();
    assert!(run(home.path(), &["routes"]).status.success()); // seeds the store
    let before = store_state(home.path());
    for args in WRITES {
        let out = cavra(home.path())
            .arg("--readonly")
            .args(*args)
            .output()
            .unwrap();
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("read-only (--readonly)") && err.contains("nothing was recorded"),
            "{args:?}: {err}"
        );
        assert_eq!(
            store_state(home.path()),
            before,
            "{args:?} changed the store"
        );
    }
    assert!(!home.path().join("data/cavra-tui/exports").exists());
    // Reads still work.
    for args in [
        &["routes"][..],
        &["dashboard"],
        &["history", "--limit", "3"],
        &["archive", "health"],
        &["worker", "health"],
        &["sample", "check"],
    ] {
        let out = cavra(home.path())
            .arg("--readonly")
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    }
    // The environment variable does the same.
    let out = cavra(home.path())
        .env("CAVRA_TUI_READONLY", "1")
        .args(WRITES[0])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_eq!(store_state(home.path()), before);
    // Without it, the same write records.
    let out = run(home.path(), WRITES[0]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_ne!(store_state(home.path()), before);
}

#[test]
fn readonly_in_the_sample_context_config_is_named_in_the_refusal() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config/cavra-tui/config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(&config, "[contexts.sample]\nreadonly = true\n").unwrap();
    assert!(run(home.path(), &["routes"]).status.success());
    let before = store_state(home.path());
    for args in [WRITES[0], WRITES[9], WRITES[16]] {
        let out = run(home.path(), args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("readonly = true in [contexts.sample]"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("unknown config key"), "{err}");
    }
    assert_eq!(store_state(home.path()), before);
}

#[test]
fn config_unknown_keys_are_warned_with_their_path_and_documented_ones_are_not() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config/cavra-tui/config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(
        &config,
        "default_context = \"sample\"\ntime_zone = \"utc\"\n[contexts.lab]\napi_url = \"https://lab.example\"\nreadonyl = true\n",
    )
    .unwrap();
    let out = run(home.path(), &["routes"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("unknown config key 'contexts.lab.readonyl' ignored"),
        "{err}"
    );
    assert_eq!(err.matches("unknown config key").count(), 1, "{err}");
}
