//! Times the parts of a routes refresh on a store: `cargo run --release --example time_routes -- PATH`.
use std::time::Instant;

fn main() {
    cavra_tui::memory::no_huge_pages();
    let path = std::env::args().nth(1).expect("store path");
    let store =
        cavra_tui::backend::sample::store::Store::open(std::path::Path::new(&path)).unwrap();
    for _ in 0..8 {
        let t = Instant::now();
        let rows = store.routes(chrono::Utc::now()).unwrap();
        let read = t.elapsed();
        let t = Instant::now();
        let mut pane = cavra_tui::app::routes::RoutesPane::default();
        pane.set_rows(rows);
        println!(
            "store.routes {:.1} ms, set_rows {:.1} ms ({} rows)",
            read.as_secs_f64() * 1e3,
            t.elapsed().as_secs_f64() * 1e3,
            pane.rows.len()
        );
    }
}
