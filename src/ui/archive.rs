//! Pane 6: archive-reference health of verified auditor exports (viewing records nothing;
//! `c` records a report).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use serde_json::Value;

use super::widgets::{kv, level_span, pane_block, severity_style, text};
use crate::app::App;
use crate::theme::Theme;
use crate::views::Severity;
use crate::views::rows::alert_line;

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
            Paragraph::new(Span::styled("loading archive health…", t.pending)),
            inner,
        );
        return;
    };
    let level = h
        .get("alert_level")
        .and_then(Value::as_str)
        .unwrap_or("healthy");
    let mut lines = vec![
        Line::from(vec![
            Span::styled("Archive custody  ", t.header),
            level_span(level, t),
        ]),
        kv(
            "verified exports checked",
            text(h.get("checked_export_count")),
            t,
        ),
        kv("archived", text(h.get("archived_export_count")), t),
        kv(
            "missing archive refs",
            text(h.get("missing_archive_reference_count")),
            t,
        ),
        kv(
            "alerts (critical/warn)",
            format!(
                "{} ({}/{})",
                text(h.get("alert_count")),
                text(h.get("critical_alert_count")),
                text(h.get("warning_alert_count"))
            ),
            t,
        ),
        Line::from(Span::styled("Alerts", t.header)),
    ];
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
    for r in h
        .get("recommended_actions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        lines.push(Line::from(format!(" · {}", r.as_str().unwrap_or(""))));
    }
    frame.render_widget(
        Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }),
        inner,
    );
}
