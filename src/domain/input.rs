//! `InputError`: operator input a record builder refuses, in the words of the server's 400
//! detail (so sample mode and a CAVRA server refuse alike).

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
        allowed: &'static str,
    },
    /// A numeric field holding something else.
    #[error("{0} must be a number")]
    NotANumber(String),
}

#[cfg(test)]
mod tests {
    use super::InputError;

    #[test]
    fn the_messages_are_the_servers() {
        assert_eq!(
            InputError::Required("provider").to_string(),
            "provider is required"
        );
        assert_eq!(
            InputError::NotOneOf {
                field: "approval_state",
                allowed: "approved, denied, deferred, or expired",
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
