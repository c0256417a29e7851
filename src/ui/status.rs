//! The tab line, the hint / notice / filter line, and the status bar.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::App;
use crate::theme::Theme;
use crate::views::window::{console_outstanding, window_note};

use super::fit;

pub fn draw_tabs(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let mut spans = vec![Span::styled(" cavra-tui ", theme.title)];
    let narrow = area.width < 90;
    for (i, name) in crate::keymap::PANE_NAMES.iter().enumerate() {
        let n = i as u8 + 1;
        let label = if narrow && n != app.pane {
            format!(" {n} ")
        } else {
            format!(" {n} {name} ")
        };
        let style = if n == app.pane {
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

/// The filter line while editing, else the newest notice, else the key hints.
pub fn draw_hints(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let width = area.width as usize;
    let input = if app.pane == 3 {
        app.history.input.as_ref()
    } else {
        app.routes.input.as_ref().filter(|_| app.pane == 1)
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
    let mut spans = Vec::new();
    let mut used = 0;
    for (key, label) in app.keymap.hints_for(app.pane, app.readonly) {
        if label == "filter" && !matches!(app.pane, 1 | 3) {
            continue;
        }
        let len = key.chars().count() + label.len() + 3;
        if used + len > width {
            break;
        }
        used += len;
        spans.push(Span::styled(format!(" {key}"), theme.key));
        spans.push(Span::styled(format!(" {label} "), theme.muted));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn draw_status(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let p = &app.routes;
    let counts = match app.pane {
        1 => format!(
            "{} shown · {} out · {} breached · {} sel",
            p.view.len(),
            p.outstanding_count(),
            p.breached_count(),
            p.selected.len()
        ),
        3 => format!(
            "{} on page · {} total",
            app.history.items.len(),
            app.history.total
        ),
        2 => match app.health.dashboard.as_ref().and_then(|d| {
            let routes = p.loaded.then(|| console_outstanding(&p.rows));
            window_note(d, app.health.records, routes)
        }) {
            Some(note) => note.short(),
            None => crate::keymap::PANE_NAMES[1].to_lowercase(),
        },
        n => crate::keymap::PANE_NAMES[n as usize - 1].to_lowercase(),
    };
    let refreshed = app
        .last_refresh
        .map(|t| format!("↻ {}Z", t.format("%H:%M:%S")))
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
