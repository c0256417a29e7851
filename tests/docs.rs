//! Keeps the user guide true to the keymap: every action name is documented.

#[test]
fn every_key_action_is_in_the_user_guide() {
    let guide = include_str!("../docs/user-guide.md");
    for b in cavra_tui::keymap::Keymap::default().bindings {
        let name = b.name;
        let documented = guide.contains(name)
            || (name.starts_with("pane_") && guide.contains("pane_1 … pane_6"));
        assert!(
            documented,
            "docs/user-guide.md does not mention key action '{name}'"
        );
    }
}
