//! The `:` command line, as in k9s: every action by name (`:ack`, `:bulk-ack`, `:export`,
//! `:history`, `:ctx NAME`, `:filter EXPR`, `:theme light`, `:q` …) with tab completion and a
//! history of the commands run (↑/↓).

use crate::keymap::{self, Action, Scope};
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

/// The commands that are not one action's `:` name in the keymap (see
/// [`crate::keymap::commands`]): each pane's view switch, the ones taking an argument (`None`:
/// see [`parse`]) and `q`.
const MORE: &[(&str, Option<Pane>, Option<Action>)] = &[
    ("routing", Some(Pane::Routes), Some(Action::ToggleView)),
    ("worker-runs", Some(Pane::Worker), Some(Action::ToggleView)),
    (
        "archive-alerts",
        Some(Pane::Archive),
        Some(Action::ToggleView),
    ),
    ("ctx", None, None),
    ("filter", None, None),
    ("theme", None, None),
    ("q", None, Some(Action::Quit)),
];

/// Every command: its name, the pane it acts on (switched to first) and its key action.
fn every() -> impl Iterator<Item = (&'static str, Option<Pane>, Option<Action>)> {
    let named = keymap::commands().map(|(name, scope, action)| {
        let pane = match scope {
            Scope::Pane(p) => Some(p),
            _ => None,
        };
        (name, pane, Some(action))
    });
    named.chain(MORE.iter().copied())
}

/// Names that start with what was typed (the first word).
pub fn completions(text: &str) -> Vec<&'static str> {
    let word = text.trim_start();
    if word.contains(' ') {
        return Vec::new();
    }
    every()
        .map(|(n, ..)| n)
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
    let Some((_, pane, action)) = every().find(|(n, ..)| *n == name) else {
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

    #[test]
    fn every_command_name_is_taken_once_and_pane_actions_act_on_their_pane() {
        let names: Vec<&str> = every().map(|(n, ..)| n).collect();
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        assert_eq!(
            parse("deliver-audit"),
            Ok(Command::Act(Some(Pane::History), Action::DeliverAudit))
        );
        assert_eq!(
            parse("execute-retry"),
            Ok(Command::Act(Some(Pane::Worker), Action::ExecuteRetry))
        );
        assert_eq!(parse("save"), Ok(Command::Act(None, Action::SaveJson)));
        assert_eq!(
            parse("archive"),
            Ok(Command::Act(None, Action::GoTo(Pane::Archive)))
        );
    }
}
