//! What the delivery-health panes show, computed once for both the TUI and the CLI tables:
//! dashboard cards, history rows, retry decision rows, the labelled facts and dashboard
//! counters of panes 4–6, the summaries of what an action recorded. Missing fields read as
//! the web console reads them (0, healthy, n/a).

pub mod cards;
pub mod dashboards;
pub mod facts;
pub mod rows;
pub mod summary;
pub mod window;

/// Severity as word + glyph; colour is added by the theme, never the only carrier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Ok,
    Info,
    Warn,
    Critical,
}

impl Severity {
    pub fn glyph(self) -> &'static str {
        match self {
            Severity::Ok => "✓",
            Severity::Info => "·",
            Severity::Warn => "!",
            Severity::Critical => "▲",
        }
    }

    /// From an `alert_level` / health word.
    pub fn from_level(level: &str) -> Severity {
        match level {
            "critical" => Severity::Critical,
            "warning" => Severity::Warn,
            "healthy" | "" => Severity::Ok,
            _ => Severity::Info,
        }
    }
}
