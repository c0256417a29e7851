//! Incremental routes refresh in sample mode (issue #14): a delta merged into the routes pane
//! gives exactly the rows a full reload gives, after random writes of acknowledgements and
//! plans (property-style, deterministic seeds); a reset, a generate, a store replaced on disk
//! or a watermark from elsewhere forces a full reload.

use chrono::{DateTime, Duration, TimeZone, Utc};

use cavra_tui::app::routes::RoutesPane;
use cavra_tui::backend::Backend;
use cavra_tui::backend::delta::RouteMark;
use cavra_tui::backend::sample::SampleBackend;
use cavra_tui::backend::sample::generate::{Spec, generate};
use cavra_tui::backend::sample::store::Store;
use cavra_tui::domain::Record;
use cavra_tui::domain::ack::{AckInput, AckState, ack_record, build_ack};
use cavra_tui::domain::record::kind;
use cavra_tui::domain::route::RouteRow;
use cavra_tui::domain::time;

/// splitmix64, so every seed replays the same writes.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn fresh_store(dir: &std::path::Path, routes: usize) -> Store {
    let mut store = Store::open(&dir.join("s.db")).unwrap();
    generate(
        &mut store,
        Spec {
            routes,
            history: routes * 3,
            seed: 7,
        },
        t0(),
        &mut |_, _| {},
    )
    .unwrap();
    store
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

/// Random writes: acknowledgements in every state, and newer plans for random schedules
/// that drop a route or keep all of them (routes disappear, plan ids change).
fn random_writes(store: &mut Store, rng: &mut Rng, at: &mut DateTime<Utc>, n: usize) {
    let rows = store.routes(*at).unwrap();
    let plans = store.latest_per_schedule(kind::NOTIFICATION_PLAN).unwrap();
    let mut batch: Vec<Record> = Vec::new();
    for _ in 0..n {
        *at += Duration::seconds(1 + rng.below(90) as i64);
        if rng.below(4) == 0 && !plans.is_empty() {
            let mut plan = plans[rng.below(plans.len())].clone();
            let id = format!("plan-prop-{}", rng.next());
            plan.0.insert("session_id".into(), id.clone().into());
            plan.0.insert("plan_id".into(), id.into());
            plan.0.insert("created_at".into(), time::iso(*at).into());
            let drop_one = rng.below(2) == 0;
            if let Some(d) = plan
                .0
                .get_mut("plan")
                .and_then(|p| p.get_mut("route_decisions"))
                .and_then(|d| d.as_array_mut())
            {
                if drop_one && d.len() > 1 {
                    d.pop();
                }
            }
            batch.push(plan);
        } else if !rows.is_empty() {
            let r = &rows[rng.below(rows.len())];
            let state = AckState::ALL[rng.below(4)];
            batch.push(ack_record(&build_ack(
                &AckInput {
                    route: r.key(),
                    plan_id: r.plan_id.clone(),
                    state,
                    acknowledged_by: "prop".into(),
                    external_ref: String::new(),
                    notes: format!("n{}", rng.next() % 1000),
                },
                *at,
            )));
        }
        if rng.below(3) == 0 {
            store.put_records(&batch).unwrap();
            batch.clear();
        }
    }
    store.put_records(&batch).unwrap();
}

fn sorted(mut rows: Vec<RouteRow>) -> Vec<RouteRow> {
    cavra_tui::domain::sort::base_order(&mut rows);
    rows
}

#[test]
fn incremental_refresh_gives_exactly_the_rows_of_a_full_reload_after_random_writes() {
    for seed in [1u64, 2, 3, 4] {
        let dir = tempfile::tempdir().unwrap();
        let mut store = fresh_store(dir.path(), 400);
        let mut rng = Rng(seed);
        let mut at = t0() + Duration::hours(1);
        let first = store.route_delta(None, "f", at).unwrap();
        assert!(first.full);
        let mut mark = first.mark.clone().expect("a watermark");
        let mut pane = RoutesPane::default();
        pane.apply_delta(first);
        for round in 0..8 {
            let n = 1 + rng.below(40);
            random_writes(&mut store, &mut rng, &mut at, n);
            let delta = store.route_delta(Some(&mark), "f", at).unwrap();
            assert!(
                !delta.full,
                "seed {seed} round {round}: a trusted mark reads a delta"
            );
            assert!(delta.mark.as_ref().unwrap().seq > mark.seq);
            mark = delta.mark.clone().unwrap();
            pane.apply_delta(delta);
            let full = store.route_delta(None, "f", at).unwrap();
            assert_eq!(
                sorted(pane.rows.clone()),
                full.rows,
                "seed {seed} round {round}: merged rows differ from a full reload"
            );
        }
        // Nothing written: an empty delta, and the rows age with the clock.
        at += Duration::minutes(500);
        let quiet = store.route_delta(Some(&mark), "f", at).unwrap();
        assert!(!quiet.full && quiet.rows.is_empty() && quiet.schedules.is_empty());
        pane.apply_delta(quiet);
        let full = store.route_delta(None, "f", at).unwrap();
        for (a, b) in sorted(pane.rows.clone()).iter().zip(&full.rows) {
            assert_eq!(a.key(), b.key());
            assert!((a.age_minutes - b.age_minutes).abs() < 1e-6, "aged rows");
            assert_eq!(a.breached, b.breached);
            assert_eq!(a.recommended_action, b.recommended_action);
        }
    }
}

#[test]
fn the_pane_keeps_cursor_selection_filter_and_sort_across_a_delta() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = fresh_store(dir.path(), 200);
    let at = t0() + Duration::hours(1);
    let first = store.route_delta(None, "f", at).unwrap();
    let mark = first.mark.clone().unwrap();
    let mut pane = RoutesPane::default();
    pane.apply_delta(first);
    pane.set_sort(cavra_tui::domain::sort::SortColumn::Owner, true);
    pane.move_to(17);
    let cursor = pane.cursor_row().unwrap().key();
    pane.toggle_selected();
    let mut rng = Rng(9);
    let mut later = at;
    random_writes(&mut store, &mut rng, &mut later, 20);
    pane.apply_delta(store.route_delta(Some(&mark), "f", later).unwrap());
    assert_eq!(pane.sort, cavra_tui::domain::sort::SortColumn::Owner);
    assert!(pane.descending);
    if pane.rows.iter().any(|r| r.key() == cursor) {
        assert_eq!(pane.cursor_row().unwrap().key(), cursor);
        assert!(pane.selected.contains(&cursor));
    }
}

#[test]
fn reset_generate_or_another_source_forces_a_full_reload() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = fresh_store(dir.path(), 100);
    let mark = store.route_delta(None, "f", t0()).unwrap().mark.unwrap();
    assert!(!store.route_delta(Some(&mark), "f", t0()).unwrap().full);
    // Another file identity (a replaced file) or another source: not trusted.
    assert!(store.route_delta(Some(&mark), "other", t0()).unwrap().full);
    let foreign = RouteMark {
        source: "elsewhere".into(),
        seq: mark.seq,
    };
    assert!(store.route_delta(Some(&foreign), "f", t0()).unwrap().full);
    // A reset (replace_all) and a generate start a new generation.
    let mark = store.route_delta(None, "f", t0()).unwrap().mark.unwrap();
    let records = store.records_of_kind(kind::NOTIFICATION_PLAN).unwrap();
    store.replace_all(&records).unwrap();
    let after_reset = store.route_delta(Some(&mark), "f", t0()).unwrap();
    assert!(after_reset.full, "a reset voids the watermark");
    let mark = after_reset.mark.unwrap();
    generate(
        &mut store,
        Spec {
            routes: 50,
            history: 100,
            seed: 3,
        },
        t0(),
        &mut |_, _| {},
    )
    .unwrap();
    let after_generate = store.route_delta(Some(&mark), "f", t0()).unwrap();
    assert!(after_generate.full, "a generate voids the watermark");
    assert_eq!(after_generate.rows, store.routes(t0()).unwrap());
}

#[tokio::test]
async fn a_store_replaced_on_disk_is_reopened_and_read_in_full() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    let other = tempfile::tempdir().unwrap();
    drop(fresh_store(dir.path(), 80));
    let replacement = {
        let s = fresh_store(other.path(), 40);
        s.routes(t0()).unwrap()
    };
    let backend = SampleBackend::open(&path).unwrap();
    let first = backend.route_delta(None).await.unwrap();
    assert!(first.full);
    let mark = first.mark.unwrap();
    assert!(!backend.route_delta(Some(mark.clone())).await.unwrap().full);
    // Another store renamed over the path (as a restore from backup does).
    let staged = dir.path().join("staged.db");
    std::fs::copy(other.path().join("s.db"), &staged).unwrap();
    for side in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.path().join(format!("s.db{side}")));
    }
    std::fs::rename(&staged, &path).unwrap();
    let after = backend.route_delta(Some(mark)).await.unwrap();
    assert!(after.full, "a replaced file is read in full");
    let keys = |rows: &[RouteRow]| {
        rows.iter()
            .map(|r| (r.key(), r.owner.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(keys(&after.rows), keys(&replacement));
}

#[tokio::test]
async fn the_first_page_comes_from_the_index_in_base_order() {
    let dir = tempfile::tempdir().unwrap();
    drop(fresh_store(dir.path(), 300));
    let backend = SampleBackend::open(&dir.path().join("s.db")).unwrap();
    let page = backend.first_routes().await.unwrap();
    assert!(page.partial && page.full);
    let all = backend.route_delta(None).await.unwrap().rows;
    let n = page.rows.len();
    assert_eq!(
        n,
        cavra_tui::backend::sample::engine::FIRST_PAGE.min(all.len())
    );
    let keys = |rows: &[RouteRow]| {
        rows.iter()
            .map(|r| (r.key(), r.owner.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(keys(&page.rows), keys(&all[..n]));
}
