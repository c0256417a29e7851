//! One key as text and as a terminal event: `a`, `A`, `ctrl-r`, `pgdn`, `shift-tab` parse into a
//! [`KeySpec`], print back the same way, and match crossterm key events (Alt never matches: Esc
//! followed at once by a key arrives as Alt+key, and the console treats it as Esc, then the key).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key with modifiers, parsed from and printed as text like `a`, `A`, `ctrl-r`, `pgdn`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySpec {
    pub code: KeyCode,
    pub ctrl: bool,
}

/// `text` without a case-insensitive ASCII `prefix`, if it has it (never slices inside a char).
fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

impl KeySpec {
    /// Parses a key; `None` for text that names no key (never panics on any input).
    pub fn parse(text: &str) -> Option<KeySpec> {
        let (ctrl, rest) =
            match strip_prefix_ci(text, "ctrl-").or_else(|| strip_prefix_ci(text, "c-")) {
                Some(r) => (true, r),
                None => (false, text),
            };
        let named = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => Some(KeyCode::Enter),
            "esc" | "escape" => Some(KeyCode::Esc),
            "tab" => Some(KeyCode::Tab),
            "backtab" | "shift-tab" => Some(KeyCode::BackTab),
            "space" => Some(KeyCode::Char(' ')),
            "up" => Some(KeyCode::Up),
            "down" => Some(KeyCode::Down),
            "left" => Some(KeyCode::Left),
            "right" => Some(KeyCode::Right),
            "pgup" | "pageup" => Some(KeyCode::PageUp),
            "pgdn" | "pagedown" => Some(KeyCode::PageDown),
            "home" => Some(KeyCode::Home),
            "end" => Some(KeyCode::End),
            "backspace" => Some(KeyCode::Backspace),
            f if f.len() >= 2 && f.starts_with('f') => f[1..].parse::<u8>().ok().map(KeyCode::F),
            _ => None,
        };
        let code = match named {
            Some(c) => c,
            None => {
                let mut chars = rest.chars();
                let c = chars.next()?;
                if chars.next().is_some() || c.is_control() {
                    return None;
                }
                KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c })
            }
        };
        Some(KeySpec { code, ctrl })
    }

    /// Is this key a character typed without ctrl (text where a field takes text)?
    pub fn is_text(&self) -> bool {
        !self.ctrl && matches!(self.code, KeyCode::Char(_))
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

    /// The key as the help and the hint bar show it.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Enter => "enter".to_string(),
            KeyCode::Esc => "esc".into(),
            KeyCode::Tab => "tab".into(),
            KeyCode::BackTab => "shift-tab".into(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_specs_round_trip_through_config_text() {
        for t in [
            "a",
            "A",
            "ctrl-r",
            "enter",
            "esc",
            "space",
            "pgdn",
            "up",
            "f1",
            "/",
            "*",
            "shift-tab",
        ] {
            let k = KeySpec::parse(t).unwrap();
            assert_eq!(KeySpec::parse(&k.config_text()), Some(k), "{t}");
        }
        assert_eq!(KeySpec::parse("ab"), None);
    }

    #[test]
    fn any_text_parses_without_panicking() {
        for t in [
            "CTRL-İİİ",
            "İ",
            "ctrl-",
            "c-",
            "",
            "\u{1b}",
            "f",
            "f999",
            "ctrl-ß",
            "Ctrl-R",
            "c-ẞẞ",
        ] {
            let _ = KeySpec::parse(t);
        }
        assert_eq!(KeySpec::parse("Ctrl-R").map(|k| k.ctrl), Some(true));
        assert_eq!(
            KeySpec::parse("\u{1b}"),
            None,
            "a control character names no key"
        );
    }
}
