//! Pane 3: the notification history, one page at a time.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::widgets::pane_block;
use crate::app::App;
use crate::theme::Theme;
use crate::views::rows::{HISTORY_HEADER, history_row};

pub fn draw(frame: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let h = &app.history;
    let pages = h.total.div_ceil(h.limit.max(1)).max(1);
    let mut title = format!(
        "3 History · page {}/{} · {} records",
        h.offset / h.limit.max(1) + 1,
        pages,
        h.total
    );
    if !h.filter.is_empty() {
        title.push_str(&format!(" · filter: {}", h.filter));
    }
    let block = pane_block(title, h.stale, t);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if !h.loaded {
        frame.render_widget(super::widgets::not_loaded("the history", h.stale, t), inner);
        return;
    }
    if h.items.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(
                "no record matches (esc clears the filter)",
                t.muted,
            )),
            inner,
        );
        return;
    }
    let visible = inner.height.saturating_sub(1) as usize;
    let offset = h.cursor.pos.saturating_sub(visible.saturating_sub(1));
    let wide = inner.width >= 110;
    let rows: Vec<Row> = h
        .items
        .iter()
        .enumerate()
        .skip(offset)
        .take(visible)
        .map(|(i, r)| {
            let cols = history_row(r);
            let status_style = match cols[3].as_str() {
                "delivery_failed" | "critical" | "escalated" | "outstanding" => t.critical,
                "warning" | "wait" => t.warn,
                "delivered" | "healthy" | "resolved" | "acknowledged" | "accepted" => t.ok,
                _ => ratatui::style::Style::default(),
            };
            let kind = cols[1].replace("acknowledgement-audit", "ack-audit");
            let mut cells = vec![
                Cell::from(cols[0].clone()),
                Cell::from(kind),
                Cell::from(cols[2].clone()),
            ];
            cells.push(Cell::from(Span::styled(cols[3].clone(), status_style)));
            if wide {
                cells.push(Cell::from(cols[4].clone()));
            }
            cells.push(Cell::from(cols[5].clone()));
            let row = Row::new(cells);
            if i == h.cursor.pos {
                row.style(t.cursor)
            } else {
                row
            }
        })
        .collect();
    let mut widths = vec![
        Constraint::Fill(4),
        Constraint::Fill(4),
        Constraint::Fill(2),
        Constraint::Length(15),
    ];
    let mut header: Vec<&str> = HISTORY_HEADER[..4].to_vec();
    if wide {
        widths.push(Constraint::Fill(2));
        header.push(HISTORY_HEADER[4]);
    }
    widths.push(Constraint::Length(19));
    header.push(HISTORY_HEADER[5]);
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(t.header))
        .column_spacing(1);
    frame.render_widget(table, inner);
}
