//! Keys of the `:` command line (the keymap's command-line keys): typing, tab completion, ↑/↓
//! through the commands run this session, Enter runs the command (switching to its pane first),
//! Esc closes the line.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::App;
use super::command::{self, Command};
use super::effect::Effect;
use crate::domain::filter::RouteFilter;
use crate::keymap::{Action, Scope};
use crate::pane::Pane;

/// The command line being edited.
#[derive(Debug, Clone, Default)]
pub struct CommandInput {
    pub text: String,
    /// Which earlier command ↑/↓ shows (index into the history).
    back: Option<usize>,
}

impl App {
    pub(super) fn on_command_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(mut input) = self.command.take() else {
            return Vec::new();
        };
        // ctrl-c never reaches the line: it quits the console (`App::on_plain_key`).
        match self.keymap.resolve_modal(&key, Scope::Command) {
            Some(Action::Cancel) => return Vec::new(),
            Some(Action::Submit) => {
                let text = input.text.trim().to_string();
                if text.is_empty() {
                    return Vec::new();
                }
                if self.command_history.last() != Some(&text) {
                    self.command_history.push(text.clone());
                }
                return self.run_command(&text);
            }
            Some(Action::Complete) => input.text = command::complete(&input.text),
            Some(Action::OlderCommand) if !self.command_history.is_empty() => {
                let i = input
                    .back
                    .map_or(self.command_history.len() - 1, |i| i.saturating_sub(1));
                input.back = Some(i);
                input.text = self.command_history[i].clone();
            }
            Some(Action::NewerCommand) => {
                let next = input
                    .back
                    .map(|i| i + 1)
                    .filter(|&i| i < self.command_history.len());
                input.back = next;
                input.text = next
                    .map(|i| self.command_history[i].clone())
                    .unwrap_or_default();
            }
            Some(Action::DeleteChar) => {
                input.text.pop();
            }
            Some(Action::ClearText) => input.text.clear(),
            None => {
                if let KeyCode::Char(c) = key.code {
                    if !key.modifiers.contains(KeyModifiers::CONTROL) {
                        input.text.push(c)
                    }
                }
            }
            Some(_) => {}
        }
        self.command = Some(input);
        Vec::new()
    }

    /// Runs one command line.
    fn run_command(&mut self, text: &str) -> Vec<Effect> {
        match command::parse(text) {
            Err(e) => {
                self.error(e.to_string());
                Vec::new()
            }
            Ok(Command::Act(pane, action)) => {
                let mut effects = match pane {
                    Some(p) if p != self.pane => self.switch_to(p),
                    _ => Vec::new(),
                };
                effects.extend(self.on_action(action));
                effects
            }
            Ok(Command::Context(name)) => {
                if !self.contexts.contains(&name) {
                    self.error(format!(
                        "no context named '{name}' (known: {})",
                        self.contexts.join(", ")
                    ));
                    return Vec::new();
                }
                self.info(format!("connecting to {name}…"));
                self.in_flight += 1;
                vec![Effect::SwitchContext { name }]
            }
            Ok(Command::Theme(name)) => vec![Effect::SetTheme { name }],
            Ok(Command::Filter(expr)) => self.filter_pane(&expr),
        }
    }

    /// `:filter EXPR` on the pane on screen.
    fn filter_pane(&mut self, expr: &str) -> Vec<Effect> {
        match self.pane {
            Pane::Routes => match RouteFilter::parse(expr) {
                Ok(f) => self.routes.set_filter(f),
                Err(e) => self.error(format!("filter not applied: {e}")),
            },
            Pane::History => return self.set_history_filter(expr),
            Pane::Retry | Pane::Worker | Pane::Archive => {
                self.list_filters.set(self.pane, expr);
                self.recount(self.pane);
            }
            Pane::Health => self.error("the health pane has no list to filter"),
        }
        Vec::new()
    }
}
