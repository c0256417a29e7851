//! Non-interactive subcommands: the same operations as the TUI, for scripts on bastions.

pub mod acted;
pub mod actions;
pub mod alerts;
pub mod approval;
pub mod auth;
pub mod cache;
pub mod delivery;
pub mod execution;
pub mod manual;
pub mod output;
pub mod retry;
pub mod routes;
pub mod routing;
pub mod sample;
pub mod worker;

use std::path::PathBuf;

use crate::cli::{Command, GlobalArgs, OutputFormat};
use crate::config::Config;

/// Exit code when a write's answer was lost and the server could not be re-read, or the
/// answer does not say whether a delivery went out (a delivery result that is not a boolean,
/// an unreadable execution status).
pub const EXIT_OUTCOME_UNKNOWN: u8 = 4;

/// What every command needs: the backend, who is acting, where exports go, how to print.
pub struct Context {
    pub backend: std::sync::Arc<dyn crate::backend::Backend>,
    /// The name sent as `acknowledged_by` / `generated_by`.
    pub operator: String,
    /// The actor the server verified (it records that name instead, CONTRACT §2.3).
    pub verified_actor: Option<String>,
    pub export_dir: PathBuf,
    pub output: OutputFormat,
}

impl Context {
    /// The name our records carry: the verified actor, else the operator.
    pub fn acting_as(&self) -> &str {
        self.verified_actor.as_deref().unwrap_or(&self.operator)
    }

    /// The names a stored record of ours may carry (for re-reads after a lost answer).
    pub fn actors(&self) -> Vec<String> {
        let mut out = vec![self.operator.clone()];
        out.extend(
            self.verified_actor
                .iter()
                .filter(|a| **a != self.operator)
                .cloned(),
        );
        out
    }
}

/// A command failure: the message for stderr and the exit code.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub code: u8,
}

/// `--provider` of a sending command: one provider, a comma list, or `all`, checked before
/// anything is sent (the rule the console's dialogs use too).
pub fn checked_destination(typed: &str) -> Result<String, Failure> {
    crate::domain::provider::destination(typed).map_err(|e| Failure {
        message: format!("--provider: {e}: nothing was sent"),
        code: 2,
    })
}

impl Failure {
    pub fn new(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: 1,
        }
    }

    /// The same failure, its exit code kept, with `context` said before its message.
    pub fn context(self, context: &str) -> Failure {
        Failure {
            message: format!("{context}: {}", self.message),
            code: self.code,
        }
    }
}

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure::new(e.to_string())
    }
}

/// Runs a subcommand; returns the exit code.
pub async fn run(cmd: Command, global: &GlobalArgs, config: &Config) -> Result<u8, Failure> {
    if let Some(code) = manual::run(&cmd) {
        return Ok(code);
    }
    if let Command::Cache { action } = cmd {
        return cache::run(action, &crate::paths::cache_dir());
    }
    let db = crate::setup::db_path(global, config);
    if let Command::Sample { action } = cmd {
        let sample = crate::context::Target::Sample {
            readonly: global.readonly
                || config
                    .contexts
                    .get(crate::context::SAMPLE)
                    .is_some_and(|c| c.readonly),
        };
        if sample_writes(&action) {
            refuse_if_readonly(global, &sample)?;
        }
        return sample::run(action, &db).await;
    }
    let target = crate::context::choose(&global.choice(), config).map_err(|e| Failure {
        message: e.to_string(),
        code: 2,
    })?;
    if matches!(cmd, Command::Login | Command::Logout | Command::Auth { .. }) {
        return auth::run(cmd, &target, global, config).await;
    }
    if records(&cmd) {
        refuse_if_readonly(global, &target)?;
    }
    let connected = crate::connect::connect(&target, &db).await?;
    if let Some(w) = &connected.warning {
        crate::errln!("warning: {w}");
    }
    // A write asks the server who we are first: it refuses early when the server would, and
    // names the actor the server will record.
    let mut verified_actor = None;
    if records(&cmd) && matches!(target, crate::context::Target::Remote(_)) {
        let session = connected.backend.session().await?;
        if let Some(reason) = session.blocked_reason() {
            return Err(Failure::new(format!("recording is not possible: {reason}")));
        }
        verified_actor = session.verified_actor().map(str::to_string);
    }
    let ctx = Context {
        backend: connected.backend,
        verified_actor,
        operator: crate::setup::operator(global, config, &target),
        export_dir: crate::setup::export_dir(config),
        output: output::resolve(global.output),
    };
    match cmd {
        Command::Routes { filter } => routes::list(&ctx, filter.as_deref()).await,
        Command::Ack(a) => {
            actions::route_action(&ctx, a, crate::domain::ack::AckState::Acknowledged).await
        }
        Command::Escalate(a) => {
            actions::route_action(&ctx, a, crate::domain::ack::AckState::Escalated).await
        }
        Command::Resolve(a) => {
            actions::route_action(&ctx, a, crate::domain::ack::AckState::Resolved).await
        }
        Command::Dismiss(a) => {
            actions::route_action(&ctx, a, crate::domain::ack::AckState::Dismissed).await
        }
        Command::Bulk { action } => actions::bulk(&ctx, action).await,
        Command::ExportAudit { filter, out, yes } => {
            delivery::need_yes(yes, "export-audit")?;
            actions::export_audit(&ctx, filter.as_deref(), out).await
        }
        Command::Dashboard => delivery::dashboard(&ctx).await,
        Command::Deliver {
            provider,
            force,
            yes,
        } => delivery::deliver(&ctx, provider, force, yes).await,
        Command::History {
            filter,
            limit,
            offset,
        } => delivery::history(&ctx, filter.as_deref(), limit, offset).await,
        Command::Audit { action } => delivery::audit(&ctx, action).await,
        Command::Retry { action } => retry::retry(&ctx, action).await,
        Command::AuditorRetry { action } => retry::auditor(&ctx, action).await,
        Command::Worker { action } => worker::worker(&ctx, action).await,
        Command::Archive { action } => worker::archive(&ctx, action).await,
        Command::Recovery { action } => approval::recovery(&ctx, action).await,
        Command::Routing(a) => routing::routing(&ctx, a).await,
        Command::SuppressionTrends(a) => routing::trends(&ctx, a).await,
        Command::Sample { .. }
        | Command::Cache { .. }
        | Command::Login
        | Command::Logout
        | Command::Auth { .. }
        | Command::Completions { .. }
        | Command::Man => unreachable!("handled above"),
    }
}

/// Refuses (exit 2) when `target` is read-only, naming `--readonly` or the config key.
fn refuse_if_readonly(global: &GlobalArgs, target: &crate::context::Target) -> Result<(), Failure> {
    match crate::context::readonly_reason(&global.choice(), target) {
        None => Ok(()),
        Some(why) => Err(Failure {
            message: format!(
                "context {} is read-only ({why}): this command records evidence; nothing was recorded",
                target.name()
            ),
            code: 2,
        }),
    }
}

/// Does this `sample` action write to the store (refused when read-only)?
fn sample_writes(action: &crate::cli::SampleAction) -> bool {
    use crate::cli::SampleAction;
    match action {
        SampleAction::Generate { .. } | SampleAction::Reset { .. } => true,
        SampleAction::Check => false,
    }
}

/// Does this command record evidence (refused on read-only contexts)? Every arm is named,
/// so a new subcommand has to be classified here.
pub fn records(cmd: &Command) -> bool {
    use crate::cli::{AlertAction, ArchiveAction, WorkerAction};
    match cmd {
        Command::Ack(_) | Command::Escalate(_) | Command::Resolve(_) | Command::Dismiss(_) => true,
        Command::Bulk { .. }
        | Command::ExportAudit { .. }
        | Command::Audit { .. }
        | Command::Deliver { .. } => true,
        Command::Retry { .. } | Command::AuditorRetry { .. } => true,
        Command::Worker { action } => match action {
            WorkerAction::Run { .. } => true,
            WorkerAction::Alert { action } => {
                matches!(action, AlertAction::Send { .. } | AlertAction::Ack { .. })
            }
            WorkerAction::Health { .. } | WorkerAction::Runs { .. } | WorkerAction::Dashboard => {
                false
            }
        },
        Command::Archive {
            action: ArchiveAction::Health { record, .. },
        } => *record,
        Command::Archive {
            action: ArchiveAction::Alert { action },
        } => matches!(action, AlertAction::Send { .. } | AlertAction::Ack { .. }),
        Command::Recovery { .. } | Command::SuppressionTrends(_) => true,
        Command::Sample { action } => sample_writes(action),
        Command::Routes { .. }
        | Command::Routing(_)
        | Command::Cache { .. }
        | Command::Dashboard
        | Command::History { .. }
        | Command::Login
        | Command::Logout
        | Command::Auth { .. }
        | Command::Completions { .. }
        | Command::Man => false,
    }
}
