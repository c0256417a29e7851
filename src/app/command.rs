//! The `:` command line, as in k9s: every action by name (`:ack`, `:bulk-ack`, `:export`,
//! `:history`, `:ctx NAME`, `:filter EXPR`, `:theme light`, `:q` …) with tab completion and a
//! history of the commands run (↑/↓).

use crate::keymap::Action;
use crate::pane::Pane;

/// What a command does.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// A key action, on the pane it belongs to (switching there first).
    Act(Option<Pane>, Action),
    /// Connect to a context.
    Context(String),
    /// Set the filter of the pane on screen.
    Filter(String),
    /// Switch the theme.
    Theme(String),
}

/// Every command: its name, whether it takes an argument, and what it does.
const COMMANDS: &[(&str, &str, Option<Pane>, Option<Action>)] = &[
    (
        "ack",
        "acknowledge the cursor row or selection",
        Some(Pane::Routes),
        Some(Action::Acknowledge),
    ),
    (
        "escalate",
        "escalate the cursor row or selection",
        Some(Pane::Routes),
        Some(Action::Escalate),
    ),
    (
        "resolve",
        "resolve the cursor row or selection",
        Some(Pane::Routes),
        Some(Action::Resolve),
    ),
    (
        "dismiss",
        "dismiss the cursor row or selection",
        Some(Pane::Routes),
        Some(Action::Dismiss),
    ),
    (
        "bulk-ack",
        "Bulk Ack Outstanding over the filter",
        Some(Pane::Routes),
        Some(Action::BulkAckOutstanding),
    ),
    (
        "bulk-escalate",
        "Bulk Escalate Breached over the filter",
        Some(Pane::Routes),
        Some(Action::BulkEscalateBreached),
    ),
    (
        "export",
        "Export Ack Audit for the filter's scope",
        Some(Pane::Routes),
        Some(Action::ExportAudit),
    ),
    (
        "deliver-audit",
        "Deliver Ack Audit",
        Some(Pane::History),
        Some(Action::DeliverAudit),
    ),
    (
        "plan-retry",
        "Plan Audit Retry",
        Some(Pane::Retry),
        Some(Action::PlanAuditRetry),
    ),
    (
        "plan-auditor-retry",
        "Plan Auditor Retry",
        Some(Pane::Retry),
        Some(Action::PlanAuditorRetry),
    ),
    (
        "ack-retry",
        "Ack Retry on the cursor's decision",
        Some(Pane::Retry),
        Some(Action::AckRetry),
    ),
    (
        "run-worker",
        "Run Audit Worker (dry run)",
        Some(Pane::Worker),
        Some(Action::RunWorker),
    ),
    (
        "send-alert",
        "Send Worker Alert",
        Some(Pane::Worker),
        Some(Action::SendWorkerAlert),
    ),
    (
        "ack-alert",
        "acknowledge the cursor's worker alert",
        Some(Pane::Worker),
        Some(Action::AckWorkerAlert),
    ),
    (
        "check-archive",
        "record an archive-health report",
        Some(Pane::Archive),
        Some(Action::CheckArchive),
    ),
    (
        "routing",
        "pane 1: routing history on/off (the routes filter's owner, provider, action, category, schedule)",
        Some(Pane::Routes),
        Some(Action::ToggleView),
    ),
    (
        "suppression-trend",
        "record a suppression trend for the routes filter",
        Some(Pane::Routes),
        Some(Action::RecordSuppressionTrend),
    ),
    (
        "plan-approval",
        "Plan Retry Approval",
        Some(Pane::Retry),
        Some(Action::PlanRetryApproval),
    ),
    (
        "decide-retry",
        "approve / deny / defer / expire the cursor's retry execution",
        Some(Pane::Retry),
        Some(Action::DecideRetry),
    ),
    (
        "recovery-playbook",
        "Recovery Playbook",
        Some(Pane::Retry),
        Some(Action::RecoveryPlaybook),
    ),
    (
        "close-recovery",
        "Close Recovery of the cursor's provider",
        Some(Pane::Retry),
        Some(Action::CloseRecovery),
    ),
    (
        "recovery-report",
        "record the Retry Recovery report",
        Some(Pane::Retry),
        Some(Action::RecoveryReport),
    ),
    (
        "execute-retry",
        "Execute Retry (preview first)",
        Some(Pane::Worker),
        Some(Action::ExecuteRetry),
    ),
    (
        "worker-runs",
        "pane 5: worker runs / alerts owed",
        Some(Pane::Worker),
        Some(Action::ToggleView),
    ),
    (
        "auditor-retry",
        "Run Auditor Retry worker (dry run)",
        Some(Pane::Archive),
        Some(Action::AuditorRetryDryRun),
    ),
    (
        "auditor-retry-execute",
        "Run Auditor Retry worker (execute)",
        Some(Pane::Archive),
        Some(Action::AuditorRetryExecute),
    ),
    (
        "send-archive-alert",
        "Send Archive Alert",
        Some(Pane::Archive),
        Some(Action::SendArchiveAlert),
    ),
    (
        "ack-archive-alert",
        "acknowledge the cursor's owed archive alert",
        Some(Pane::Archive),
        Some(Action::AckArchiveAlert),
    ),
    (
        "archive-alerts",
        "pane 6: next list (health alerts, alerts owed, alert history)",
        Some(Pane::Archive),
        Some(Action::ToggleView),
    ),
    (
        "routes",
        "pane 1: drill routes",
        None,
        Some(Action::GoTo(Pane::Routes)),
    ),
    (
        "health",
        "pane 2: delivery health",
        None,
        Some(Action::GoTo(Pane::Health)),
    ),
    (
        "history",
        "pane 3: history",
        None,
        Some(Action::GoTo(Pane::History)),
    ),
    (
        "retry",
        "pane 4: retry plans",
        None,
        Some(Action::GoTo(Pane::Retry)),
    ),
    (
        "worker",
        "pane 5: worker health",
        None,
        Some(Action::GoTo(Pane::Worker)),
    ),
    (
        "archive",
        "pane 6: archive health",
        None,
        Some(Action::GoTo(Pane::Archive)),
    ),
    (
        "yank",
        "yank the selected item's JSON (OSC 52)",
        None,
        Some(Action::Yank),
    ),
    (
        "save",
        "save the selected item's raw JSON to a file",
        None,
        Some(Action::SaveJson),
    ),
    (
        "refresh",
        "reload from the store or server",
        None,
        Some(Action::Refresh),
    ),
    ("help", "the key help", None, Some(Action::Help)),
    (
        "ctx",
        "ctx NAME: switch context (ctx alone: the picker)",
        None,
        None,
    ),
    (
        "filter",
        "filter EXPR: filter the pane on screen (filter alone: clear)",
        None,
        None,
    ),
    (
        "theme",
        "theme dark|light|mono|PATH: switch the theme",
        None,
        None,
    ),
    ("quit", "quit (also :q)", None, Some(Action::Quit)),
    ("q", "quit", None, Some(Action::Quit)),
];

/// The command names and descriptions, for the help and completion.
pub fn names() -> impl Iterator<Item = (&'static str, &'static str)> {
    COMMANDS.iter().map(|(n, d, _, _)| (*n, *d))
}

/// Names that start with what was typed (the first word).
pub fn completions(text: &str) -> Vec<&'static str> {
    let word = text.trim_start();
    if word.contains(' ') {
        return Vec::new();
    }
    COMMANDS
        .iter()
        .map(|(n, ..)| *n)
        .filter(|n| n.starts_with(word))
        .collect()
}

/// Tab: completes the first word to the longest prefix the candidates share.
pub fn complete(text: &str) -> String {
    let c = completions(text);
    match c.as_slice() {
        [] => text.to_string(),
        [one] => format!("{one} "),
        many => {
            let first = many[0];
            let len = (0..first.len())
                .take_while(|&i| {
                    many.iter()
                        .all(|n| n.as_bytes().get(i) == first.as_bytes().get(i))
                })
                .count();
            let prefix = &first[..len];
            if prefix.len() > text.trim_start().len() {
                prefix.to_string()
            } else {
                text.to_string()
            }
        }
    }
}

/// Why a command line was not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    /// No such command; `near` are the commands sharing its first two letters.
    #[error("unknown command '{name}' (tab completes; :help lists keys)")]
    Unknown { name: String },
    #[error("unknown command '{name}' (did you mean {}?)", near.join(", "))]
    Near {
        name: String,
        near: Vec<&'static str>,
    },
    #[error("theme needs a name: dark, light, mono or a file")]
    ThemeName,
    #[error("{0} takes no argument")]
    NoArgument(String),
    /// A listed command that runs no action.
    #[error("unknown command '{0}'")]
    NoAction(String),
}

/// Parses a command line (without the `:`).
pub fn parse(text: &str) -> Result<Command, CommandError> {
    let text = text.trim();
    let (name, arg) = text
        .split_once(' ')
        .map_or((text, ""), |(n, a)| (n, a.trim()));
    let Some(&(_, _, pane, action)) = COMMANDS.iter().find(|(n, ..)| *n == name) else {
        let near = completions(&name.chars().take(2).collect::<String>());
        let name = name.to_string();
        return Err(if near.is_empty() {
            CommandError::Unknown { name }
        } else {
            CommandError::Near { name, near }
        });
    };
    match (name, action) {
        ("ctx", _) if arg.is_empty() => Ok(Command::Act(None, Action::SwitchContext)),
        ("ctx", _) => Ok(Command::Context(arg.to_string())),
        ("filter", _) => Ok(Command::Filter(arg.to_string())),
        ("theme", _) if arg.is_empty() => Err(CommandError::ThemeName),
        ("theme", _) => Ok(Command::Theme(arg.to_string())),
        (_, Some(a)) if arg.is_empty() => Ok(Command::Act(pane, a)),
        (_, Some(_)) => Err(CommandError::NoArgument(name.to_string())),
        (_, None) => Err(CommandError::NoAction(name.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_arguments_and_completion() {
        assert_eq!(
            parse("ack"),
            Ok(Command::Act(Some(Pane::Routes), Action::Acknowledge))
        );
        assert_eq!(parse(" q "), Ok(Command::Act(None, Action::Quit)));
        assert_eq!(parse("ctx prod"), Ok(Command::Context("prod".into())));
        assert_eq!(
            parse("filter owner:pay state:breached"),
            Ok(Command::Filter("owner:pay state:breached".into()))
        );
        assert_eq!(parse("theme light"), Ok(Command::Theme("light".into())));
        assert!(parse("ack now").is_err());
        assert!(
            parse("bulkack")
                .unwrap_err()
                .to_string()
                .contains("did you mean")
        );
        assert_eq!(complete("bu"), "bulk-");
        assert_eq!(complete("bulk-a"), "bulk-ack ");
        assert_eq!(complete("zz"), "zz");
        assert!(completions("h").contains(&"history"));
    }
}
