//! `InputError`: operator input a record builder refuses, in the words of the server's 400
//! detail (so sample mode and a CAVRA server refuse alike), and the checks every builder
//! makes the same way (a required field, a required provider, a state from a fixed list).

use serde_json::{Map, Value};

use super::record::{Record, normalise};

/// What a builder of an operator's decision gives: the object it built and its stored record,
/// or why the server would refuse the input.
pub type Recorded = Result<(Map<String, Value>, Record), InputError>;

/// Why a record builder refused its input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    /// A required field is empty.
    #[error("{0} is required")]
    Required(&'static str),
    /// A state outside the ones the contract allows.
    #[error("{field} must be {allowed}")]
    NotOneOf {
        field: &'static str,
        allowed: String,
    },
    /// A numeric field holding something else.
    #[error("{0} must be a number")]
    NotANumber(String),
}

/// A field the operator must fill in: refused when blank, else returned as given.
pub fn required<'a>(field: &'static str, value: &'a str) -> Result<&'a str, InputError> {
    if value.trim().is_empty() {
        return Err(InputError::Required(field));
    }
    Ok(value)
}

/// The `provider` field, normalised: refused when that leaves nothing.
pub fn required_provider(value: &str) -> Result<String, InputError> {
    let provider = normalise(value);
    if provider.is_empty() {
        return Err(InputError::Required("provider"));
    }
    Ok(provider)
}

/// A state field: the states it may take (a blank input means the first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub field: &'static str,
    pub states: &'static [&'static str],
}

impl Choice {
    /// The state `value` names (normalised; blank is the first state), or the server's refusal.
    pub fn pick(&self, value: &str) -> Result<String, InputError> {
        let state = match normalise(value) {
            s if s.is_empty() => self.states[0].to_string(),
            s => s,
        };
        if !self.states.contains(&state.as_str()) {
            return Err(InputError::NotOneOf {
                field: self.field,
                allowed: self.allowed(),
            });
        }
        Ok(state)
    }

    /// The states as the server's refusal lists them: `a or b`, `a, b, or c`.
    pub fn allowed(&self) -> String {
        match self.states {
            [] => String::new(),
            [one] => one.to_string(),
            [a, b] => format!("{a} or {b}"),
            [rest @ .., last] => format!("{}, or {last}", rest.join(", ")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Choice, InputError, required, required_provider};

    const COLOUR: Choice = Choice {
        field: "colour",
        states: &["red", "dark_blue"],
    };

    #[test]
    fn a_blank_required_field_is_refused_and_a_filled_one_kept_as_given() {
        assert_eq!(
            required("closed_by", " \t"),
            Err(InputError::Required("closed_by"))
        );
        assert_eq!(required("closed_by", " Ana "), Ok(" Ana "));
    }

    #[test]
    fn the_provider_is_normalised_and_required() {
        assert_eq!(required_provider(" Pager-Duty "), Ok("pager_duty".into()));
        assert_eq!(
            required_provider("  "),
            Err(InputError::Required("provider"))
        );
    }

    #[test]
    fn a_choice_normalises_defaults_blank_and_refuses_the_rest() {
        assert_eq!(COLOUR.pick(" Dark-Blue"), Ok("dark_blue".into()));
        assert_eq!(COLOUR.pick("  "), Ok("red".into()));
        assert_eq!(
            COLOUR.pick("green"),
            Err(InputError::NotOneOf {
                field: "colour",
                allowed: "red or dark_blue".into(),
            })
        );
    }

    #[test]
    fn the_messages_are_the_servers() {
        assert_eq!(
            InputError::Required("provider").to_string(),
            "provider is required"
        );
        assert_eq!(
            InputError::NotOneOf {
                field: "approval_state",
                allowed: "approved, denied, deferred, or expired".into(),
            }
            .to_string(),
            "approval_state must be approved, denied, deferred, or expired"
        );
        assert_eq!(
            InputError::NotANumber("max_retries".into()).to_string(),
            "max_retries must be a number"
        );
    }
}
