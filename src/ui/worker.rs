//! Pane 5: worker health and its alerts, the latest worker run, the worker dashboard, and
//! worker-health alerts; the list with the cursor is the acknowledgements owed (for `a`) or the
//! worker runs (`v` switches; Enter details, `J` raw JSON).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use serde_json::Value;

use super::widgets::{
    facts_section, framed, kv, list_head, not_read_line, not_read_section, severity_style,
};
use crate::app::{App, Pane};
use crate::theme::Theme;
use crate::views::dashboards::{self, WORKER_COUNTERS, WorkerRun, list_of_objects, owed};
use crate::views::rows::alert_line;
use crate::views::{Severity, facts};

pub fn draw(frame: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let w = &app.worker;
    let inner = framed(frame, area, "5 Worker health".into(), w.stale, t);
    let scroll = app.scroll_of(Pane::Worker).min(u16::MAX as usize) as u16;
    match columns(app, t, inner) {
        (left, Some(right)) => {
            let [l, r] =
                Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                    .areas(inner);
            frame.render_widget(paragraph(left).scroll((scroll, 0)), l);
            frame.render_widget(paragraph(right).scroll((scroll, 0)), r);
        }
        (all, None) => frame.render_widget(paragraph(all).scroll((scroll, 0)), inner),
    }
}

fn paragraph(lines: Vec<Line<'static>>) -> Paragraph<'static> {
    Paragraph::new(lines).wrap(Wrap { trim: false })
}

/// Lines the pane shows once wrapped to `inner`'s width (the taller column when two).
pub fn height(app: &App, t: &Theme, inner: Rect) -> usize {
    match columns(app, t, inner) {
        (left, Some(right)) => {
            let half = inner.width / 2;
            paragraph(left)
                .line_count(half)
                .max(paragraph(right).line_count(inner.width - half))
        }
        (all, None) => paragraph(all).line_count(inner.width),
    }
}

/// The pane's lines: two columns (health and run | alerts) when wide, else one, alerts first
/// so what needs doing stays on screen.
fn columns(app: &App, t: &Theme, inner: Rect) -> (Vec<Line<'static>>, Option<Vec<Line<'static>>>) {
    let w = &app.worker;
    let Some(h) = &w.health else {
        return (
            vec![super::widgets::not_loaded_line("worker health", w.stale, t)],
            None,
        );
    };
    let two_cols = inner.width >= 100;
    let mut lines = facts_section("Worker health", h, facts::worker_health(h), t);
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
    match &w.alerts {
        Some(d) => right_lines.extend(facts_section(
            "Worker alerts",
            d,
            facts::alert_dashboard(d),
            t,
        )),
        None => right_lines.extend(not_read_section("Worker alerts", t)),
    }
    match &w.dashboard {
        Some(d) => {
            let counts = dashboards::labelled(d, &WORKER_COUNTERS);
            right_lines.extend(facts_section("Worker dashboard", d, counts, t));
        }
        None => right_lines.extend(not_read_section("Worker dashboard", t)),
    }
    let (items, total) = app.visible_items(Pane::Worker);
    let filter = app.list_filters.get(Pane::Worker);
    let runs = w.view == 1;
    let name = if runs {
        "Worker runs (v: alerts owed · enter details · J raw JSON · / filters)"
    } else {
        "Acknowledgements owed (a acknowledges the cursor's · v: worker runs · / filters)"
    };
    let read = match runs {
        true => list_of_objects(w.runs.as_ref(), "items").is_some(),
        false => owed(w.alerts.as_ref()).is_some(),
    };
    if !read {
        // Not read is not "none".
        right_lines.extend(list_head(name, filter, (1, 1), t));
        right_lines.push(not_read_line(t));
    } else {
        right_lines.extend(list_head(name, filter, (items.len(), total), t));
    }
    for (i, o) in items.iter().enumerate() {
        let line = if runs {
            run_line(o)
        } else {
            format!(
                " {} · {}",
                facts::text(o, "provider"),
                facts::text(o, "health_id")
            )
        };
        let style = if i == w.cursor.pos {
            t.cursor
        } else {
            ratatui::style::Style::default()
        };
        right_lines.push(Line::from(Span::styled(line, style)));
    }
    match list_of_objects(w.history.as_ref(), "items") {
        None => right_lines.extend(not_read_section("Recent alert history", t)),
        Some(items) => {
            right_lines.push(Line::from(Span::styled("Recent alert history", t.header)));
            if items.is_empty() {
                right_lines.push(Line::from(Span::styled("none", t.muted)));
            }
            for r in items.into_iter().take(6) {
                let rec = crate::domain::Record(r);
                let row = crate::views::rows::history_row(&rec);
                let kind = row[1].replace("acknowledgement-audit-delivery-", "");
                let at = row[5].get(11..).unwrap_or(&row[5]);
                right_lines.push(Line::from(Span::styled(
                    format!(" {at} {kind} {}", row[3]),
                    t.muted,
                )));
            }
        }
    }
    if two_cols {
        (lines, Some(right_lines))
    } else {
        let mut all = right_lines;
        all.push(Line::from(""));
        all.extend(lines);
        (all, None)
    }
}

/// One worker run: id, when, dry or live, retryable and selected counts.
fn run_line(r: &crate::backend::Json) -> String {
    let run = WorkerRun::read(r);
    format!(
        " {} · {} · {} · {} retryable · {} selected",
        run.created,
        match run.mode {
            "live" => "▶ live",
            "dry run" => "○ dry run",
            _ => "? mode unknown",
        },
        run.run_id,
        run.retryable,
        run.selected
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(app: &App) -> String {
        let (all, _) = columns(app, &Theme::mono(), Rect::new(0, 0, 80, 40));
        super::super::widgets::plain(&all)
    }

    #[test]
    fn alert_parts_not_read_say_so_instead_of_none() {
        let mut app = crate::app::tests::blank_app();
        app.worker.health = Some(crate::backend::Json::new());
        let text = shown(&app);
        assert!(
            text.contains("Worker alerts\nnot read: no readable answer"),
            "{text}"
        );
        assert!(!text.lines().any(|l| l == "none"), "{text}");
        // A dashboard that counts owed alerts but has no readable list of them is not read.
        let counted = serde_json::json!({"outstanding_acknowledgement_count": 3});
        app.worker.alerts = Some(crate::domain::test_fixtures::obj(counted));
        let text = shown(&app);
        assert!(text.contains("not read"), "{text}");
        assert!(!text.lines().any(|l| l == "none"), "{text}");
        let listed = serde_json::json!({"outstanding_acknowledgements": []});
        app.worker.alerts = Some(crate::domain::test_fixtures::obj(listed));
        let text = shown(&app);
        assert!(!text.contains("Worker alerts\nnot read"), "{text}");
        assert!(text.contains("/ filters)\nnone"), "{text}");
    }
}
