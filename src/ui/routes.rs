//! The routes table. Only the visible window of the index vector is turned into widgets.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

use crate::app::App;
use crate::domain::route::{RouteAction, RouteRow, RouteState};
use crate::theme::Theme;

/// The columns shown at a width: (header, constraint, cell).
type Column = (
    &'static str,
    Constraint,
    fn(&RouteRow, &Theme) -> Cell<'static>,
);

fn columns(width: u16) -> Vec<Column> {
    let mut cols: Vec<Column> = vec![
        ("SCHEDULE", Constraint::Fill(3), |r, _| {
            Cell::from(r.schedule_id.clone())
        }),
        ("PROVIDER", Constraint::Length(10), |r, _| {
            Cell::from(r.provider.clone())
        }),
    ];
    if width >= 70 {
        cols.push(("OWNER", Constraint::Fill(2), |r, _| {
            Cell::from(r.owner.clone())
        }));
    }
    cols.push(("STATE", Constraint::Length(14), state_cell));
    if width >= 64 {
        cols.push(("AGE/SLO", Constraint::Length(11), age_cell));
    }
    cols.push(("BREACH", Constraint::Length(6), breach_cell));
    if width >= 110 {
        cols.push(("RECOMMENDED", Constraint::Length(12), recommended_cell));
    }
    if width >= 140 {
        cols.push(("ACTION", Constraint::Length(8), |r, t| {
            let s = if r.action == RouteAction::Suppress {
                t.muted
            } else {
                Style::default()
            };
            Cell::from(Span::styled(r.action.as_str(), s))
        }));
        cols.push(("CATEGORY", Constraint::Length(20), |r, _| {
            Cell::from(r.category.clone())
        }));
    }
    cols
}

/// State as glyph + word; colour only adds to it.
pub fn state_label(s: RouteState) -> (&'static str, &'static str) {
    match s {
        RouteState::Outstanding => ("○", "outstanding"),
        RouteState::Acknowledged => ("✓", "acknowledged"),
        RouteState::Escalated => ("▲", "escalated"),
        RouteState::Resolved => ("✓", "resolved"),
        RouteState::Dismissed => ("–", "dismissed"),
        RouteState::NotRequired => ("·", "not required"),
    }
}

fn state_cell(r: &RouteRow, t: &Theme) -> Cell<'static> {
    let (glyph, word) = state_label(r.state);
    let style = match r.state {
        RouteState::Acknowledged | RouteState::Resolved => t.ok,
        RouteState::Escalated => t.critical,
        RouteState::Outstanding => t.warn,
        RouteState::Dismissed | RouteState::NotRequired => t.muted,
    };
    Cell::from(Span::styled(format!("{glyph} {word}"), style))
}

/// Age / SLO; a row whose records could not be read shows `? invalid` or `? future` (no usable
/// date) or a marked figure (`>10y/60m`, `70m/60m?`) in the error style, never a made-up age;
/// the detail view (enter) names the mark and the value, e.g. `invalid date 'not-a-date'`.
fn age_cell(r: &RouteRow, t: &Theme) -> Cell<'static> {
    if r.flaws.is_empty() {
        return Cell::from(crate::views::rows::age_slo(r));
    }
    let text = if r.age_unknown() {
        format!("? {}", crate::views::rows::flaw_mark(r))
    } else {
        crate::views::rows::age_slo(r).replace(' ', "")
    };
    Cell::from(Span::styled(text, t.error))
}

fn breach_cell(r: &RouteRow, t: &Theme) -> Cell<'static> {
    if r.breached {
        Cell::from(Span::styled("▲ yes", t.critical))
    } else {
        Cell::from(Span::styled("-", t.muted))
    }
}

fn recommended_cell(r: &RouteRow, t: &Theme) -> Cell<'static> {
    let (text, style) = match r.recommended_action {
        "escalate_missed_drill_notification" => ("escalate", t.critical),
        "wait_for_acknowledgement" => ("wait for ack", t.warn),
        _ => ("no action", t.muted),
    };
    Cell::from(Span::styled(text, style))
}

/// The pane title: counts, filter, sort, stale marker.
fn title(app: &App, theme: &Theme) -> Line<'static> {
    let p = &app.routes;
    let mut spans = vec![Span::styled(
        format!(" Routes {}/{} ", p.view.len(), p.rows.len()),
        theme.title,
    )];
    if !p.filter.is_empty() {
        spans.push(Span::styled(
            format!("· filter: {} ", p.filter),
            theme.title,
        ));
    }
    let arrow = if p.descending { "↓" } else { "↑" };
    spans.push(Span::styled(
        format!("· sort: {} {arrow} ", p.sort.label()),
        theme.muted,
    ));
    if p.unreadable > 0 {
        // Never a made-up value: the marked rows come from records that could not be read.
        spans.push(Span::styled(
            format!(" ? {} record(s) could not be read (marked) ", p.unreadable),
            theme.error,
        ));
    }
    if let Some(at) = p.cached {
        let age = crate::app::cached_age(at);
        spans.push(Span::styled(format!(" {age} "), theme.error));
    }
    if p.stale {
        spans.push(Span::styled(" STALE: last refresh failed ", theme.error));
    }
    Line::from(spans)
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(title(app, theme));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let p = &app.routes;
    if !p.loaded {
        frame.render_widget(super::widgets::not_loaded("routes", p.stale, theme), inner);
        return;
    }
    if p.view.is_empty() {
        let msg = if p.rows.is_empty() {
            "no routes in the store"
        } else {
            "no route matches the filter (esc clears it)"
        };
        frame.render_widget(Paragraph::new(Span::styled(msg, theme.muted)), inner);
        return;
    }
    let cols = columns(inner.width);
    let header = Row::new(
        std::iter::once(Cell::from(" "))
            .chain(cols.iter().map(|c| Cell::from(c.0)))
            .collect::<Vec<_>>(),
    )
    .style(theme.header);
    let end = (p.offset + p.page).min(p.view.len());
    let rows: Vec<Row> = (p.offset..end)
        .map(|pos| {
            let r = &p.rows[p.view[pos] as usize];
            let key = r.key();
            let (mark, style) = if p.pending.contains(&key) {
                ("…", theme.pending)
            } else if p.selected.contains(&key) {
                ("●", theme.selected)
            } else {
                (" ", Style::default())
            };
            // The cursor marks the first two cells only: a move repaints a few dozen cells,
            // not two full rows (what a slow SSH link pays for).
            let at_cursor = pos == p.cursor;
            let mark_cell = if at_cursor {
                Cell::from(Span::styled(
                    if mark == " " { "▶" } else { mark },
                    style.patch(theme.cursor),
                ))
            } else {
                Cell::from(mark)
            };
            let mut rest = cols.iter().map(|c| (c.2)(r, theme));
            let first = rest
                .next()
                .map(|c| if at_cursor { c.style(theme.cursor) } else { c });
            let cells = std::iter::once(mark_cell).chain(first).chain(rest);
            Row::new(cells.collect::<Vec<_>>()).style(style)
        })
        .collect();
    let widths: Vec<Constraint> = std::iter::once(Constraint::Length(1))
        .chain(cols.iter().map(|c| c.1))
        .collect();
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        inner,
    );
}
