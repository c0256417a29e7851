//! Subcommand arguments of the routes pane (route actions, bulk) and of `sample`.

use clap::{Args, Subcommand};

use super::panes::Recording;

#[derive(Debug, Args)]
pub struct RouteAction {
    /// Route as SCHEDULE_ID/PROVIDER; repeat for several.
    #[arg(long = "route", value_name = "SCHEDULE_ID/PROVIDER", required = true)]
    pub routes: Vec<String>,
    #[command(flatten)]
    pub rec: Recording,
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
    #[command(flatten)]
    pub rec: Recording,
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
