//! Pane 4: the newest audit retry plan (cursor; each decision's retry-ack and approval state),
//! the latest approval plan and recovery playbook, and the auditor export retry plan.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::widgets::{framed, level_span};
use crate::app::panes::RetryPane;
use crate::app::{App, Pane};
use crate::backend::Json;
use crate::theme::Theme;
use crate::views::rows::{DECISION_HEADER, decision_row, decisions};
use crate::views::{facts, summary};

pub fn draw(frame: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let inner = framed(frame, area, "4 Retry plans".into(), app.retry.stale, t);
    if !app.retry.loaded {
        frame.render_widget(
            super::widgets::not_loaded("retry plans", app.retry.stale, t),
            inner,
        );
        return;
    }
    let [top, mid, bottom] = Layout::vertical([
        Constraint::Percentage(55),
        Constraint::Length(3),
        Constraint::Fill(1),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(recovery_lines(app, t)), mid);
    let (shown, total) = app.visible_items(Pane::Retry);
    let filter = app.list_filters.get(Pane::Retry);
    let name = if filter.is_empty() {
        "Audit retry plan (p plans · a acks · o plans approvals · d decides · / filters)"
            .to_string()
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
        Some((app.retry.cursor.pos, shown, &app.retry)),
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
    shown: Option<(usize, Vec<Json>, &RetryPane)>,
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
    let (cursor, ds, pane) = match shown {
        Some((pos, items, pane)) => (Some(pos), items, Some(pane)),
        None => (None, decisions(plan), None),
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
            ];
            if let Some(p) = pane {
                let (ack, approval) = p.states(d);
                cells.push(Cell::from(state_word(&ack)));
                cells.push(Cell::from(state_word(&approval)));
            }
            cells.extend([
                Cell::from(c[2].clone()),
                Cell::from(c[3].clone()),
                Cell::from(c[4].clone()),
            ]);
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
    let mut widths = vec![Constraint::Length(10), Constraint::Length(10)];
    let mut header: Vec<&str> = DECISION_HEADER[..2].to_vec();
    if pane.is_some() {
        widths.extend([Constraint::Length(11), Constraint::Length(13)]);
        header.extend(["RETRY ACK", "APPROVAL"]);
    }
    widths.extend([
        Constraint::Fill(2),
        Constraint::Length(7),
        Constraint::Length(crate::domain::time::short_width()),
    ]);
    header.extend(&DECISION_HEADER[2..5]);
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

/// A state as a glyph and a word (never colour alone).
fn state_word(s: &str) -> String {
    let g = match s {
        "accepted" | "resolved" | "approved" | "already_approved" => "✓",
        "denied" | "dismissed" => "✗",
        "deferred" | "wait_for_retry_ack" => "…",
        "escalated" => "▲",
        "expired" => "–",
        "request_approval" => "?",
        _ => return s.to_string(),
    };
    let word = match s {
        "wait_for_retry_ack" => "needs ack",
        "request_approval" => "asks",
        "already_approved" => "approved",
        w => w,
    };
    format!("{g} {word}")
}

/// The approval plan and the recovery playbook, one line each, with their keys.
fn recovery_lines(app: &App, t: &Theme) -> Vec<Line<'static>> {
    let r = &app.retry.recovery;
    let approval = match &r.approval {
        Some(p) => format!(
            "{}   (o plans · d decides)",
            summary::fill(summary::APPROVAL_PLAN_STATUS, |f| facts::text(p, f))
        ),
        None => "Approval plan: none yet   (o plans retry approvals)".into(),
    };
    let playbook = match &r.playbook {
        Some(p) => format!(
            "{} · {} executions   (b playbook · z closes the cursor's provider · R report)",
            summary::playbook_status(p),
            r.executions.len()
        ),
        None => "Recovery playbook: none yet   (b records one · R Retry Recovery report)".into(),
    };
    vec![
        Line::from(Span::styled(approval, t.muted)),
        Line::from(Span::styled(playbook, t.muted)),
    ]
}
