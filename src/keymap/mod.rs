//! The one key table: every binding with its action, config name, description and scope.
//! The help overlay and the hint bar are generated from it; `[keys]` in the config overrides it.

mod defaults;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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
    Pane(u8),
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
        )
    }
}

/// Where a binding applies: every pane, or one pane (1 routes … 6 archive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Global,
    Pane(u8),
}

/// Pane names, 1-based.
pub const PANE_NAMES: [&str; 6] = ["Routes", "Health", "History", "Retry", "Worker", "Archive"];

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
    pub group: &'static str,
    pub scope: Scope,
}

/// A key with modifiers, parsed from and printed as text like `a`, `A`, `ctrl-r`, `pgdn`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySpec {
    pub code: KeyCode,
    pub ctrl: bool,
}

impl KeySpec {
    pub fn parse(text: &str) -> Option<KeySpec> {
        let lower = text.to_lowercase();
        let (ctrl, rest) = match lower
            .strip_prefix("ctrl-")
            .or_else(|| lower.strip_prefix("c-"))
        {
            Some(r) => (true, &text[text.len() - r.len()..]),
            None => (false, text),
        };
        let code = match rest.to_lowercase().as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" | "shift-tab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdn" | "pagedown" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "backspace" => KeyCode::Backspace,
            f if f.len() >= 2 && f.starts_with('f') && f[1..].parse::<u8>().is_ok() => {
                KeyCode::F(f[1..].parse().ok()?)
            }
            _ => {
                let mut chars = rest.chars();
                let c = chars.next()?;
                if chars.next().is_some() {
                    return None;
                }
                KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c })
            }
        };
        Some(KeySpec { code, ctrl })
    }

    /// Does a terminal key event press this key?
    pub fn matches(&self, ev: &KeyEvent) -> bool {
        let ctrl = ev.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl != self.ctrl || ev.modifiers.contains(KeyModifiers::ALT) {
            return false;
        }
        match (self.code, ev.code) {
            (KeyCode::Char(a), KeyCode::Char(b)) if self.ctrl => a.eq_ignore_ascii_case(&b),
            (a, b) => a == b,
        }
    }

    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Enter => "enter".to_string(),
            KeyCode::Esc => "esc".into(),
            KeyCode::Tab => "tab".into(),
            KeyCode::BackTab => "backtab".into(),
            KeyCode::Char(' ') => "space".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "pgup".into(),
            KeyCode::PageDown => "pgdn".into(),
            KeyCode::Home => "home".into(),
            KeyCode::End => "end".into(),
            KeyCode::Backspace => "backspace".into(),
            KeyCode::F(n) => format!("f{n}"),
            KeyCode::Char(c) => c.to_string(),
            other => format!("{other:?}"),
        };
        if self.ctrl {
            format!("ctrl-{base}")
        } else {
            base
        }
    }

    /// The text form used in config files.
    pub fn config_text(&self) -> String {
        self.label()
            .replace('↑', "up")
            .replace('↓', "down")
            .replace('←', "left")
            .replace('→', "right")
    }
}

/// The key table in force.
#[derive(Debug, Clone)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

impl Keymap {
    /// The default table with `[keys]` overrides applied; returns warnings for bad entries.
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
            let mut keys = Vec::new();
            for k in list.keys() {
                match KeySpec::parse(&k) {
                    Some(spec) => keys.push(spec),
                    None => warnings.push(format!("[keys] {name}: '{k}' is not a key")),
                }
            }
            if keys.is_empty() {
                continue;
            }
            let scope = map.bindings[pos].scope;
            for other in &mut map.bindings {
                let clash =
                    scope == Scope::Global || other.scope == Scope::Global || other.scope == scope;
                if clash {
                    other.keys.retain(|k| !keys.contains(k));
                }
            }
            map.bindings[pos].keys = keys;
        }
        (map, warnings)
    }

    /// The action a key press asks for, if any.
    pub fn resolve(&self, ev: &KeyEvent) -> Option<Action> {
        self.resolve_in(ev, 1)
    }

    /// The action a key press asks for on a pane (1-based): the pane's bindings win over global ones.
    pub fn resolve_in(&self, ev: &KeyEvent, pane: u8) -> Option<Action> {
        let hit = |scope: Scope| {
            self.bindings
                .iter()
                .find(|b| b.scope == scope && b.keys.iter().any(|k| k.matches(ev)))
                .map(|b| b.action)
        };
        hit(Scope::Pane(pane)).or_else(|| hit(Scope::Global))
    }

    /// The first key of an action, as shown to the user.
    pub fn key_label(&self, action: Action) -> String {
        self.bindings
            .iter()
            .find(|b| b.action == action)
            .and_then(|b| b.keys.first())
            .map(KeySpec::label)
            .unwrap_or_else(|| "(unbound)".into())
    }

    /// `(keys, label)` pairs for the hint bar of a pane: its own actions, then global ones.
    pub fn hints(&self, pane: u8) -> Vec<(String, &'static str)> {
        self.hints_for(pane, false)
    }

    /// Hints for a pane, leaving out mutations when `readonly`.
    pub fn hints_for(&self, pane: u8, readonly: bool) -> Vec<(String, &'static str)> {
        let of = |scope: Scope| self.bindings.iter().filter(move |b| b.scope == scope);
        of(Scope::Pane(pane))
            .chain(of(Scope::Global))
            .filter(|b| !(readonly && b.action.mutates()))
            .filter_map(|b| Some((b.keys.first()?.label(), b.hint?)))
            .collect()
    }

    /// The `[keys]` section of the default config.
    pub fn config_section(&self) -> String {
        self.bindings
            .iter()
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
mod tests {
    use super::*;
    use crate::config::KeyList;

    fn key(c: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(c, m)
    }

    #[test]
    fn defaults_resolve_vim_keys_arrows_and_ctrl_chords() {
        let k = Keymap::default();
        assert_eq!(
            k.resolve(&key(KeyCode::Char('j'), KeyModifiers::NONE)),
            Some(Action::Down)
        );
        assert_eq!(
            k.resolve(&key(KeyCode::Down, KeyModifiers::NONE)),
            Some(Action::Down)
        );
        assert_eq!(
            k.resolve(&key(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Bottom)
        );
        assert_eq!(
            k.resolve(&key(KeyCode::Char('r'), KeyModifiers::CONTROL)),
            Some(Action::Refresh)
        );
        assert_eq!(
            k.resolve(&key(KeyCode::Char('r'), KeyModifiers::NONE)),
            Some(Action::Resolve)
        );
        assert_eq!(
            k.resolve(&key(KeyCode::Char('A'), KeyModifiers::SHIFT)),
            Some(Action::BulkAckOutstanding)
        );
        assert_eq!(
            k.resolve(&key(KeyCode::Char('z'), KeyModifiers::NONE)),
            None
        );
    }

    #[test]
    fn no_default_key_is_bound_twice_where_it_applies() {
        let k = Keymap::default();
        for pane in 1..=6u8 {
            let all: Vec<KeySpec> = k
                .bindings
                .iter()
                .filter(|b| b.scope == Scope::Global || b.scope == Scope::Pane(pane))
                .flat_map(|b| b.keys.clone())
                .collect();
            for (i, a) in all.iter().enumerate() {
                assert!(
                    !all[i + 1..].contains(a),
                    "{} bound twice on pane {pane}",
                    a.label()
                );
            }
        }
    }

    #[test]
    fn the_same_key_means_different_things_on_different_panes() {
        let k = Keymap::default();
        let a = key(KeyCode::Char('a'), KeyModifiers::NONE);
        assert_eq!(k.resolve_in(&a, 1), Some(Action::Acknowledge));
        assert_eq!(k.resolve_in(&a, 4), Some(Action::AckRetry));
        assert_eq!(k.resolve_in(&a, 5), Some(Action::AckWorkerAlert));
        assert_eq!(k.resolve_in(&a, 2), None);
        assert_eq!(
            k.resolve_in(&key(KeyCode::Char('q'), KeyModifiers::NONE), 6),
            Some(Action::Quit)
        );
    }

    #[test]
    fn overrides_replace_keys_and_steal_them_from_other_actions() {
        let mut o = std::collections::BTreeMap::new();
        o.insert("acknowledge".to_string(), KeyList::One("K".into()));
        o.insert(
            "quit".to_string(),
            KeyList::Many(vec!["a".into(), "ctrl-q".into()]),
        );
        o.insert("nope".to_string(), KeyList::One("x".into()));
        o.insert("help".to_string(), KeyList::One("ctrl-".into()));
        let (k, warnings) = Keymap::with_overrides(&o);
        assert_eq!(
            k.resolve(&key(KeyCode::Char('K'), KeyModifiers::SHIFT)),
            Some(Action::Acknowledge)
        );
        assert_eq!(
            k.resolve(&key(KeyCode::Char('a'), KeyModifiers::NONE)),
            Some(Action::Quit)
        );
        assert_eq!(
            k.resolve(&key(KeyCode::Char('q'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert_eq!(k.key_label(Action::Acknowledge), "K");
    }

    #[test]
    fn key_specs_round_trip_through_config_text() {
        for t in [
            "a", "A", "ctrl-r", "enter", "esc", "space", "pgdn", "up", "f1", "/", "*",
        ] {
            let k = KeySpec::parse(t).unwrap();
            assert_eq!(KeySpec::parse(&k.config_text()), Some(k), "{t}");
        }
        assert_eq!(KeySpec::parse("ab"), None);
    }
}
