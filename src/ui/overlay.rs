//! Overlays: help (from the keymap), route detail, raw JSON, reports (wrapped to the screen);
//! the confirmation dialog is drawn by `confirm.rs`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::widgets::{centered, wrapped};
use crate::app::App;
use crate::app::overlay::Overlay;
use crate::domain::route::RouteRow;
use crate::domain::time;
use crate::theme::Theme;

/// A scrolling overlay's title, lines and scroll position; `None` for the confirmation dialog.
/// A report's lines are wrapped to what `area` can show (ids and counts are never cut off).
fn content(app: &App, theme: &Theme, area: Rect) -> Option<(String, Vec<Line<'static>>, usize)> {
    let ov = app.overlay.as_ref()?;
    Some(match ov {
        Overlay::Help { scroll } => (
            " Help · esc closes ".into(),
            help_lines(app, theme),
            *scroll,
        ),
        Overlay::Confirm(_) => return None,
        Overlay::Detail {
            row,
            records,
            scroll,
        } => (
            " Route detail · J raw JSON · y yanks · ctrl-s saves · esc closes ".into(),
            detail_lines(row, records.as_ref(), theme),
            *scroll,
        ),
        Overlay::Json { key, lines, scroll } => {
            let body = match lines {
                Some(l) => l.iter().map(|s| Line::from(s.clone())).collect(),
                None => vec![Line::from(Span::styled("loading…", theme.pending))],
            };
            (
                format!(" Raw JSON · {key} · y yanks · ctrl-s saves · esc closes "),
                body,
                *scroll,
            )
        }
        Overlay::Contexts { names, cursor } => {
            let lines = names
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    let current = if *n == app.info.mode {
                        "  (current)"
                    } else {
                        ""
                    };
                    let style = if i == *cursor {
                        theme.cursor
                    } else {
                        theme.dialog
                    };
                    Line::from(Span::styled(format!(" {n}{current} "), style))
                })
                .collect();
            (
                " Switch context · enter connects · esc closes ".into(),
                lines,
                0,
            )
        }
        Overlay::Record { record, scroll } => {
            let mut lines: Vec<Line<'static>> = Vec::new();
            for (k, v) in &record.0 {
                let value = match v {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Object(o) => {
                        format!("{{…{} fields}} (J shows all)", o.len())
                    }
                    serde_json::Value::Array(a) if a.iter().all(|x| !x.is_object()) => {
                        v.to_string()
                    }
                    serde_json::Value::Array(a) => format!("[…{} items] (J shows all)", a.len()),
                    other => other.to_string(),
                };
                lines.push(kv(k, value, theme));
            }
            (
                " Record · J raw JSON · y yanks · ctrl-s saves · esc closes ".into(),
                lines,
                *scroll,
            )
        }
        Overlay::Report {
            title,
            lines,
            scroll,
        } => (
            format!(" {title} · esc closes "),
            lines
                .iter()
                .flat_map(|s| wrapped(s, area.width.saturating_sub(6).max(14) as usize))
                .map(Line::from)
                .collect(),
            *scroll,
        ),
    })
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    if let Some(Overlay::Confirm(d)) = &app.overlay {
        return super::confirm::draw(frame, area, d, theme);
    }
    if let Some((title, lines, scroll)) = content(app, theme, area) {
        scrolled(frame, area, &title, lines, scroll, theme);
    }
}

/// How far the open overlay can scroll in `area` (0 when it fits or none is open).
pub fn max_scroll(app: &App, theme: &Theme, area: Rect) -> usize {
    content(app, theme, area).map_or(0, |(title, lines, _)| {
        let (_, visible) = placement(area, &title, &lines);
        lines.len().saturating_sub(visible)
    })
}

/// Where a scrolling overlay sits in `area`, and how many of its lines show.
fn placement(area: Rect, title: &str, lines: &[Line<'static>]) -> (Rect, usize) {
    // Short content gets a box its size; long content gets nearly the whole screen.
    let widest = lines
        .iter()
        .map(Line::width)
        .max()
        .unwrap_or(0)
        .max(title.chars().count()) as u16
        + 4;
    let width = widest.clamp(40, area.width.saturating_sub(4).max(20));
    let height = (lines.len() as u16 + 2).clamp(5, area.height.saturating_sub(2).max(6));
    let rect = centered(area, width, height);
    (rect, rect.height.saturating_sub(2) as usize)
}

fn scrolled(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    lines: Vec<Line<'static>>,
    scroll: usize,
    theme: &Theme,
) {
    let (rect, visible) = placement(area, title, &lines);
    let max = lines.len().saturating_sub(visible);
    let scroll = scroll.min(max);
    let more = if max > 0 {
        format!(" {}/{} ", scroll + visible.min(lines.len()), lines.len())
    } else {
        String::new()
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(title.to_string(), theme.title))
        .title_bottom(Span::styled(more, theme.muted));
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .style(theme.dialog)
            .scroll((scroll.min(u16::MAX as usize) as u16, 0)),
        rect,
    );
}

fn help_lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let mut group = "";
    for b in app
        .keymap
        .bindings
        .iter()
        .filter(|b| !(app.readonly && b.action.mutates()))
    {
        if b.group != group {
            group = b.group;
            out.push(Line::from(Span::styled(group.to_string(), theme.header)));
        }
        let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
        out.push(Line::from(vec![
            Span::styled(format!("  {:<16}", keys.join(" ")), theme.key),
            Span::raw(b.description),
        ]));
    }
    out.push(Line::from(""));
    out.push(Line::from(Span::styled(
        "Filter: owner: provider: state: action: category: schedule: and free text",
        theme.muted,
    )));
    out.push(Line::from(Span::styled(
        "Dialogs: type notes, enter/tab next field, y records, anything else cancels",
        theme.muted,
    )));
    out
}

fn kv(k: &str, v: String, theme: &Theme) -> Line<'static> {
    // A label longer than the column keeps one space before its value.
    Line::from(vec![
        Span::styled(format!("{k:<20} "), theme.muted),
        Span::raw(v),
    ])
}

fn detail_lines(
    r: &RouteRow,
    records: Option<&crate::backend::RouteRecords>,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let (glyph, word) = super::routes::state_label(r.state);
    let mut out = vec![
        kv("route", r.key().to_string(), theme),
        kv("owner", r.owner.clone(), theme),
        kv("escalation owner", r.escalation_owner.clone(), theme),
        kv(
            "state",
            format!(
                "{glyph} {word}{}",
                if r.is_outstanding() && r.state != crate::domain::RouteState::Outstanding {
                    " (still outstanding: only acknowledged/resolved count)"
                } else {
                    ""
                }
            ),
            theme,
        ),
        kv(
            "age / SLO",
            if r.flaws.is_empty() {
                format!(
                    "{:.1} min / {} min",
                    r.age_minutes, r.acknowledgement_minutes
                )
            } else {
                format!("{} · {}", crate::views::rows::age_slo(r), r.flaw_text())
            },
            theme,
        ),
        kv(
            "breached",
            if r.breached {
                "▲ yes".into()
            } else {
                "no".into()
            },
            theme,
        ),
        kv("recommended", r.recommended_action.to_string(), theme),
        kv(
            "route action",
            format!("{} ({})", r.action.as_str(), r.category),
            theme,
        ),
        kv("reason", r.reason.clone(), theme),
        kv(
            "plan",
            format!("{} at {}", r.plan_id, time::short(&r.plan_created_at)),
            theme,
        ),
        Line::from(""),
        Line::from(Span::styled(
            "Acknowledgement history (newest first)",
            theme.header,
        )),
    ];
    match records {
        None => out.push(Line::from(Span::styled("loading…", theme.pending))),
        Some(recs) if recs.acks.is_empty() => out.push(Line::from(Span::styled(
            "none: the route is outstanding",
            theme.muted,
        ))),
        Some(recs) => {
            for rec in &recs.acks {
                let a = crate::domain::route::AckSummary::from_record(rec);
                out.push(Line::from(format!(
                    "  {}  {:<12} by {}{}",
                    time::short(&a.acknowledged_at),
                    a.state,
                    a.acknowledged_by,
                    if a.external_ref.is_empty() {
                        String::new()
                    } else {
                        format!("  ref {}", a.external_ref)
                    }
                )));
                if !a.notes.is_empty() {
                    out.push(Line::from(Span::styled(
                        format!("      {}", a.notes),
                        theme.muted,
                    )));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::widgets::wrapped;

    #[test]
    fn report_lines_wrap_at_spaces_and_inside_long_words() {
        assert_eq!(wrapped("ab cd ef", 5), ["ab ", "cd ef"]);
        assert_eq!(wrapped("abcdefgh", 3), ["abc", "def", "gh"]);
        assert_eq!(wrapped("", 4), [""]);
        let line =
            "approval plan gordackretryapproval-d9c931f213f51ab7 (warning): 0 ask for approval";
        let lines = wrapped(line, 40);
        assert_eq!(lines.concat(), line, "nothing is lost");
        assert!(lines.iter().all(|l| l.chars().count() <= 40));
    }
}
