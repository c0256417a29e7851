//! The default key table as data: one row per action with its config name, keys, description,
//! hint-bar label and group; each group carries its scope (global, the one pane it binds on, or
//! the dialog, filter line, command line or overlays whose keys it lists).

use super::{Action, Binding, KeySpec, Keymap, Pane, Scope};

/// A heading of the help and the scope of the bindings listed under it.
#[derive(Clone, Copy)]
struct Group {
    title: &'static str,
    scope: Scope,
}

const fn global(title: &'static str) -> Group {
    Group {
        title,
        scope: Scope::Global,
    }
}

const fn pane(title: &'static str, pane: Pane) -> Group {
    Group {
        title,
        scope: Scope::Pane(pane),
    }
}

const NAV: Group = global("Move");
const APP: Group = global("Console");
const ROUTES: Group = pane("Routes", Pane::Routes);
const HISTORY: Group = pane("History", Pane::History);
const RETRY: Group = pane("Retry plans", Pane::Retry);
const WORKER: Group = pane("Worker", Pane::Worker);
const ARCHIVE: Group = pane("Archive", Pane::Archive);

/// An action, its config name, its `:` command name (when it has one), its keys, its
/// description, its hint-bar label and its group.
type Row = (
    Action,
    &'static str,
    Option<&'static str>,
    &'static [&'static str],
    &'static str,
    Option<&'static str>,
    Group,
);

#[rustfmt::skip]
const TABLE: &[Row] = {
    use Action::*;
    &[
        (Up, "up", None, &["k", "up"], "move up", None, NAV),
        (Down, "down", None, &["j", "down"], "move down", None, NAV),
        (Top, "top", None, &["g", "home"], "first row", None, NAV),
        (Bottom, "bottom", None, &["G", "end"], "last row", None, NAV),
        (PageUp, "page_up", None, &["pgup"], "page up", None, NAV),
        (PageDown, "page_down", None, &["pgdn"], "page down", None, NAV),
        (HalfPageUp, "half_page_up", None, &["ctrl-u"], "half page up", None, NAV),
        (HalfPageDown, "half_page_down", None, &["ctrl-d"], "half page down", None, NAV),
        (Filter, "filter", None, &["/"], "filter the list (field:value tokens)", Some("filter"), NAV),
        (Back, "back", None, &["esc"], "dismiss error / clear filter / clear selection / close", None, NAV),
        (Detail, "detail", None, &["enter"], "detail of the selected item", None, NAV),
        (RawJson, "raw_json", None, &["J"], "raw JSON of the selected item", None, NAV),
        (Yank, "yank", Some("yank"), &["y"], "yank the selected item's JSON to the clipboard (OSC 52: works over SSH and in tmux)", Some("yank"), NAV),
        (YankId, "yank_id", None, &["Y"], "yank the selected item's id", None, NAV),
        (SaveJson, "save_json", Some("save"), &["ctrl-s"], "save the selected item's raw JSON to a file in the export dir", None, NAV),
        (ToggleSelect, "select", None, &["space"], "select or unselect the row", None, ROUTES),
        (SelectAllFiltered, "select_all", None, &["*"], "select all filtered rows (again: none)", None, ROUTES),
        (Acknowledge, "acknowledge", Some("ack"), &["a"], "acknowledge cursor row or selection", Some("ack"), ROUTES),
        (Escalate, "escalate", Some("escalate"), &["e"], "escalate cursor row or selection", Some("escalate"), ROUTES),
        (Resolve, "resolve", Some("resolve"), &["r"], "resolve cursor row or selection", Some("resolve"), ROUTES),
        (Dismiss, "dismiss", Some("dismiss"), &["d"], "dismiss cursor row or selection", Some("dismiss"), ROUTES),
        (BulkAckOutstanding, "bulk_ack_outstanding", Some("bulk-ack"), &["A"], "Bulk Ack Outstanding (filtered)", Some("bulk ack"), ROUTES),
        (BulkEscalateBreached, "bulk_escalate_breached", Some("bulk-escalate"), &["E"], "Bulk Escalate Breached (filtered)", Some("bulk escalate"), ROUTES),
        (ExportAudit, "export_audit", Some("export"), &["x"], "Export Ack Audit for the filter's scope", Some("export"), ROUTES),
        (SortNext, "sort", None, &["s"], "sort by the next column", None, ROUTES),
        (SortReverse, "sort_reverse", None, &["S"], "reverse the sort order", None, ROUTES),
        (RecordSuppressionTrend, "record_suppression_trend", Some("suppression-trend"), &["T"], "Record suppression trend for the routes filter (writes a trend record)", Some("trend"), ROUTES),
        (NextPage, "next_page", None, &["]"], "next page of the history", Some("page"), HISTORY),
        (PrevPage, "prev_page", None, &["["], "previous page of the history", None, HISTORY),
        (DeliverAudit, "deliver_audit", Some("deliver-audit"), &["D"], "Deliver Ack Audit (routes filter scope) to a provider", Some("deliver audit"), HISTORY),
        (PlanAuditRetry, "plan_audit_retry", Some("plan-retry"), &["p"], "Plan Audit Retry (failed acknowledgement audit deliveries)", Some("plan retry"), RETRY),
        (PlanAuditorRetry, "plan_auditor_retry", Some("plan-auditor-retry"), &["P"], "Plan Auditor Retry (failed final auditor export deliveries)", Some("plan auditor"), RETRY),
        (AckRetry, "ack_retry", Some("ack-retry"), &["a"], "Ack Retry: record a decision on the cursor's retry", Some("ack retry"), RETRY),
        (PlanRetryApproval, "plan_retry_approval", Some("plan-approval"), &["o"], "Plan Retry Approval (acknowledged retries ask for approval)", Some("plan approval"), RETRY),
        (DecideRetry, "decide_retry", Some("decide-retry"), &["d"], "approve / deny / defer / expire the cursor's retry execution", Some("decide"), RETRY),
        (RecoveryPlaybook, "recovery_playbook", Some("recovery-playbook"), &["b"], "Recovery Playbook for failing connectors", Some("playbook"), RETRY),
        (CloseRecovery, "close_recovery", Some("close-recovery"), &["z"], "Close Recovery of the cursor's provider in the latest playbook", Some("close"), RETRY),
        (RecoveryReport, "recovery_report", Some("recovery-report"), &["R"], "Retry Recovery report (records a report)", Some("report"), RETRY),
        (RunWorker, "run_worker", Some("run-worker"), &["w"], "Run Audit Worker (dry run)", Some("run worker"), WORKER),
        (SendWorkerAlert, "send_worker_alert", Some("send-alert"), &["l"], "Send Worker Alert to a provider", Some("send alert"), WORKER),
        (AckWorkerAlert, "ack_worker_alert", Some("ack-alert"), &["a"], "acknowledge the cursor's outstanding alert", Some("ack alert"), WORKER),
        (ExecuteRetry, "execute_retry", Some("execute-retry"), &["X"], "Execute Retry: re-send approved retries (preview first)", Some("execute"), WORKER),
        (AuditorRetryDryRun, "auditor_retry_dry_run", Some("auditor-retry"), &["u"], "Run Auditor Retry worker (dry run)", Some("auditor dry run"), ARCHIVE),
        (AuditorRetryExecute, "auditor_retry_execute", Some("auditor-retry-execute"), &["U"], "Run Auditor Retry worker (execute: re-sends)", None, ARCHIVE),
        (SendArchiveAlert, "send_archive_alert", Some("send-archive-alert"), &["l"], "Send Archive Alert to a provider", Some("send alert"), ARCHIVE),
        (AckArchiveAlert, "ack_archive_alert", Some("ack-archive-alert"), &["a"], "acknowledge the cursor's owed archive alert", Some("ack alert"), ARCHIVE),
        (CheckArchive, "check_archive", Some("check-archive"), &["c"], "Check archive health (records a report)", Some("check"), ARCHIVE),
        (ToggleView, "toggle_view", None, &["v"], "switch the pane's view: 1 routing history, 5 worker runs, 6 owed alerts / alert history", None, NAV),
        (Command, "command", None, &[":"], "command line: every action by name, tab completes (:ack, :bulk-ack, :ctx NAME, :filter EXPR, :theme light, :q)", Some("command"), APP),
        (SwitchContext, "switch_context", None, &["C"], "switch context (sample, remote servers)", Some("context"), APP),
        (NextPane, "next_pane", None, &["tab"], "next pane", None, APP),
        (PrevPane, "prev_pane", None, &["shift-tab"], "previous pane", None, APP),
        (GoTo(Pane::Routes), "pane_1", Some("routes"), &["1"], "pane 1: drill routes", None, APP),
        (GoTo(Pane::Health), "pane_2", Some("health"), &["2"], "pane 2: delivery health", None, APP),
        (GoTo(Pane::History), "pane_3", Some("history"), &["3"], "pane 3: history", None, APP),
        (GoTo(Pane::Retry), "pane_4", Some("retry"), &["4"], "pane 4: retry plans", None, APP),
        (GoTo(Pane::Worker), "pane_5", Some("worker"), &["5"], "pane 5: worker health", None, APP),
        (GoTo(Pane::Archive), "pane_6", Some("archive"), &["6"], "pane 6: archive health", None, APP),
        (Refresh, "refresh", Some("refresh"), &["ctrl-r"], "refresh from the store or server", None, APP),
        (Help, "help", Some("help"), &["?"], "this help", Some("help"), APP),
        (Quit, "quit", Some("quit"), &["q"], "quit", Some("quit"), APP),
    ]
};

/// A heading of the modal keys (a dialog, a line, the overlays) with its scope.
const fn modal_group(title: &'static str, scope: Scope) -> Group {
    Group { title, scope }
}

const DIALOG: Group = modal_group("Dialog (typed characters are text)", Scope::Dialog);
const FILTER_LINE: Group = modal_group("Filter line (typed characters are text)", Scope::Filter);
const COMMAND_LINE: Group = modal_group("Command line (typed characters are text)", Scope::Command);
const OVERLAYS: Group = modal_group(
    "Overlays: help, detail, JSON, reports, contexts",
    Scope::Overlay,
);

/// The keys of the modes that take the keyboard while they are open: a confirmation dialog, the
/// filter line, the command line and the overlays. The confirm key is fixed (`[keys]` cannot
/// change it); the others can be changed to named keys or ctrl- keys.
#[rustfmt::skip]
const MODAL_TABLE: &[Row] = {
    use Action::*;
    &[
        (Confirm, "confirm", None, &["y"], "at the Record this? [y/N] prompt: record (fixed: only a plain y; any other key cancels)", None, DIALOG),
        (Cancel, "dialog_cancel", None, &["esc", "ctrl-c"], "cancel: nothing is recorded", None, DIALOG),
        (Submit, "dialog_enter", None, &["enter"], "next field (at the prompt: No, cancel)", None, DIALOG),
        (NextField, "dialog_next", None, &["tab", "down"], "next field, then the prompt", None, DIALOG),
        (PrevField, "dialog_prev", None, &["shift-tab", "up"], "previous field", None, DIALOG),
        (ScrollUp, "dialog_scroll_up", None, &["pgup"], "scroll the preview up", None, DIALOG),
        (ScrollDown, "dialog_scroll_down", None, &["pgdn"], "scroll the preview down", None, DIALOG),
        (PickPrev, "dialog_pick_prev", None, &["left"], "previous choice of a pick list (space: next; a letter jumps)", None, DIALOG),
        (PickNext, "dialog_pick_next", None, &["right"], "next choice of a pick list", None, DIALOG),
        (DeleteChar, "dialog_delete", None, &["backspace"], "delete the last character of the field", None, DIALOG),
        (ClearText, "dialog_clear", None, &["ctrl-u"], "clear the field", None, DIALOG),
        (Cancel, "filter_cancel", None, &["esc"], "clear the filter and close the line", None, FILTER_LINE),
        (Submit, "filter_keep", None, &["enter"], "keep the filter and close the line", None, FILTER_LINE),
        (DeleteChar, "filter_delete", None, &["backspace"], "delete the last character", None, FILTER_LINE),
        (ClearText, "filter_clear", None, &["ctrl-u"], "clear the text", None, FILTER_LINE),
        (Cancel, "command_cancel", None, &["esc"], "close the line without running it", None, COMMAND_LINE),
        (Submit, "command_run", None, &["enter"], "run the command (an action switches to its pane first)", None, COMMAND_LINE),
        (Complete, "command_complete", None, &["tab"], "complete the command's name", None, COMMAND_LINE),
        (OlderCommand, "command_older", None, &["up"], "the previous command run this session", None, COMMAND_LINE),
        (NewerCommand, "command_newer", None, &["down"], "the next command run this session", None, COMMAND_LINE),
        (DeleteChar, "command_delete", None, &["backspace"], "delete the last character", None, COMMAND_LINE),
        (ClearText, "command_clear", None, &["ctrl-u"], "clear the line", None, COMMAND_LINE),
        (Close, "close", None, &["esc", "q"], "close the overlay (help: ? too)", None, OVERLAYS),
        (ChooseContext, "choose_context", None, &["enter"], "context picker: connect to the context at the cursor", None, OVERLAYS),
    ]
};

/// Every action the `:` command line runs by name: its name, the scope of its binding (the pane
/// it acts on, or global) and the action.
pub fn commands() -> impl Iterator<Item = (&'static str, Scope, Action)> {
    TABLE
        .iter()
        .filter_map(|&(action, _, command, .., group)| Some((command?, group.scope, action)))
}

impl Default for Keymap {
    fn default() -> Self {
        let bindings = TABLE
            .iter()
            .chain(MODAL_TABLE)
            .map(
                |&(action, name, _, keys, description, hint, group)| Binding {
                    action,
                    name,
                    // The table's keys are literals checked by a test; a bad one is left out.
                    keys: keys.iter().filter_map(|k| KeySpec::parse(k)).collect(),
                    description,
                    hint,
                    group: group.title,
                    scope: group.scope,
                },
            )
            .collect();
        Keymap { bindings }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_key_parses() {
        for (_, name, _, keys, ..) in TABLE {
            for k in *keys {
                assert!(KeySpec::parse(k).is_some(), "{name}: {k}");
            }
        }
    }

    #[test]
    fn every_modal_default_key_parses() {
        for (_, name, _, keys, ..) in MODAL_TABLE {
            for k in *keys {
                assert!(KeySpec::parse(k).is_some(), "{name}: {k}");
            }
        }
    }
}
