//! The subcommands of panes 4–6 and the routing history: the worker (dry run, Execute Retry,
//! history), retry execution approvals, connector recovery, the auditor-export retry worker,
//! archive health and its alerts, routing history and suppression trends.

use clap::{Args, Subcommand, ValueEnum};

use super::panes::{DecisionFlags, Recording};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RunKind {
    Dry,
    Live,
}

#[derive(Debug, Subcommand)]
pub enum ApprovalAction {
    /// Plan Retry Approval: one approval decision per acknowledged retry (records the plan).
    Plan {
        /// Ask for approval even for retries nobody acknowledged (the web console requires the ack).
        #[arg(long)]
        no_require_ack: bool,
        #[arg(long)]
        yes: bool,
    },
    /// Approve, deny, defer or expire one decision of an approval plan (default: the latest
    /// plan); --provider, --delivery-id and --audit-id choose the decision, whose ids are used.
    Decide {
        /// Approval plan id (default: the latest).
        #[arg(long)]
        plan: Option<String>,
        #[command(flatten)]
        pick: DecisionFlags,
        /// approved, denied, deferred or expired.
        #[arg(long, default_value = "approved")]
        state: String,
        #[command(flatten)]
        rec: Recording,
    },
}

#[derive(Debug, Subcommand)]
pub enum RecoveryAction {
    /// Recovery Playbook: providers whose deliveries failed recently (records the playbook).
    Playbook {
        #[arg(long, default_value_t = 1)]
        min_failures: u32,
        #[arg(long, default_value_t = 24)]
        lookback_hours: u32,
        #[arg(long)]
        yes: bool,
    },
    /// Close Recovery for one provider of a playbook (default: the latest playbook, its first
    /// provider), citing up to three of that provider's retry executions.
    Close {
        #[arg(long)]
        playbook: Option<String>,
        #[arg(long)]
        provider: Option<String>,
        /// resolved, mitigated, deferred, escalated or reopened.
        #[arg(long, default_value = "resolved")]
        state: String,
        /// Execution id to cite (repeat, at most 3; default: the provider's newest).
        #[arg(long = "ref", value_name = "EXECUTION_ID")]
        refs: Vec<String>,
        #[command(flatten)]
        rec: Recording,
    },
    /// The Retry Recovery report (the server records it on every request, hence --yes).
    Report {
        #[arg(long, default_value_t = 240)]
        slo: u32,
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Args)]
pub struct AuditorRunArgs {
    /// Re-send the retryable auditor exports (default: a dry run that sends nothing).
    #[arg(long)]
    pub execute: bool,
    #[arg(long, default_value_t = 5)]
    pub max_deliveries: u32,
    /// Record the run (a dry run records one too).
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct RoutingArgs {
    /// owner: (substring of owner or escalation owner) provider: action: (deliver|suppress) category: schedule:
    #[arg(long, value_name = "EXPR")]
    pub filter: Option<String>,
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
}

#[derive(Debug, Args)]
pub struct TrendArgs {
    /// owner: provider: schedule: (the trend counts suppress decisions only).
    #[arg(long, value_name = "EXPR")]
    pub filter: Option<String>,
    #[arg(long)]
    pub yes: bool,
}
