//! Theme parsing, resolution, roles and colour depth.

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
    for (text, says) in [
        (
            "[styles]\ntitle = { fg = \"chartreuse-ish\" }",
            "unknown colour",
        ),
        ("[styles]\nsparkle = {}", "unknown style role"),
        (
            "[styles]\ntitle = { modifiers = [\"blink-fast\"] }",
            "unknown modifier",
        ),
    ] {
        let err = Theme::parse(text).unwrap_err().to_string();
        assert!(err.contains(says), "{text}: {err}");
    }
    assert!(Theme::parse("[styles\n").is_err());
    assert!(
        Theme::resolve("/no/such/theme.toml", false)
            .unwrap_err()
            .to_string()
            .contains("cannot be read")
    );
    let hex = Theme::parse("[styles]\ntitle = { fg = \"#ff8000\" }").unwrap();
    assert_eq!(hex.title.fg, Some(Color::Rgb(255, 128, 0)));
}

#[test]
fn roles_are_one_list_names_and_fields_agree() {
    let t = Theme::dark();
    assert_eq!(t.style(Role::Title), t.title);
    assert_eq!(t.style(Role::Cursor), t.cursor);
    for r in Role::ALL {
        assert_eq!(Role::from_name(r.name()), Some(*r));
    }
    assert_eq!(Role::ALL.len(), 15);
    let mut custom = Theme::blank("x");
    custom.style_mut(Role::Warn).fg = Some(Color::Yellow);
    assert_eq!(custom.warn.fg, Some(Color::Yellow));
    let err = Theme::parse("[styles]\nsparkle = {}")
        .unwrap_err()
        .to_string();
    assert!(err.contains("title, header, border, cursor"), "{err}");
}

#[test]
fn depth_follows_colorterm_then_term() {
    use ColourDepth::*;
    let cases = [
        (Some("truecolor"), Some("xterm-256color"), TrueColour),
        (Some("24bit"), Some("xterm"), TrueColour),
        (None, Some("xterm-256color"), Ansi256),
        (Some(""), Some("tmux-256color"), Ansi256),
        (Some("yes"), Some("screen-256color"), Ansi256),
        (None, Some("xterm"), Ansi16),
        (None, Some("linux"), Ansi16),
        (None, None, Ansi16),
    ];
    for (colorterm, term, want) in cases {
        assert_eq!(
            depth::detect(colorterm, term),
            want,
            "{colorterm:?} {term:?}"
        );
    }
}

#[test]
fn rgb_becomes_the_nearest_palette_colour() {
    use depth::fit;
    let c = Color::Rgb(0xa0, 0x60, 0x00);
    assert_eq!(fit(c, ColourDepth::TrueColour), c);
    // #af5f00 is cube colour 130; #a06000 is nearest to it.
    assert_eq!(fit(c, ColourDepth::Ansi256), Color::Indexed(130));
    assert_eq!(
        fit(Color::Rgb(0, 0, 0), ColourDepth::Ansi256),
        Color::Indexed(16)
    );
    assert_eq!(
        fit(Color::Rgb(255, 255, 255), ColourDepth::Ansi256),
        Color::Indexed(231)
    );
    // Greys go to the grey ramp, not the cube.
    assert_eq!(
        fit(Color::Rgb(0x58, 0x58, 0x58), ColourDepth::Ansi256),
        Color::Indexed(240)
    );
    // Named colours are left to the terminal's palette.
    assert_eq!(fit(Color::Cyan, ColourDepth::Ansi256), Color::Cyan);
    assert_eq!(fit(Color::Cyan, ColourDepth::Ansi16), Color::Cyan);
    // At 16 colours every 256 or 24-bit colour becomes an ANSI one.
    assert_eq!(
        fit(Color::Rgb(200, 10, 10), ColourDepth::Ansi16),
        Color::Red
    );
    assert_eq!(fit(Color::Indexed(28), ColourDepth::Ansi16), Color::Green);
    assert_eq!(fit(Color::Indexed(9), ColourDepth::Ansi16), Color::LightRed);
    assert_eq!(
        fit(Color::Indexed(240), ColourDepth::Ansi16),
        Color::DarkGray
    );
    assert_eq!(
        fit(Color::Indexed(240), ColourDepth::Ansi256),
        Color::Indexed(240)
    );
}

#[test]
fn resolving_fits_every_role_to_the_depth() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hex.toml");
    std::fs::write(
        &path,
        "[styles]\ntitle = { fg = \"#ff8000\", bg = \"#101010\" }\nwarn = { fg = \"120\" }\n",
    )
    .unwrap();
    let p = path.to_str().unwrap();
    let t = Theme::resolve_at(p, false, ColourDepth::TrueColour).unwrap();
    assert_eq!(t.title.fg, Some(Color::Rgb(255, 128, 0)));
    let t = Theme::resolve_at(p, false, ColourDepth::Ansi256).unwrap();
    assert_eq!(t.title.fg, Some(Color::Indexed(208)));
    assert_eq!(t.title.bg, Some(Color::Indexed(233)));
    assert_eq!(t.warn.fg, Some(Color::Indexed(120)));
    let t = Theme::resolve_at(p, false, ColourDepth::Ansi16).unwrap();
    for r in Role::ALL {
        let s = t.style(*r);
        for c in [s.fg, s.bg].into_iter().flatten() {
            assert!(
                !matches!(c, Color::Rgb(..) | Color::Indexed(_)),
                "{r:?}: {c:?}"
            );
        }
    }
}
