//! What the loop tells the app about the terminal: the rows a list shows and how far the open
//! overlay and text panes can scroll (the app clamps its scroll positions), and mouse clicks
//! and the wheel (opt-in).

use super::effect::Effect;
use super::{App, Pane};
use crate::keymap::Action;

/// What a mouse click points at (the loop asks the ui, the app acts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    Tab(Pane),
    /// The n-th visible row of the pane's list.
    ListRow(usize),
}

/// What the terminal shows, measured by the loop before each draw: list rows, and how far the
/// open overlay and the pane on screen can scroll. The app clamps its scroll positions to it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Extent {
    pub list_rows: usize,
    pub overlay_max: usize,
    pub pane_max: usize,
}

impl App {
    /// The loop tells the app how many list rows the terminal shows (the routes page).
    pub fn set_viewport(&mut self, list_rows: usize) {
        if self.routes.page != list_rows {
            self.routes.page = list_rows;
            self.routes.clamp_offset();
        }
    }

    /// The loop tells the app what the terminal shows; scroll positions are clamped to it, so
    /// `G` then `k` scrolls back from the real bottom.
    pub fn set_extent(&mut self, extent: Extent) {
        self.set_viewport(extent.list_rows);
        self.extent = extent;
        let i = self.pane.index();
        self.pane_scroll[i] = self.pane_scroll[i].min(extent.pane_max);
        if let Some(ov) = self.overlay.as_mut() {
            ov.clamp_scroll(extent.overlay_max);
        }
    }

    /// A mouse click on `hit`: a tab switches pane, a list row moves the cursor there.
    pub fn on_click(&mut self, hit: Hit) -> Vec<Effect> {
        match hit {
            Hit::Tab(p) => self.switch_to(p),
            Hit::ListRow(i) => {
                match self.pane {
                    Pane::Routes => {
                        let pos = self.routes.offset + i;
                        self.routes.move_to(pos);
                    }
                    Pane::History => self.history.cursor.move_to(i),
                    _ => {}
                }
                Vec::new()
            }
        }
    }

    /// The mouse wheel: three rows up or down, as the arrow keys would move.
    pub fn on_wheel(&mut self, down: bool) -> Vec<Effect> {
        let action = if down { Action::Down } else { Action::Up };
        let mut effects = Vec::new();
        for _ in 0..3 {
            effects.extend(self.on_action(action));
        }
        effects
    }

    /// How far a text pane's content is scrolled.
    pub fn scroll_of(&self, pane: Pane) -> usize {
        self.pane_scroll[pane.index()]
    }

    /// Scrolls the pane on screen's content by a movement action; true when it was one.
    pub(super) fn scroll_pane(&mut self, action: Action) -> bool {
        let page = self.extent.list_rows.max(2);
        let s = &mut self.pane_scroll[self.pane.index()];
        match action {
            Action::Up => *s = s.saturating_sub(1),
            Action::Down => *s = s.saturating_add(1).min(self.extent.pane_max),
            Action::PageUp => *s = s.saturating_sub(page),
            Action::PageDown => *s = s.saturating_add(page).min(self.extent.pane_max),
            Action::HalfPageUp => *s = s.saturating_sub(page / 2),
            Action::HalfPageDown => *s = s.saturating_add(page / 2).min(self.extent.pane_max),
            Action::Top => *s = 0,
            Action::Bottom => *s = self.extent.pane_max,
            _ => return false,
        }
        true
    }
}
