//! End to end in a real tmux: `--readonly` hides the mutating keys and `a` records nothing;
//! a 256-colour terminal (TERM=xterm-256color, no COLORTERM) never receives 24-bit colour.
//! Set `CAVRA_TUI_BIN` to drive the release binary.

mod support;
#[path = "support/tmux.rs"]
mod tmux;

use std::path::Path;

use tmux::{Tmux, launch};

/// Records in the store (read straight from the SQLite file).
fn records(home: &Path) -> i64 {
    let conn = rusqlite::Connection::open(support::db(home)).unwrap();
    conn.query_row("SELECT count(*) FROM evidence_metadata", [], |r| r.get(0))
        .unwrap()
}

/// The hint bar: the line above the status bar (the last line on screen).
fn hint_bar(screen: &str) -> String {
    let lines: Vec<&str> = screen.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len() - 2].to_string()
}

#[test]
fn readonly_hides_mutating_keys_and_a_records_nothing() {
    let home = tempfile::tempdir().unwrap();
    // Control: without the flag, `a ack` is in the hint bar.
    let t = Tmux::new("platform-rw");
    t.start(120, 40, &launch(home.path(), ""));
    let s = t.wait_for("Routes 45/45");
    assert!(hint_bar(&s).contains("a ack"), "{s}");
    t.keys(&["q"]);
    t.wait_gone();
    drop(t);

    let before = records(home.path());
    let t = Tmux::new("platform-ro");
    t.start(120, 40, &format!("{} --readonly", launch(home.path(), "")));
    let s = t.wait_for("Routes 45/45");
    assert!(s.contains("READ-ONLY"), "{s}");
    let hints = hint_bar(&s);
    for hidden in ["a ack", "e escalate", "A bulk"] {
        assert!(!hints.contains(hidden), "{hidden:?} in {hints:?}");
    }
    assert!(hints.contains("? help"), "{hints}");
    // `a` on the cursor row: refused with a notice, no dialog, nothing recorded.
    t.keys(&["a"]);
    let s = t.wait_for("is read-only");
    assert!(!s.contains("Record this?"), "{s}");
    t.keys(&["Escape"]);
    t.wait_without("is read-only");
    // Pane 4's Plan Audit Retry too.
    t.keys(&["4"]);
    t.wait_for("Retry");
    t.keys(&["p"]);
    let s = t.wait_for("is read-only");
    assert!(!s.contains("Record this?"), "{s}");
    t.keys(&["Escape"]);
    t.wait_without("is read-only");
    // The help overlay lists no mutation.
    t.keys(&["1", "?"]);
    let help = t.wait_for("Help");
    assert!(
        !help.contains("acknowledge cursor row or selection"),
        "{help}"
    );
    assert!(help.contains("quit"), "{help}");
    t.keys(&["Escape"]);
    t.wait_without("Help ·");
    t.keys(&["q"]);
    t.wait_gone();
    assert_eq!(records(home.path()), before, "read-only recorded something");
}

/// A theme of 24-bit colours only, so any colour on screen came from it.
const HEX_THEME: &str = "name = \"hex\"\n[styles]\n\
    title = { fg = \"#00afd7\", modifiers = [\"bold\"] }\n\
    header = { fg = \"#5f87ff\" }\nborder = { fg = \"#585858\" }\n\
    muted = { fg = \"#808080\" }\nok = { fg = \"#00d700\" }\nwarn = { fg = \"#ffaf00\" }\n\
    critical = { fg = \"#ff5f5f\" }\nkey = { fg = \"#00afd7\" }\n\
    info = { fg = \"#000000\", bg = \"#00d700\" }\ncursor = { modifiers = [\"reversed\"] }\n";

fn screen_with(home: &Path, tag: &str, env: &str) -> String {
    let theme = home.join("hex.toml");
    std::fs::write(&theme, HEX_THEME).unwrap();
    let config = home.join("config/cavra-tui/config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(&config, format!("theme = \"{}\"\n", theme.display())).unwrap();
    let t = Tmux::new(tag);
    t.start(120, 40, &launch(home, env));
    t.wait_for("Routes 45/45");
    let s = t.screen(true);
    t.keys(&["q"]);
    t.wait_gone();
    s
}

/// The palette numbers of every `38;5;N` / `48;5;N` in a capture.
fn palette_numbers(screen: &str) -> Vec<u8> {
    ["38;5;", "48;5;"]
        .iter()
        .flat_map(|p| screen.match_indices(p).map(move |(i, _)| i + p.len()))
        .filter_map(|start| {
            let digits: String = screen[start..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        })
        .collect()
}

#[test]
fn a_256_colour_terminal_never_receives_24_bit_colour() {
    let home = tempfile::tempdir().unwrap();
    // launch() sets TERM=xterm-256color and passes no COLORTERM.
    let s = screen_with(home.path(), "depth-256", "");
    assert!(!s.contains("38;2;"), "24-bit foreground sent:\n{s:?}");
    assert!(!s.contains("48;2;"), "24-bit background sent:\n{s:?}");
    assert!(
        s.contains("38;5;"),
        "the theme's colours as 256-palette ones:\n{s:?}"
    );
    assert!(
        palette_numbers(&s).iter().any(|n| *n >= 16),
        "the cube and grey ramp are used:\n{s:?}"
    );
    // TERM without 256color: the 16 ANSI colours only (tmux's capture writes them as
    // `38;5;N` with N < 16).
    let s = screen_with(home.path(), "depth-16", "TERM=xterm");
    assert!(!s.contains("38;2;") && !s.contains("48;2;"), "{s:?}");
    let numbers = palette_numbers(&s);
    assert!(!numbers.is_empty(), "{s:?}");
    assert!(numbers.iter().all(|n| *n < 16), "{numbers:?}");
    // Control: where COLORTERM says truecolor, the same theme is sent in 24-bit colour (so
    // tmux does keep 24-bit colour and the checks above can fail).
    let s = screen_with(home.path(), "depth-24", "COLORTERM=truecolor");
    assert!(s.contains("38;2;"), "{s:?}");
}
