//! Tests of the key table: resolution per pane, clashes, overrides.

use super::*;
use crate::config::KeyList;
use crossterm::event::KeyCode::Char;
use crossterm::event::KeyModifiers as M;
use crossterm::event::{KeyCode, KeyModifiers};

fn key(c: KeyCode, m: KeyModifiers) -> KeyEvent {
    KeyEvent::new(c, m)
}

/// Each key resolves on the routes pane to the action given (or to none).
fn resolves(k: &Keymap, cases: &[(KeyCode, KeyModifiers, Option<Action>)]) {
    for (code, mods, want) in cases {
        let got = k.resolve_in(&key(*code, *mods), Pane::Routes);
        assert_eq!(got, *want, "{code:?} {mods:?}");
    }
}

#[test]
fn defaults_resolve_vim_keys_arrows_and_ctrl_chords() {
    let k = Keymap::default();
    resolves(
        &k,
        &[
            (Char('j'), M::NONE, Some(Action::Down)),
            (KeyCode::Down, M::NONE, Some(Action::Down)),
            (Char('G'), M::SHIFT, Some(Action::Bottom)),
            (Char('r'), M::CONTROL, Some(Action::Refresh)),
            (Char('r'), M::NONE, Some(Action::Resolve)),
            (Char('A'), M::SHIFT, Some(Action::BulkAckOutstanding)),
            (Char('z'), M::NONE, None),
        ],
    );
}

#[test]
fn no_default_key_is_bound_twice_where_it_applies() {
    let k = Keymap::default();
    for pane in Pane::ALL {
        let all: Vec<KeySpec> = k
            .bindings
            .iter()
            .filter(|b| b.scope.applies_on(pane))
            .flat_map(|b| b.keys.clone())
            .collect();
        for (i, a) in all.iter().enumerate() {
            assert!(
                !all[i + 1..].contains(a),
                "{} bound twice on pane {pane:?}",
                a.label()
            );
        }
    }
}

#[test]
fn the_same_key_means_different_things_on_different_panes() {
    let k = Keymap::default();
    let a = key(Char('a'), KeyModifiers::NONE);
    assert_eq!(k.resolve_in(&a, Pane::Routes), Some(Action::Acknowledge));
    assert_eq!(k.resolve_in(&a, Pane::Retry), Some(Action::AckRetry));
    assert_eq!(k.resolve_in(&a, Pane::Worker), Some(Action::AckWorkerAlert));
    assert_eq!(k.resolve_in(&a, Pane::Health), None);
    assert_eq!(
        k.resolve_in(&key(Char('q'), KeyModifiers::NONE), Pane::Archive),
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
    resolves(
        &k,
        &[
            (Char('K'), M::SHIFT, Some(Action::Acknowledge)),
            (Char('a'), M::NONE, Some(Action::Quit)),
            (Char('q'), M::CONTROL, Some(Action::Quit)),
        ],
    );
    assert!(
        warnings.iter().any(|w| w.contains("nope: no such action")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("'ctrl-' is not a key")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("quit: takes a key from ack_retry")),
        "{warnings:?}"
    );
    assert_eq!(k.key_label(Action::Acknowledge), "K");
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("ack_worker_alert: no key is left for this action")),
        "an action left without a key is warned about: {warnings:?}"
    );
}
