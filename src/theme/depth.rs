//! Colour depth: how many colours the terminal takes (from `COLORTERM` and `TERM`, or an
//! override), and theme colours brought down to it, so a 256-colour terminal never receives
//! `38;2;…` and a 16-colour one never receives `38;5;…`.

use std::sync::OnceLock;

use ratatui::style::{Color, Style};

/// The colours a terminal takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
pub enum ColourDepth {
    /// 24-bit colour: only where `COLORTERM` is `truecolor` or `24bit`.
    #[value(name = "truecolor", alias = "24bit")]
    #[serde(rename = "truecolor", alias = "24bit")]
    TrueColour,
    /// The xterm 256-colour palette: `TERM` names `256color`.
    #[value(name = "256")]
    #[serde(rename = "256")]
    Ansi256,
    /// The 16 ANSI colours: any other terminal.
    #[value(name = "16")]
    #[serde(rename = "16")]
    Ansi16,
}

impl ColourDepth {
    pub fn label(self) -> &'static str {
        match self {
            ColourDepth::TrueColour => "truecolor",
            ColourDepth::Ansi256 => "256",
            ColourDepth::Ansi16 => "16",
        }
    }
}

/// The depth the environment says: 24-bit only where `COLORTERM` is `truecolor`/`24bit`,
/// 256 where `TERM` names `256color` (or `-direct`), else 16.
pub fn detect(colorterm: Option<&str>, term: Option<&str>) -> ColourDepth {
    let colorterm = colorterm.unwrap_or("").trim().to_ascii_lowercase();
    if colorterm == "truecolor" || colorterm == "24bit" {
        return ColourDepth::TrueColour;
    }
    let term = term.unwrap_or("");
    if term.contains("256color") || term.ends_with("-direct") {
        ColourDepth::Ansi256
    } else {
        ColourDepth::Ansi16
    }
}

/// `detect` on this process's `COLORTERM` and `TERM`.
pub fn detect_env() -> ColourDepth {
    detect(
        std::env::var("COLORTERM").ok().as_deref(),
        std::env::var("TERM").ok().as_deref(),
    )
}

static CURRENT: OnceLock<ColourDepth> = OnceLock::new();

/// Fixes the depth for this process (the `--colour-depth` / config override, or what was
/// detected); later calls keep the first value.
pub fn set_current(depth: ColourDepth) {
    let _ = CURRENT.set(depth);
}

/// The depth themes are resolved at: the one set at start-up, else the environment's.
pub fn current() -> ColourDepth {
    *CURRENT.get_or_init(detect_env)
}

/// A style with its colours brought down to `depth`.
pub fn fit_style(mut s: Style, depth: ColourDepth) -> Style {
    s.fg = s.fg.map(|c| fit(c, depth));
    s.bg = s.bg.map(|c| fit(c, depth));
    s.underline_color = s.underline_color.map(|c| fit(c, depth));
    s
}

/// A colour the terminal at `depth` can show: 24-bit colours become the nearest of the 256
/// palette's cube and grey ramp (16–255, which terminals do not remap), and at 16 colours
/// every palette colour becomes the nearest ANSI colour.
pub fn fit(c: Color, depth: ColourDepth) -> Color {
    match (depth, c) {
        (ColourDepth::TrueColour, c) => c,
        (ColourDepth::Ansi256, Color::Rgb(r, g, b)) => Color::Indexed(nearest_256(r, g, b)),
        (ColourDepth::Ansi16, Color::Rgb(r, g, b)) => nearest_16(r, g, b),
        (ColourDepth::Ansi16, Color::Indexed(i)) if i < 16 => ANSI16[usize::from(i)],
        (ColourDepth::Ansi16, Color::Indexed(i)) => {
            let (r, g, b) = palette(i);
            nearest_16(r, g, b)
        }
        (_, c) => c,
    }
}

/// The 16 ANSI colours by number.
const ANSI16: [Color; 16] = [
    Color::Black,
    Color::Red,
    Color::Green,
    Color::Yellow,
    Color::Blue,
    Color::Magenta,
    Color::Cyan,
    Color::Gray,
    Color::DarkGray,
    Color::LightRed,
    Color::LightGreen,
    Color::LightYellow,
    Color::LightBlue,
    Color::LightMagenta,
    Color::LightCyan,
    Color::White,
];

/// xterm's default RGB for the 16 ANSI colours (terminals may remap these).
const XTERM16: [(u8, u8, u8); 16] = [
    (0, 0, 0),
    (205, 0, 0),
    (0, 205, 0),
    (205, 205, 0),
    (0, 0, 238),
    (205, 0, 205),
    (0, 205, 205),
    (229, 229, 229),
    (127, 127, 127),
    (255, 0, 0),
    (0, 255, 0),
    (255, 255, 0),
    (92, 92, 255),
    (255, 0, 255),
    (0, 255, 255),
    (255, 255, 255),
];

const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

/// The RGB of a 256-palette index (xterm's values; 0–15 as xterm's defaults).
pub fn palette(i: u8) -> (u8, u8, u8) {
    match i {
        0..=15 => XTERM16[usize::from(i)],
        16..=231 => {
            let n = i - 16;
            (
                CUBE[usize::from(n / 36)],
                CUBE[usize::from(n / 6 % 6)],
                CUBE[usize::from(n % 6)],
            )
        }
        _ => {
            let v = 8 + 10 * (i - 232);
            (v, v, v)
        }
    }
}

/// The RGB a colour shows as on an xterm-default palette; `None` for the terminal's default.
pub fn rgb_of(c: Color) -> Option<(u8, u8, u8)> {
    match c {
        Color::Reset => None,
        Color::Rgb(r, g, b) => Some((r, g, b)),
        Color::Indexed(i) => Some(palette(i)),
        named => ANSI16.iter().position(|a| *a == named).map(|i| XTERM16[i]),
    }
}

fn distance((r1, g1, b1): (u8, u8, u8), (r2, g2, b2): (u8, u8, u8)) -> u32 {
    let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).unsigned_abs().pow(2);
    d(r1, r2) + d(g1, g2) + d(b1, b2)
}

/// The nearest colour of the cube (16–231) or grey ramp (232–255).
fn nearest_256(r: u8, g: u8, b: u8) -> u8 {
    (16..=255u8)
        .min_by_key(|i| distance(palette(*i), (r, g, b)))
        .unwrap_or(16)
}

fn nearest_16(r: u8, g: u8, b: u8) -> Color {
    let i = (0..16)
        .min_by_key(|i| distance(XTERM16[*i], (r, g, b)))
        .unwrap_or(0);
    ANSI16[i]
}
