//! A panic anywhere ends the program (issue #8): with the console's panic hook installed, a
//! panic inside a tokio task — which tokio would otherwise swallow, leaving the process running
//! and drawing over the shell — exits with 101. The test re-runs itself as the child process.

use std::process::Command;
use std::time::{Duration, Instant};

const CHILD: &str = "CAVRA_PANIC_EXIT_CHILD";

#[test]
fn child_panics_inside_a_task() {
    if std::env::var_os(CHILD).is_none() {
        return; // only meaningful as the child of the test below
    }
    cavra_tui::terminal::install_panic_hook();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        tokio::spawn(async { panic!("boom inside a task") });
        // Without the hook the task's panic is swallowed and this would run to its end.
        tokio::time::sleep(Duration::from_secs(30)).await;
    });
    std::process::exit(0);
}

#[test]
fn a_panic_inside_a_task_ends_the_process_with_101() {
    let started = Instant::now();
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_panics_inside_a_task",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(101), "{err}");
    assert!(err.contains("boom inside a task"), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "it did not wait for the sleep"
    );
}
