//! Command-line interface: with no subcommand the TUI starts; subcommands act without a TTY.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod more;
pub use more::*;

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
    /// Context from the config (`sample` is always one).
    #[arg(long, global = true, value_name = "NAME")]
    pub context: Option<String>,
    /// A CAVRA API base URL for this run (overrides --context; env CAVRA_API_URL when neither is given).
    #[arg(long, global = true, value_name = "URL")]
    pub api: Option<String>,
    /// Allow plain http:// to a non-loopback server (the token would cross the network unencrypted).
    #[arg(long, global = true)]
    pub allow_insecure_http: bool,
}

impl GlobalArgs {
    pub fn choice(&self) -> crate::context::Choice {
        crate::context::Choice {
            api: self.api.clone(),
            context: self.context.clone(),
            allow_insecure_http: self.allow_insecure_http,
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
}

#[derive(Debug, Subcommand)]
pub enum AuthAction {
    /// Context, token source and fingerprint (never the token), and the session the server reports.
    Status,
}

#[derive(Debug, Subcommand)]
pub enum AuditAction {
    /// Deliver Ack Audit: package for the filter's scope, plan, and deliver to --provider.
    Deliver {
        /// Destination: splunk, sentinel, datadog, jira, servicenow, slack, teams, webhook, a comma list, or all.
        #[arg(long)]
        provider: String,
        #[arg(long, value_name = "EXPR")]
        filter: Option<String>,
        #[arg(long, default_value = "on_demand")]
        cadence: String,
        #[arg(long, default_value = "evidence-console")]
        schedule_ref: String,
        #[arg(long)]
        yes: bool,
    },
}

/// The retry policy flags (defaults as the web console's).
#[derive(Debug, Args, Clone)]
pub struct PolicyArgs {
    #[arg(long, default_value_t = 3)]
    pub max_attempts: u32,
    /// Base delay in minutes (0 needs --immediate).
    #[arg(long, default_value_t = 15.0)]
    pub delay: f64,
    #[arg(long)]
    pub immediate: bool,
    #[arg(long, default_value_t = 2.0)]
    pub multiplier: f64,
}

#[derive(Debug, Subcommand)]
pub enum RetryAction {
    /// Plan Audit Retry: group failed audit deliveries and decide retry / wait / suppress.
    Plan {
        #[command(flatten)]
        policy: PolicyArgs,
        #[arg(long)]
        yes: bool,
    },
    /// Ack Retry: record a decision of a plan (default: the latest plan); --provider,
    /// --delivery-id and --audit-id choose the decision, whose ids are then used.
    Ack {
        /// Retry plan id (default: the latest).
        #[arg(long)]
        plan: Option<String>,
        #[arg(long)]
        provider: Option<String>,
        #[arg(long)]
        delivery_id: Option<String>,
        #[arg(long)]
        audit_id: Option<String>,
        /// accepted, deferred, escalated, resolved or dismissed.
        #[arg(long, default_value = "accepted")]
        state: String,
        #[arg(long)]
        note: Option<String>,
        #[arg(long, value_name = "REF")]
        external_ref: Option<String>,
        #[arg(long)]
        yes: bool,
    },
    /// Retry execution approvals: plan them, and approve / deny / defer / expire one.
    Approval {
        #[command(subcommand)]
        action: ApprovalAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditorRetryAction {
    /// Plan Auditor Retry.
    Plan {
        #[command(flatten)]
        policy: PolicyArgs,
        #[arg(long)]
        yes: bool,
    },
    /// Run Auditor Retry: the auditor-export retry worker (a dry run unless --execute).
    Run(AuditorRunArgs),
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
    /// Write a large deterministic store for scale tests (replaces the store's records).
    Generate {
        /// Drill routes (8 per schedule).
        #[arg(long, default_value_t = 100_000)]
        routes: usize,
        /// History records in all (plans, acknowledgements, deliveries, ...).
        #[arg(long, default_value_t = 1_000_000)]
        history: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Do it without asking when the store already holds records.
        #[arg(long)]
        yes: bool,
    },
    /// Delete every record and reseed the scenario, with ages relative to now.
    Reset {
        /// Do it without asking.
        #[arg(long)]
        yes: bool,
    },
    /// Check the store's integrity (`PRAGMA integrity_check`): exit 0 when sound, 1 with the
    /// problems found. Reads only.
    Check,
}
