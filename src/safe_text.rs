//! Making server and store strings safe for a terminal: control characters (C0, DEL, C1) and
//! bidirectional-text controls become visible escapes such as `\x1b`, `\u{9b}` and
//! `\u{202e}`, so a hostile record cannot set the title, write the clipboard (OSC 52), clear
//! the screen, switch to the alternate screen, or reorder what the operator reads.

use std::borrow::Cow;
use std::fmt::Write;

/// True for the bidirectional-text controls (embeddings, overrides, isolates and marks): text
/// after them can be shown in another order than it is stored ("Trojan Source").
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// True for characters that show nothing or break a line outside the C0 set: zero-width
/// spaces and joiners, the word joiner, the byte-order mark, the soft hyphen, and the line and
/// paragraph separators. Hidden in an id, they make two different ids look the same.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2028}' | '\u{2029}' | '\u{2060}' | '\u{feff}'
    )
}

/// True for a character a terminal may interpret, that reorders text or that shows nothing:
/// C0 (except newline and tab when `keep_layout`), DEL, C1, the bidi controls, the invisible
/// characters.
fn is_unsafe(c: char, keep_layout: bool) -> bool {
    match c {
        '\n' | '\t' => !keep_layout,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        c => is_bidi_control(c) || is_invisible(c),
    }
}

fn escape(s: &str, keep_layout: bool) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c, keep_layout)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !is_unsafe(c, keep_layout) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    Cow::Owned(out)
}

/// Escapes C0 controls except newline and tab, DEL, C1 (U+0080–U+009F) and the bidi controls.
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

/// Like [`terminal_safe`], and newline and tab become `\n` and `\t` too (table cells, one-line
/// messages).
pub fn single_line(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

/// Escapes DEL, C1 (U+0080–U+009F), the bidi controls and the invisible characters in
/// serialised JSON as `\u007f`… (serde_json already escapes C0 and leaves these raw; they are
/// only ever inside a string literal, so the JSON keeps its value and stays valid after the
/// terminal-safe printing).
pub fn json_terminal_escape(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if ('\u{7f}'..='\u{9f}').contains(&c) || is_bidi_control(c) || is_invisible(c) {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_sequences_become_visible_escapes() {
        let cases = [
            ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
            ("\x1b[2J", "\\x1b[2J"),
            (
                "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaAo=\x07",
                "\\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaAo=\\x07",
            ),
            ("\x1b[?1049h", "\\x1b[?1049h"),
            ("a\u{9b}2Jb", "a\\u{9b}2Jb"),
            ("del\x7f", "del\\x7f"),
            ("cr\rlf", "cr\\rlf"),
            ("evil\u{202e}LIVE\u{202c}", "evil\\u{202e}LIVE\\u{202c}"),
            (
                "\u{2066}iso\u{2069}\u{200f}",
                "\\u{2066}iso\\u{2069}\\u{200f}",
            ),
        ];
        for (raw, want) in cases {
            let got = terminal_safe(raw);
            assert_eq!(got, want, "{raw:?}");
            assert!(
                !got.chars().any(|c| c.is_control() || is_bidi_control(c)),
                "no control left in {got:?}"
            );
        }
    }

    #[test]
    fn layout_is_kept_unless_single_line() {
        assert_eq!(terminal_safe("a\nb\tc"), "a\nb\tc");
        assert_eq!(single_line("a\nb\tc\x1b"), "a\\nb\\tc\\x1b");
    }

    #[test]
    fn clean_text_is_borrowed_and_unicode_survives() {
        assert!(matches!(
            terminal_safe("payments · Zoë ✓"),
            Cow::Borrowed(_)
        ));
        assert_eq!(terminal_safe("\u{a0}é"), "\u{a0}é");
    }

    #[test]
    fn json_escapes_c1_and_bidi_and_stays_valid() {
        let v = serde_json::json!({"owner": "x\u{9b}31m\u{85}y", "n": "\x1b]0;t\x07",
            "id": "evil\u{202e}LIVE\u{2066}x\u{2069}", "p": "splunk\u{7f}\u{a0}x\u{200b}y"});
        let text = json_terminal_escape(&serde_json::to_string(&v).unwrap());
        assert!(text.contains("\\u009b31m\\u0085y"), "{text}");
        assert!(text.contains("evil\\u202eLIVE\\u2066x\\u2069"), "{text}");
        assert!(text.contains("splunk\\u007f\u{a0}x\\u200by"), "{text}");
        assert_eq!(
            terminal_safe(&text),
            text,
            "printing it leaves the JSON as it is"
        );
        assert!(!text.chars().any(|c| c.is_control()), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v, "escaping does not change the value");
    }
}
