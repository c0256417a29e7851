//! End to end: the real binary in a real tmux, driven with send-keys and read with
//! capture-pane, as a person would. Set `CAVRA_TUI_BIN` to drive another build (CI drives
//! the release binary). Needs `tmux` on PATH; `.ci/run` installs it.

mod support;
#[path = "support/tmux.rs"]
mod tmux;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use tmux::{Tmux, binary, launch};

/// The table row (not the title) containing every needle.
fn row_line<'a>(screen: &'a str, needles: &[&str]) -> &'a str {
    screen
        .lines()
        .find(|l| !l.contains("Routes ") && needles.iter().all(|n| l.contains(n)))
        .unwrap_or_else(|| panic!("no row with {needles:?}:\n{screen}"))
}

#[test]
fn acknowledge_bulk_ack_export_quit_restart_and_the_state_is_still_there() {
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::new("journey");
    t.start(120, 40, &launch(home.path(), ""));
    t.wait_for("Routes 45/45");

    // Acknowledge one route with notes and an external reference.
    t.keys(&["/"]);
    t.literal("schedule:edge_cdn_rollback_monthly provider:slack");
    t.keys(&["Enter"]);
    let s = t.wait_for("Routes 1/45");
    assert!(row_line(&s, &["edge_cdn_rollback_monthly", "slack"]).contains("outstanding"));
    t.keys(&["a"]);
    t.wait_for("Record this? [y/N]");
    t.literal("drill booked for 14:00");
    t.keys(&["Enter"]);
    t.literal("CHG-7001");
    t.keys(&["Enter", "y"]);
    t.wait_for("recorded 1 route(s) as acknowledged");
    let s = t.wait_for("✓ acknowledged");
    assert!(row_line(&s, &["edge_cdn_rollback_monthly", "slack"]).contains("✓ acknowledged"));

    // Bulk-ack the outstanding identity routes.
    t.keys(&["/", "C-u"]);
    t.literal("owner:identity");
    t.keys(&["Enter", "A"]);
    let s = t.wait_for("Bulk Ack Outstanding: 5 routes");
    assert!(s.contains("Dry run: 5 routes -> acknowledged"));
    t.keys(&["Enter", "Enter", "y"]);
    t.wait_for("Bulk Ack Outstanding: recorded 5 route(s)");
    let s = t.wait_for("0 out · 0 breached");
    assert_eq!(s.matches("✓ acknowledged").count(), 5, "{s}");

    // Export the audit package for this scope.
    t.keys(&["x"]);
    t.wait_for("Scope: owner=identity");
    t.keys(&["y"]);
    let s = t.wait_for("written to");
    let exports = home.path().join("data/cavra-tui/exports");
    let files: Vec<_> = std::fs::read_dir(&exports)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    let json_file = files.iter().find(|f| f.ends_with(".json")).unwrap();
    assert!(s.contains("written to"));
    let pkg: serde_json::Value =
        serde_json::from_slice(&std::fs::read(exports.join(json_file)).unwrap()).unwrap();
    assert_eq!(pkg["filters"]["owner"], "identity");
    assert_eq!(pkg["outstanding_count"], 0);
    t.keys(&["Escape"]);
    t.wait_without("esc closes");
    t.keys(&["q"]);
    t.wait_gone();

    // Come back: everything as left.
    t.start(120, 40, &launch(home.path(), ""));
    t.wait_for("Routes 45/45");
    t.keys(&["/"]);
    t.literal("owner:identity");
    t.keys(&["Enter"]);
    t.wait_for("Routes 5/45");
    // The filtered frame is complete once rows outside the filter are gone.
    let s = t.wait_without("mobile_release_biweekly");
    assert_eq!(s.matches("✓ acknowledged").count(), 5, "{s}");
    t.keys(&["Escape"]);
    t.wait_for("Routes 45/45"); // Esc and the next key must not arrive together (Alt-prefix)
    t.keys(&["/"]);
    t.literal("schedule:edge_cdn_rollback_monthly provider:slack");
    t.keys(&["Enter", "Enter"]);
    let s = t.wait_for("acknowledged by e2e  ref CHG-7001");
    assert!(s.contains("drill booked for 14:00"));
    t.keys(&["Escape"]);
    t.wait_without("esc closes");
    t.keys(&["q"]);
    t.wait_gone();
}

#[test]
fn no_color_at_80x24_keeps_the_cursor_visible_without_colour() {
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::new("mono");
    t.start(80, 24, &launch(home.path(), "NO_COLOR=1"));
    t.wait_for("Routes 45/45");
    let s = t.screen(true);
    assert!(s.contains("\x1b[7m"), "cursor row is reversed:\n{s:?}");
    assert!(
        !s.contains("\x1b[38;5;"),
        "no 256-colour foregrounds under NO_COLOR"
    );
    assert!(!s.contains("\x1b[38;2;"), "no truecolour under NO_COLOR");
    t.keys(&["q"]);
    t.wait_gone();
}

#[test]
fn signals_and_a_tiny_terminal_leave_the_terminal_usable() {
    // SIGINT and SIGQUIT (sent from outside: in raw mode ctrl-c is a key) restore the terminal
    // as SIGTERM and SIGHUP do, and the exit code is 128 + n.
    for (sig, n) in [("TERM", 15), ("INT", 2), ("QUIT", 3), ("HUP", 1)] {
        let home = tempfile::tempdir().unwrap();
        let t = Tmux::new(&format!("signal-{sig}"));
        // A script: run the console, then report its exit code and whether the tty is canonical again.
        let script = home.path().join("probe.sh");
        std::fs::write(
            &script,
            format!("{}\necho EXIT=$?\nstty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon\nsleep 30\n", launch(home.path(), "")),
        )
        .unwrap();
        t.start(45, 10, &format!("sh {}", script.display()));
        t.wait_for("terminal too small");
        let pid = t.console_pid();
        assert!(
            Command::new("kill")
                .args([&format!("-{sig}"), &pid])
                .status()
                .unwrap()
                .success()
        );
        t.wait_for("EXIT=");
        let s = t.wait_for("icanon"); // the stty probe prints `icanon` or `-icanon` after EXIT=
        assert!(s.contains(&format!("EXIT={}", 128 + n)), "SIG{sig}: {s}");
        assert!(
            s.lines().any(|l| l.trim() == "icanon"),
            "SIG{sig}: canonical mode restored:\n{s}"
        );
    }
}

#[test]
fn the_recommended_operator_flow_of_the_seed_page() {
    // Plan Audit Retry -> Run Audit Worker -> Send Worker Alert -> Ack Retry -> filter history
    // by the retry acknowledgement kind (Go Backend Rollback Drill Audit Worker Health Alerts).
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::new("flow");
    t.start(120, 40, &launch(home.path(), ""));
    t.wait_for("Routes 45/45");

    t.keys(&["4"]);
    t.wait_for("Audit retry plan");
    t.keys(&["p"]);
    t.wait_for("Max attempts");
    let s = t.confirm_and_close(4, "Plan Audit Retry");
    assert!(s.contains("2 retry · 0 wait · 0 suppress"), "{s}");
    let s = t.wait_for("↻ retry    splunk");
    assert!(s.contains("↻ retry    servicenow"), "{s}");

    t.keys(&["5"]);
    let s = t.wait_for("Worker health  ▲ critical");
    assert!(
        s.contains("missed_worker_run"),
        "the scenario's worker stopped running:\n{s}"
    );
    t.keys(&["w"]);
    t.wait_for("Run Audit Worker (dry run)");
    let s = t.confirm_and_close(2, "Run Audit Worker (dry run)");
    assert!(s.contains("selected retries 2"), "{s}");
    let s = t.wait_for("runs / missed             2 / 0");
    assert!(!s.contains("missed_worker_run"), "{s}");

    t.keys(&["l"]);
    t.wait_for("Window minutes");
    let s = t.confirm_and_close(3, "Send Worker Alert");
    assert!(s.contains("✓ webhook: status 200 (simulated)"), "{s}");
    t.wait_for("acks / outstanding        0 / 1");

    t.keys(&["4"]);
    t.wait_for("Audit retry plan");
    t.keys(&["a"]);
    t.wait_for("Ack Retry");
    // The state is a pick list: → and ← walk it; it starts at accepted.
    t.keys(&["Right"]);
    t.wait_for("‹ deferred ›");
    t.keys(&["Left"]);
    t.wait_for("‹ accepted ›");
    let s = t.confirm_and_close(3, "Ack Retry");
    assert!(
        s.contains("recorded accepted for ")
            && s.contains("on gordackdelivery-")
            && s.contains("by e2e"),
        "{s}"
    );

    t.keys(&["3"]);
    t.wait_for("3 History");
    t.keys(&["/"]);
    t.literal("kind:retry-ack");
    t.keys(&["Enter"]);
    let s = t.wait_for("1 records · filter: kind:retry-ack");
    assert!(s.contains("accepted"), "{s}");

    t.keys(&["2"]);
    let s = t.wait_for("Retry acks");
    let line = s.lines().find(|l| l.contains("Retry acks")).unwrap();
    assert!(line.contains("Retry acks              · 1"), "{line}");
    t.keys(&["q"]);
    t.wait_gone();
}

/// Adds a schedule with `n` delivered, outstanding, breached routes to a store (for multi-chunk bulk).
fn add_wide_schedule(db: &Path, n: usize) {
    use cavra_tui::domain::Record;
    let store_path = db.to_path_buf();
    let mut store = cavra_tui::backend::sample::store::Store::open(&store_path).unwrap();
    let at = cavra_tui::domain::time::iso(chrono::Utc::now() - chrono::Duration::minutes(240));
    let decisions: Vec<serde_json::Value> = (0..n)
        .map(|i| serde_json::json!({"provider": format!("hook-{i:03}"), "owner": "fleet-ops", "action": "deliver", "acknowledgement_minutes": 60}))
        .collect();
    let plan = serde_json::json!({
        "schema_version": "cavra.evidence.metadata.v1", "product": "CAVRA", "session_id": "gordn-wide", "created_at": at,
        "signer": "test", "decision_count": 1, "blocked_count": 1, "approval_required_count": 0,
        "metadata_kind": "go-backend-rollback-drill-notification-plan", "plan_id": "gordn-wide", "schedule_id": "fleet_wide_drill",
        "plan": {"plan_id": "gordn-wide", "schedule_id": "fleet_wide_drill", "route_decisions": decisions},
    });
    store
        .put_records(&[Record(plan.as_object().unwrap().clone())])
        .unwrap();
}

fn contract_server_bin() -> PathBuf {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_cavra-tui"));
    bin.parent().unwrap().join("examples/contract_server")
}

struct ServerProcess(std::process::Child);

impl ServerProcess {
    fn start(port: u16, db: &Path, token: &str) -> ServerProcess {
        let child = Command::new(contract_server_bin())
            .args(["--port", &port.to_string(), "--db"])
            .arg(db)
            .args(["--token", &format!("{token}=alice@example.com")])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("examples/contract_server is built by cargo test");
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "contract server did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        ServerProcess(child)
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
#[ignore = "needs a keyring session: CI runs it under keyctl session (see tests/keyring.rs)"]
fn remote_login_ack_two_chunk_bulk_stale_and_recovery() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("server.db");
    drop(cavra_tui::backend::sample::SampleBackend::open(&db).unwrap());
    add_wide_schedule(&db, 120);
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let token = "tmux-canary-91ff3e";
    let server = ServerProcess::start(port, &db, token);
    let cfg = home.path().join("config/cavra-tui");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(
        cfg.join("config.toml"),
        format!(
            "default_context = \"lab\"\n[contexts.lab]\napi_url = \"http://127.0.0.1:{port}\"\n"
        ),
    )
    .unwrap();

    // Log in from stdin, as a script on a bastion would.
    let mut login = Command::new(binary());
    support::isolate(&mut login, home.path());
    for k in ["CAVRA_TUI_KEYRING", "DBUS_SESSION_BUS_ADDRESS"] {
        if let Some(v) = std::env::var_os(k) {
            login.env(k, v);
        }
    }
    let mut child = login
        .arg("login")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{token}\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let t = Tmux::new("remote");
    let keyring = std::env::var("CAVRA_TUI_KEYRING")
        .map(|k| format!("CAVRA_TUI_KEYRING={k}"))
        .unwrap_or_default();
    t.start(120, 40, &launch(home.path(), &keyring));
    let s = t.wait_for("Routes 165/165");
    assert!(
        s.contains("✓ alice@example.com"),
        "the actor is in the status bar:\n{s}"
    );
    assert!(s.contains("keyring ("), "the token source is shown:\n{s}");

    t.keys(&["/"]);
    t.literal("schedule:payments_api_monthly provider:teams");
    t.keys(&["Enter"]);
    t.wait_for("Routes 1/165");
    t.keys(&["a"]);
    t.wait_for("Where: lab · http://127.0.0.1");
    t.keys(&["Enter", "Enter", "y"]);
    t.wait_for("recorded 1 route(s) as acknowledged");
    t.wait_for("✓ acknowledged");

    t.keys(&["/", "C-u"]);
    t.literal("schedule:fleet_wide_drill");
    t.keys(&["Enter"]);
    t.wait_for("Routes 120/165");
    t.keys(&["A"]);
    let s = t.wait_for("Bulk Ack Outstanding: 120 routes");
    assert!(s.contains("Requests: 2"), "two chunks of at most 100:\n{s}");
    t.keys(&["Enter", "Enter", "y"]);
    t.wait_for("recorded 120 route(s)");
    t.wait_for("0 out · 0 breached");

    drop(server);
    t.keys(&["C-r"]);
    let s = t.wait_for("STALE: last refresh failed");
    assert!(
        s.contains("Routes 120/165"),
        "old rows stay on screen:\n{s}"
    );
    let _server = ServerProcess::start(port, &db, token);
    t.keys(&["Escape"]);
    t.wait_for("ERROR");
    t.keys(&["Escape"]);
    t.wait_without(" ERROR ");
    t.keys(&["C-r"]);
    t.wait_without("STALE");
    let screen = t.screen(false);
    assert!(!screen.contains(token), "the token is never on screen");
    t.keys(&["q"]);
    t.wait_gone();
}
