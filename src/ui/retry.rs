//! Pane 4: the newest audit retry plan (cursor, Ack Retry) and auditor export retry plan.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::widgets::{level_span, pane_block};
use crate::app::{App, Pane};
use crate::backend::Json;
use crate::theme::Theme;
use crate::views::facts;
use crate::views::rows::{DECISION_HEADER, decision_row, decisions};

pub fn draw(frame: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let block = pane_block("4 Retry plans".into(), app.retry.stale, t);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if !app.retry.loaded {
        frame.render_widget(
            super::widgets::not_loaded("retry plans", app.retry.stale, t),
            inner,
        );
        return;
    }
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(inner);
    let (shown, total) = app.visible_items(Pane::Retry);
    let filter = app.list_filters.get(Pane::Retry);
    let name = if filter.is_empty() {
        "Audit retry plan (p plans · a acks the cursor's decision · / filters)".to_string()
    } else {
        format!(
            "Audit retry plan · {}/{total} decisions · filter: {filter}",
            shown.len()
        )
    };
    section(
        frame,
        top,
        &name,
        app.retry.audit.as_ref(),
        Some((app.retry.cursor.pos, shown)),
        t,
    );
    section(
        frame,
        bottom,
        "Auditor export retry plan (P plans)",
        app.retry.auditor.as_ref(),
        None,
        t,
    );
}

fn section(
    frame: &mut Frame,
    area: Rect,
    name: &str,
    plan: Option<&Json>,
    shown: Option<(usize, Vec<Json>)>,
    t: &Theme,
) {
    let [head, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
    let Some(plan) = plan else {
        let lines = vec![
            Line::from(Span::styled(name.to_string(), t.header)),
            Line::from(Span::styled("no plan yet", t.muted)),
        ];
        frame.render_widget(Paragraph::new(lines), head);
        return;
    };
    let lines = vec![
        Line::from(Span::styled(name.to_string(), t.header)),
        Line::from(vec![
            Span::raw(format!("{} · ", facts::text(plan, "retry_plan_id"))),
            level_span(&facts::level(plan), t),
            Span::raw(format!(" · {}", facts::retry_plan_summary(plan))),
        ]),
    ];
    frame.render_widget(Paragraph::new(lines), head);
    // The audit plan's decisions are the filtered list with a cursor; the auditor plan's all.
    let (cursor, ds) = match shown {
        Some((pos, items)) => (Some(pos), items),
        None => (None, decisions(plan)),
    };
    if ds.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled("no failed deliveries to retry", t.muted)),
            body,
        );
        return;
    }
    let wide = body.width >= 110;
    let rows: Vec<Row> = ds
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let c = decision_row(d);
            let style = match d.get("action").and_then(|v| v.as_str()) {
                Some("retry") => t.critical,
                Some("wait") => t.warn,
                _ => t.muted,
            };
            let mut cells = vec![
                Cell::from(Span::styled(c[0].clone(), style)),
                Cell::from(c[1].clone()),
                Cell::from(c[2].clone()),
                Cell::from(c[3].clone()),
                Cell::from(c[4].clone()),
            ];
            if wide {
                cells.push(Cell::from(c[5].clone()));
                cells.push(Cell::from(c[6].clone()));
            }
            let row = Row::new(cells);
            if cursor == Some(i) {
                row.style(t.cursor)
            } else {
                row
            }
        })
        .collect();
    let mut widths = vec![
        Constraint::Length(10),
        Constraint::Length(10),
        Constraint::Fill(2),
        Constraint::Length(7),
        Constraint::Length(crate::domain::time::short_width()),
    ];
    let mut header: Vec<&str> = DECISION_HEADER[..5].to_vec();
    if wide {
        widths.extend([Constraint::Length(6), Constraint::Fill(3)]);
        header.extend(&DECISION_HEADER[5..]);
    }
    frame.render_widget(
        Table::new(rows, widths)
            .header(Row::new(header).style(t.header))
            .column_spacing(1),
        body,
    );
}
