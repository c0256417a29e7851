//! Command-line interface: with no subcommand the TUI starts; subcommands act without a TTY.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
        Exit codes: 0 ok, 1 error, 2 usage, 3 bulk action partly recorded."
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
    },
    /// Manage the sample store.
    Sample {
        #[command(subcommand)]
        action: SampleAction,
    },
}

#[derive(Debug, Args)]
pub struct RouteAction {
    /// Route as SCHEDULE_ID/PROVIDER; repeat for several.
    #[arg(long = "route", value_name = "SCHEDULE_ID/PROVIDER", required = true)]
    pub routes: Vec<String>,
    /// Operator notes recorded with the acknowledgement.
    #[arg(long)]
    pub note: Option<String>,
    /// External reference (change ticket, incident).
    #[arg(long, value_name = "REF")]
    pub external_ref: Option<String>,
    /// Record without asking (required: there is no prompt outside the TUI).
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Subcommand)]
pub enum BulkAction {
    /// Acknowledge every outstanding route in the filter.
    AckOutstanding(BulkArgs),
    /// Escalate every breached route in the filter (skipping ones already escalated).
    EscalateBreached(BulkArgs),
}

#[derive(Debug, Args)]
pub struct BulkArgs {
    #[arg(long, value_name = "EXPR")]
    pub filter: Option<String>,
    /// Show the preview and record nothing.
    #[arg(long, conflicts_with = "yes")]
    pub dry_run: bool,
    /// Record.
    #[arg(long)]
    pub yes: bool,
    #[arg(long)]
    pub note: Option<String>,
    #[arg(long, value_name = "REF")]
    pub external_ref: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum SampleAction {
    /// Delete every record and reseed the scenario, with ages relative to now.
    Reset {
        /// Do it without asking.
        #[arg(long)]
        yes: bool,
    },
}
