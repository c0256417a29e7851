//! The release binary in a pty (`script`), measured from outside: when the first frame and the
//! first frame with data appear in its output bytes, and its peak memory (`VmHWM`); then SIGTERM.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::ms;

/// The binary under test: `CAVRA_TUI_BIN`, else target/release/cavra-tui.
pub fn binary() -> PathBuf {
    let bin = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/cavra-tui");
    let bin = std::env::var_os("CAVRA_TUI_BIN")
        .map(PathBuf::from)
        .unwrap_or(bin);
    assert!(
        bin.exists(),
        "build the release binary first: cargo build --release"
    );
    bin
}

/// What one run showed.
pub struct Run {
    /// Process start → the first frame (`frame_mark` in the output), ms.
    pub frame: f64,
    /// Process start → the first frame whose output so far satisfies `data`, ms.
    pub data: f64,
    /// Peak resident memory when the data frame showed, KB.
    pub hwm_kb: f64,
}

/// Runs `bin args` at 200x50 with HOME and the XDG dirs under `home`, until `data` holds for
/// everything printed so far (or the output ends); NaN for a mark never seen.
pub fn run(
    bin: &Path,
    args: &str,
    home: &Path,
    frame_mark: &str,
    data: &dyn Fn(&str) -> bool,
) -> Run {
    let mut child = std::process::Command::new("script")
        .args([
            "-qec",
            &format!("stty cols 200 rows 50; exec {} {args}", bin.display()),
            "/dev/null",
        ])
        .env("HOME", home)
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .stdout(std::process::Stdio::piped())
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let t = Instant::now();
    let mut out = child.stdout.take().unwrap();
    let (mut seen, mut buf) = (Vec::new(), [0u8; 65536]);
    let (mut frame, mut shown) = (None, None);
    while shown.is_none() {
        let n = out.read(&mut buf).unwrap_or(0);
        if n == 0 {
            break;
        }
        seen.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&seen);
        if frame.is_none() && text.contains(frame_mark) {
            frame = Some(ms(t.elapsed()));
        }
        // ratatui redraws only changed cells, so marks are looked for in all output so far.
        if frame.is_some() && data(&text) {
            shown = Some(ms(t.elapsed()));
        }
    }
    let pid = std::process::Command::new("pgrep")
        .args(["-P", &child.id().to_string()])
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .unwrap_or_default();
    let pid = pid.trim().to_string();
    let hwm_kb = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .unwrap_or(0.0);
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status();
    let _ = std::io::copy(&mut out, &mut std::io::sink());
    let _ = child.wait();
    Run {
        frame: frame.unwrap_or(f64::NAN),
        data: shown.unwrap_or(f64::NAN),
        hwm_kb,
    }
}
