//! A tmux session driving the real binary: send-keys to type, capture-pane to read, waits on
//! screen conditions (never fixed sleeps). Shared by the end-to-end tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

pub struct Tmux {
    socket: String,
}

impl Tmux {
    pub fn new(tag: &str) -> Tmux {
        assert!(
            Command::new("tmux")
                .arg("-V")
                .output()
                .is_ok_and(|o| o.status.success()),
            "tmux is not installed: the end-to-end test needs it (apt-get install tmux)"
        );
        Tmux {
            socket: format!("cavra-e2e-{tag}-{}", std::process::id()),
        }
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::new("tmux");
        c.args(["-L", &self.socket, "-f", "/dev/null"]);
        c
    }

    pub fn start(&self, w: u16, h: u16, shell_cmd: &str) {
        let ok = self
            .cmd()
            .args([
                "new-session",
                "-d",
                "-s",
                "e2e",
                "-x",
                &w.to_string(),
                "-y",
                &h.to_string(),
                shell_cmd,
            ])
            .status()
            .unwrap();
        assert!(ok.success());
    }

    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            assert!(
                self.cmd()
                    .args(["send-keys", "-t", "e2e", k])
                    .status()
                    .unwrap()
                    .success()
            );
        }
    }

    pub fn literal(&self, text: &str) {
        assert!(
            self.cmd()
                .args(["send-keys", "-t", "e2e", "-l", text])
                .status()
                .unwrap()
                .success()
        );
    }

    pub fn screen(&self, attrs: bool) -> String {
        let mut c = self.cmd();
        c.args(["capture-pane", "-p", "-t", "e2e"]);
        if attrs {
            c.arg("-e");
        }
        String::from_utf8_lossy(&c.output().unwrap().stdout).into_owned()
    }

    /// Polls the screen until `text` shows (a condition, not a fixed sleep), up to 15 s.
    pub fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen(false);
            if s.contains(text) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "timed out waiting for {text:?}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Polls until `text` is no longer on screen (an overlay closed), up to 15 s.
    pub fn wait_without(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen(false);
            if !s.contains(text) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "{text:?} did not go away; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Confirms the open dialog (tabbing past its fields) and waits for its report; closes it.
    pub fn confirm_and_close(&self, fields: usize, title: &str) -> String {
        for _ in 0..fields {
            self.keys(&["Tab"]);
        }
        self.keys(&["y"]);
        let s = self.wait_for(&format!("{title} · recorded"));
        self.keys(&["Escape"]);
        self.wait_without("· recorded · esc closes");
        s
    }

    pub fn wait_gone(&self) {
        let start = Instant::now();
        while self
            .cmd()
            .args(["has-session", "-t", "e2e"])
            .output()
            .is_ok_and(|o| o.status.success())
        {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "the console did not exit:\n{}",
                self.screen(false)
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd().arg("kill-server").output();
    }
}

pub fn binary() -> PathBuf {
    std::env::var_os("CAVRA_TUI_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_cavra-tui")))
}

pub fn launch(home: &Path, extra_env: &str) -> String {
    format!(
        "env -i PATH=\"$PATH\" TERM=xterm-256color HOME={h} XDG_CONFIG_HOME={h}/config XDG_DATA_HOME={h}/data XDG_STATE_HOME={h}/state USER=e2e {extra_env} {bin}",
        h = home.display(),
        bin = binary().display()
    )
}

impl Tmux {
    /// Sends several keys in one send-keys call: they reach the console in one read, as a
    /// fast typist or an SSH link delivers them (`Escape y` arrives as Alt+y).
    pub fn keys_at_once(&self, keys: &[&str]) {
        assert!(
            self.cmd()
                .args(["send-keys", "-t", "e2e"])
                .args(keys)
                .status()
                .unwrap()
                .success()
        );
    }

    /// The pid of the console: the one child of this session's pane shell.
    pub fn console_pid(&self) -> String {
        let pane = self
            .cmd()
            .args(["list-panes", "-t", "e2e", "-F", "#{pane_pid}"])
            .output()
            .unwrap();
        let shell = String::from_utf8(pane.stdout).unwrap().trim().to_string();
        let pid = Command::new("pgrep").args(["-P", &shell]).output().unwrap();
        let pid = String::from_utf8(pid.stdout).unwrap().trim().to_string();
        assert!(
            !pid.is_empty() && !pid.contains('\n'),
            "one console under pane {shell}: {pid:?}"
        );
        pid
    }
}
