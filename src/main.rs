//! The `cavra-tui` binary: parse the command line, load config, run the TUI or a subcommand.

use std::io::IsTerminal;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;

use cavra_tui::app::App;
use cavra_tui::cli::Cli;
use cavra_tui::config::{Config, Loaded, default_config_text};
use cavra_tui::connect::{connect_cached, connect_off_thread};
use cavra_tui::context::Target;
use cavra_tui::keymap::Keymap;
use cavra_tui::theme::{Theme, no_color_env};
use cavra_tui::{commands, logging, paths, tui};

fn main() -> ExitCode {
    cavra_tui::memory::no_huge_pages();
    cavra_tui::terminal::install_panic_hook();
    let cli = Cli::parse();
    if cli.print_default_config {
        cavra_tui::out!(
            "{}",
            default_config_text(&Keymap::default().config_section())
        );
        return ExitCode::SUCCESS;
    }
    // Completions and the man page need no config (a broken one must not stop them).
    if let Some(code) = cli.command.as_ref().and_then(commands::manual::run) {
        return ExitCode::from(code);
    }
    let config_path = cli.global.config.clone().unwrap_or_else(paths::config_file);
    let loaded = match Config::load(&config_path) {
        Ok(l) => l,
        Err(e) => {
            cavra_tui::errln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    if let Err(e) = logging::init(&paths::log_file()) {
        cavra_tui::errln!("warning: {e}; continuing without a log file");
    }
    for w in &loaded.warnings {
        cavra_tui::errln!("warning: {}: {w}", config_path.display());
        tracing::warn!("{w}");
    }
    cavra_tui::domain::time::set_zone(loaded.config.time_zone);
    cavra_tui::theme::depth::set_current(
        cli.global
            .colour_depth
            .or(loaded.config.colour_depth)
            .unwrap_or_else(cavra_tui::theme::depth::detect_env),
    );
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            cavra_tui::errln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let code = match cli.command {
        Some(cmd) => runtime.block_on(async {
            match commands::run(cmd, &cli.global, &loaded.config).await {
                Ok(code) => code,
                Err(f) => {
                    cavra_tui::errln!("error: {}", f.message);
                    f.code
                }
            }
        }),
        None => runtime.block_on(run_tui(&cli, loaded)),
    };
    ExitCode::from(code)
}

async fn run_tui(cli: &Cli, loaded: Loaded) -> u8 {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        cavra_tui::errln!(
            "error: the console needs a terminal; use a subcommand (see --help) in scripts"
        );
        return 2;
    }
    let config = loaded.config;
    let (theme, theme_error) = match Theme::resolve(&config.theme, no_color_env()) {
        Ok(t) => (t, None),
        Err(e) => (
            Theme::dark(),
            Some(format!("theme: {e}; using the dark theme")),
        ),
    };
    let (keymap, key_warnings) = Keymap::with_overrides(&config.keys);
    let db = cavra_tui::setup::db_path(&cli.global, &config);
    let target = match cavra_tui::context::choose(&cli.global.choice(), &config) {
        Ok(t) => t,
        Err(e) => {
            cavra_tui::errln!("error: {e}");
            return 2;
        }
    };
    let cache_dir = (!cli.global.no_cache).then(paths::cache_dir);
    let connected = match connect_off_thread(&target, &db, cache_dir.as_deref()).await {
        Ok(c) => c,
        Err(e) => {
            cavra_tui::errln!("error: {e}");
            return 1;
        }
    };
    tracing::info!(
        context = %target.name(),
        theme = %theme.name,
        colour_depth = cavra_tui::theme::depth::current().label(),
        readonly = target.readonly(),
        "console starting"
    );
    let operator = cavra_tui::setup::operator(&cli.global, &config, &target);
    let backend = Arc::clone(&connected.backend);
    let mut app = App::new(backend.info(), operator, keymap);
    app.readonly = connected.readonly;
    app.token_source = connected.token_source.to_string();
    app.contexts = cavra_tui::context::names(&config);
    if let Target::Remote(r) = &target {
        if !app.contexts.contains(&r.name) {
            app.contexts.push(r.name.clone());
        }
    }
    if let Some(w) = connected.warning {
        app.error(w);
    }
    for w in loaded.warnings.iter().chain(key_warnings.iter()) {
        app.error(format!("config: {w}"));
    }
    if let Some(e) = theme_error {
        tracing::warn!("{e}");
        app.error(e);
    }
    let switch_config = config.clone();
    let insecure = cli.global.allow_insecure_http;
    let readonly = cli.global.readonly;
    let switch_db = db.clone();
    let switch_cache = cache_dir.clone();
    let run = tui::RunConfig {
        theme,
        refresh: (config.refresh_seconds > 0).then(|| Duration::from_secs(config.refresh_seconds)),
        export_dir: cavra_tui::setup::export_dir(&config),
        ascii: cli.global.ascii || config.ascii || cavra_tui::ascii::locale_is_ascii(),
        mouse: cli.global.mouse || config.mouse,
        connect: Arc::new(move |name: &str| {
            let choice = cavra_tui::context::Choice {
                api: None,
                context: Some(name.to_string()),
                allow_insecure_http: insecure,
                readonly,
            };
            let target = cavra_tui::context::choose(&choice, &switch_config)?;
            let operator = cavra_tui::setup::context_operator(&target);
            let cached = switch_cache.as_deref();
            Ok((connect_cached(&target, &switch_db, cached)?, operator))
        }),
    };
    match tui::run(backend, app, run).await {
        Ok(ended) => ended.exit_code(),
        Err(e) => {
            cavra_tui::errln!("error: terminal: {e}");
            1
        }
    }
}
