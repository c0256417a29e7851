//! Entering and leaving the terminal's raw mode and alternate screen, and the process-wide panic
//! hook: the terminal is restored and the process ends (exit 101) on a panic in any thread or
//! task; output into a closed pipe (`| head -1`) ends it quietly with 141 (128 + SIGPIPE), into
//! a terminal that hung up with 129 (128 + SIGHUP); a terminal that went away without a SIGHUP
//! is noticed (`hung_up`).

use std::io::{Stdout, stdout};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

/// The terminal the console draws on: crossterm, made ASCII-only where the locale needs it.
pub type Tui = Terminal<crate::ascii::AsciiBackend<CrosstermBackend<Stdout>>>;

/// The exit code of a panic.
pub const PANIC_EXIT: i32 = 101;
/// The exit code when stdout is a closed pipe: what a process killed by SIGPIPE reports.
pub const BROKEN_PIPE_EXIT: i32 = 141;

/// Set while the console owns the terminal, so a restore never writes into a pipe.
static ENTERED: AtomicBool = AtomicBool::new(false);
/// Set while mouse capture is on.
static MOUSE: AtomicBool = AtomicBool::new(false);

/// Switches to raw mode + alternate screen; `ascii` writes ASCII only (LANG=C, `--ascii`),
/// `mouse` turns mouse capture on (`--mouse`, `mouse = true`).
pub fn enter(ascii: bool, mouse: bool) -> std::io::Result<Tui> {
    enable_raw_mode()?;
    ENTERED.store(true, Ordering::SeqCst);
    if let Err(e) = execute!(stdout(), EnterAlternateScreen, crossterm::cursor::Hide) {
        restore();
        return Err(e);
    }
    if mouse {
        MOUSE.store(true, Ordering::SeqCst);
        if let Err(e) = execute!(stdout(), crossterm::event::EnableMouseCapture) {
            restore();
            return Err(e);
        }
    }
    Terminal::new(crate::ascii::AsciiBackend::new(
        CrosstermBackend::new(stdout()),
        ascii,
    ))
}

/// Leaves the alternate screen and raw mode; does nothing unless the terminal was entered.
pub fn restore() {
    if ENTERED.swap(false, Ordering::SeqCst) {
        if MOUSE.swap(false, Ordering::SeqCst) {
            let _ = execute!(stdout(), crossterm::event::DisableMouseCapture);
        }
        let _ = execute!(stdout(), LeaveAlternateScreen, crossterm::cursor::Show);
        let _ = disable_raw_mode();
    }
}

/// The quiet exit for the standard library's "failed printing to stdout/stderr" panics: a
/// closed pipe ends with 141 (SIGPIPE), a terminal that hung up with 129 (SIGHUP).
fn print_failure_exit(info: &std::panic::PanicHookInfo<'_>) -> Option<i32> {
    let text = info
        .payload()
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| info.payload().downcast_ref::<&str>().copied())
        .unwrap_or("");
    if !text.contains("failed printing to std") {
        return None;
    }
    if text.contains("Broken pipe") {
        Some(BROKEN_PIPE_EXIT)
    } else if text.contains("Input/output error") {
        Some(128 + 1)
    } else {
        None
    }
}

/// Installs the hook for the whole process (call once, first thing in `main`).
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if let Some(code) = print_failure_exit(info) {
            std::process::exit(code);
        }
        restore();
        tracing::error!("panic: {info}");
        previous(info);
        // A panic inside a task would otherwise leave the process running with the screen restored.
        std::process::exit(PANIC_EXIT);
    }));
}

/// Whether the terminal on stdin has hung up (its pseudo-terminal closed). A console that
/// outlives its terminal without a SIGHUP (a pane killed while the console ran in another
/// session) would otherwise wait forever, and crossterm's reader spins on the dead terminal.
#[cfg(unix)]
pub fn hung_up() -> bool {
    let mut fd = libc::pollfd {
        fd: 0,
        events: 0,
        revents: 0,
    };
    // SAFETY: one valid pollfd, a zero timeout; poll only writes `revents`.
    let n = unsafe { libc::poll(&mut fd, 1, 0) };
    // The console runs only on a terminal stdin (checked at start), so a hang-up here is the
    // terminal's; a hung-up terminal no longer even answers isatty.
    n > 0 && fd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
}

#[cfg(not(unix))]
pub fn hung_up() -> bool {
    false
}
