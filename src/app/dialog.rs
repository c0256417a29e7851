//! The confirmation dialog: it holds the pending effect, shows exactly what will be recorded
//! and where, takes optional notes and an external reference, and defaults to No.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::effect::Effect;
use crate::keymap::{Action, Keymap, Scope, is_confirm};

/// What an outdated preview says instead of confirming.
pub const OUTDATED: &str = "the routes changed since this preview: press Esc and run the action again to see what it would record now";

/// A dialog field that does not hold what its action needs; the dialog stays open and says so.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    /// A destination field that names no provider, or one CAVRA lacks.
    #[error("{label}: {reason}")]
    NotDestination {
        label: String,
        reason: crate::domain::provider::DestinationError,
    },
    #[error("{label}: '{value}' is not a number")]
    NotNumber { label: String, value: String },
    #[error("{label}: '{value}' is not y or n")]
    NotYesNo { label: String, value: String },
    /// A pick list holding a value it does not offer (a bug; nothing is sent).
    #[error("{label}: choose one of {}", choices.join(", "))]
    NotAChoice {
        label: String,
        choices: Vec<&'static str>,
    },
}

/// An editable field of the dialog: free text, or a pick list of valid values (←/→ choose).
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub label: &'static str,
    pub value: String,
    /// The valid values of an enumerated field (empty: free text).
    pub choices: &'static [&'static str],
}

impl Field {
    /// A free-text field.
    pub fn text(label: &'static str, value: impl Into<String>) -> Field {
        Field {
            label,
            value: value.into(),
            choices: &[],
        }
    }

    /// A pick list starting at `value` (or the first choice when `value` is not one).
    pub fn pick(label: &'static str, value: &str, choices: &'static [&'static str]) -> Field {
        let value = choices
            .iter()
            .find(|c| **c == value)
            .or(choices.first())
            .copied()
            .unwrap_or("");
        Field {
            label,
            value: value.to_string(),
            choices,
        }
    }

    /// Moves a pick list by `step` (wrapping); a text field is unchanged.
    fn cycle(&mut self, step: isize) {
        if self.choices.is_empty() {
            return;
        }
        let n = self.choices.len() as isize;
        let at = self
            .choices
            .iter()
            .position(|c| *c == self.value)
            .unwrap_or(0) as isize;
        self.value = self.choices[((at + step).rem_euclid(n)) as usize].to_string();
    }

    /// A typed character on a pick list jumps to the next choice starting with it.
    fn jump(&mut self, c: char) {
        let start = self
            .choices
            .iter()
            .position(|v| *v == self.value)
            .map_or(0, |i| i + 1);
        let n = self.choices.len();
        if let Some(v) = (0..n)
            .map(|i| self.choices[(start + i) % n])
            .find(|v| v.starts_with(c.to_ascii_lowercase()))
        {
            self.value = v.to_string();
        }
    }
}

/// A confirmation in progress.
#[derive(Debug, Clone)]
pub struct ConfirmDialog {
    pub title: String,
    /// Lines that say what will change and where.
    pub preview: Vec<String>,
    pub fields: Vec<Field>,
    /// `0..fields.len()` edits a field; `fields.len()` is the y/N prompt.
    pub focus: usize,
    pub scroll: usize,
    /// The effect `y` releases; the fields are read into it first.
    pub pending: Effect,
    /// Why the fields could not be read (the dialog stays open).
    pub error: Option<String>,
    /// The data changed since this preview was built: `y` no longer confirms it.
    pub outdated: bool,
}

/// The notes and external reference fields of a route action.
pub fn note_fields() -> Vec<Field> {
    vec![Field::text("Notes", ""), Field::text("External ref", "")]
}

/// What a key did to the dialog.
#[derive(Debug, PartialEq)]
pub enum DialogResult {
    Open,
    Cancelled,
    Confirmed,
}

impl ConfirmDialog {
    pub fn new(
        title: impl Into<String>,
        preview: Vec<String>,
        fields: Vec<Field>,
        pending: Effect,
    ) -> Self {
        ConfirmDialog {
            title: title.into(),
            preview,
            fields,
            focus: 0,
            scroll: 0,
            pending,
            error: None,
            outdated: false,
        }
    }

    pub fn at_prompt(&self) -> bool {
        self.focus >= self.fields.len()
    }

    /// Handles a key: the dialog's keys come from the keymap, a typed character goes to the
    /// focused field, and at the prompt only a plain `y` confirms (anything else is No).
    pub fn on_key(&mut self, key: &KeyEvent, keys: &Keymap) -> DialogResult {
        let action = keys.resolve_modal(key, Scope::Dialog);
        match action {
            Some(Action::Cancel) => return DialogResult::Cancelled,
            Some(Action::NextField) => self.focus = (self.focus + 1) % (self.fields.len() + 1),
            Some(Action::PrevField) => {
                self.focus = (self.focus + self.fields.len()) % (self.fields.len() + 1)
            }
            Some(Action::ScrollDown) => self.scroll = self.scroll.saturating_add(5),
            Some(Action::ScrollUp) => self.scroll = self.scroll.saturating_sub(5),
            // The confirm key is fixed, not a binding: a modified key (Alt+y from Esc y,
            // ctrl-y, shift-y or Caps Lock's Y) never confirms.
            _ if self.at_prompt() && is_confirm(key) && self.outdated => {
                self.error = Some(OUTDATED.into());
            }
            _ if self.at_prompt() && is_confirm(key) => match self.fill_pending() {
                Ok(()) => return DialogResult::Confirmed,
                Err(e) => {
                    self.error = Some(e.to_string());
                    self.focus = 0;
                }
            },
            // Default No: Enter, n, or anything else cancels.
            _ if self.at_prompt() => return DialogResult::Cancelled,
            Some(Action::Submit) => self.focus += 1,
            Some(Action::PickPrev) => self.fields[self.focus].cycle(-1),
            Some(Action::PickNext) => self.fields[self.focus].cycle(1),
            _ if !self.fields[self.focus].choices.is_empty() => match (action, key.code) {
                (None, KeyCode::Char(' ')) => self.fields[self.focus].cycle(1),
                (None, KeyCode::Char(c)) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                    self.fields[self.focus].jump(c)
                }
                _ => {}
            },
            Some(Action::DeleteChar) => {
                self.fields[self.focus].value.pop();
            }
            Some(Action::ClearText) => self.fields[self.focus].value.clear(),
            None => {
                if let KeyCode::Char(c) = key.code {
                    if !key.modifiers.contains(KeyModifiers::CONTROL) {
                        self.fields[self.focus].value.push(c);
                    }
                }
            }
            Some(_) => {}
        }
        DialogResult::Open
    }

    fn fill_pending(&mut self) -> Result<(), FieldError> {
        // Pick lists only ever hold valid values; say so if one does not (a bug, never sent).
        if let Some(f) = self
            .fields
            .iter()
            .find(|f| !f.choices.is_empty() && !f.choices.contains(&f.value.as_str()))
        {
            return Err(FieldError::NotAChoice {
                label: f.label.to_string(),
                choices: f.choices.to_vec(),
            });
        }
        let value = |label: &str| {
            self.fields
                .iter()
                .find(|f| f.label == label)
                .map(|f| f.value.trim().to_string())
                .unwrap_or_default()
        };
        let (notes_v, ref_v) = (value("Notes"), value("External ref"));
        match &mut self.pending {
            Effect::Record {
                notes,
                external_ref,
                ..
            } => {
                *notes = notes_v;
                *external_ref = ref_v;
                Ok(())
            }
            Effect::Act { action, .. } => action.apply_fields(&self.fields),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ack::AckState;
    use crate::ops::ActionPlan;

    fn dialog() -> ConfirmDialog {
        let plan = ActionPlan {
            state: "acknowledged",
            routes: vec![],
            requests: 1,
            skipped: vec![],
        };
        let eff = Effect::Record {
            title: "t".into(),
            plan,
            state: AckState::Acknowledged,
            notes: String::new(),
            external_ref: String::new(),
            actors: Vec::new(),
        };
        ConfirmDialog::new("Acknowledge", vec![], note_fields(), eff)
    }

    fn press(d: &mut ConfirmDialog, text: &str) -> DialogResult {
        let mut last = DialogResult::Open;
        for c in text.chars() {
            let code = if c == '\n' {
                KeyCode::Enter
            } else {
                KeyCode::Char(c)
            };
            last = d.on_key(&KeyEvent::new(code, KeyModifiers::NONE), &Keymap::default());
        }
        last
    }

    #[test]
    fn typing_fills_fields_and_y_confirms_with_them() {
        let mut d = dialog();
        assert_eq!(
            press(&mut d, "drill booked\nCHG-9\ny"),
            DialogResult::Confirmed
        );
        let Effect::Record {
            notes,
            external_ref,
            ..
        } = &d.pending
        else {
            panic!()
        };
        assert_eq!(
            (notes.as_str(), external_ref.as_str()),
            ("drill booked", "CHG-9")
        );
    }

    #[test]
    fn y_in_a_field_is_text_and_the_prompt_defaults_to_no() {
        let mut d = dialog();
        assert_eq!(press(&mut d, "yes"), DialogResult::Open);
        assert_eq!(d.fields[0].value, "yes");
        assert_eq!(
            press(&mut d, "\n\n\n"),
            DialogResult::Cancelled,
            "Enter at the prompt is No"
        );
    }

    #[test]
    fn esc_cancels_anywhere() {
        let mut d = dialog();
        assert_eq!(
            d.on_key(
                &KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
                &Keymap::default()
            ),
            DialogResult::Cancelled
        );
    }

    #[test]
    fn the_dialog_keys_come_from_the_keymap_and_only_a_plain_y_confirms() {
        let mut o = std::collections::BTreeMap::new();
        o.insert(
            "dialog_cancel".to_string(),
            crate::config::KeyList::One("ctrl-g".into()),
        );
        let (keys, _) = Keymap::with_overrides(&o);
        let mut d = dialog();
        let ev = |c, m| KeyEvent::new(c, m);
        for c in ['q', 'Q', ' ', 'x'] {
            assert_eq!(
                d.on_key(&ev(KeyCode::Char(c), KeyModifiers::NONE), &keys),
                DialogResult::Open
            );
        }
        assert_eq!(d.fields[0].value, "qQ x", "typed characters are text");
        assert_eq!(
            d.on_key(&ev(KeyCode::Esc, KeyModifiers::NONE), &keys),
            DialogResult::Open,
            "esc was rebound"
        );
        d.focus = d.fields.len();
        for (c, m) in [
            ('y', KeyModifiers::ALT),
            ('Y', KeyModifiers::SHIFT),
            ('y', KeyModifiers::CONTROL),
        ] {
            let mut at_prompt = d.clone();
            assert_eq!(
                at_prompt.on_key(&ev(KeyCode::Char(c), m), &keys),
                DialogResult::Cancelled,
                "{c} {m:?}"
            );
        }
        assert_eq!(
            d.clone()
                .on_key(&ev(KeyCode::Char('g'), KeyModifiers::CONTROL), &keys),
            DialogResult::Cancelled
        );
        assert_eq!(
            d.on_key(&ev(KeyCode::Char('y'), KeyModifiers::NONE), &keys),
            DialogResult::Confirmed
        );
    }
}
