//! The sample-mode fixtures the benches share: generated stores under target/bench-stores, a
//! byte-counting terminal at 200x50, and an `App` with its routes loaded.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use cavra_tui::app::App;
use cavra_tui::app::effect::{Effect, Outcome};
use cavra_tui::backend::sample::SampleBackend;
use cavra_tui::backend::sample::generate::{Spec, generate};
use cavra_tui::backend::sample::store::Store;
use cavra_tui::backend::{Backend, Session};
use cavra_tui::keymap::Keymap;

/// A byte sink that counts what the terminal backend writes.
#[derive(Clone, Default)]
pub struct Sink(Arc<std::sync::Mutex<usize>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        *self.0.lock().unwrap() += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Sink {
    pub fn take(&self) -> usize {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

/// The generated store of `routes` routes (10 history records a route), made once.
pub fn store_for(routes: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-stores");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("r{routes}.db"));
    if !path.exists() {
        let t = Instant::now();
        let mut store = Store::open(&path).unwrap();
        let report = generate(
            &mut store,
            Spec {
                routes,
                history: routes * 10,
                seed: 1,
            },
            chrono::Utc::now(),
            &mut |_, _| {},
        )
        .unwrap();
        eprintln!(
            "generated {} routes, {} records in {:.1}s",
            report.routes,
            report.records,
            t.elapsed().as_secs_f64()
        );
    }
    path
}

/// A 200x50 terminal writing into `sink`; fixed, so no draw asks the (non-tty) stdout its size.
pub fn fixed_terminal(sink: &Sink) -> Terminal<CrosstermBackend<Sink>> {
    let opts = ratatui::TerminalOptions {
        viewport: ratatui::Viewport::Fixed(ratatui::layout::Rect::new(0, 0, 200, 50)),
    };
    Terminal::with_options(CrosstermBackend::new(sink.clone()), opts).unwrap()
}

pub fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

pub fn ready_app(rt: &tokio::runtime::Runtime, backend: &SampleBackend) -> (App, Duration) {
    let mut app = App::new(backend.info(), "bench".into(), Keymap::default());
    let effects = app.refresh();
    let took = load_routes(rt, &mut app, backend, &effects);
    app.apply(Outcome::Session(Ok(Session::sample())));
    (app, took)
}

/// Runs the routes load the first of `effects` asks for and applies it: how long that took.
pub fn load_routes(
    rt: &tokio::runtime::Runtime,
    app: &mut App,
    backend: &SampleBackend,
    effects: &[Effect],
) -> Duration {
    let Effect::LoadRoutes { seq } = effects[0] else {
        panic!("the first effect loads the routes")
    };
    let t = Instant::now();
    let rows = rt.block_on(backend.routes()).unwrap();
    app.apply(Outcome::Routes {
        seq,
        result: Ok(rows),
    });
    t.elapsed()
}
