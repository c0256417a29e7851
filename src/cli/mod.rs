//! Command-line interface: with no subcommand the TUI starts; subcommands act without a TTY.

mod cache;
mod more;
mod panes;
mod routes;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use cache::CacheAction;
pub use more::{ApprovalAction, AuditorRunArgs, RecoveryAction, RoutingArgs, RunKind, TrendArgs};
pub use panes::{
    AlertAction, ArchiveAction, AuditAction, AuditorRetryAction, AuthAction, PolicyArgs, Recording,
    RetryAction, WorkerAction,
};
pub use routes::{BulkAction, BulkArgs, RouteAction, SampleAction};

use crate::theme::ColourDepth;

#[derive(Debug, Parser)]
#[command(
    name = "cavra-tui",
    version,
    about = "Terminal operator console for CAVRA rollback drill governance",
    long_about = "Terminal operator console for CAVRA rollback drill governance.\n\n\
        With no subcommand, opens the interactive console. With no remote context it runs in\n\
        sample mode on a local SQLite store seeded with a realistic scenario.",
    after_help = "Filter syntax (--filter and the console's `/`): field:value tokens and free text.\n\
        Fields: owner (substring), provider, state (outstanding|breached|acknowledged|escalated|\n\
        resolved|dismissed), action (deliver|suppress), category, schedule.\n\
        Example: --filter 'owner:payments state:breached'\n\n\
        Exit codes: 0 ok, 1 error, 2 usage (or a write refused by --readonly), 3 bulk action\n\
        partly recorded, 4 outcome unknown."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    /// Print the default config file (with every key binding) and exit.
    #[arg(long)]
    pub print_default_config: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// Sample store file (default: the data dir's sample.db).
    #[arg(long, global = true, env = "CAVRA_TUI_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Config file (default: the config dir's config.toml).
    #[arg(long, global = true, env = "CAVRA_TUI_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Operator name recorded on actions (overrides the config).
    #[arg(long, global = true, value_name = "NAME")]
    pub operator: Option<String>,
    /// Output format for subcommands (default: table on a terminal, json otherwise).
    #[arg(long, global = true, value_enum)]
    pub output: Option<OutputFormat>,
    /// Context from the config (`sample` is always one).
    #[arg(long, global = true, value_name = "NAME")]
    pub context: Option<String>,
    /// A CAVRA API base URL for this run (overrides --context; env CAVRA_API_URL when neither is given).
    #[arg(long, global = true, value_name = "URL")]
    pub api: Option<String>,
    /// Allow plain http:// to a non-loopback server (the token would cross the network unencrypted).
    #[arg(long, global = true)]
    pub allow_insecure_http: bool,
    /// Read-only for any context, sample included: mutating keys are hidden and subcommands
    /// that record evidence are refused (exit 2).
    #[arg(long, global = true, env = "CAVRA_TUI_READONLY")]
    pub readonly: bool,
    /// Colours the terminal takes (default: detected from COLORTERM and TERM, or the config's
    /// `colour_depth`): theme colours are brought down to this depth.
    #[arg(long, global = true, value_enum, value_name = "DEPTH")]
    pub colour_depth: Option<ColourDepth>,
    /// Draw with ASCII only (automatic when the locale is not UTF-8, e.g. LANG=C).
    #[arg(long, global = true)]
    pub ascii: bool,
    /// Turn the mouse on: click selects, the wheel scrolls, a click on a tab switches pane.
    #[arg(long, global = true)]
    pub mouse: bool,
    /// Neither read nor write the local cache of a server's routes (the console waits for the server).
    #[arg(long, global = true, env = "CAVRA_TUI_NO_CACHE")]
    pub no_cache: bool,
}

impl GlobalArgs {
    pub fn choice(&self) -> crate::context::Choice {
        crate::context::Choice {
            api: self.api.clone(),
            context: self.context.clone(),
            allow_insecure_http: self.allow_insecure_http,
            readonly: self.readonly,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List drill routes (state, age / SLO, breach, recommended action).
    Routes {
        /// Filter expression, as the console's `/`.
        #[arg(long, value_name = "EXPR")]
        filter: Option<String>,
    },
    /// Acknowledge routes.
    Ack(RouteAction),
    /// Escalate routes.
    Escalate(RouteAction),
    /// Resolve routes.
    Resolve(RouteAction),
    /// Dismiss routes.
    Dismiss(RouteAction),
    /// Bulk actions over the filtered routes (preview with --dry-run, record with --yes).
    Bulk {
        #[command(subcommand)]
        action: BulkAction,
    },
    /// Build, record and save an acknowledgement audit package for the filter's scope.
    ExportAudit {
        /// Scope: the filter's owner, provider and schedule fields.
        #[arg(long, value_name = "EXPR")]
        filter: Option<String>,
        /// Output file (default: a new file in the export dir).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Record the package (required: it is stored as evidence before the file is written).
        #[arg(long)]
        yes: bool,
    },
    /// Store a bearer token for a remote context in the OS keyring (read from a no-echo prompt, or stdin).
    Login,
    /// Delete the context's token from the OS keyring.
    Logout,
    /// Credentials and session.
    Auth {
        #[command(subcommand)]
        action: AuthAction,
    },
    /// The local cache of servers' routes (`cache clear` deletes it).
    Cache {
        #[command(subcommand)]
        action: CacheAction,
    },
    /// Manage the sample store.
    Sample {
        #[command(subcommand)]
        action: SampleAction,
    },
    /// Plan and send drill notifications from the server's schedule (CONTRACT §4.3; remote contexts only).
    Deliver {
        /// Provider, comma list, or all.
        #[arg(long, default_value = "all")]
        provider: String,
        /// Deliver even when the schedule is healthy.
        #[arg(long)]
        force: bool,
        #[arg(long)]
        yes: bool,
    },
    /// The delivery-health dashboard (pane 2).
    Dashboard,
    /// The notification history (pane 3), newest first.
    History {
        /// source: provider: (or siem|itsm|chatops|webhook) state: kind: success: level: audit: delivery: cadence: schedule:
        #[arg(long, value_name = "EXPR")]
        filter: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        offset: usize,
    },
    /// Acknowledgement audit delivery.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Acknowledgement audit retry plans and retry decisions (pane 4).
    Retry {
        #[command(subcommand)]
        action: RetryAction,
    },
    /// The audit retry worker, its health and its alerts (pane 5).
    Worker {
        #[command(subcommand)]
        action: WorkerAction,
    },
    /// Retry plans for failed final auditor export deliveries (pane 4).
    AuditorRetry {
        #[command(subcommand)]
        action: AuditorRetryAction,
    },
    /// Archive-reference health of verified auditor exports, and archive alerts (pane 6).
    Archive {
        #[command(subcommand)]
        action: ArchiveAction,
    },
    /// Connector recovery: playbook, closure, and the Retry Recovery report (pane 4).
    Recovery {
        #[command(subcommand)]
        action: RecoveryAction,
    },
    /// The routing history: every deliver and suppress decision of every plan.
    Routing(RoutingArgs),
    /// Record the suppression trend of the routing filter (the server stores it).
    SuppressionTrends(TrendArgs),
    /// Print a shell completion script to stdout (e.g. `cavra-tui completions bash >
    /// ~/.local/share/bash-completion/completions/cavra-tui`).
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) to stdout (e.g. `cavra-tui man | man -l -`).
    Man,
}

/// The clap command tree (for completions and the man page).
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}
