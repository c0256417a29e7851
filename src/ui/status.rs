//! The tab line, the hint / notice / filter line, and the status bar.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::App;
use crate::theme::Theme;

use super::fit;
use crate::pane::Pane;

/// The title before the tabs.
const TITLE: &str = " cavra-tui ";

/// Each tab's label at this width: full names, or short ones under 90 columns.
fn tab_labels(width: u16) -> Vec<(Pane, String)> {
    let narrow = width < 90;
    Pane::ALL
        .iter()
        .map(|&p| {
            let name = if narrow { p.short_name() } else { p.name() };
            (p, format!(" {} {name} ", p.number()))
        })
        .collect()
}

/// The pane whose tab is at column `x` of the tab bar.
pub fn tab_at(width: u16, x: u16) -> Option<Pane> {
    let mut start = TITLE.len() as u16;
    for (pane, label) in tab_labels(width) {
        let end = start + label.chars().count() as u16;
        if (start..end).contains(&x) {
            return Some(pane);
        }
        start = end;
    }
    None
}

pub fn draw_tabs(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let mut spans = vec![Span::styled(TITLE, theme.title)];
    for (pane, label) in tab_labels(area.width) {
        let style = if pane == app.pane {
            theme.key.patch(theme.cursor)
        } else {
            theme.muted
        };
        spans.push(Span::styled(label, style));
    }
    spans.push(Span::raw(" "));
    spans.push(Span::styled(
        format!(" {} ", app.info.mode.to_uppercase()),
        theme.info,
    ));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The command line or the filter line while editing, else the newest notice, else the key
/// hints.
pub fn draw_hints(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let width = area.width as usize;
    if let Some(cmd) = &app.command {
        let mut spans = vec![
            Span::styled(":", theme.key),
            Span::raw(cmd.text.clone()),
            Span::styled("▏", theme.key),
        ];
        let options = crate::app::command::completions(&cmd.text);
        let hint = if options.is_empty() || cmd.text.is_empty() {
            "  tab completes · ↑↓ history · enter runs · esc closes".to_string()
        } else {
            format!("  {}", options.join(" "))
        };
        spans.push(Span::styled(
            fit(&hint, width.saturating_sub(cmd.text.len() + 2)),
            theme.muted,
        ));
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
        return;
    }
    let input = match app.pane {
        Pane::History => app.history.input.as_ref(),
        Pane::Routes => app.routes.input.as_ref(),
        Pane::Retry | Pane::Worker | Pane::Archive => app.list_input.as_ref(),
        Pane::Health => None,
    };
    if let Some(input) = input {
        let mut spans = vec![
            Span::styled("/", theme.key),
            Span::raw(input.text.clone()),
            Span::styled("▏", theme.key),
        ];
        if let Some(err) = &input.error {
            spans.push(Span::styled(
                format!("  {}", fit(err, width.saturating_sub(input.text.len() + 4))),
                theme.critical,
            ));
        } else {
            spans.push(Span::styled("  enter apply · esc clear", theme.muted));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
        return;
    }
    if let Some(n) = app.notices.last() {
        let (label, style) = if n.error {
            ("ERROR ", theme.error)
        } else {
            ("", theme.info)
        };
        let more = if n.error { "  (esc dismisses)" } else { "" };
        let text = fit(&format!(" {label}{}{more} ", n.text), width);
        frame.render_widget(Paragraph::new(Span::styled(text, style)), area);
        return;
    }
    // `? help` and `q quit` always stay (k9s and lazygit users look for them); the pane's own
    // hints fill the space before them, in table order, as many as fit.
    let all = app.keymap.hints_for(app.pane, app.readonly);
    let keep = |label: &str| matches!(label, "help" | "quit");
    let width_of = |key: &str, label: &str| key.chars().count() + label.chars().count() + 3;
    let reserved: usize = all
        .iter()
        .filter(|(_, l)| keep(l))
        .map(|(k, l)| width_of(k, l))
        .sum();
    let mut spans = Vec::new();
    let mut used = 0;
    let push = |spans: &mut Vec<Span<'static>>, key: &str, label: &str| {
        spans.push(Span::styled(format!(" {key}"), theme.key));
        spans.push(Span::styled(format!(" {label} "), theme.muted));
    };
    for (key, label) in all.iter().filter(|(_, l)| !keep(l)) {
        if *label == "filter" && app.pane == Pane::Health {
            continue;
        }
        let len = width_of(key, label);
        if used + len + reserved > width {
            break;
        }
        used += len;
        push(&mut spans, key, label);
    }
    for (key, label) in all.iter().filter(|(_, l)| keep(l)) {
        push(&mut spans, key, label);
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn draw_status(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let p = &app.routes;
    let counts = match app.pane {
        Pane::Routes => format!(
            "{} shown · {} out · {} breached · {} sel",
            p.view.len(),
            p.outstanding_count(),
            p.breached_count(),
            p.selected.len()
        ),
        Pane::History => format!(
            "{} on page · {} total",
            app.history.items.len(),
            app.history.total
        ),
        other => other.name().to_lowercase(),
    };
    let refreshed = app
        .last_refresh
        .map(|t| format!("↻ {}", crate::domain::time::clock(t)))
        .unwrap_or_else(|| "↻ never".into());
    let busy = if app.in_flight > 0 {
        format!(" ⟳{}", app.in_flight)
    } else {
        String::new()
    };
    let mode = format!(
        " {}{} ",
        app.info.mode,
        if app.readonly { " READ-ONLY" } else { "" }
    );
    let who = match &app.session {
        None => String::new(),
        Some(s) if s.mode == "sample" => String::new(),
        Some(s) => match (&s.actor, s.auth_required, s.authenticated) {
            (Some(a), _, true) => format!(" │ ✓ {a}"),
            (_, true, false) => " │ ✗ not signed in".to_string(),
            _ => " │ auth off".to_string(),
        },
    };
    let token = if app.token_source.is_empty() || app.token_source == "no token" {
        String::new()
    } else {
        format!(" │ {}", app.token_source)
    };
    let fixed: usize = [
        mode.as_str(),
        " │ op ",
        &app.operator,
        &who,
        &token,
        " │ ",
        &counts,
        " │ ",
        &refreshed,
        &busy,
    ]
    .iter()
    .map(|s| s.chars().count())
    .sum();
    let location = fit(
        &app.info.location,
        (area.width as usize).saturating_sub(fixed + 1),
    );
    let mode_style = if app.readonly {
        theme.warn.patch(theme.cursor)
    } else {
        theme.key
    };
    let spans = vec![
        Span::styled(mode, mode_style),
        Span::styled(location, theme.muted),
        Span::raw(" │ op "),
        Span::styled(app.operator.clone(), theme.title),
        Span::styled(who, theme.ok),
        Span::styled(token, theme.muted),
        Span::raw(" │ "),
        Span::raw(counts),
        Span::raw(" │ "),
        Span::styled(refreshed, theme.muted),
        Span::styled(busy, theme.pending),
    ];
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_click_on_a_tab_names_its_pane_at_any_width() {
        for width in [80, 120, 200] {
            let mut x = TITLE.len() as u16;
            for (pane, label) in tab_labels(width) {
                assert_eq!(tab_at(width, x), Some(pane), "{width}: {label}");
                x += label.chars().count() as u16;
            }
            assert_eq!(tab_at(width, 0), None);
        }
    }
}
