//! Pane 1's second view: the routing history, every deliver and suppress decision CAVRA made
//! for the routes filter's owner / provider / action / category / schedule (the cursor row
//! scrolls into view; `/` filters, Enter details, `J` raw JSON, `T` records a trend).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

use super::widgets::framed;
use crate::app::{App, Pane};
use crate::domain::query;
use crate::theme::Theme;
use crate::views::facts::text;

/// The pane's title: its number, name and keys.
const TITLE: &str = "1 Routing history (v: routes · T records a suppression trend)";

pub fn draw(frame: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let r = &app.routing;
    let inner = framed(frame, area, TITLE.into(), r.stale, t);
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    let Some(page) = &r.page else {
        frame.render_widget(
            Paragraph::new(Span::styled("loading the routing history…", t.pending)),
            inner,
        );
        return;
    };
    let (items, total) = app.visible_items(Pane::Routes);
    let q = query::pairs(&app.routing_query());
    let scope = if q.is_empty() {
        "every route".to_string()
    } else {
        q.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let filter = app.list_filters.get(Pane::Routes);
    let mut words = format!(
        "{} of {total} decisions ({} on the server) · {scope}",
        items.len(),
        text(page, "total")
    );
    if !filter.is_empty() {
        words.push_str(&format!(" · filter: {filter}"));
    }
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(words, t.header))),
        head,
    );
    let wide = body.width >= 110;
    let rows: Vec<Row> = items
        .iter()
        .map(|d| {
            let action = text(d, "action");
            let (word, style) = if action == "suppress" {
                ("– suppress", t.muted)
            } else {
                ("→ deliver", ratatui::style::Style::default())
            };
            let mut cells = vec![
                Cell::from(Span::styled(word, style)),
                Cell::from(text(d, "provider")),
                Cell::from(text(d, "owner")),
                Cell::from(text(d, "category")),
            ];
            if wide {
                cells.push(Cell::from(text(d, "route_id")));
                cells.push(Cell::from(text(d, "reason")));
            }
            Row::new(cells)
        })
        .collect();
    let mut widths = vec![
        Constraint::Length(10),
        Constraint::Length(10),
        Constraint::Fill(2),
        Constraint::Length(20),
    ];
    let mut header = vec!["ACTION", "PROVIDER", "OWNER", "CATEGORY"];
    if wide {
        widths.extend([Constraint::Fill(2), Constraint::Fill(3)]);
        header.extend(["ROUTE", "REASON"]);
    }
    let mut state =
        TableState::default().with_selected((!items.is_empty()).then_some(r.cursor.pos));
    frame.render_stateful_widget(
        Table::new(rows, widths)
            .header(Row::new(header).style(t.header))
            .row_highlight_style(t.cursor)
            .column_spacing(1),
        body,
        &mut state,
    );
}
