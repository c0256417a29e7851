//! Rendering: pure functions from [`App`] to a frame.
//!
//! ```text
//! ┌ cavra-tui · 1 Routes ─────────────────────────────── sample ┐  tab line
//! │ Routes 45 · filter: owner:pay · sort: schedule ↑            │  pane title (border)
//! │ SCHEDULE   PROVIDER  OWNER   STATE   AGE/SLO  BREACH  ...   │  table: only visible rows built
//! │ ...                                                         │
//! └─────────────────────────────────────────────────────────────┘
//!  / filter line, or notices, or the key hints                      hint line
//!  SAMPLE path │ op alice │ 45 shown · 20 out · 9 breached · 0 sel  status line
//! ```

mod archive;
mod confirm;
mod health;
mod history;
mod overlay;
mod retry;
mod routes;
mod routing;
mod status;
mod widgets;
mod worker;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::App;
use crate::pane::Pane;
use crate::theme::Theme;

/// Below this the console shows "terminal too small" instead of the panes.
pub const MIN_WIDTH: u16 = 50;
pub const MIN_HEIGHT: u16 = 12;

/// Rows a list pane shows in a terminal of `height` lines: less the tab, hint and status
/// bars, the pane's border and its header. The loop tells the app this before each draw.
pub fn list_rows(height: u16) -> usize {
    usize::from(height.saturating_sub(3 + 2 + 1))
}

/// What a terminal of `width` x `height` shows of the app now: list rows and how far the open
/// overlay and the pane on screen can scroll (the loop hands this to `App::set_extent`).
pub fn extent(app: &App, theme: &Theme, width: u16, height: u16) -> crate::app::Extent {
    let area = Rect::new(0, 0, width, height);
    // The pane's inside: below the tab bar, above the hint and status bars, within its border.
    let inner = Rect::new(1, 2, width.saturating_sub(2), height.saturating_sub(3 + 2));
    let content = match app.pane {
        Pane::Health => health::height(app, theme, inner),
        Pane::Worker => worker::height(app, theme, inner),
        Pane::Archive => archive::height(app, theme, inner),
        Pane::Routes | Pane::History | Pane::Retry => 0,
    };
    crate::app::Extent {
        list_rows: list_rows(height),
        overlay_max: overlay::max_scroll(app, theme, area),
        pane_max: content.saturating_sub(usize::from(inner.height)),
    }
}

/// What a mouse click at column `x`, row `y` of a `width` x `height` terminal points at.
pub fn hit_test(app: &App, width: u16, height: u16, x: u16, y: u16) -> Option<crate::app::Hit> {
    if width < MIN_WIDTH || height < MIN_HEIGHT || app.overlay.is_some() {
        return None;
    }
    if y == 0 {
        return status::tab_at(width, x).map(crate::app::Hit::Tab);
    }
    // Below the tab bar, the pane's border and its table header: list rows.
    let first = 3;
    let last = height.saturating_sub(3 + 1);
    (first..=last)
        .contains(&y)
        .then(|| crate::app::Hit::ListRow(usize::from(y - first)))
}

/// Draws the whole console; reads the state, changes nothing.
pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    // Each frame starts from a blank buffer; ratatui's diff then writes only changed cells.
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        draw_too_small(frame, area, theme);
        return;
    }
    let [tabs, main, hints, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    status::draw_tabs(frame, tabs, app, theme);
    match app.pane {
        Pane::Routes if app.routing.on => routing::draw(frame, main, app, theme),
        Pane::Routes => routes::draw(frame, main, app, theme),
        Pane::Health => health::draw(frame, main, app, theme),
        Pane::History => history::draw(frame, main, app, theme),
        Pane::Retry => retry::draw(frame, main, app, theme),
        Pane::Worker => worker::draw(frame, main, app, theme),
        Pane::Archive => archive::draw(frame, main, app, theme),
    }
    status::draw_hints(frame, hints, app, theme);
    status::draw_status(frame, status, app, theme);
    overlay::draw(frame, area, app, theme);
}

fn draw_too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    let text = vec![
        Line::from(Span::styled("terminal too small", theme.critical)),
        Line::from(format!(
            "need {MIN_WIDTH}x{MIN_HEIGHT}, have {}x{}",
            area.width, area.height
        )),
        Line::from(Span::styled("resize, or press q to quit", theme.muted)),
    ];
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

/// Cuts a string to `width` characters, ending with `…` when cut.
pub fn fit(s: &str, width: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if s.width() <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    // Cut by display width (wide characters take two cells), leaving one cell for the ellipsis.
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}
