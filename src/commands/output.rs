//! Printing command results as aligned tables or JSON. Every cell and every JSON string is made
//! terminal-safe first ([`crate::safe_text`]): server and store strings never reach the
//! terminal with control sequences in them.

use std::io::IsTerminal;

/// `println!` for the commands: the whole line is made terminal-safe (C0 except newline and
/// tab, DEL and C1 become visible escapes), whatever server or store text it carries. The
/// commands and `main.rs` print only through these three (a test greps for raw prints).
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {
        ::std::println!("{}", $crate::safe_text::terminal_safe(&::std::format!($($arg)*)))
    };
}

/// `print!` for the commands, made terminal-safe like [`outln!`].
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {
        ::std::print!("{}", $crate::safe_text::terminal_safe(&::std::format!($($arg)*)))
    };
}

/// `eprintln!` for the commands (errors, warnings, notes), made terminal-safe like [`outln!`].
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => {
        ::std::eprintln!("{}", $crate::safe_text::terminal_safe(&::std::format!($($arg)*)))
    };
}

use serde::Serialize;

use crate::backend::Json;
use crate::cli::OutputFormat;
use crate::views::summary::Summary;

/// The format to use: the flag, else table on a terminal and JSON when piped.
pub fn resolve(flag: Option<OutputFormat>) -> OutputFormat {
    flag.unwrap_or(if std::io::stdout().is_terminal() {
        OutputFormat::Table
    } else {
        OutputFormat::Json
    })
}

/// Pretty JSON on stdout; C0 is escaped by serde_json, C1 (U+0080–U+009F) by us.
pub fn json<T: Serialize + ?Sized>(value: &T) {
    crate::outln!("{}", json_text(value));
}

/// The text [`json`] prints.
pub fn json_text<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_string_pretty(value) {
        Ok(text) => crate::safe_text::json_terminal_escape(&text),
        Err(e) => format!("{{\"error\": \"cannot serialise the result: {e}\"}}"),
    }
}

/// A plain aligned table: header row, then rows; the last column is not padded. Cells are
/// made single-line and terminal-safe.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| crate::safe_text::single_line(c).into_owned())
                .collect()
        })
        .collect();
    let rows = &rows;
    let cols = header.len();
    // Columns in display width: a CJK character takes two columns.
    let shown = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let mut width: Vec<usize> = header.iter().map(|h| shown(h)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(cols) {
            width[i] = width[i].max(shown(c));
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == cols {
                s.push_str(c);
            } else {
                s.push_str(c);
                s.push_str(&" ".repeat(width[i] - shown(c) + 2));
            }
        }
        s.trim_end().to_string()
    };
    let mut out = line(header.to_vec());
    out.push('\n');
    for r in rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
        out.push('\n');
    }
    out
}

/// A JSON value as text: a string as it is, nothing for null or absent, else its JSON.
pub fn text(v: Option<&serde_json::Value>) -> String {
    match v {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// A server or store value made safe for a terminal on one line (see
/// `safe_text::single_line`): a newline in it cannot start a line the server wrote.
pub fn safe(s: &str) -> String {
    crate::safe_text::single_line(s).into_owned()
}

/// Labelled facts, one per line, made safe for the terminal.
pub(super) fn print_facts(list: &[crate::views::facts::Fact]) {
    print_labelled(list, 26);
}

/// `label value` lines, the labels padded to `width`, the values made safe for the terminal.
pub(super) fn print_labelled(list: &[(&str, String)], width: usize) {
    for (label, value) in list {
        crate::outln!("  {label:<width$} {}", safe(value));
    }
}

/// Prints `record` as its kind's summary line and, if the kind has one, its table.
pub(super) fn print_summary(summary: &Summary, record: &Json) {
    crate::outln!("{}", summary.line(record, safe));
    if let Some(listing) = &summary.listing {
        crate::out!("{}", table(listing.columns, &listing.rows(record)));
    }
}

/// A printer of an action's answer: the summary of its record of `summary`'s kind.
pub(super) fn summary_printer(summary: &'static Summary) -> impl Fn(&Json) {
    move |answer| print_summary(summary, &summary.record(answer))
}

#[cfg(test)]
mod tests {
    #[test]
    fn table_columns_line_up_in_display_width() {
        let rows = vec![
            vec!["監査ログ".to_string(), "ok".to_string()],
            vec!["ab".to_string(), "ok".to_string()],
        ];
        let t = super::table(&["provider", "status"], &rows);
        // The second column starts at the same display column on every line.
        let starts: Vec<usize> = t
            .lines()
            .map(|l| {
                let second = l.rfind("  ").unwrap() + 2;
                unicode_width::UnicodeWidthStr::width(&l[..second])
            })
            .collect();
        assert_eq!(starts, [10, 10, 10], "{t}");
    }

    #[test]
    fn table_aligns_columns() {
        let t = super::table(&["A", "BB"], &[vec!["xxx".into(), "y".into()]]);
        assert_eq!(t, "A    BB\nxxx  y\n");
    }

    #[test]
    fn cells_and_json_are_terminal_safe() {
        let t = super::table(&["A"], &[vec!["\x1b]0;title\x07\u{9b}2J\nx".into()]]);
        assert_eq!(t, "A\n\\x1b]0;title\\x07\\u{9b}2J\\nx\n");
        let j = super::json_text(&serde_json::json!({"o": "\u{9b}\x1b[2J"}));
        assert!(j.contains("\\u009b\\u001b[2J"), "{j}");
        assert!(!j.chars().any(|c| c.is_control() && c != '\n'), "{j}");
    }
}
