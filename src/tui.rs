//! The interactive loop: terminal events, IO outcomes, timers and signals feed the app; effects
//! run as tokio tasks that report back over a channel, so the loop never awaits IO itself.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{Event, EventStream, KeyEventKind};
use futures_util::StreamExt;
use tokio::sync::mpsc;

use crate::app::App;
use crate::app::effect::{Effect, ExportSummary, LoopError, Outcome, Switched};
use crate::backend::Backend;
use crate::connect::{ConnectError, Connected};
use crate::pane::Pane;
use crate::theme::Theme;

/// What the loop needs besides the app.
pub struct RunConfig {
    pub theme: Theme,
    pub refresh: Option<Duration>,
    pub export_dir: std::path::PathBuf,
    /// Connects to a context by name (runs on the blocking pool: keyring calls may wait).
    pub connect: ConnectFn,
    /// Write ASCII only (a non-UTF-8 locale, or `--ascii`).
    pub ascii: bool,
    /// Mouse capture (`--mouse`, `mouse = true`).
    pub mouse: bool,
}

/// Builds a backend for a context name.
pub type ConnectFn =
    Arc<dyn Fn(&str) -> Result<(Connected, Option<String>), ConnectError> + Send + Sync>;

type SwitchResult = (String, Result<(Connected, Option<String>), ConnectError>);

/// Why the console ended: the user quit, or a signal (its number) arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    Quit,
    Signal(i32),
}

impl Ended {
    /// The process exit code: 0 for a quit, 128 + n for signal n (the shell's convention).
    pub fn exit_code(self) -> u8 {
        match self {
            Ended::Quit => 0,
            Ended::Signal(n) => (128 + n).clamp(0, 255) as u8,
        }
    }
}

/// Runs the console until the user quits or a signal arrives; the terminal is restored either way.
pub async fn run(
    backend: Arc<dyn Backend>,
    mut app: App,
    cfg: RunConfig,
) -> std::io::Result<Ended> {
    let mut terminal = crate::terminal::enter(cfg.ascii, cfg.mouse)?;
    let result = event_loop(&mut terminal, backend, &mut app, &cfg).await;
    crate::terminal::restore();
    result
}

async fn event_loop(
    terminal: &mut crate::terminal::Tui,
    mut backend: Arc<dyn Backend>,
    app: &mut App,
    cfg: &RunConfig,
) -> std::io::Result<Ended> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Outcome>();
    let (switch_tx, mut switch_rx) = mpsc::unbounded_channel::<SwitchResult>();
    let mut events = EventStream::new();
    let mut signals = crate::signals::Signals::new()?;
    let mut refresh = tokio::time::interval(cfg.refresh.unwrap_or(Duration::from_secs(86_400)));
    refresh.tick().await;
    let mut housekeeping = tokio::time::interval(Duration::from_secs(1));

    for eff in app.refresh() {
        dispatch(eff, app, &backend, &tx, cfg);
    }
    let mut dirty = true;
    let mut theme = cfg.theme.clone();
    loop {
        if dirty {
            let size = terminal.size()?;
            app.set_extent(crate::ui::extent(app, &theme, size.width, size.height));
            let retired = std::mem::take(&mut app.retired);
            if retired.iter().map(Vec::len).sum::<usize>() > 10_000 {
                // Freeing a large row set takes milliseconds the key loop should not wait for.
                tokio::task::spawn_blocking(move || drop(retired));
            }
            terminal.draw(|f| crate::ui::draw(f, app, &theme))?;
            dirty = false;
        }
        let effects = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(Event::Key(k))) if k.kind != KeyEventKind::Release => { dirty = true; app.on_key(k) }
                Some(Ok(Event::Resize(..))) => { dirty = true; Vec::new() }
                Some(Ok(Event::Mouse(m))) => { dirty = true; on_mouse(app, terminal.size()?, m) }
                Some(Ok(_)) => Vec::new(),
                Some(Err(e)) => return Err(e),
                None => return Ok(Ended::Quit),
            },
            Some(outcome) = rx.recv() => { dirty = true; app.apply(outcome) }
            Some((name, result)) = switch_rx.recv() => {
                dirty = true;
                let result = result.map(|(c, operator)| {
                    backend = c.backend;
                    Switched { info: backend.info(), readonly: c.readonly, token_source: c.token_source.to_string(), operator }
                });
                app.apply(Outcome::Switched { name, result })
            }
            _ = refresh.tick(), if cfg.refresh.is_some() => { dirty = true; app.refresh() }
            _ = housekeeping.tick() => {
                if crate::terminal::hung_up() {
                    tracing::info!("the terminal hung up: leaving");
                    return Ok(Ended::Signal(1)); // as SIGHUP would
                }
                dirty |= app.expire_notices(Instant::now()) || app.writing.is_some();
                Vec::new()
            }
            n = signals.recv() => { tracing::info!(signal = n, "signal: leaving"); return Ok(Ended::Signal(n)) }
        };
        for eff in effects {
            if let Effect::Clipboard { text } = &eff {
                // OSC 52: the terminal (or tmux, or the SSH client's terminal) sets its clipboard.
                crossterm::execute!(
                    std::io::stdout(),
                    crossterm::clipboard::CopyToClipboard::to_clipboard_from(text.as_bytes())
                )?;
                continue;
            }
            if let Effect::SetTheme { name } = &eff {
                let result = crate::theme::Theme::resolve(name, crate::theme::no_color_env())
                    .map(|t| {
                        theme = t;
                        format!("theme {name}")
                    })
                    .map_err(|source| LoopError::Theme {
                        name: name.clone(),
                        source,
                    });
                dirty = true;
                let _ = tx.send(Outcome::Notice(result));
                continue;
            }
            if let Effect::SaveJson { name, text } = eff {
                let (dir, tx) = (cfg.export_dir.clone(), tx.clone());
                tokio::task::spawn_blocking(move || {
                    let path = dir.join(&name);
                    let result = crate::export::write_with_digest(&path, text.as_bytes())
                        .map(|w| format!("saved to {}", w.path.display()))
                        .map_err(|source| LoopError::Save { path, source });
                    let _ = tx.send(Outcome::Notice(result));
                });
                continue;
            }
            if let Effect::SwitchContext { name } = eff {
                let (connect, tx) = (Arc::clone(&cfg.connect), switch_tx.clone());
                tokio::task::spawn_blocking(move || {
                    let result = connect(&name);
                    let _ = tx.send((name, result));
                });
                continue;
            }
            dispatch(eff, app, &backend, &tx, cfg);
        }
        if app.quit {
            return Ok(Ended::Quit);
        }
    }
}

/// Runs one effect as a task. A routes load continues from the app's watermark (an
/// incremental refresh) and, on the first load, sends the backend's quick first page ahead.
fn dispatch(
    eff: Effect,
    app: &App,
    backend: &Arc<dyn Backend>,
    tx: &mpsc::UnboundedSender<Outcome>,
    cfg: &RunConfig,
) {
    let Effect::LoadRoutes { seq } = eff else {
        spawn(
            eff,
            backend,
            tx,
            app.operator.clone(),
            cfg.export_dir.clone(),
        );
        return;
    };
    let (since, first) = (app.routes_since(), app.routes_first_load());
    let (backend, tx) = (Arc::clone(backend), tx.clone());
    tokio::spawn(async move {
        let mut since = since;
        if first && since.is_none() {
            if let Some(page) = backend.first_routes().await {
                // A cache's page carries the mark the read from the server continues from.
                since = page.mark.clone();
                let _ = tx.send(Outcome::RouteDelta {
                    seq,
                    result: Ok(page),
                });
            }
        }
        let result = backend.route_delta(since).await;
        let _ = tx.send(Outcome::RouteDelta { seq, result });
    });
}

fn spawn(
    eff: Effect,
    backend: &Arc<dyn Backend>,
    tx: &mpsc::UnboundedSender<Outcome>,
    operator: String,
    export_dir: std::path::PathBuf,
) {
    let backend = Arc::clone(backend);
    let tx = tx.clone();
    tokio::spawn(async move {
        let outcome = run_effect(eff, backend.as_ref(), &operator, &export_dir).await;
        let _ = tx.send(outcome);
    });
}

/// Performs one effect against the backend (shared with the tests).
pub async fn run_effect(
    eff: Effect,
    backend: &dyn Backend,
    operator: &str,
    export_dir: &std::path::Path,
) -> Outcome {
    match eff {
        Effect::LoadRoutes { seq } => {
            let result = backend.routes().await;
            Outcome::Routes { seq, result }
        }
        Effect::LoadRecords { key, json } => {
            let result = backend.route_records(&key).await;
            Outcome::Records { key, json, result }
        }
        Effect::Record {
            title,
            plan,
            state,
            notes,
            external_ref,
            actors,
        } => {
            tracing::info!(
                routes = plan.routes.len(),
                state = state.as_str(),
                "recording"
            );
            let result = crate::ops::record(
                backend,
                &plan,
                state,
                operator,
                &external_ref,
                &notes,
                &actors,
            )
            .await;
            if let Err(e) = &result {
                tracing::warn!("record failed: {e}");
            }
            Outcome::Recorded {
                title,
                plan,
                result,
            }
        }
        Effect::LoadSession => Outcome::Session(backend.session().await),
        Effect::SwitchContext { .. } => Outcome::Notice(Err(LoopError::NotHere(
            "context switches are made by the event loop",
        ))),
        Effect::Clipboard { .. } | Effect::SaveJson { .. } | Effect::SetTheme { .. } => {
            Outcome::Notice(Err(LoopError::NotHere(
                "the clipboard, files and the theme are handled by the event loop",
            )))
        }
        Effect::LoadCapabilities => Outcome::Capabilities(backend.capabilities().await),
        Effect::LoadRouting { seq, query } => {
            let result = crate::pane_load::routing(backend, query).await;
            Outcome::Pane {
                pane: Pane::Routes,
                seq,
                result,
            }
        }
        Effect::Preview { title, action } => {
            let result = crate::pane_load::preview(backend, &action).await;
            Outcome::Previewed {
                title,
                action,
                result,
            }
        }
        Effect::LoadPane { pane, seq, history } => {
            let result = crate::pane_load::load_pane(backend, pane, history).await;
            Outcome::Pane { pane, seq, result }
        }
        Effect::Act {
            title,
            action,
            actors,
        } => {
            tracing::info!(action = %title, "recording");
            let pane = action.pane();
            let result = crate::actions::perform(backend, action, operator, &actors).await;
            match &result {
                Ok(acted) => tracing::info!("{}", acted.summary(&title)),
                Err(e) => tracing::warn!("{title} failed: {e}"),
            }
            Outcome::Acted {
                title,
                pane,
                result,
            }
        }
        Effect::Export { scope } => {
            let result = crate::ops::export_audit(backend, scope, operator, None, export_dir)
                .await
                .map(|done| ExportSummary {
                    path: done.written.path.display().to_string(),
                    audit_id: done
                        .package
                        .get("audit_id")
                        .and_then(|v| v.as_str())
                        .unwrap_or("")
                        .to_string(),
                    route_count: done
                        .package
                        .get("route_count")
                        .and_then(|v| v.as_u64())
                        .unwrap_or(0),
                    outstanding_count: done
                        .package
                        .get("outstanding_count")
                        .and_then(|v| v.as_u64())
                        .unwrap_or(0),
                });
            Outcome::Exported { result }
        }
    }
}

/// A mouse event: the ui says what was hit, the app acts on it.
fn on_mouse(
    app: &mut App,
    size: ratatui::layout::Size,
    m: crossterm::event::MouseEvent,
) -> Vec<Effect> {
    use crossterm::event::{MouseButton, MouseEventKind};
    match m.kind {
        MouseEventKind::ScrollDown => app.on_wheel(true),
        MouseEventKind::ScrollUp => app.on_wheel(false),
        MouseEventKind::Down(MouseButton::Left) => {
            crate::ui::hit_test(app, size.width, size.height, m.column, m.row)
                .map(|hit| app.on_click(hit))
                .unwrap_or_default()
        }
        _ => Vec::new(),
    }
}
