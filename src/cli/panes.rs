//! Subcommand arguments of the delivery-health panes (2-6) and of `auth`.

use clap::{Args, Subcommand};

use crate::actions::select::DecisionChoice;

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
        #[command(flatten)]
        pick: DecisionFlags,
        /// accepted, deferred, escalated, resolved or dismissed.
        #[arg(long, default_value = "accepted")]
        state: String,
        #[command(flatten)]
        rec: Recording,
    },
    /// Retry execution approvals: plan them, and approve / deny / defer / expire one.
    Approval {
        #[command(subcommand)]
        action: super::ApprovalAction,
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
    Run(super::AuditorRunArgs),
}

#[derive(Debug, Subcommand)]
pub enum WorkerAction {
    /// Run Audit Worker: --dry-run records the run and sends nothing; --execute (Execute
    /// Retry) re-sends the approved retries (preview without --yes).
    #[command(group(clap::ArgGroup::new("mode").required(true).args(["dry_run", "execute"])))]
    Run {
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        execute: bool,
        #[arg(long, default_value_t = 30)]
        interval: u32,
        #[arg(long, default_value_t = 5)]
        max_deliveries: u32,
        /// Record without asking (required: a dry run records a worker run; --execute sends).
        #[arg(long)]
        yes: bool,
    },
    /// The worker's run history, newest first.
    Runs {
        /// Only dry runs or only live runs.
        #[arg(long, value_enum)]
        only: Option<super::RunKind>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        offset: usize,
    },
    /// The worker dashboard (runs, dry runs, executed, retryable, selected).
    Dashboard,
    /// Worker health: missed runs, stale metadata, failures, alerts.
    Health {
        #[arg(long, default_value_t = 30)]
        interval: u32,
        #[arg(long, default_value_t = 120)]
        stale: u32,
    },
    /// Worker-health alerts.
    Alert {
        #[command(subcommand)]
        action: AlertAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum AlertAction {
    /// Send an alert (Send Worker Alert, or Send Archive Alert under `archive alert`) to a
    /// provider (or a comma list, or all).
    Send {
        /// Destination: one provider, a comma list, or all.
        #[arg(long, default_value = crate::actions::defaults::ALERT_PROVIDER)]
        provider: String,
        /// Suppression window in minutes (default: the server's, 60).
        #[arg(long)]
        window: Option<u32>,
        /// Skip providers already alerted for this health inside the window (the web
        /// console sends force: true, so by default nobody is skipped).
        #[arg(long)]
        no_force: bool,
        #[arg(long)]
        yes: bool,
    },
    /// Acknowledge an outstanding alert: the one named by --health-id/--provider (its own
    /// plan), or the first outstanding one.
    Ack {
        #[arg(long)]
        health_id: Option<String>,
        #[arg(long)]
        provider: Option<String>,
        #[arg(long)]
        plan_id: Option<String>,
        /// acknowledged, dismissed, escalated or resolved.
        #[arg(long, default_value = "acknowledged")]
        state: String,
        #[command(flatten)]
        rec: Recording,
    },
    /// Alert history (plans, deliveries, acknowledgements).
    List {
        #[arg(long)]
        health_id: Option<String>,
        #[arg(long)]
        provider: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// The alert dashboard.
    Dashboard,
}

#[derive(Debug, Subcommand)]
pub enum ArchiveAction {
    /// Archive-reference health; --record stores the report (with --yes).
    Health {
        #[arg(long)]
        record: bool,
        #[arg(long)]
        yes: bool,
        /// Do not alert on a missing archive_hash.
        #[arg(long)]
        no_hash: bool,
        /// Do not alert on a missing retention_until.
        #[arg(long)]
        no_retention: bool,
    },
    /// Archive health alerts: send, ack, list, dashboard.
    Alert {
        #[command(subcommand)]
        action: AlertAction,
    },
}

/// The flags that choose one decision of a plan (retry or approval): each narrows the choice.
#[derive(Debug, Args)]
pub struct DecisionFlags {
    #[arg(long)]
    pub provider: Option<String>,
    #[arg(long)]
    pub delivery_id: Option<String>,
    #[arg(long)]
    pub audit_id: Option<String>,
}

impl DecisionFlags {
    /// The choice the flags name.
    pub fn choice(&self) -> DecisionChoice<'_> {
        DecisionChoice {
            provider: self.provider.as_deref(),
            delivery_id: self.delivery_id.as_deref(),
            audit_id: self.audit_id.as_deref(),
        }
    }
}

/// What every recording subcommand ends with: a note, an external reference, and `--yes`.
#[derive(Debug, Args)]
pub struct Recording {
    /// Operator notes recorded with the evidence.
    #[arg(long)]
    pub note: Option<String>,
    /// External reference (change ticket, incident).
    #[arg(long, value_name = "REF")]
    pub external_ref: Option<String>,
    /// Record without asking (required: there is no prompt outside the TUI).
    #[arg(long)]
    pub yes: bool,
}

impl Recording {
    /// The note and the external reference (empty when not given).
    pub fn texts(self) -> (String, String) {
        (
            self.note.unwrap_or_default(),
            self.external_ref.unwrap_or_default(),
        )
    }
}
