//! The one key table: every binding with its action, config name, description and scope
//! (global, one pane, a dialog, the filter or command line, an overlay). The help overlay and
//! the hint bar are generated from it; `[keys]` in the config overrides it, with warnings for
//! bad keys, clashes, typed text taken for a key in a field, the fixed confirm key and actions
//! left without a key.

mod defaults;
mod spec;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub use crate::pane::Pane;
pub use defaults::commands;
pub use spec::KeySpec;

/// What a key asks for in the normal (list) mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    HalfPageUp,
    HalfPageDown,
    Filter,
    Back,
    ToggleSelect,
    SelectAllFiltered,
    Acknowledge,
    Escalate,
    Resolve,
    Dismiss,
    BulkAckOutstanding,
    BulkEscalateBreached,
    ExportAudit,
    Detail,
    RawJson,
    SortNext,
    SortReverse,
    NextPane,
    PrevPane,
    GoTo(Pane),
    Refresh,
    Help,
    Quit,
    NextPage,
    PrevPage,
    DeliverAudit,
    PlanAuditRetry,
    PlanAuditorRetry,
    AckRetry,
    RunWorker,
    SendWorkerAlert,
    AckWorkerAlert,
    CheckArchive,
    SwitchContext,
    Yank,
    YankId,
    SaveJson,
    Command,
    /// Switch the pane's view (pane 1: routing history; pane 5: worker runs; pane 6: lists).
    ToggleView,
    RecordSuppressionTrend,
    PlanRetryApproval,
    DecideRetry,
    RecoveryPlaybook,
    CloseRecovery,
    RecoveryReport,
    ExecuteRetry,
    AuditorRetryDryRun,
    AuditorRetryExecute,
    SendArchiveAlert,
    AckArchiveAlert,
    // The keys of a dialog, the filter and command lines and the overlays (their own scopes).
    /// Close without doing anything (dialog: nothing is recorded; filter: cleared).
    Cancel,
    /// Enter: next field (dialog), keep the filter, run the command.
    Submit,
    NextField,
    PrevField,
    ScrollUp,
    ScrollDown,
    PickPrev,
    PickNext,
    DeleteChar,
    ClearText,
    Complete,
    OlderCommand,
    NewerCommand,
    /// Close an overlay.
    Close,
    ChooseContext,
    /// Record: fixed to a plain `y` at the dialog's prompt ([`CONFIRM_KEY`]); listed for the help.
    Confirm,
}

/// The one key that confirms a recording at the dialog's `[y/N]` prompt, unmodified. It is not
/// a key binding that `[keys]` can change: no other key, and no modified `y`, ever records.
pub const CONFIRM_KEY: char = 'y';

/// Is this key press the confirm key: a plain lowercase `y`, no modifier at all?
pub fn is_confirm(ev: &KeyEvent) -> bool {
    ev.code == KeyCode::Char(CONFIRM_KEY) && ev.modifiers.is_empty()
}

/// Is this key press ctrl-c? It quits the console wherever no overlay, dialog or filter line
/// has the keyboard (the command line included): a terminal's habit, fixed like the confirm
/// key rather than a binding `[keys]` could take away.
pub fn is_interrupt(ev: &KeyEvent) -> bool {
    ev.code == KeyCode::Char('c') && ev.modifiers.contains(KeyModifiers::CONTROL)
}

/// Is this key press a typed character (text in a field), not a control key?
fn typed(ev: &KeyEvent) -> bool {
    matches!(ev.code, KeyCode::Char(_)) && !ev.modifiers.contains(KeyModifiers::CONTROL)
}

impl Action {
    /// Does this action record evidence (hidden on read-only contexts)?
    pub fn mutates(self) -> bool {
        use Action::*;
        matches!(
            self,
            Acknowledge
                | Escalate
                | Resolve
                | Dismiss
                | BulkAckOutstanding
                | BulkEscalateBreached
                | ExportAudit
                | DeliverAudit
                | PlanAuditRetry
                | PlanAuditorRetry
                | AckRetry
                | RunWorker
                | SendWorkerAlert
                | AckWorkerAlert
                | CheckArchive
                | RecordSuppressionTrend
                | PlanRetryApproval
                | DecideRetry
                | RecoveryPlaybook
                | CloseRecovery
                | RecoveryReport
                | ExecuteRetry
                | AuditorRetryDryRun
                | AuditorRetryExecute
                | SendArchiveAlert
                | AckArchiveAlert
        )
    }
}

/// Where a binding applies: every pane, one pane, or one of the modes that take the keys
/// while they are open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    Pane(Pane),
    /// A confirmation dialog: its text fields, pick lists and `[y/N]` prompt.
    Dialog,
    /// The `/` filter line.
    Filter,
    /// The `:` command line.
    Command,
    /// Help, detail, JSON, reports and the context picker: these keys win there over the pane
    /// and global keys, which otherwise still scroll and copy.
    Overlay,
}

impl Scope {
    /// Does a binding of this scope apply on `pane`?
    #[cfg(test)]
    pub fn applies_on(self, pane: Pane) -> bool {
        self == Scope::Global || self == Scope::Pane(pane)
    }

    /// Can bindings of these two scopes be pressed at one time (and so clash)? Global keys
    /// apply on every pane; a dialog, line or overlay has keys of its own.
    fn overlaps(self, other: Scope) -> bool {
        match (self, other) {
            (Scope::Global, Scope::Global | Scope::Pane(_)) | (Scope::Pane(_), Scope::Global) => {
                true
            }
            (a, b) => a == b,
        }
    }

    /// Does this scope edit text, so that a typed character is text and never a key binding?
    pub fn takes_text(self) -> bool {
        matches!(self, Scope::Dialog | Scope::Filter | Scope::Command)
    }
}

/// One binding.
#[derive(Debug, Clone)]
pub struct Binding {
    pub action: Action,
    /// Name used in the config's `[keys]` table.
    pub name: &'static str,
    pub keys: Vec<KeySpec>,
    pub description: &'static str,
    /// Short label for the hint bar, if it belongs there.
    pub hint: Option<&'static str>,
    /// The heading it is listed under in the help.
    pub group: &'static str,
    pub scope: Scope,
}

/// The key table in force.
#[derive(Debug, Clone)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

impl Keymap {
    /// The default table with `[keys]` overrides applied; returns warnings for bad entries, for
    /// a key bound to two actions where both apply, and for an action left without a key.
    pub fn with_overrides(
        overrides: &std::collections::BTreeMap<String, crate::config::KeyList>,
    ) -> (Keymap, Vec<String>) {
        let mut map = Keymap::default();
        let mut warnings = Vec::new();
        for (name, list) in overrides {
            let Some(pos) = map.bindings.iter().position(|b| b.name == name) else {
                warnings.push(format!(
                    "[keys] {name}: no such action (see --print-default-config)"
                ));
                continue;
            };
            let scope = map.bindings[pos].scope;
            if map.bindings[pos].action == Action::Confirm {
                warnings.push(format!(
                    "[keys] {name}: only a plain {CONFIRM_KEY} records; this key cannot be changed"
                ));
                continue;
            }
            let mut keys = Vec::new();
            for k in list.keys() {
                match KeySpec::parse(&k) {
                    Some(spec) if keys.contains(&spec) => {}
                    Some(spec) if scope.takes_text() && spec.is_text() => warnings.push(format!(
                        "[keys] {name}: '{k}' is typed text in a field (use a named key or ctrl-)"
                    )),
                    Some(spec) => keys.push(spec),
                    None => warnings.push(format!("[keys] {name}: '{k}' is not a key")),
                }
            }
            if keys.is_empty() {
                continue;
            }
            for (i, other) in map.bindings.iter_mut().enumerate() {
                if i == pos || !scope.overlaps(other.scope) {
                    continue;
                }
                let before = other.keys.len();
                other.keys.retain(|k| !keys.contains(k));
                if other.keys.len() < before {
                    warnings.push(format!(
                        "[keys] {name}: takes a key from {} (a key does one thing where it applies)",
                        other.name
                    ));
                }
            }
            map.bindings[pos].keys = keys;
        }
        for b in &map.bindings {
            if b.keys.is_empty() {
                warnings.push(format!("[keys] {}: no key is left for this action", b.name));
            }
        }
        (map, warnings)
    }

    /// The action a key press asks for on `pane`: the pane's bindings win over global ones;
    /// a key the pane does not bind does nothing there.
    pub fn resolve_in(&self, ev: &KeyEvent, pane: Pane) -> Option<Action> {
        self.hit(ev, Scope::Pane(pane))
            .or_else(|| self.hit(ev, Scope::Global))
    }

    /// The action a key press asks for in a dialog, the filter or command line, or an
    /// overlay. Where text is typed, a typed character is text: no binding takes it. A key
    /// held with ctrl that the scope does not bind with ctrl acts as the key alone
    /// (ctrl-enter is enter, ctrl-q closes an overlay), never as typed text.
    pub fn resolve_modal(&self, ev: &KeyEvent, scope: Scope) -> Option<Action> {
        let text = |ev: &KeyEvent| scope.takes_text() && typed(ev);
        if text(ev) {
            return None;
        }
        let mut bare = *ev;
        bare.modifiers.remove(KeyModifiers::CONTROL);
        self.hit(ev, scope)
            .or_else(|| (bare != *ev && !text(&bare)).then(|| self.hit(&bare, scope))?)
    }

    /// The action of the first binding of exactly `scope` that `ev` presses.
    fn hit(&self, ev: &KeyEvent, scope: Scope) -> Option<Action> {
        self.bindings
            .iter()
            .find(|b| b.scope == scope && b.keys.iter().any(|k| k.matches(ev)))
            .map(|b| b.action)
    }

    /// The first key of an action, as shown to the user.
    #[cfg(test)]
    pub fn key_label(&self, action: Action) -> String {
        self.bindings
            .iter()
            .find(|b| b.action == action)
            .and_then(|b| b.keys.first())
            .map(KeySpec::label)
            .unwrap_or_else(|| "(unbound)".into())
    }

    /// `(key, label)` pairs for the hint bar of a pane: its own actions, then global ones,
    /// leaving out mutations when `readonly`.
    pub fn hints_for(&self, pane: Pane, readonly: bool) -> Vec<(String, &'static str)> {
        let of = |scope: Scope| self.bindings.iter().filter(move |b| b.scope == scope);
        of(Scope::Pane(pane))
            .chain(of(Scope::Global))
            .filter(|b| !(readonly && b.action.mutates()))
            .filter_map(|b| Some((b.keys.first()?.label(), b.hint?)))
            .collect()
    }

    /// The `[keys]` section of the default config (the fixed confirm key is not in it).
    pub fn config_section(&self) -> String {
        self.bindings
            .iter()
            .filter(|b| b.action != Action::Confirm)
            .map(|b| {
                let keys: Vec<String> = b
                    .keys
                    .iter()
                    .map(|k| format!("\"{}\"", k.config_text()))
                    .collect();
                format!(
                    "# {} = [{}]  # {}\n",
                    b.name,
                    keys.join(", "),
                    b.description
                )
            })
            .collect()
    }
}

#[cfg(test)]
#[path = "keymap_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "modal_tests.rs"]
mod modal_tests;
