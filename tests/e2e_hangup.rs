//! A console whose terminal goes away without a SIGHUP (it runs in a session of its own and
//! its tmux pane is killed) notices the hang-up and ends, instead of spinning on the dead
//! terminal forever. The real binary in tmux.

#[path = "support/tmux.rs"]
mod tmux;

use std::time::{Duration, Instant};

use tmux::{Tmux, launch};

#[test]
fn a_console_whose_terminal_hangs_up_without_a_signal_ends() {
    let home = tempfile::tempdir().unwrap();
    let pidfile = home.path().join("console.pid");
    // `setsid`: the console leads a session of its own, so killing the pane sends it no SIGHUP.
    let inner = format!(
        "echo $$ > {}; exec {}",
        pidfile.display(),
        launch(home.path(), "")
    );
    let script = home.path().join("run.sh");
    std::fs::write(&script, inner).unwrap();
    let t = Tmux::new("hangup");
    t.start(100, 30, &format!("setsid -w sh {}", script.display()));
    t.wait_for("Routes 45/45");
    let pid = std::fs::read_to_string(&pidfile)
        .unwrap()
        .trim()
        .to_string();
    let proc = std::path::PathBuf::from(format!("/proc/{pid}"));
    assert!(proc.exists(), "the console runs as {pid}");
    assert!(
        t.cmd()
            .args(["kill-session", "-t", "e2e"])
            .status()
            .unwrap()
            .success()
    );
    let start = Instant::now();
    while proc.exists() && !zombie(&proc) {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "the console still runs 15 s after its terminal hung up"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let log = std::fs::read_to_string(home.path().join("state/cavra-tui/cavra-tui.log"))
        .unwrap_or_default();
    assert!(log.contains("the terminal hung up"), "{log}");
}

fn zombie(proc: &std::path::Path) -> bool {
    std::fs::read_to_string(proc.join("stat"))
        .map(|s| s.split_whitespace().nth(2) == Some("Z"))
        .unwrap_or(false)
}
