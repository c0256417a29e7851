//! Semantic styles (title, cursor, severity, ...) loaded from theme TOML files.
//!
//! `dark`, `light` and `mono` ship in `themes/` and are embedded in the binary; a path to a
//! TOML file works too. `NO_COLOR` (any non-empty value) always selects `mono`. Colours are
//! brought down to the terminal's colour depth when a theme is resolved (see `depth`).

pub mod depth;
mod roles;

use std::collections::BTreeMap;
use std::path::Path;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

pub use depth::ColourDepth;
pub use roles::{Role, Theme};

const DARK: &str = include_str!("../../themes/dark.toml");
const LIGHT: &str = include_str!("../../themes/light.toml");
const MONO: &str = include_str!("../../themes/mono.toml");

/// Why a theme could not be used; the messages name the role, colour or file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ThemeError {
    /// The TOML did not parse (its first line).
    #[error("{0}")]
    Toml(String),
    #[error("unknown style role '{name}' (roles: {roles})")]
    UnknownRole { name: String, roles: String },
    #[error("{role}: unknown colour '{colour}'")]
    UnknownColour { role: String, colour: String },
    #[error("{role}: unknown modifier '{modifier}'")]
    UnknownModifier { role: String, modifier: String },
    #[error(
        "theme '{path}' is not a shipped theme (dark, light, mono) and cannot be read: {detail}"
    )]
    Unreadable { path: String, detail: String },
    /// A theme file that did not parse.
    #[error("theme {path}: {source}")]
    File {
        path: String,
        source: Box<ThemeError>,
    },
}

#[derive(Debug, Deserialize)]
struct ThemeFile {
    name: Option<String>,
    #[serde(default)]
    styles: BTreeMap<String, StyleSpec>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct StyleSpec {
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    modifiers: Vec<String>,
}

impl Theme {
    /// Parses theme TOML; unknown colours, modifiers or roles are errors naming them. Colours
    /// are kept as written (`resolve` fits them to the terminal).
    pub fn parse(text: &str) -> Result<Theme, ThemeError> {
        let file: ThemeFile = toml::from_str(text)
            .map_err(|e| ThemeError::Toml(e.to_string().lines().next().unwrap_or("").into()))?;
        let mut theme = Theme::blank(file.name.unwrap_or_else(|| "custom".into()));
        for (name, spec) in &file.styles {
            let Some(role) = Role::from_name(name) else {
                let roles: Vec<&str> = Role::ALL.iter().map(|r| r.name()).collect();
                return Err(ThemeError::UnknownRole {
                    name: name.clone(),
                    roles: roles.join(", "),
                });
            };
            *theme.style_mut(role) = spec.style(name)?;
        }
        Ok(theme)
    }

    pub fn mono() -> Theme {
        Theme::parse(MONO).expect("embedded mono theme parses")
    }

    pub fn dark() -> Theme {
        Theme::parse(DARK).expect("embedded dark theme parses")
    }

    pub fn light() -> Theme {
        Theme::parse(LIGHT).expect("embedded light theme parses")
    }

    /// Resolves the configured theme: a shipped name or a file path, its colours fitted to the
    /// terminal's colour depth (`depth::current`). `NO_COLOR` wins.
    pub fn resolve(name: &str, no_color: bool) -> Result<Theme, ThemeError> {
        Theme::resolve_at(name, no_color, depth::current())
    }

    /// `resolve` at a given colour depth.
    pub fn resolve_at(name: &str, no_color: bool, depth: ColourDepth) -> Result<Theme, ThemeError> {
        if no_color {
            return Ok(Theme::mono());
        }
        let theme = match name {
            "dark" | "" => Theme::dark(),
            "light" => Theme::light(),
            "mono" => Theme::mono(),
            path => {
                let text = std::fs::read_to_string(Path::new(path)).map_err(|e| {
                    ThemeError::Unreadable {
                        path: path.to_string(),
                        detail: e.to_string(),
                    }
                })?;
                Theme::parse(&text).map_err(|e| ThemeError::File {
                    path: path.to_string(),
                    source: Box::new(e),
                })?
            }
        };
        Ok(theme.fitted(depth))
    }

    /// The theme with every colour brought down to `depth`.
    pub fn fitted(mut self, depth: ColourDepth) -> Theme {
        for role in Role::ALL {
            let s = self.style_mut(*role);
            *s = depth::fit_style(*s, depth);
        }
        self
    }

    /// Whether any style carries a colour (mono must not).
    #[cfg(test)]
    pub fn has_colour(&self) -> bool {
        Role::ALL.iter().any(|r| {
            let s = self.style(*r);
            s.fg.is_some() || s.bg.is_some()
        })
    }
}

impl StyleSpec {
    fn style(&self, role: &str) -> Result<Style, ThemeError> {
        let colour = |c: &String| {
            color(c).ok_or_else(|| ThemeError::UnknownColour {
                role: role.to_string(),
                colour: c.clone(),
            })
        };
        let mut s = Style::default();
        if let Some(fg) = &self.fg {
            s = s.fg(colour(fg)?);
        }
        if let Some(bg) = &self.bg {
            s = s.bg(colour(bg)?);
        }
        for m in &self.modifiers {
            s = s.add_modifier(modifier(m).ok_or_else(|| ThemeError::UnknownModifier {
                role: role.to_string(),
                modifier: m.clone(),
            })?);
        }
        Ok(s)
    }
}

/// True when the `NO_COLOR` convention asks for no colour (set and non-empty).
pub fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

fn color(name: &str) -> Option<Color> {
    if let Some(hex) = name.strip_prefix('#') {
        if hex.len() == 6 {
            let n = u32::from_str_radix(hex, 16).ok()?;
            return Some(Color::Rgb((n >> 16) as u8, (n >> 8) as u8, n as u8));
        }
        return None;
    }
    name.parse::<Color>().ok()
}

fn modifier(name: &str) -> Option<Modifier> {
    Some(match name {
        "bold" => Modifier::BOLD,
        "dim" => Modifier::DIM,
        "italic" => Modifier::ITALIC,
        "underlined" | "underline" => Modifier::UNDERLINED,
        "reversed" | "reverse" => Modifier::REVERSED,
        "crossed_out" => Modifier::CROSSED_OUT,
        _ => return None,
    })
}

#[cfg(test)]
#[path = "theme_tests.rs"]
mod tests;
