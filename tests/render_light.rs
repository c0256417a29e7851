//! The light theme on a white terminal: a render snapshot of the routes pane, and every cell's
//! foreground checked to be readable on white (no gray / white / light-* text or borders, and
//! at least 4.5:1 contrast on the xterm palette).

mod support;

use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

use cavra_tui::app::App;
use cavra_tui::app::effect::{Effect, Outcome};
use cavra_tui::backend::BackendInfo;
use cavra_tui::keymap::Keymap;
use cavra_tui::theme::{Theme, depth};

fn app() -> App {
    let info = BackendInfo {
        mode: "sample".into(),
        location: "/home/alice/.local/share/cavra-tui/sample.db".into(),
    };
    let mut app = App::new(info, "alice".into(), Keymap::default());
    let Effect::LoadRoutes { seq } = app.refresh()[0] else {
        panic!()
    };
    app.apply(Outcome::Routes {
        seq,
        result: Ok(support::fixed_rows()),
    });
    app.apply(Outcome::Session(Ok(cavra_tui::backend::Session::sample())));
    app.apply(Outcome::Capabilities(
        cavra_tui::backend::Capabilities::all("sample mode"),
    ));
    app.last_refresh = Some(Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap());
    app
}

fn draw(app: &mut App, theme: &Theme, w: u16, h: u16) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    // As the console's loop does: tell the app its list height, then draw.
    app.set_viewport(cavra_tui::ui::list_rows(h));
    term.draw(|f| cavra_tui::ui::draw(f, app, theme)).unwrap();
    term.backend().buffer().clone()
}

fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        let code = if c == '\n' {
            KeyCode::Enter
        } else {
            KeyCode::Char(c)
        };
        app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
    }
}

/// WCAG relative luminance of an sRGB colour.
fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Every unreadable cell of a buffer drawn on a white terminal: (x, y, symbol, fg, bg).
fn unreadable_on_white(buf: &Buffer) -> Vec<String> {
    const WHITE: (u8, u8, u8) = (255, 255, 255);
    let mut bad = Vec::new();
    for (i, cell) in buf.content.iter().enumerate() {
        let (x, y) = buf.pos_of(i);
        if cell.symbol().trim().is_empty() || cell.modifier.contains(Modifier::REVERSED) {
            continue;
        }
        let on_default = matches!(cell.bg, Color::Reset);
        let faint = matches!(
            cell.fg,
            Color::Gray
                | Color::White
                | Color::Indexed(7)
                | Color::Indexed(15)
                | Color::LightRed
                | Color::LightGreen
                | Color::LightYellow
                | Color::LightBlue
                | Color::LightMagenta
                | Color::LightCyan
                | Color::Yellow
        );
        let Some(fg) = depth::rgb_of(cell.fg) else {
            continue; // the terminal's own foreground: dark on a light terminal
        };
        let bg = depth::rgb_of(cell.bg).unwrap_or(WHITE);
        if (on_default && faint) || contrast(fg, bg) < 4.5 {
            bad.push(format!(
                "({x},{y}) {:?} fg {:?} bg {:?}",
                cell.symbol(),
                cell.fg,
                cell.bg
            ));
        }
    }
    bad
}

#[test]
fn routes_light_80x24() {
    let buf = draw(&mut app(), &Theme::light(), 80, 24);
    insta::assert_snapshot!(format!("{buf:?}"));
}

#[test]
fn light_theme_is_readable_on_white_everywhere() {
    let mut screens = vec![
        ("routes 80x24", draw(&mut app(), &Theme::light(), 80, 24)),
        ("routes 200x50", draw(&mut app(), &Theme::light(), 200, 50)),
    ];
    let mut a = app();
    keys(&mut a, "/state:outstanding\n  ");
    screens.push((
        "filter and selection",
        draw(&mut a, &Theme::light(), 200, 50),
    ));
    let mut a = app();
    keys(&mut a, "?");
    screens.push(("help", draw(&mut a, &Theme::light(), 120, 40)));
    let mut a = app();
    keys(&mut a, "/owner:identity\nA");
    screens.push(("bulk preview", draw(&mut a, &Theme::light(), 120, 40)));
    let mut a = app();
    a.error("a red error notice");
    screens.push(("error notice", draw(&mut a, &Theme::light(), 120, 40)));
    for (name, buf) in &screens {
        let bad = unreadable_on_white(buf);
        assert!(
            bad.is_empty(),
            "{name}: {} unreadable cells: {bad:#?}",
            bad.len()
        );
    }
    // The check bites: the old light theme's gray borders and muted text fail it.
    let old =
        Theme::parse("[styles]\nborder = { fg = \"gray\" }\nmuted = { fg = \"gray\" }\n").unwrap();
    let bad = unreadable_on_white(&draw(&mut app(), &old, 80, 24));
    assert!(bad.len() > 100, "{}", bad.len());
}

#[test]
fn light_theme_survives_every_colour_depth() {
    for d in [depth::ColourDepth::TrueColour, depth::ColourDepth::Ansi256] {
        assert_eq!(Theme::light().fitted(d), Theme::light(), "{d:?}");
    }
    let sixteen = Theme::light().fitted(depth::ColourDepth::Ansi16);
    for r in cavra_tui::theme::Role::ALL {
        let s = sixteen.style(*r);
        if s.bg.is_none() {
            assert!(
                !matches!(s.fg, Some(Color::Gray | Color::White | Color::Yellow)),
                "{r:?}: {:?}",
                s.fg
            );
        }
    }
}
