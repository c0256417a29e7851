//! Cursor, paging, selection and filter behaviour of the routes pane.

use super::*;
use crate::domain::route::RouteState;

fn row(i: usize) -> RouteRow {
    let provider = if i % 2 == 0 { "slack" } else { "teams" };
    RouteRow {
        age_minutes: i as f64,
        breached: i % 3 == 0,
        recommended_action: "wait_for_acknowledgement",
        ..RouteRow::fixture(&format!("s{i:02}"), provider, "o", RouteState::Outstanding)
    }
}

fn pane(n: usize) -> RoutesPane {
    let mut p = RoutesPane {
        page: 5,
        ..Default::default()
    };
    p.set_rows((0..n).map(row).collect());
    p
}

#[test]
fn cursor_moves_clamped_and_window_follows() {
    let mut p = pane(20);
    p.move_by(-3);
    assert_eq!(p.cursor, 0);
    p.move_by(7);
    assert_eq!((p.cursor, p.offset), (7, 3));
    p.move_by(100);
    assert_eq!((p.cursor, p.offset), (19, 15));
    p.move_to(0);
    assert_eq!((p.cursor, p.offset), (0, 0));
}

#[test]
fn filter_keeps_the_cursor_on_the_same_route() {
    let mut p = pane(20);
    p.move_to(4); // s04 slack
    p.set_filter(RouteFilter::parse("provider:slack").unwrap());
    assert_eq!(p.view.len(), 10);
    assert_eq!(p.cursor_row().unwrap().schedule_id, "s04");
    p.set_filter(RouteFilter::default());
    assert_eq!(p.cursor_row().unwrap().schedule_id, "s04");
}

#[test]
fn sort_reorders_indices_not_rows() {
    let mut p = pane(5);
    p.set_sort(SortColumn::Age, true);
    assert_eq!(p.filtered().next().unwrap().schedule_id, "s04");
    assert_eq!(p.rows[0].schedule_id, "s00");
}

#[test]
fn selection_toggles_and_select_all_applies_to_the_filter() {
    let mut p = pane(6);
    p.toggle_selected();
    assert_eq!(p.targets().len(), 1);
    p.set_filter(RouteFilter::parse("provider:teams").unwrap());
    p.toggle_select_all();
    assert_eq!(p.selected.len(), 4, "s00 plus three teams rows");
    p.selected.clear();
    p.toggle_select_all();
    p.toggle_select_all();
    assert!(p.selected.is_empty());
}

#[test]
fn refresh_drops_selection_of_routes_that_vanished() {
    let mut p = pane(6);
    p.move_to(5);
    p.toggle_selected();
    p.set_rows((0..3).map(row).collect());
    assert!(p.selected.is_empty());
    assert_eq!(p.cursor, 2);
}
