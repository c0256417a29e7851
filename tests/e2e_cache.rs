//! tmux journey for the remote cache (issue #14): a console that has seen a server starts
//! from its cache when the server is down, marked "cached, N min old", and refuses a write
//! with a clear message (nothing is recorded or queued).

mod support;
#[path = "support/tmux.rs"]
mod tmux;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use tmux::{Tmux, launch};

fn contract_server_bin() -> PathBuf {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_cavra-tui"));
    bin.parent().unwrap().join("examples/contract_server")
}

struct ServerProcess(std::process::Child);

impl ServerProcess {
    fn start(port: u16, db: &Path) -> ServerProcess {
        let child = Command::new(contract_server_bin())
            .args(["--port", &port.to_string(), "--db"])
            .arg(db)
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
fn the_console_starts_from_the_cache_with_the_server_down_and_refuses_writes() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("server.db");
    drop(cavra_tui::backend::sample::SampleBackend::open(&db).unwrap());
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let server = ServerProcess::start(port, &db);
    let cfg = home.path().join("config/cavra-tui");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(
        cfg.join("config.toml"),
        format!(
            "default_context = \"lab\"\n[contexts.lab]\napi_url = \"http://127.0.0.1:{port}\"\n"
        ),
    )
    .unwrap();

    // First run: the server answers; the routes are read and cached.
    let t = Tmux::new("cache");
    t.start(120, 40, &launch(home.path(), ""));
    let s = t.wait_for("Routes 45/45");
    assert!(!s.contains("cached,"), "read from the server:\n{s}");
    t.keys(&["q"]);
    t.wait_gone();
    let servers = home.path().join(".cache/cavra-tui/servers");
    assert_eq!(std::fs::read_dir(&servers).unwrap().count(), 1);

    // Second run with the server down: the cache, marked, and no write.
    drop(server);
    t.start(120, 40, &launch(home.path(), ""));
    let s = t.wait_for("Routes 45/45");
    assert!(s.contains("cached, 0 min old"), "marked as cached:\n{s}");
    t.keys(&["a"]);
    let s = t.wait_for("not recorded: the server has not answered yet");
    assert!(!s.contains("Confirm"), "no dialog opens:\n{s}");
    t.keys(&["q"]);
    t.wait_gone();

    // --no-cache: nothing to show while the server is down.
    t.start(120, 40, &format!("{} --no-cache", launch(home.path(), "")));
    let s = t.wait_for("refresh failed");
    assert!(!s.contains("cached,"), "{s}");
    t.keys(&["q"]);
    t.wait_gone();
}
