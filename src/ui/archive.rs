//! Pane 6: archive-reference health of verified auditor exports (viewing records nothing;
//! `c` records a report), the archive alert dashboard, and one list with the cursor: health
//! alerts, archive alerts owed (for `a`) or the archive alert history (`v` cycles).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use serde_json::Value;

use super::widgets::{facts_section, framed, list_head, severity_style};
use crate::app::{App, Pane};
use crate::theme::Theme;
use crate::views::dashboards::{self, ARCHIVE_ALERT_COUNTERS, list_of_objects, owed};
use crate::views::rows::alert_line;
use crate::views::{Severity, facts};

/// The pane's title: its number, name and keys.
const TITLE: &str =
    "6 Archive health (viewed, not recorded · c report · u/U auditor retry · l alert)";

pub fn draw(frame: &mut Frame, area: Rect, app: &App, t: &Theme) {
    let a = &app.archive;
    let inner = framed(frame, area, TITLE.into(), a.stale, t);
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
    let mut lines = facts_section("Archive custody", h, facts::archive_health(h), t);
    match &a.board {
        Some(d) => {
            let counts = dashboards::labelled(d, &ARCHIVE_ALERT_COUNTERS);
            lines.extend(facts_section("Archive alerts", d, counts, t));
        }
        None => lines.extend(super::widgets::not_read_section("Archive alerts", t)),
    }
    let (alerts, total) = app.visible_items(Pane::Archive);
    let filter = app.list_filters.get(Pane::Archive);
    let (name, read) = match a.view {
        1 => (
            "Archive alerts owed (a acknowledges the cursor's · l sends · v: alert history)",
            owed(a.board.as_ref()).is_some(),
        ),
        2 => (
            "Archive alert history (v: health alerts · enter details · J raw JSON)",
            list_of_objects(a.alerts.as_ref(), "items").is_some(),
        ),
        _ => (
            "Health alerts (enter details · J raw JSON · / filters · v: archive alerts owed)",
            true,
        ),
    };
    if read {
        lines.extend(list_head(name, filter, (alerts.len(), total), t));
    } else {
        // Not read is not "none": the server did not answer this list, or does not offer it.
        lines.extend(list_head(name, filter, (1, 1), t));
        lines.push(super::widgets::not_read_line(t));
    }
    for (i, al) in alerts.iter().enumerate().filter(|_| read) {
        let (text, mut style) = match a.view {
            1 => (
                format!(
                    "○ owed {} · {} · plan {}",
                    facts::text(al, "provider"),
                    facts::text(al, "health_id"),
                    facts::text(al, "plan_id")
                ),
                ratatui::style::Style::default(),
            ),
            2 => {
                let row = crate::views::rows::history_row(&crate::domain::Record(al.clone()));
                (
                    format!("{} {} {} {}", row[5], row[1], row[2], row[3]),
                    ratatui::style::Style::default(),
                )
            }
            _ => {
                let (sev, msg) = alert_line(&Value::Object(al.clone()));
                let s = Severity::from_level(&sev);
                (
                    format!("{} {sev:<8} {msg}", s.glyph()),
                    severity_style(s, t),
                )
            }
        };
        if i == a.cursor.pos {
            style = style.patch(t.cursor);
        }
        lines.push(Line::from(Span::styled(text, style)));
    }
    lines.push(Line::from(Span::styled("Recommended actions", t.header)));
    for r in facts::strings(h, "recommended_actions") {
        lines.push(Line::from(format!(" · {r}")));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_not_read_says_so_instead_of_none() {
        let mut app = crate::app::tests::blank_app();
        app.archive.health = Some(crate::backend::Json::new());
        app.archive.view = 1;
        let shown = super::super::widgets::plain(&lines(&app, &Theme::mono()));
        assert!(shown.contains("not read: no readable answer"), "{shown}");
        assert!(!shown.lines().any(|l| l == "none"), "{shown}");
        app.archive.board = Some(crate::backend::Json::new());
        let shown = super::super::widgets::plain(&lines(&app, &Theme::mono()));
        assert!(shown.contains("not read"), "no readable list: {shown}");
        assert!(
            shown.contains("Recommended actions"),
            "the rest still shows: {shown}"
        );
        let listed = serde_json::json!({"outstanding_acknowledgements": []});
        app.archive.board = Some(crate::domain::test_fixtures::obj(listed));
        let shown = super::super::widgets::plain(&lines(&app, &Theme::mono()));
        assert!(shown.lines().any(|l| l == "none"), "{shown}");
    }
}
