//! End to end, issue 12 in the TUI: the real binary in sample mode in a real tmux plans a
//! retry, acknowledges it, plans approvals, approves the decision, executes the retry and sees
//! the execution record, then sends and acknowledges an archive alert.

mod support;
#[path = "support/tmux.rs"]
mod tmux;

use tmux::{Tmux, launch};

#[test]
fn retry_approval_execution_and_archive_alert_journey() {
    let home = tempfile::tempdir().unwrap();
    let t = Tmux::new("issue12");
    t.start(160, 45, &launch(home.path(), ""));
    t.wait_for("Routes 45/45");

    // Plan a retry and acknowledge the cursor's decision.
    t.keys(&["4"]);
    t.wait_for("Audit retry plan");
    t.keys(&["p"]);
    t.wait_for("Max attempts");
    t.confirm_and_close(4, "Plan Audit Retry");
    t.wait_for("RETRY ACK");
    t.keys(&["a"]);
    t.wait_for("‹ accepted ›");
    let s = t.confirm_and_close(3, "Ack Retry");
    assert!(s.contains("recorded accepted for"), "{s}");
    t.wait_for("✓ accepted");

    // Plan approvals: the acknowledged decision asks for approval; approve it.
    t.keys(&["o"]);
    t.wait_for("Require retry ack");
    let s = t.confirm_and_close(1, "Plan Retry Approval");
    assert!(s.contains("approval plan gordackretryapproval"), "{s}");
    t.wait_for("? asks");
    t.keys(&["d"]);
    t.wait_for("‹ approved ›");
    let s = t.confirm_and_close(3, "Decide Retry Approval");
    assert!(s.contains("approved"), "{s}");
    t.wait_for("✓ approved");

    // Execute Retry: the preview says what it re-sends, the report lists the execution.
    t.keys(&["5"]);
    t.wait_for("Worker health");
    t.keys(&["X"]);
    let s = t.wait_for("Approved deliveries it re-sends");
    assert!(s.contains("re-send"), "{s}");
    let s = t.confirm_and_close(1, "Execute Retry");
    assert!(s.contains("execution gord"), "{s}");

    // Send an archive alert, then acknowledge the one owed.
    t.keys(&["6"]);
    t.wait_for("Archive custody");
    t.keys(&["l"]);
    t.wait_for("Window minutes");
    let s = t.confirm_and_close(3, "Send Archive Alert");
    assert!(s.contains("webhook"), "{s}");
    t.keys(&["a"]);
    t.wait_for("○ owed webhook");
    t.keys(&["a"]);
    t.wait_for("Archive alert");
    let s = t.confirm_and_close(3, "Ack Archive Alert");
    assert!(s.contains("acknowledged"), "{s}");
    t.wait_for("Owed                      0");

    t.keys(&["q"]);
    t.wait_gone();
}
