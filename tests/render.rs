//! Render snapshots of the console (ratatui TestBackend + insta), dark and mono, 80x24 and 200x50.
//! Buffer debug output is snapshotted so styles (reverse, bold, colours) are pinned too.

mod support;

use chrono::{TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use cavra_tui::app::App;
use cavra_tui::app::effect::{Effect, Outcome};
use cavra_tui::backend::BackendInfo;
use cavra_tui::keymap::Keymap;
use cavra_tui::theme::Theme;

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

fn render(app: &mut App, theme: &Theme, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    // As the console's loop does: tell the app its list height, then draw.
    app.set_extent(cavra_tui::ui::extent(app, theme, w, h));
    term.draw(|f| cavra_tui::ui::draw(f, app, theme)).unwrap();
    format!("{:?}", term.backend().buffer())
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

#[test]
fn routes_dark_80x24() {
    insta::assert_snapshot!(render(&mut app(), &Theme::dark(), 80, 24));
}

#[test]
fn routes_mono_80x24() {
    insta::assert_snapshot!(render(&mut app(), &Theme::mono(), 80, 24));
}

#[test]
fn routes_dark_200x50_with_filter_and_selection() {
    let mut a = app();
    keys(&mut a, "/state:outstanding\n  ");
    insta::assert_snapshot!(render(&mut a, &Theme::dark(), 200, 50));
}

#[test]
fn routes_mono_200x50() {
    insta::assert_snapshot!(render(&mut app(), &Theme::mono(), 200, 50));
}

#[test]
fn bulk_preview_dialog_mono_80x24() {
    let mut a = app();
    keys(&mut a, "/owner:identity\nA");
    insta::assert_snapshot!(render(&mut a, &Theme::mono(), 80, 24));
}

#[test]
fn help_overlay_dark_80x24() {
    let mut a = app();
    keys(&mut a, "?");
    insta::assert_snapshot!(render(&mut a, &Theme::dark(), 80, 24));
}

#[test]
fn too_small_terminal_says_so() {
    let out = render(&mut app(), &Theme::mono(), 40, 10);
    assert!(out.contains("terminal too small"), "{out}");
    assert!(out.contains("need 50x12, have 40x10"));
}

#[test]
fn mono_never_writes_a_colour() {
    let out = render(&mut app(), &Theme::mono(), 120, 30);
    assert!(
        !out.contains("fg: ") || out.matches("fg: Reset").count() == out.matches("fg: ").count(),
        "{out}"
    );
    assert!(out.contains("REVERSED"), "the cursor row is reversed");
}

#[test]
fn ascii_mode_routes_80x24() {
    // The console's own ASCII backend over the test backend: what LANG=C terminals receive.
    let mut app = app();
    let backend = cavra_tui::ascii::AsciiBackend::new(TestBackend::new(80, 24), true);
    let mut term = Terminal::new(backend).unwrap();
    let theme = Theme::mono();
    app.set_extent(cavra_tui::ui::extent(&app, &theme, 80, 24));
    term.draw(|f| cavra_tui::ui::draw(f, &app, &theme)).unwrap();
    let cells: String = term
        .backend()
        .inner()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(cells.is_ascii(), "{cells}");
    assert!(
        cells.contains("outstanding") && cells.contains("+-"),
        "{cells}"
    );
    insta::assert_snapshot!(format!("{:?}", term.backend().inner().buffer()));
}
