//! A measuring hook for the benchmarks (benches/budgets.rs), off unless
//! `CAVRA_TUI_BENCH_EXIT` is set: the console leaves after its first frame (`first-frame`) or
//! its first frame with routes (`first-data`) and writes the times since process start and
//! its peak resident memory to `CAVRA_TUI_BENCH_REPORT`.

use std::sync::OnceLock;
use std::time::Instant;

static STARTED: OnceLock<Instant> = OnceLock::new();

/// Call first thing in `main`.
pub fn mark_start() {
    let _ = STARTED.set(Instant::now());
}

/// The hook, when the environment asks for it.
pub struct BenchHook {
    wait_for_data: bool,
    report: Option<std::path::PathBuf>,
    first_frame_ms: std::cell::Cell<Option<f64>>,
}

impl BenchHook {
    pub fn from_env() -> Option<BenchHook> {
        let mode = std::env::var("CAVRA_TUI_BENCH_EXIT").ok()?;
        Some(BenchHook {
            wait_for_data: mode == "first-data",
            report: std::env::var_os("CAVRA_TUI_BENCH_REPORT").map(Into::into),
            first_frame_ms: std::cell::Cell::new(None),
        })
    }

    /// Called after each drawn frame; true when the console should leave now.
    pub fn frame_drawn(&self, has_data: bool) -> bool {
        let ms = STARTED
            .get()
            .map(|s| s.elapsed().as_secs_f64() * 1000.0)
            .unwrap_or(0.0);
        if self.first_frame_ms.get().is_none() {
            self.first_frame_ms.set(Some(ms));
        }
        if self.wait_for_data && !has_data {
            return false;
        }
        if let Some(path) = &self.report {
            let text = format!(
                "first_frame_ms={:.2}\nfirst_data_ms={ms:.2}\nvm_hwm_kb={}\n",
                self.first_frame_ms.get().unwrap_or(ms),
                peak_rss_kb()
            );
            let _ = std::fs::write(path, text);
        }
        true
    }
}

/// Peak resident set size of this process (Linux `VmHWM`), in KiB; 0 elsewhere.
pub fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}
