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

type Row = (
    Action,
    &'static str,
    &'static [&'static str],
    &'static str,
    Option<&'static str>,
    Group,
);

#[rustfmt::skip]
const TABLE: &[Row] = {
    use Action::*;
    &[
        (Up, "up", &["k", "up"], "move up", None, NAV),
        (Down, "down", &["j", "down"], "move down", None, NAV),
        (Top, "top", &["g", "home"], "first row", None, NAV),
        (Bottom, "bottom", &["G", "end"], "last row", None, NAV),
        (PageUp, "page_up", &["pgup"], "page up", None, NAV),
        (PageDown, "page_down", &["pgdn"], "page down", None, NAV),
        (HalfPageUp, "half_page_up", &["ctrl-u"], "half page up", None, NAV),
        (HalfPageDown, "half_page_down", &["ctrl-d"], "half page down", None, NAV),
        (Filter, "filter", &["/"], "filter the list (field:value tokens)", Some("filter"), NAV),
        (Back, "back", &["esc"], "dismiss error / clear filter / clear selection / close", None, NAV),
        (Detail, "detail", &["enter"], "detail of the selected item", None, NAV),
        (RawJson, "raw_json", &["J"], "raw JSON of the selected item", None, NAV),
        (Yank, "yank", &["y"], "yank the selected item's JSON to the clipboard (OSC 52: works over SSH and in tmux)", Some("yank"), NAV),
        (YankId, "yank_id", &["Y"], "yank the selected item's id", None, NAV),
        (SaveJson, "save_json", &["ctrl-s"], "save the selected item's raw JSON to a file in the export dir", None, NAV),
        (ToggleSelect, "select", &["space"], "select or unselect the row", None, ROUTES),
        (SelectAllFiltered, "select_all", &["*"], "select all filtered rows (again: none)", None, ROUTES),
        (Acknowledge, "acknowledge", &["a"], "acknowledge cursor row or selection", Some("ack"), ROUTES),
        (Escalate, "escalate", &["e"], "escalate cursor row or selection", Some("escalate"), ROUTES),
        (Resolve, "resolve", &["r"], "resolve cursor row or selection", Some("resolve"), ROUTES),
        (Dismiss, "dismiss", &["d"], "dismiss cursor row or selection", Some("dismiss"), ROUTES),
        (BulkAckOutstanding, "bulk_ack_outstanding", &["A"], "Bulk Ack Outstanding (filtered)", Some("bulk ack"), ROUTES),
        (BulkEscalateBreached, "bulk_escalate_breached", &["E"], "Bulk Escalate Breached (filtered)", Some("bulk escalate"), ROUTES),
        (ExportAudit, "export_audit", &["x"], "Export Ack Audit for the filter's scope", Some("export"), ROUTES),
        (SortNext, "sort", &["s"], "sort by the next column", None, ROUTES),
        (SortReverse, "sort_reverse", &["S"], "reverse the sort order", None, ROUTES),
        (RecordSuppressionTrend, "record_suppression_trend", &["T"], "Record suppression trend for the routes filter (writes a trend record)", Some("trend"), ROUTES),
        (NextPage, "next_page", &["]"], "next page of the history", Some("page"), HISTORY),
        (PrevPage, "prev_page", &["["], "previous page of the history", None, HISTORY),
        (DeliverAudit, "deliver_audit", &["D"], "Deliver Ack Audit (routes filter scope) to a provider", Some("deliver audit"), HISTORY),
        (PlanAuditRetry, "plan_audit_retry", &["p"], "Plan Audit Retry (failed acknowledgement audit deliveries)", Some("plan retry"), RETRY),
        (PlanAuditorRetry, "plan_auditor_retry", &["P"], "Plan Auditor Retry (failed final auditor export deliveries)", Some("plan auditor"), RETRY),
        (AckRetry, "ack_retry", &["a"], "Ack Retry: record a decision on the cursor's retry", Some("ack retry"), RETRY),
        (PlanRetryApproval, "plan_retry_approval", &["o"], "Plan Retry Approval (acknowledged retries ask for approval)", Some("plan approval"), RETRY),
        (DecideRetry, "decide_retry", &["d"], "approve / deny / defer / expire the cursor's retry execution", Some("decide"), RETRY),
        (RecoveryPlaybook, "recovery_playbook", &["b"], "Recovery Playbook for failing connectors", Some("playbook"), RETRY),
        (CloseRecovery, "close_recovery", &["z"], "Close Recovery of the cursor's provider in the latest playbook", Some("close"), RETRY),
        (RecoveryReport, "recovery_report", &["R"], "Retry Recovery report (records a report)", Some("report"), RETRY),
        (RunWorker, "run_worker", &["w"], "Run Audit Worker (dry run)", Some("run worker"), WORKER),
        (SendWorkerAlert, "send_worker_alert", &["l"], "Send Worker Alert to a provider", Some("send alert"), WORKER),
        (AckWorkerAlert, "ack_worker_alert", &["a"], "acknowledge the cursor's outstanding alert", Some("ack alert"), WORKER),
        (ExecuteRetry, "execute_retry", &["X"], "Execute Retry: re-send approved retries (preview first)", Some("execute"), WORKER),
        (AuditorRetryDryRun, "auditor_retry_dry_run", &["u"], "Run Auditor Retry worker (dry run)", Some("auditor dry run"), ARCHIVE),
        (AuditorRetryExecute, "auditor_retry_execute", &["U"], "Run Auditor Retry worker (execute: re-sends)", None, ARCHIVE),
        (SendArchiveAlert, "send_archive_alert", &["l"], "Send Archive Alert to a provider", Some("send alert"), ARCHIVE),
        (AckArchiveAlert, "ack_archive_alert", &["a"], "acknowledge the cursor's owed archive alert", Some("ack alert"), ARCHIVE),
        (CheckArchive, "check_archive", &["c"], "Check archive health (records a report)", Some("check"), ARCHIVE),
        (ToggleView, "toggle_view", &["v"], "switch the pane's view: 1 routing history, 5 worker runs, 6 owed alerts / alert history", None, NAV),
        (Command, "command", &[":"], "command line: every action by name, tab completes (:ack, :bulk-ack, :ctx NAME, :filter EXPR, :theme light, :q)", Some("command"), APP),
        (SwitchContext, "switch_context", &["C"], "switch context (sample, remote servers)", Some("context"), APP),
        (NextPane, "next_pane", &["tab"], "next pane", None, APP),
        (PrevPane, "prev_pane", &["shift-tab"], "previous pane", None, APP),
        (GoTo(Pane::Routes), "pane_1", &["1"], "pane 1: drill routes", None, APP),
        (GoTo(Pane::Health), "pane_2", &["2"], "pane 2: delivery health", None, APP),
        (GoTo(Pane::History), "pane_3", &["3"], "pane 3: history", None, APP),
        (GoTo(Pane::Retry), "pane_4", &["4"], "pane 4: retry plans", None, APP),
        (GoTo(Pane::Worker), "pane_5", &["5"], "pane 5: worker health", None, APP),
        (GoTo(Pane::Archive), "pane_6", &["6"], "pane 6: archive health", None, APP),
        (Refresh, "refresh", &["ctrl-r"], "refresh from the store or server", None, APP),
        (Help, "help", &["?"], "this help", Some("help"), APP),
        (Quit, "quit", &["q"], "quit", Some("quit"), APP),
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
        (Confirm, "confirm", &["y"], "at the Record this? [y/N] prompt: record (fixed: only a plain y; any other key cancels)", None, DIALOG),
        (Cancel, "dialog_cancel", &["esc", "ctrl-c"], "cancel: nothing is recorded", None, DIALOG),
        (Submit, "dialog_enter", &["enter"], "next field (at the prompt: No, cancel)", None, DIALOG),
        (NextField, "dialog_next", &["tab", "down"], "next field, then the prompt", None, DIALOG),
        (PrevField, "dialog_prev", &["shift-tab", "up"], "previous field", None, DIALOG),
        (ScrollUp, "dialog_scroll_up", &["pgup"], "scroll the preview up", None, DIALOG),
        (ScrollDown, "dialog_scroll_down", &["pgdn"], "scroll the preview down", None, DIALOG),
        (PickPrev, "dialog_pick_prev", &["left"], "previous choice of a pick list (space: next; a letter jumps)", None, DIALOG),
        (PickNext, "dialog_pick_next", &["right"], "next choice of a pick list", None, DIALOG),
        (DeleteChar, "dialog_delete", &["backspace"], "delete the last character of the field", None, DIALOG),
        (ClearText, "dialog_clear", &["ctrl-u"], "clear the field", None, DIALOG),
        (Cancel, "filter_cancel", &["esc"], "clear the filter and close the line", None, FILTER_LINE),
        (Submit, "filter_keep", &["enter"], "keep the filter and close the line", None, FILTER_LINE),
        (DeleteChar, "filter_delete", &["backspace"], "delete the last character", None, FILTER_LINE),
        (ClearText, "filter_clear", &["ctrl-u"], "clear the text", None, FILTER_LINE),
        (Cancel, "command_cancel", &["esc"], "close the line without running it", None, COMMAND_LINE),
        (Submit, "command_run", &["enter"], "run the command (an action switches to its pane first)", None, COMMAND_LINE),
        (Complete, "command_complete", &["tab"], "complete the command's name", None, COMMAND_LINE),
        (OlderCommand, "command_older", &["up"], "the previous command run this session", None, COMMAND_LINE),
        (NewerCommand, "command_newer", &["down"], "the next command run this session", None, COMMAND_LINE),
        (DeleteChar, "command_delete", &["backspace"], "delete the last character", None, COMMAND_LINE),
        (ClearText, "command_clear", &["ctrl-u"], "clear the line", None, COMMAND_LINE),
        (Close, "close", &["esc", "q"], "close the overlay (help: ? too)", None, OVERLAYS),
        (ChooseContext, "choose_context", &["enter"], "context picker: connect to the context at the cursor", None, OVERLAYS),
    ]
};

impl Default for Keymap {
    fn default() -> Self {
        let bindings = TABLE
            .iter()
            .chain(MODAL_TABLE)
            .map(|&(action, name, keys, description, hint, group)| Binding {
                action,
                name,
                // The table's keys are literals checked by a test; a bad one is left out.
                keys: keys.iter().filter_map(|k| KeySpec::parse(k)).collect(),
                description,
                hint,
                group: group.title,
                scope: group.scope,
            })
            .collect();
        Keymap { bindings }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_key_parses() {
        for (_, name, keys, ..) in TABLE {
            for k in *keys {
                assert!(KeySpec::parse(k).is_some(), "{name}: {k}");
            }
        }
    }

    #[test]
    fn every_modal_default_key_parses() {
        for (_, name, keys, ..) in MODAL_TABLE {
            for k in *keys {
                assert!(KeySpec::parse(k).is_some(), "{name}: {k}");
            }
        }
    }
}
