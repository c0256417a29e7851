//! Entering and leaving the terminal's raw mode and alternate screen, and the process-wide panic
//! hook: the terminal is restored and the process ends (exit 101) on a panic in any thread or
//! task; output into a closed pipe (`| head -1`) ends it quietly with 141 (128 + SIGPIPE).

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

/// Is this panic the standard library's "failed printing to stdout: Broken pipe"?
fn is_broken_pipe(info: &std::panic::PanicHookInfo<'_>) -> bool {
    let text = info
        .payload()
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| info.payload().downcast_ref::<&str>().copied())
        .unwrap_or("");
    text.contains("failed printing to std") && text.contains("Broken pipe")
}

/// Installs the hook for the whole process (call once, first thing in `main`).
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if is_broken_pipe(info) {
            std::process::exit(BROKEN_PIPE_EXIT);
        }
        restore();
        tracing::error!("panic: {info}");
        previous(info);
        // A panic inside a task would otherwise leave the process running with the screen restored.
        std::process::exit(PANIC_EXIT);
    }));
}
