//! Pane 3: the notification history, one page at a time.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::widgets::framed;
use crate::app::App;
use crate::theme::Theme;
use crate::views::rows::{HISTORY_HEADER, history_row};

pub fn draw(frame: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let h = &app.history;
    let pages = h.total.div_ceil(h.limit.max(1)).max(1);
    let mut title = match h.scanned {
        // The console matched part of the filter over every page: say how many matched.
        Some(scanned) => format!(
            "3 History · page {}/{} · {} matching of {} scanned",
            h.offset / h.limit.max(1) + 1,
            pages,
            h.total,
            scanned
        ),
        None => format!(
            "3 History · page {}/{} · {} records",
            h.offset / h.limit.max(1) + 1,
            pages,
            h.total
        ),
    };
    if !h.filter.is_empty() {
        title.push_str(&format!(" · filter: {}", h.filter));
    }
    let inner = framed(frame, area, title, h.stale, t);
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
    // Columns as wide as what they hold on screen (IDs and kinds are long), within a share of
    // the width; cells that still do not fit end in an ellipsis.
    let shown: Vec<[String; 6]> = h
        .items
        .iter()
        .skip(offset)
        .take(visible)
        .map(history_row)
        .collect();
    let content = |i: usize, min: usize| {
        shown
            .iter()
            .map(|c| unicode_width::UnicodeWidthStr::width(c[i].as_str()))
            .max()
            .unwrap_or(0)
            .max(min)
    };
    // What the flexible columns share: the width less the fixed ones and the gaps.
    let time_w = usize::from(crate::domain::time::short_width());
    let status_w = content(3, 6).min(16);
    let columns = if wide { 6 } else { 5 };
    let budget = (inner.width as usize).saturating_sub(time_w + status_w + (columns - 1));
    let id_w = content(0, 2).min(budget * 40 / 100).max(4);
    let kind_w = content(1, 4).min(budget * 35 / 100).max(4);
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
                "warning" | "wait" | "delivery_unknown" => t.warn,
                "delivered" | "healthy" | "resolved" | "acknowledged" | "accepted" => t.ok,
                _ => ratatui::style::Style::default(),
            };
            let mut cells = vec![
                Cell::from(super::fit(&cols[0], id_w)),
                Cell::from(super::fit(&cols[1], kind_w)),
                Cell::from(cols[2].clone()),
            ];
            cells.push(Cell::from(Span::styled(
                super::fit(&cols[3], status_w),
                status_style,
            )));
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
        Constraint::Length(id_w as u16),
        Constraint::Length(kind_w as u16),
        Constraint::Fill(2),
        Constraint::Length(status_w as u16),
    ];
    let mut header: Vec<&str> = HISTORY_HEADER[..4].to_vec();
    if wide {
        widths.push(Constraint::Fill(2));
        header.push(HISTORY_HEADER[4]);
    }
    widths.push(Constraint::Length(crate::domain::time::short_width()));
    header.push(HISTORY_HEADER[5]);
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(t.header))
        .column_spacing(1);
    frame.render_widget(table, inner);
}
