//! Pane 5: worker health and its alerts, the latest worker run, and worker-health alerts
//! (dashboard counts and the acknowledgements still owed, with a cursor for `a`).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use serde_json::Value;

use super::widgets::{kv, level_span, pane_block, severity_style};
use crate::app::App;
use crate::theme::Theme;
use crate::views::rows::alert_line;
use crate::views::{Severity, facts};

pub fn draw(frame: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let w = &app.worker;
    let block = pane_block("5 Worker health".into(), w.stale, t);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(h) = &w.health else {
        frame.render_widget(
            super::widgets::not_loaded("worker health", w.stale, t),
            inner,
        );
        return;
    };
    let two_cols = inner.width >= 100;
    let mut lines = vec![Line::from(vec![
        Span::styled("Worker health  ", t.header),
        level_span(&facts::level(h), t),
    ])];
    lines.extend(
        facts::worker_health(h)
            .into_iter()
            .map(|(k, v)| kv(k, v, t)),
    );
    for a in h
        .get("alerts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (sev, msg) = alert_line(a);
        let s = Severity::from_level(&sev);
        lines.push(Line::from(vec![
            Span::styled(format!("{} {sev:<8} ", s.glyph()), severity_style(s, t)),
            Span::raw(msg),
        ]));
    }
    if let Some(run) = &w.run {
        lines.push(Line::from(Span::styled("Latest worker run", t.header)));
        lines.extend(facts::worker_run(run).into_iter().map(|(k, v)| kv(k, v, t)));
        for f in facts::follow_ups(run) {
            lines.push(Line::from(vec![
                Span::styled("  follow-up ", t.muted),
                Span::raw(f),
            ]));
        }
    }
    let recs: Vec<&Value> = h
        .get("recommendations")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    if !recs.is_empty() {
        lines.push(Line::from(Span::styled("Recommendations", t.header)));
        for r in recs {
            lines.push(Line::from(Span::styled(
                format!(" · {}", r.as_str().unwrap_or("")),
                t.muted,
            )));
        }
    }

    let mut right_lines = Vec::new();
    if let Some(d) = &w.alerts {
        right_lines.push(Line::from(vec![
            Span::styled("Worker alerts  ", t.header),
            level_span(&facts::level(d), t),
        ]));
        right_lines.extend(
            facts::alert_dashboard(d)
                .into_iter()
                .map(|(k, v)| kv(k, v, t)),
        );
    }
    right_lines.push(Line::from(Span::styled(
        "Acknowledgements owed (a acknowledges the cursor's)",
        t.header,
    )));
    let owed = w.outstanding();
    if owed.is_empty() {
        right_lines.push(Line::from(Span::styled("none", t.muted)));
    }
    for (i, o) in owed.iter().enumerate() {
        let line = format!(
            " {} · {}",
            facts::text(o, "provider"),
            facts::text(o, "health_id")
        );
        let style = if i == w.cursor.pos {
            t.cursor
        } else {
            ratatui::style::Style::default()
        };
        right_lines.push(Line::from(Span::styled(line, style)));
    }
    let recent: Vec<&Value> = w
        .history
        .as_ref()
        .and_then(|h| h.get("items"))
        .and_then(Value::as_array)
        .map(|a| a.iter().take(6).collect())
        .unwrap_or_default();
    if !recent.is_empty() {
        right_lines.push(Line::from(Span::styled("Recent alert history", t.header)));
        for r in recent {
            let rec = crate::domain::Record(r.as_object().cloned().unwrap_or_default());
            let row = crate::views::rows::history_row(&rec);
            let kind = row[1].replace("acknowledgement-audit-delivery-", "");
            let at = row[5].get(11..).unwrap_or(&row[5]);
            right_lines.push(Line::from(Span::styled(
                format!(" {at} {kind} {}", row[3]),
                t.muted,
            )));
        }
    }
    if two_cols {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(inner);
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), left);
        frame.render_widget(
            Paragraph::new(right_lines).wrap(Wrap { trim: false }),
            right,
        );
    } else {
        // Narrow: one column, alerts first so what needs doing stays on screen.
        let mut all = right_lines;
        all.push(Line::from(""));
        all.extend(lines);
        frame.render_widget(Paragraph::new(all).wrap(Wrap { trim: false }), inner);
    }
}
