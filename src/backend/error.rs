//! `BackendError`, the failures every backend maps its own to, and `StoreFailure`, a local
//! store's failure without the store's own error type.

/// What kind of local-store failure it was (the message says the rest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreFailureKind {
    /// The file is damaged, or reported damage earlier in this run: nothing is written to it.
    Corrupt,
    /// The file or its directory cannot be written.
    ReadOnly,
    /// Another program holds the lock.
    Locked,
    /// The filesystem is full.
    DiskFull,
    /// Anything else: not a store, a newer schema, cannot be opened.
    Other,
}

/// A local store's failure as the console needs it: its kind and the exact message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct StoreFailure {
    pub kind: StoreFailureKind,
    pub message: String,
}

/// Errors every backend maps its own failures to.
#[derive(Debug, Clone, thiserror::Error)]
pub enum BackendError {
    /// The input was refused (the server's 400 detail, or the same check done locally).
    #[error("{0}")]
    Rejected(String),
    /// 401: the token was refused, or the server requires one.
    #[error("{0}")]
    Unauthorized(String),
    /// 422: wrongly typed fields, named.
    #[error("the server refused the request: {0}")]
    Invalid(String),
    /// Refused connection, DNS, TLS, or a read that failed: for a write, the request provably
    /// never reached the server, so nothing was recorded.
    #[error("{0}")]
    Unavailable(String),
    /// A write may have reached the server but no usable answer came back (timeout after
    /// sending, a broken connection, a 5xx, an unreadable 200): whether it was stored must be
    /// found out by re-reading, never guessed.
    #[error("{0}")]
    OutcomeUnknown(String),
    /// The response was not what the contract says.
    #[error("{0}")]
    Decode(String),
    /// The context is read-only, or the session may not record.
    #[error("{0}")]
    NotAllowed(String),
    /// The local store could not be read or written (the sample backend; see [`StoreFailure`]).
    #[error("{0}")]
    Store(StoreFailure),
    #[error("internal error: {0}")]
    Internal(String),
}

/// A local check refusing input, as the server's 400 would.
impl From<crate::domain::InputError> for BackendError {
    fn from(e: crate::domain::InputError) -> BackendError {
        BackendError::Rejected(e.to_string())
    }
}

impl BackendError {
    /// Worth retrying a read for (the server may come back).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            BackendError::Unavailable(_) | BackendError::OutcomeUnknown(_)
        )
    }

    /// Did this failure leave the outcome of a write unknown (it may have been stored)?
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, BackendError::OutcomeUnknown(_))
    }
}
