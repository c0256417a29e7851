//! Pane 2: delivery-health cards, grouped, in as many columns as the width allows; above
//! them, when the server holds more than 500 records, what its dashboard leaves out.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::widgets::{framed, severity_style};
use crate::app::{App, Pane};
use crate::theme::Theme;
use crate::views::cards::dashboard_cards;
use crate::views::window::{console_outstanding, window_note};

const CARD_WIDTH: usize = 38;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let inner = framed(frame, area, "2 Delivery health".into(), app.health.stale, t);
    let lines = lines(app, t, inner);
    let scroll = app.scroll_of(Pane::Health).min(u16::MAX as usize) as u16;
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}

/// Lines the pane shows below `inner`'s top (scrolling beyond `inner`'s height).
pub fn height(app: &App, t: &Theme, inner: Rect) -> usize {
    lines(app, t, inner).len()
}

fn lines(app: &App, t: &Theme, inner: Rect) -> Vec<Line<'static>> {
    let Some(d) = &app.health.dashboard else {
        return vec![super::widgets::not_loaded_line(
            "the dashboard",
            app.health.stale,
            t,
        )];
    };
    let mut lines: Vec<Line<'static>> = Vec::new();
    let routes = app
        .routes
        .loaded
        .then(|| console_outstanding(&app.routes.rows));
    if let Some(note) = window_note(d, app.health.records, routes) {
        lines.push(Line::from(Span::styled(
            format!("! {}", note.long()),
            t.warn,
        )));
    }
    let cols = (inner.width as usize / CARD_WIDTH).max(1);
    let width = inner.width as usize / cols;
    let cards = dashboard_cards(d);
    let mut group = "";
    let mut row: Vec<Span<'static>> = Vec::new();
    let mut in_row = 0;
    for c in &cards {
        if c.group != group {
            if !row.is_empty() {
                lines.push(Line::from(std::mem::take(&mut row)));
                in_row = 0;
            }
            group = c.group;
            lines.push(Line::from(Span::styled(group, t.header)));
        }
        let style = severity_style(c.severity, t);
        if c.value.chars().count() + 28 > width {
            // A long value (the provider list) gets a line of its own.
            if !row.is_empty() {
                lines.push(Line::from(std::mem::take(&mut row)));
                in_row = 0;
            }
            lines.push(Line::from(vec![
                Span::styled(format!(" {:<24}", c.label), t.muted),
                Span::styled(format!("{} {}", c.severity.glyph(), c.value), style),
            ]));
            continue;
        }
        let label = format!(" {:<24}", c.label);
        let value = super::fit(
            &format!("{} {}", c.severity.glyph(), c.value),
            width.saturating_sub(label.len() + 1),
        );
        let pad = width.saturating_sub(label.chars().count() + value.chars().count());
        row.push(Span::styled(label, t.muted));
        row.push(Span::styled(value, style));
        row.push(Span::raw(" ".repeat(pad)));
        in_row += 1;
        if in_row == cols {
            lines.push(Line::from(std::mem::take(&mut row)));
            in_row = 0;
        }
    }
    if !row.is_empty() {
        lines.push(Line::from(row));
    }
    lines
}
