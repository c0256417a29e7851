//! End to end, the console records exactly what the operator confirmed: `Escape y` sent in one
//! send-keys call (how fast typists and SSH deliver it) records nothing at any prompt, and a
//! stale console and a CLI bulk on one store record each route once. The real binary in tmux.

mod support;
#[path = "support/tmux.rs"]
mod tmux;

use std::path::Path;
use std::process::Command;

use tmux::{Tmux, binary, launch};

/// The line every confirmation shows.
const PROMPT: &str = "Record this? [y/N]";

/// Records in the store (read straight from the SQLite file).
fn records(home: &Path) -> i64 {
    let db = support::db(home);
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.query_row("SELECT count(*) FROM evidence_metadata", [], |r| r.get(0))
        .unwrap()
}

/// Route acknowledgements in the store.
fn acks(home: &Path) -> i64 {
    let conn = rusqlite::Connection::open(support::db(home)).unwrap();
    conn.query_row(
        "SELECT count(*) FROM evidence_metadata WHERE metadata_kind = 'go-backend-rollback-drill-notification-ack'",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

/// Escape and y in one read, at the dialog `open` opens after `focus_keys` moved the focus.
fn escape_y(t: &Tmux, open: &[&str], wait: &str, focus_keys: &[&str]) {
    t.keys(open);
    t.wait_for(wait);
    t.keys(focus_keys);
    t.keys_at_once(&["Escape", "y"]);
    t.wait_without(wait);
}

#[test]
fn escape_y_in_one_read_records_nothing_at_any_prompt() {
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::new("escy");
    t.start(120, 40, &launch(home.path(), ""));
    t.wait_for("Routes 45/45");
    let before = records(home.path());
    // Route action: at the notes field, and at the y/N prompt.
    escape_y(&t, &["a"], PROMPT, &[]);
    escape_y(&t, &["a"], PROMPT, &["Tab", "Tab"]);
    // Bulk: the preview opens after the reload.
    escape_y(&t, &["A"], PROMPT, &["Tab", "Tab"]);
    escape_y(&t, &["E"], PROMPT, &["Tab", "Tab"]);
    // Export (no fields: straight at the prompt).
    escape_y(&t, &["x"], PROMPT, &[]);
    // Pane actions.
    t.keys(&["3"]);
    t.wait_for("History");
    escape_y(&t, &["D"], PROMPT, &["Tab", "Tab", "Tab"]);
    t.keys(&["4"]);
    escape_y(&t, &["p"], PROMPT, &["Tab", "Tab", "Tab", "Tab"]);
    escape_y(&t, &["P"], PROMPT, &[]);
    t.keys(&["5"]);
    escape_y(&t, &["w"], PROMPT, &["Tab", "Tab"]);
    escape_y(&t, &["l"], PROMPT, &["Tab", "Tab", "Tab"]);
    t.keys(&["6"]);
    escape_y(&t, &["c"], PROMPT, &[]);
    // Text fields: Esc j closes the dialog; j is not typed into anything.
    t.keys(&["1"]);
    t.wait_for("Routes 45/45");
    escape_y(&t, &["a"], PROMPT, &[]);
    assert_eq!(records(home.path()), before, "Escape y recorded something");
    let exports = home.path().join("data/cavra-tui/exports");
    assert!(
        !exports.exists() || std::fs::read_dir(&exports).unwrap().next().is_none(),
        "an export was written"
    );
    // A plain y still confirms.
    t.keys(&["a"]);
    t.wait_for(PROMPT);
    t.keys(&["Tab", "Tab", "y"]);
    t.wait_for("recorded 1 route(s)");
    assert_eq!(records(home.path()), before + 1);
}

#[test]
fn a_stale_console_and_a_cli_bulk_on_one_store_record_each_route_once() {
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::new("stale");
    t.start(120, 40, &launch(home.path(), ""));
    t.wait_for("Routes 45/45");
    t.keys(&["/"]);
    t.literal("owner:identity");
    t.keys(&["Enter", "A"]);
    t.wait_for("Dry run: 5 routes -> acknowledged");
    // While the preview is open, the CLI acknowledges the same routes.
    let mut c = Command::new(binary());
    support::isolate(&mut c, home.path());
    let out = c
        .args([
            "bulk",
            "ack-outstanding",
            "--filter",
            "owner:identity",
            "--yes",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after_cli = acks(home.path());
    t.keys(&["Tab", "Tab", "y"]);
    let s = t.wait_for("skipped 5 route(s)");
    assert!(s.contains("already acknowledged"), "{s}");
    assert_eq!(
        acks(home.path()),
        after_cli,
        "the stale console recorded the CLI's routes again"
    );
    // A fresh A now finds nothing outstanding (it reloads before previewing).
    t.keys(&["A"]);
    t.wait_for("no matching routes");
}
