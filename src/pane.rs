//! The six panes as a type: their order, numbers (the `1`–`6` keys), names, and which pane
//! comes next or before (tab and shift-tab).

/// A pane of the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Pane {
    Routes,
    Health,
    History,
    Retry,
    Worker,
    Archive,
}

impl Pane {
    /// Every pane, in tab order.
    pub const ALL: [Pane; 6] = [
        Pane::Routes,
        Pane::Health,
        Pane::History,
        Pane::Retry,
        Pane::Worker,
        Pane::Archive,
    ];

    /// The pane's position, 0-based (for per-pane arrays).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The digit that selects it, 1–6.
    pub fn number(self) -> u8 {
        self as u8 + 1
    }

    /// The pane a digit selects.
    pub fn from_number(n: u8) -> Option<Pane> {
        Pane::ALL.get(usize::from(n).checked_sub(1)?).copied()
    }

    /// The name in the tab bar and titles.
    pub fn name(self) -> &'static str {
        match self {
            Pane::Routes => "Routes",
            Pane::Health => "Health",
            Pane::History => "History",
            Pane::Retry => "Retry",
            Pane::Worker => "Worker",
            Pane::Archive => "Archive",
        }
    }

    /// The name in a narrow tab bar (under 90 columns).
    pub fn short_name(self) -> &'static str {
        match self {
            Pane::Routes => "Routes",
            Pane::Health => "Health",
            Pane::History => "Hist",
            Pane::Retry => "Retry",
            Pane::Worker => "Worker",
            Pane::Archive => "Arch",
        }
    }

    /// The next pane (tab), wrapping.
    pub fn next(self) -> Pane {
        Pane::ALL[(self.index() + 1) % Pane::ALL.len()]
    }

    /// The previous pane (shift-tab), wrapping.
    pub fn prev(self) -> Pane {
        Pane::ALL[(self.index() + Pane::ALL.len() - 1) % Pane::ALL.len()]
    }
}

#[cfg(test)]
mod tests {
    use super::Pane;

    #[test]
    fn numbers_names_and_order_round_trip() {
        for p in Pane::ALL {
            assert_eq!(Pane::from_number(p.number()), Some(p));
            assert_eq!(p.next().prev(), p);
        }
        assert_eq!(Pane::Archive.next(), Pane::Routes);
        assert_eq!(Pane::Routes.prev(), Pane::Archive);
        assert_eq!(Pane::from_number(0), None);
        assert_eq!(Pane::from_number(7), None);
    }
}
