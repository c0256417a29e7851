//! Pane 5: worker health and its alerts, the latest worker run, and worker-health alerts
//! (dashboard counts and the acknowledgements still owed, with a cursor for `a`).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use serde_json::Value;

use super::widgets::{kv, level_span, pane_block, severity_style, text};
use crate::app::App;
use crate::theme::Theme;
use crate::views::Severity;
use crate::views::rows::alert_line;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let w = &app.worker;
    let block = pane_block("5 Worker health".into(), w.stale, t);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(h) = &w.health else {
        frame.render_widget(
            Paragraph::new(Span::styled("loading worker health…", t.pending)),
            inner,
        );
        return;
    };
    let two_cols = inner.width >= 100;
    let level = h
        .get("alert_level")
        .and_then(Value::as_str)
        .unwrap_or("healthy");
    let mut lines = vec![
        Line::from(vec![
            Span::styled("Worker health  ", t.header),
            level_span(level, t),
        ]),
        kv(
            "runs / missed",
            format!(
                "{} / {} (expected every {} min)",
                text(h.get("run_count")),
                text(h.get("missed_run_count")),
                text(h.get("expected_interval_minutes"))
            ),
            t,
        ),
        kv(
            "latest run age (min)",
            text(h.get("latest_run_age_minutes")),
            t,
        ),
        kv(
            "retry plans / stale",
            format!(
                "{} / {}",
                text(h.get("retry_plan_count")),
                text(h.get("stale_retry_plan_count"))
            ),
            t,
        ),
        kv("retryable deliveries", text(h.get("retryable_count")), t),
        kv(
            "connector failures",
            text(h.get("connector_delivery_failure_count")),
            t,
        ),
        kv(
            "failed jobs / disabled",
            format!(
                "{} / {}",
                text(h.get("failed_job_count")),
                text(h.get("disabled_schedule_count"))
            ),
            t,
        ),
    ];
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
        let sum = run.get("summary").cloned().unwrap_or_default();
        lines.push(Line::from(Span::styled("Latest worker run", t.header)));
        lines.push(kv(
            "run",
            format!(
                "{} ({})",
                text(run.get("run_id")),
                if run.get("dry_run") == Some(&Value::Bool(true)) {
                    "dry run"
                } else {
                    "executed"
                }
            ),
            t,
        ));
        lines.push(kv(
            "generated",
            crate::domain::time::short(&text(run.get("generated_at"))),
            t,
        ));
        let schedule = run.get("schedule").cloned().unwrap_or_default();
        let time = |k: &str| crate::domain::time::short(&text(schedule.get(k)));
        lines.push(kv(
            "window",
            format!(
                "{} .. {} ({})",
                time("window_start"),
                time("window_end"),
                text(schedule.get("cadence"))
            ),
            t,
        ));
        lines.push(kv(
            "retry / wait / suppress",
            format!(
                "{} / {} / {}",
                text(sum.get("retryable_count")),
                text(sum.get("waiting_retry_count")),
                text(sum.get("suppressed_retry_count"))
            ),
            t,
        ));
        lines.push(kv(
            "selected / need approval",
            format!(
                "{} / {}",
                text(sum.get("selected_retry_count")),
                text(sum.get("approval_pending_count"))
            ),
            t,
        ));
        for f in run
            .get("follow_up_actions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            lines.push(Line::from(vec![
                Span::styled("  follow-up ", t.muted),
                Span::raw(format!(
                    "{} {} {} ",
                    text(f.get("action")),
                    text(f.get("provider")),
                    text(f.get("delivery_id"))
                )),
                Span::styled(text(f.get("approval_state")), t.pending),
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
        let lvl = d
            .get("alert_level")
            .and_then(Value::as_str)
            .unwrap_or("healthy");
        right_lines.push(Line::from(vec![
            Span::styled("Worker alerts  ", t.header),
            level_span(lvl, t),
        ]));
        right_lines.push(kv(
            "plans / deliveries",
            format!(
                "{} / {} ({} failed)",
                text(d.get("plan_count")),
                text(d.get("delivery_count")),
                text(d.get("failed_delivery_count"))
            ),
            t,
        ));
        right_lines.push(kv(
            "acks / outstanding",
            format!(
                "{} / {}",
                text(d.get("acknowledgement_count")),
                text(d.get("outstanding_acknowledgement_count"))
            ),
            t,
        ));
        right_lines.push(kv(
            "suppressed providers",
            text(d.get("suppressed_provider_count")),
            t,
        ));
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
            text(o.get("provider")),
            text(o.get("health_id"))
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
