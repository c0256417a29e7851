//! The operator's console conventions, end to end in tmux with the real binary (issue #11):
//! each pane owns its keys, lists filter with `/` and open details, every pane and overlay
//! scrolls both ways, the `:` command line, `y` yanking through OSC 52 into tmux, the ASCII
//! fallback under LANG=C, and short tab names at 80x24.

mod support;
#[path = "support/tmux.rs"]
mod tmux;

use tmux::{Tmux, launch};

#[test]
fn each_pane_owns_its_keys_and_lists_filter_and_open_details() {
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::new("lists");
    t.start(120, 40, &launch(home.path(), ""));
    t.wait_for("Routes 45/45");
    // Pane 6: Enter opens the archive alert's own fields, not a route.
    t.keys(&["6"]);
    t.wait_for("Archive custody");
    t.keys(&["Enter"]);
    let s = t.wait_for("Record · J raw JSON");
    assert!(!s.contains("Route detail"), "{s}");
    assert!(s.contains("alert_id"), "{s}");
    t.keys(&["J"]);
    t.wait_for("Raw JSON");
    t.keys(&["Escape"]);
    t.wait_without("Raw JSON");
    // Pane 4: `/` filters the decisions live; typing never runs pane actions.
    t.keys(&["4", "p"]);
    t.wait_for("Max attempts");
    t.keys(&["Tab", "Tab", "Tab", "Tab", "y"]);
    t.wait_for("Plan Audit Retry · recorded");
    t.keys(&["Escape", "/"]);
    t.literal("servicenow");
    let s = t.wait_for("1/2 decisions · filter: servicenow");
    assert!(
        !s.contains("Max attempts"),
        "no dialog opened while typing:\n{s}"
    );
    t.keys(&["Enter", "Enter"]);
    let s = t.wait_for("Record · J raw JSON");
    assert!(s.contains("servicenow"), "{s}");
    t.keys(&["Escape"]);
    // Pane 2 has no list: `/` does nothing there.
    t.keys(&["2", "/"]);
    let s = t.wait_for("Delivery health");
    assert!(!s.lines().last().unwrap_or("").starts_with('/'), "{s}");
}

#[test]
fn panes_and_overlays_scroll_both_ways_at_80x24() {
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::new("scroll");
    t.start(80, 24, &launch(home.path(), ""));
    t.wait_for("Routes 45/45");
    t.keys(&["5"]);
    let s = t.wait_for("Worker alerts");
    assert!(!s.contains("Recommendations"), "cut off at the top:\n{s}");
    t.keys(&["G"]);
    t.wait_for("Recommendations");
    t.keys(&["g"]);
    t.wait_for("Worker alerts");
    // The help overlay: G then k scrolls back from the real bottom.
    t.keys(&["?", "G"]);
    let bottom = t.wait_for("Help");
    let pos = |s: &str| {
        s.lines()
            .find_map(|l| {
                l.split_whitespace().find(|w| {
                    w.contains('/') && w.chars().next().is_some_and(|c| c.is_ascii_digit())
                })
            })
            .map(str::to_string)
            .unwrap_or_default()
    };
    let at_bottom = pos(&bottom);
    t.keys(&["k"]);
    let start = std::time::Instant::now();
    loop {
        let now = pos(&t.screen(false));
        if !now.is_empty() && now != at_bottom {
            break;
        }
        assert!(
            start.elapsed().as_secs() < 10,
            "k after G did not scroll back ({at_bottom})"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn the_command_line_and_yank_through_osc_52_into_tmux() {
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::new("cmd");
    t.start(120, 40, &launch(home.path(), ""));
    assert!(
        t.cmd()
            .args(["set-option", "-g", "set-clipboard", "on"])
            .status()
            .unwrap()
            .success()
    );
    t.wait_for("Routes 45/45");
    t.keys(&[":"]);
    t.literal("hist");
    t.keys(&["Tab"]);
    t.wait_for(":history ");
    t.keys(&["Enter"]);
    t.wait_for("3 History");
    t.keys(&[":"]);
    t.literal("routes");
    t.keys(&["Enter"]);
    t.wait_for("Routes 45/45");
    t.keys(&["y"]);
    t.wait_for("to the clipboard (OSC 52)");
    let buffer = t.cmd().args(["show-buffer"]).output().unwrap();
    let text = String::from_utf8_lossy(&buffer.stdout);
    let v: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert!(
        v["schedule_id"].is_string() && v["provider"].is_string(),
        "{v}"
    );
    t.keys(&["Y"]);
    t.wait_for("yanked");
    // ctrl-s saves the cursor's JSON and says where, in full.
    t.keys(&["C-s"]);
    let s = t.wait_for("saved to");
    assert!(s.contains(&home.path().display().to_string()), "{s}");
    t.keys(&[":"]);
    t.literal("q");
    t.keys(&["Enter"]);
    t.wait_gone();
}

#[test]
fn lang_c_draws_ascii_only_and_80x24_keeps_short_tab_names() {
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::new("ascii");
    t.start(80, 24, &launch(home.path(), "LANG=C"));
    let s = t.wait_for("Routes 45/45");
    assert!(s.is_ascii(), "non-ASCII under LANG=C:\n{s}");
    assert!(
        s.contains("acknowledged") || s.contains("outstanding"),
        "states keep their words:\n{s}"
    );
    assert!(
        s.contains("2 Health") && s.contains("6 Arch"),
        "short tab names:\n{s}"
    );
    assert!(s.contains("? help") && s.contains("q quit"), "{s}");
    t.keys(&["?"]);
    let s = t.wait_for("Help");
    assert!(s.is_ascii(), "{s}");
}
