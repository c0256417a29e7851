//! Tests of the dialog, filter-line, command-line and overlay keys: typed text is never a
//! binding, the confirm key is fixed, and their keys clash only within their own scope.

use super::*;
use crate::config::KeyList;
use crossterm::event::{KeyCode, KeyModifiers};

fn key(c: KeyCode, m: KeyModifiers) -> KeyEvent {
    KeyEvent::new(c, m)
}

fn plain(c: char) -> KeyEvent {
    key(KeyCode::Char(c), KeyModifiers::NONE)
}

/// Asserts that one of the override warnings says `text`.
fn assert_warned(warnings: &[String], text: &str) {
    assert!(warnings.iter().any(|w| w.contains(text)), "{warnings:?}");
}

/// The default keymap with `[keys]` overrides (name, keys).
fn with(overrides: &[(&str, &[&str])]) -> (Keymap, Vec<String>) {
    let o = overrides
        .iter()
        .map(|(name, keys)| {
            let keys = keys.iter().map(|k| k.to_string()).collect();
            (name.to_string(), KeyList::Many(keys))
        })
        .collect();
    Keymap::with_overrides(&o)
}

const MODAL: [Scope; 4] = [Scope::Dialog, Scope::Filter, Scope::Command, Scope::Overlay];

#[test]
fn modal_keys_resolve_in_their_own_scope_only() {
    let k = Keymap::default();
    let esc = key(KeyCode::Esc, KeyModifiers::NONE);
    let enter = key(KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(k.resolve_modal(&esc, Scope::Dialog), Some(Action::Cancel));
    assert_eq!(k.resolve_modal(&esc, Scope::Filter), Some(Action::Cancel));
    assert_eq!(k.resolve_modal(&esc, Scope::Overlay), Some(Action::Close));
    assert_eq!(
        k.resolve_modal(&plain('q'), Scope::Overlay),
        Some(Action::Close)
    );
    assert_eq!(
        k.resolve_modal(&enter, Scope::Command),
        Some(Action::Submit)
    );
    assert_eq!(
        k.resolve_modal(&enter, Scope::Overlay),
        Some(Action::ChooseContext)
    );
    assert_eq!(
        k.resolve_modal(
            &key(KeyCode::Char('c'), KeyModifiers::CONTROL),
            Scope::Dialog
        ),
        Some(Action::Cancel)
    );
    assert_eq!(
        k.resolve_modal(&key(KeyCode::BackTab, KeyModifiers::SHIFT), Scope::Dialog),
        Some(Action::PrevField)
    );
    assert_eq!(
        k.resolve_modal(&key(KeyCode::Up, KeyModifiers::NONE), Scope::Command),
        Some(Action::OlderCommand)
    );
    // Ctrl held on a key the scope does not bind with ctrl is the key alone, never text.
    let ctrl = |c| key(c, KeyModifiers::CONTROL);
    assert_eq!(
        k.resolve_modal(&ctrl(KeyCode::Enter), Scope::Filter),
        Some(Action::Submit)
    );
    assert_eq!(
        k.resolve_modal(&ctrl(KeyCode::Char('q')), Scope::Overlay),
        Some(Action::Close)
    );
    assert_eq!(
        k.resolve_modal(&ctrl(KeyCode::Char('x')), Scope::Filter),
        None
    );
    assert_eq!(
        k.resolve_modal(&ctrl(KeyCode::Char('y')), Scope::Dialog),
        None
    );
    assert_eq!(
        k.resolve_modal(&ctrl(KeyCode::Char('u')), Scope::Overlay),
        None
    );
    // The pane keys do not reach into the modes, nor the modes' keys into the panes.
    assert_eq!(k.resolve_in(&esc, Pane::Routes), Some(Action::Back));
    assert_eq!(k.resolve_modal(&plain('j'), Scope::Overlay), None);
}

#[test]
fn a_typed_character_is_text_wherever_text_is_typed() {
    let k = Keymap::default();
    for scope in [Scope::Dialog, Scope::Filter, Scope::Command] {
        for c in ['q', 'y', 'Y', 'j', ' ', '/', ':', '?', 'é'] {
            assert_eq!(
                k.resolve_modal(&plain(c), scope),
                None,
                "{c:?} in {scope:?}"
            );
            let shifted = key(KeyCode::Char(c), KeyModifiers::SHIFT);
            assert_eq!(k.resolve_modal(&shifted, scope), None, "{c:?} in {scope:?}");
        }
    }
    // An override cannot make a typed character a key there; elsewhere it can.
    let (k, warnings) = with(&[
        ("dialog_cancel", &["x"]),
        ("filter_keep", &["k", "ctrl-k"]),
        ("close", &["x"]),
    ]);
    assert_warned(&warnings, "dialog_cancel: 'x' is typed text in a field");
    assert_warned(&warnings, "filter_keep: 'k' is typed text in a field");
    assert_eq!(
        k.resolve_modal(&key(KeyCode::Esc, KeyModifiers::NONE), Scope::Dialog),
        Some(Action::Cancel),
        "a refused key leaves the defaults"
    );
    assert_eq!(
        k.resolve_modal(
            &key(KeyCode::Char('k'), KeyModifiers::CONTROL),
            Scope::Filter
        ),
        Some(Action::Submit)
    );
    assert_eq!(
        k.resolve_modal(&plain('x'), Scope::Overlay),
        Some(Action::Close)
    );
    assert_eq!(k.resolve_modal(&plain('q'), Scope::Overlay), None);
}

#[test]
fn the_confirm_key_is_a_plain_y_and_cannot_be_changed() {
    assert!(is_confirm(&plain('y')));
    for (c, m) in [
        ('y', KeyModifiers::ALT),
        ('y', KeyModifiers::CONTROL),
        ('y', KeyModifiers::SHIFT),
        ('Y', KeyModifiers::SHIFT),
        ('Y', KeyModifiers::NONE),
        ('n', KeyModifiers::NONE),
    ] {
        assert!(!is_confirm(&key(KeyCode::Char(c), m)), "{c} {m:?}");
    }
    let k = Keymap::default();
    let confirm = k.bindings.iter().find(|b| b.action == Action::Confirm);
    assert_eq!(
        confirm.map(|b| (b.name, b.scope, b.keys.clone())),
        Some((
            "confirm",
            Scope::Dialog,
            vec![KeySpec::parse(&CONFIRM_KEY.to_string()).unwrap()]
        )),
        "the help lists the fixed key"
    );
    let (k, warnings) = with(&[("confirm", &["enter"])]);
    assert_warned(
        &warnings,
        "confirm: only a plain y records; this key cannot be changed",
    );
    let confirm = k.bindings.iter().find(|b| b.action == Action::Confirm);
    assert_eq!(confirm.map(|b| b.keys.len()), Some(1));
    assert!(!k.config_section().contains("# confirm ="));
    assert!(
        k.config_section()
            .contains("# dialog_cancel = [\"esc\", \"ctrl-c\"]")
    );
}

#[test]
fn modal_keys_clash_only_within_their_scope() {
    let k = Keymap::default();
    for scope in MODAL {
        let mut labels: Vec<String> = k
            .bindings
            .iter()
            .filter(|b| b.scope == scope)
            .flat_map(|b| b.keys.iter().map(KeySpec::label))
            .collect();
        let bound = labels.len();
        labels.sort();
        labels.dedup();
        assert_eq!(labels.len(), bound, "a key bound twice in {scope:?}");
        for p in Pane::ALL {
            assert!(!scope.applies_on(p), "{scope:?} is no pane's");
        }
    }
    // Taking `esc` for the command line's cancel takes nothing from the panes or dialogs.
    let (k, warnings) = with(&[("command_run", &["esc"])]);
    assert_warned(&warnings, "command_run: takes a key from command_cancel");
    assert!(
        !warnings
            .iter()
            .any(|w| w.contains("from back") || w.contains("from dialog_cancel")),
        "{warnings:?}"
    );
    assert_eq!(
        k.resolve_in(&key(KeyCode::Esc, KeyModifiers::NONE), Pane::Routes),
        Some(Action::Back)
    );
}

#[test]
fn every_modal_name_is_unique() {
    let k = Keymap::default();
    for (i, b) in k.bindings.iter().enumerate() {
        assert!(
            k.bindings[i + 1..].iter().all(|o| o.name != b.name),
            "{} named twice",
            b.name
        );
    }
}
