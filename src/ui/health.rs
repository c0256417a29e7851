//! Pane 2: delivery-health cards, grouped, in as many columns as the width allows.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::widgets::{pane_block, severity_style};
use crate::app::App;
use crate::theme::Theme;
use crate::views::cards::dashboard_cards;

const CARD_WIDTH: usize = 38;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let block = pane_block("2 Delivery health".into(), app.health.stale, t);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(d) = &app.health.dashboard else {
        frame.render_widget(
            super::widgets::not_loaded("the dashboard", app.health.stale, t),
            inner,
        );
        return;
    };
    let cols = (inner.width as usize / CARD_WIDTH).max(1);
    let width = inner.width as usize / cols;
    let cards = dashboard_cards(d);
    let mut lines: Vec<Line> = Vec::new();
    let mut group = "";
    let mut row: Vec<Span> = Vec::new();
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
    frame.render_widget(Paragraph::new(lines), inner);
}
