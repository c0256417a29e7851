//! What reaches the terminal cell by cell: a backend wrapper that always drops the
//! bidirectional-text controls and invisible characters a server string may carry (they would
//! reorder or hide what the operator reads), and for terminals without UTF-8 (`LANG=C`, `--ascii`) turns every glyph and border
//! into ASCII as the frame is written, so the panes keep one drawing code and states keep their
//! words (`✓ acknowledged` becomes `+ acknowledged`).

use std::borrow::Cow;

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};

use crate::safe_text::{is_bidi_control, is_invisible};

/// A character no cell may carry: a bidi control (it reorders what the operator reads) or an
/// invisible one (zero-width, soft hyphen, BOM: text that is there but not seen).
fn hidden(c: char) -> bool {
    is_bidi_control(c) || is_invisible(c)
}

/// Does the locale (LC_ALL, else LC_CTYPE, else LANG) say the terminal cannot show UTF-8?
/// Unset means a modern default: UTF-8.
pub fn locale_is_ascii() -> bool {
    let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
    match locale {
        None => false,
        Some(l) => {
            let l = l.to_ascii_lowercase();
            !(l.contains("utf-8") || l.contains("utf8"))
        }
    }
}

/// The ASCII stand-in for one character (`?` for anything without one).
fn ascii_char(c: char) -> &'static str {
    match c {
        '─' | '━' | '═' | '–' | '—' => "-",
        '│' | '┃' | '║' => "|",
        '┌' | '┐' | '└' | '┘' | '├' | '┤' | '┬' | '┴' | '┼' | '╭' | '╮' | '╯' | '╰' => {
            "+"
        }
        '✓' | '✔' => "+",
        '✗' | '✘' | '×' => "x",
        '▲' | '⚠' => "!",
        '○' => "o",
        '●' => "*",
        '▶' | '→' => ">",
        '←' => "<",
        '↑' => "^",
        '↓' => "v",
        '·' => ".",
        '…' => ".",
        '↻' | '⟳' => "~",
        '▏' => "|",
        '§' => "S",
        '«' | '‹' => "<",
        '»' | '›' => ">",
        _ => "?",
    }
}

/// `s` with every non-ASCII character replaced by its stand-in.
pub fn to_ascii(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| {
                if c.is_ascii() {
                    c.to_string()
                } else {
                    ascii_char(c).to_string()
                }
            })
            .collect(),
    )
}

/// A backend that writes ASCII only when `enabled`, else passes cells through.
pub struct AsciiBackend<B> {
    inner: B,
    enabled: bool,
}

impl<B> AsciiBackend<B> {
    pub fn new(inner: B, enabled: bool) -> Self {
        AsciiBackend { inner, enabled }
    }

    /// The wrapped backend (tests read a test backend's buffer through it).
    pub fn inner(&self) -> &B {
        &self.inner
    }
}

impl<B: Backend> Backend for AsciiBackend<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let enabled = self.enabled;
        let cells: Vec<(u16, u16, Cell)> = content
            .map(|(x, y, c)| {
                let mut cell = c.clone();
                if c.symbol().chars().any(hidden) {
                    let kept: String = c.symbol().chars().filter(|&c| !hidden(c)).collect();
                    cell.set_symbol(if kept.is_empty() { " " } else { &kept });
                }
                if enabled && let Cow::Owned(s) = to_ascii(cell.symbol()) {
                    // A wide glyph becomes one ASCII column; its trailing cell is blank.
                    cell.set_symbol(s.chars().next().map_or(" ", |_| s.as_str()));
                }
                (x, y, cell)
            })
            .collect();
        self.inner.draw(cells.iter().map(|(x, y, c)| (*x, *y, c)))
    }

    fn append_lines(&mut self, n: u16) -> Result<(), Self::Error> {
        self.inner.append_lines(n)
    }
    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.get_cursor_position()
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> Result<(), Self::Error> {
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.inner.clear_region(clear_type)
    }
    fn size(&self) -> Result<Size, Self::Error> {
        self.inner.size()
    }
    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.inner.window_size()
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyphs_and_borders_become_ascii_and_words_stay() {
        assert_eq!(to_ascii("┌─ Routes ─┐"), "+- Routes -+");
        assert_eq!(
            to_ascii("✓ acknowledged ▲ escalated ○ outstanding – dismissed"),
            "+ acknowledged ! escalated o outstanding - dismissed"
        );
        assert_eq!(to_ascii("plain"), "plain");
        assert_eq!(to_ascii("‹ y ›"), "< y >");
        assert!(to_ascii("日本").is_ascii());
    }

    #[test]
    fn bidi_controls_and_invisible_characters_never_reach_the_terminal_in_either_mode() {
        use ratatui::Terminal;
        use ratatui::backend::TestBackend;
        use ratatui::widgets::Block;
        // A block title (as the raw JSON overlay's, which names the record) keeps the control
        // in a cell's symbol: without the wrapper a terminal would get it.
        let titled = || Block::bordered().title("id\u{202e}LI\u{200b}VE\u{2066}x");
        let mut plain = Terminal::new(TestBackend::new(20, 3)).unwrap();
        plain.draw(|f| f.render_widget(titled(), f.area())).unwrap();
        let cells = plain.backend().buffer().content();
        assert!(cells.iter().any(|c| c.symbol().contains('\u{202e}')));
        assert!(cells.iter().any(|c| c.symbol().contains('\u{200b}')));
        for ascii in [false, true] {
            let backend = AsciiBackend::new(TestBackend::new(20, 3), ascii);
            let mut term = Terminal::new(backend).unwrap();
            term.draw(|f| f.render_widget(titled(), f.area())).unwrap();
            let shown: String = term
                .backend()
                .inner()
                .buffer()
                .content()
                .iter()
                .map(|c| c.symbol())
                .collect();
            assert!(!shown.chars().any(hidden), "{shown:?}");
            assert!(shown.contains("idLIVEx"), "{shown:?}");
        }
    }
}
