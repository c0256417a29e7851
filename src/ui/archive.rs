//! Pane 6: archive-reference health of verified auditor exports (viewing records nothing;
//! `c` records a report).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use serde_json::Value;

use super::widgets::{kv, level_span, pane_block, severity_style};
use crate::app::App;
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
    let Some(h) = &a.health else {
        frame.render_widget(
            super::widgets::not_loaded("archive health", a.stale, t),
            inner,
        );
        return;
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
    lines.push(Line::from(Span::styled("Alerts", t.header)));
    let alerts: Vec<&Value> = h
        .get("alerts")
        .and_then(Value::as_array)
        .map(|v| v.iter().collect())
        .unwrap_or_default();
    if alerts.is_empty() {
        lines.push(Line::from(Span::styled("none", t.muted)));
    }
    for (i, al) in alerts.iter().enumerate() {
        let (sev, msg) = alert_line(al);
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
    frame.render_widget(
        Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }),
        inner,
    );
}
