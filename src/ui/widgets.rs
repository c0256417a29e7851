//! Small render helpers shared by the panes: severity spans, pane blocks, key/value lines.

use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

use crate::theme::Theme;
use crate::views::Severity;

/// The theme style of a severity.
pub fn severity_style(sev: Severity, t: &Theme) -> ratatui::style::Style {
    match sev {
        Severity::Ok => t.ok,
        Severity::Info => ratatui::style::Style::default(),
        Severity::Warn => t.warn,
        Severity::Critical => t.critical,
    }
}

/// `glyph word` for an alert level, styled.
pub fn level_span(level: &str, t: &Theme) -> Span<'static> {
    let sev = Severity::from_level(level);
    let word = if level.is_empty() { "healthy" } else { level };
    Span::styled(format!("{} {word}", sev.glyph()), severity_style(sev, t))
}

/// A list's title (`name` before ` (`, then `shown/total · filter: …` while a filter is on),
/// and `none` under it when nothing is shown.
pub fn list_head(
    name: &str,
    filter: &str,
    (shown, total): (usize, usize),
    t: &Theme,
) -> Vec<Line<'static>> {
    let title = if filter.is_empty() {
        name.to_string()
    } else {
        let short = name.split(" (").next().unwrap_or(name);
        format!("{short} · {shown}/{total} · filter: {filter}")
    };
    let mut lines = vec![Line::from(Span::styled(title, t.header))];
    if shown == 0 {
        lines.push(Line::from(Span::styled("none", t.muted)));
    }
    lines
}

/// A section: `title  ◯ level` (the object's `alert_level`), then facts as key/value lines.
pub fn facts_section(
    title: &str,
    level_of: &crate::backend::Json,
    facts: Vec<crate::views::facts::Fact>,
    t: &Theme,
) -> Vec<Line<'static>> {
    let level = crate::views::facts::level(level_of);
    let head = Line::from(vec![
        Span::styled(format!("{title}  "), t.header),
        level_span(&level, t),
    ]);
    let body = facts.into_iter().map(|(k, v)| kv(k, v, t));
    std::iter::once(head).chain(body).collect()
}

/// Draws a pane's block (title, stale marker) over `area` and gives the area inside it.
pub fn framed(
    frame: &mut ratatui::Frame,
    area: Rect,
    title: String,
    stale: bool,
    t: &Theme,
) -> Rect {
    let block = pane_block(title, stale, t);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

/// A bordered pane block with a title and an optional stale marker.
pub fn pane_block(title: String, stale: bool, t: &Theme) -> Block<'static> {
    let mut spans = vec![Span::styled(format!(" {title} "), t.title)];
    if stale {
        spans.push(Span::styled(" STALE: last refresh failed ", t.error));
    }
    Block::default()
        .borders(Borders::ALL)
        .border_style(t.border)
        .title(Line::from(spans))
}

/// What a pane shows before its first answer: `loading {what}…`, or once that read failed, that
/// it could not be loaded (a thin or broken answer never leaves "loading" up for good).
pub fn not_loaded(what: &str, stale: bool, t: &Theme) -> ratatui::widgets::Paragraph<'static> {
    ratatui::widgets::Paragraph::new(not_loaded_line(what, stale, t))
}

/// The line a pane shows before its data: loading, or why it could not be read.
pub fn not_loaded_line(what: &str, stale: bool, t: &Theme) -> Line<'static> {
    let line = if stale {
        Span::styled(
            format!(
                "could not load {what}: the read failed (the error line says why; ctrl-r retries)"
            ),
            t.error,
        )
    } else {
        Span::styled(format!("loading {what}…"), t.pending)
    };
    Line::from(line)
}

/// A part of a pane the server did not answer (or does not offer): said as not read, so it
/// never reads as "none".
pub fn not_read_line(t: &Theme) -> Line<'static> {
    Line::from(Span::styled(
        "not read: no readable answer from the server for this part (ctrl-r retries)",
        t.error,
    ))
}

/// A section headed `title` that was not read.
pub fn not_read_section(title: &str, t: &Theme) -> [Line<'static>; 2] {
    [
        Line::from(Span::styled(title.to_string(), t.header)),
        not_read_line(t),
    ]
}

/// `label  value` with the label muted.
pub fn kv(label: &str, value: impl Into<String>, t: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{label:<26}"), t.muted),
        Span::raw(value.into()),
    ])
}

/// A `width` × `height` box in the middle of `area` (overlays and the confirmation dialog).
pub(super) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [h] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(area);
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(h);
    v
}

/// `text` in lines of at most `width` columns, broken at spaces where a word fits, else
/// inside the word.
pub(super) fn wrapped(text: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthChar;
    let mut lines = vec![String::new()];
    let mut used = 0;
    for word in text.split_inclusive(' ') {
        let w: usize = word.chars().map(|c| c.width().unwrap_or(0)).sum();
        if used > 0 && used + w.min(width) > width && w <= width {
            lines.push(String::new());
            used = 0;
        }
        for c in word.chars() {
            let cw = c.width().unwrap_or(0);
            if used + cw > width {
                lines.push(String::new());
                used = 0;
            }
            lines.last_mut().expect("one line at least").push(c);
            used += cw;
        }
    }
    lines
}

/// The lines as plain text, one a line (for tests).
#[cfg(test)]
pub fn plain(lines: &[Line<'_>]) -> String {
    let all: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    all.join("\n")
}
