//! Semantic styles (title, cursor, severity, ...) loaded from theme TOML files.
//!
//! `dark`, `light` and `mono` ship in `themes/` and are embedded in the binary; a path to a
//! TOML file works too. `NO_COLOR` (any non-empty value) always selects `mono`.

use std::collections::BTreeMap;
use std::path::Path;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

const DARK: &str = include_str!("../themes/dark.toml");
const LIGHT: &str = include_str!("../themes/light.toml");
const MONO: &str = include_str!("../themes/mono.toml");

/// The styles panes ask for by meaning, never by colour.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    pub base: Style,
    pub title: Style,
    pub header: Style,
    pub border: Style,
    pub cursor: Style,
    pub selected: Style,
    pub muted: Style,
    pub ok: Style,
    pub warn: Style,
    pub critical: Style,
    pub pending: Style,
    pub key: Style,
    pub error: Style,
    pub info: Style,
    pub dialog: Style,
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

const ROLES: &[&str] = &[
    "base", "title", "header", "border", "cursor", "selected", "muted", "ok", "warn", "critical",
    "pending", "key", "error", "info", "dialog",
];

impl Theme {
    /// Parses theme TOML; unknown colours, modifiers or roles are errors naming them.
    pub fn parse(text: &str) -> Result<Theme, String> {
        let file: ThemeFile = toml::from_str(text)
            .map_err(|e| e.to_string().lines().next().unwrap_or("").to_string())?;
        for role in file.styles.keys() {
            if !ROLES.contains(&role.as_str()) {
                return Err(format!(
                    "unknown style role '{role}' (roles: {})",
                    ROLES.join(", ")
                ));
            }
        }
        let style = |role: &str| -> Result<Style, String> {
            let Some(spec) = file.styles.get(role) else {
                return Ok(Style::default());
            };
            let mut s = Style::default();
            if let Some(fg) = &spec.fg {
                s = s.fg(color(fg).ok_or_else(|| format!("{role}: unknown colour '{fg}'"))?);
            }
            if let Some(bg) = &spec.bg {
                s = s.bg(color(bg).ok_or_else(|| format!("{role}: unknown colour '{bg}'"))?);
            }
            for m in &spec.modifiers {
                s = s.add_modifier(
                    modifier(m).ok_or_else(|| format!("{role}: unknown modifier '{m}'"))?,
                );
            }
            Ok(s)
        };
        Ok(Theme {
            name: file.name.unwrap_or_else(|| "custom".into()),
            base: style("base")?,
            title: style("title")?,
            header: style("header")?,
            border: style("border")?,
            cursor: style("cursor")?,
            selected: style("selected")?,
            muted: style("muted")?,
            ok: style("ok")?,
            warn: style("warn")?,
            critical: style("critical")?,
            pending: style("pending")?,
            key: style("key")?,
            error: style("error")?,
            info: style("info")?,
            dialog: style("dialog")?,
        })
    }

    pub fn mono() -> Theme {
        Theme::parse(MONO).expect("embedded mono theme parses")
    }

    pub fn dark() -> Theme {
        Theme::parse(DARK).expect("embedded dark theme parses")
    }

    /// Resolves the configured theme: a shipped name or a file path. `NO_COLOR` wins.
    pub fn resolve(name: &str, no_color: bool) -> Result<Theme, String> {
        if no_color {
            return Ok(Theme::mono());
        }
        match name {
            "dark" | "" => Ok(Theme::dark()),
            "light" => Theme::parse(LIGHT),
            "mono" => Ok(Theme::mono()),
            path => {
                let text = std::fs::read_to_string(Path::new(path))
                    .map_err(|e| format!("theme '{path}' is not a shipped theme (dark, light, mono) and cannot be read: {e}"))?;
                Theme::parse(&text).map_err(|e| format!("theme {path}: {e}"))
            }
        }
    }

    /// Whether any style carries a colour (mono must not).
    pub fn has_colour(&self) -> bool {
        [
            self.base,
            self.title,
            self.header,
            self.border,
            self.cursor,
            self.selected,
            self.muted,
            self.ok,
            self.warn,
            self.critical,
            self.pending,
            self.key,
            self.error,
            self.info,
            self.dialog,
        ]
        .iter()
        .any(|s| s.fg.is_some() || s.bg.is_some())
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
mod tests {
    use super::*;

    #[test]
    fn shipped_themes_parse_and_mono_has_no_colour() {
        for t in [DARK, LIGHT, MONO] {
            Theme::parse(t).unwrap();
        }
        assert!(!Theme::mono().has_colour());
        assert!(Theme::dark().has_colour());
    }

    #[test]
    fn no_color_selects_mono_whatever_the_config_says() {
        assert_eq!(Theme::resolve("dark", true).unwrap(), Theme::mono());
    }

    #[test]
    fn broken_themes_are_named() {
        assert!(
            Theme::parse("[styles]\ntitle = { fg = \"chartreuse-ish\" }")
                .unwrap_err()
                .contains("unknown colour")
        );
        assert!(
            Theme::parse("[styles]\nsparkle = {}")
                .unwrap_err()
                .contains("unknown style role")
        );
        assert!(
            Theme::parse("[styles]\ntitle = { modifiers = [\"blink-fast\"] }")
                .unwrap_err()
                .contains("unknown modifier")
        );
        assert!(Theme::parse("[styles\n").is_err());
        assert!(
            Theme::resolve("/no/such/theme.toml", false)
                .unwrap_err()
                .contains("cannot be read")
        );
        let hex = Theme::parse("[styles]\ntitle = { fg = \"#ff8000\" }").unwrap();
        assert_eq!(hex.title.fg, Some(Color::Rgb(255, 128, 0)));
    }
}
