//! Pane 6: archive-reference health of verified auditor exports (viewing records nothing;
//! `c` records a report).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use serde_json::Value;

use super::widgets::{kv, level_span, pane_block, severity_style};
use crate::app::{App, Pane};
use crate::theme::Theme;
use crate::views::rows::alert_line;
use crate::views::{Severity, facts};

pub fn draw(frame: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let a = &app.archive;
    let block = pane_block(
        "6 Archive health (viewed, not recorded · c records a report)".into(),
        a.stale,
        t,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let scroll = app.scroll_of(Pane::Archive).min(u16::MAX as usize) as u16;
    frame.render_widget(paragraph(lines(app, t)).scroll((scroll, 0)), inner);
}

fn paragraph(lines: Vec<Line<'static>>) -> Paragraph<'static> {
    Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false })
}

/// Lines the pane shows once wrapped to `inner`'s width.
pub fn height(app: &App, t: &Theme, inner: Rect) -> usize {
    paragraph(lines(app, t)).line_count(inner.width)
}

fn lines(app: &App, t: &Theme) -> Vec<Line<'static>> {
    let a = &app.archive;
    let Some(h) = &a.health else {
        return vec![super::widgets::not_loaded_line(
            "archive health",
            a.stale,
            t,
        )];
    };
    let mut lines = vec![Line::from(vec![
        Span::styled("Archive custody  ", t.header),
        level_span(&facts::level(h), t),
    ])];
    lines.extend(
        facts::archive_health(h)
            .into_iter()
            .map(|(k, v)| kv(k, v, t)),
    );
    let (alerts, total) = app.visible_items(Pane::Archive);
    let filter = app.list_filters.get(Pane::Archive);
    lines.push(Line::from(Span::styled(
        if filter.is_empty() {
            "Alerts (enter details · J raw JSON · / filters)".to_string()
        } else {
            format!("Alerts · {}/{total} · filter: {filter}", alerts.len())
        },
        t.header,
    )));
    if alerts.is_empty() {
        lines.push(Line::from(Span::styled("none", t.muted)));
    }
    for (i, al) in alerts.iter().enumerate() {
        let (sev, msg) = alert_line(&Value::Object(al.clone()));
        let s = Severity::from_level(&sev);
        let mut style = severity_style(s, t);
        if i == a.cursor.pos {
            style = style.patch(t.cursor);
        }
        lines.push(Line::from(Span::styled(
            format!("{} {sev:<8} {msg}", s.glyph()),
            style,
        )));
    }
    lines.push(Line::from(Span::styled("Recommended actions", t.header)));
    for r in facts::strings(h, "recommended_actions") {
        lines.push(Line::from(format!(" · {r}")));
    }
    lines
}
