//! The theme's semantic roles, listed once: the `Role` enum, the role names theme files are
//! checked against, and the `Theme` struct's fields all come from the one list below.
//!
//! Adding a role is one line here (plus its style in the shipped themes, else it is unstyled).

use ratatui::style::Style;

macro_rules! theme_roles {
    ($($variant:ident $field:ident: $doc:literal;)*) => {
        /// A style asked for by meaning, never by colour.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Role {
            $(#[doc = $doc] $variant,)*
        }

        impl Role {
            /// Every role, in theme-file order.
            pub const ALL: &'static [Role] = &[$(Role::$variant),*];

            /// The role's name in theme files (`[styles] title = ...`) and its `Theme` field.
            pub fn name(self) -> &'static str {
                match self {
                    $(Role::$variant => stringify!($field),)*
                }
            }
        }

        /// The styles panes ask for by meaning (`t.title`, `t.cursor`, ...), one field a role.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Theme {
            pub name: String,
            $(#[doc = $doc] pub $field: Style,)*
        }

        impl Theme {
            /// A theme with every role unstyled.
            pub fn blank(name: impl Into<String>) -> Theme {
                Theme {
                    name: name.into(),
                    $($field: Style::default(),)*
                }
            }

            /// The style of a role.
            pub fn style(&self, role: Role) -> Style {
                match role {
                    $(Role::$variant => self.$field,)*
                }
            }

            /// The style of a role, to change it.
            pub fn style_mut(&mut self, role: Role) -> &mut Style {
                match role {
                    $(Role::$variant => &mut self.$field,)*
                }
            }
        }
    };
}

theme_roles! {
    Base base: "Everything without a role of its own.";
    Title title: "Pane and overlay titles.";
    Header header: "Table headers and help groups.";
    Border border: "Pane borders.";
    Cursor cursor: "The cursor row.";
    Selected selected: "Selected rows.";
    Muted muted: "Secondary text.";
    Ok ok: "Healthy, acknowledged.";
    Warn warn: "Needs attention.";
    Critical critical: "Breached, failed.";
    Pending pending: "Recording or loading.";
    Key key: "Key names in hints and help.";
    Error error: "Error notices.";
    Info info: "Information notices.";
    Dialog dialog: "Dialog bodies.";
}

impl Role {
    /// The role called `name` in theme files.
    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.iter().copied().find(|r| r.name() == name)
    }
}
