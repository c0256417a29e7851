//! Sample mode: a local SQLite store of CAVRA records plus the `domain` derivations; its store
//! errors become the neutral `BackendError::Store` here.

pub mod actions;
pub mod answers;
pub mod calls;
pub mod checkpoint;
pub mod engine;
pub mod fresh_acks;
pub mod generate;
pub mod route_tables;
pub mod seed;
mod seed_plans;
pub mod seed_spec;
pub mod store;
pub mod store_writes;
pub mod worker_runs;

pub use engine::SampleBackend;

use store::StoreError;

use super::{BackendError, StoreFailure, StoreFailureKind};

impl From<StoreError> for StoreFailure {
    fn from(e: StoreError) -> StoreFailure {
        let kind = match &e {
            StoreError::NotSqlite { .. }
            | StoreError::Corrupt { .. }
            | StoreError::Poisoned { .. }
            | StoreError::BadRecord { .. } => StoreFailureKind::Corrupt,
            StoreError::ReadOnlyDir { .. } | StoreError::ReadOnlyFile { .. } => {
                StoreFailureKind::ReadOnly
            }
            StoreError::Locked { .. } => StoreFailureKind::Locked,
            StoreError::DiskFull { .. } => StoreFailureKind::DiskFull,
            StoreError::Foreign { .. }
            | StoreError::TooNew { .. }
            | StoreError::NotRegular { .. }
            | StoreError::Open { .. }
            | StoreError::Sqlite { .. } => StoreFailureKind::Other,
        };
        StoreFailure {
            kind,
            message: e.to_string(),
        }
    }
}

impl From<StoreError> for BackendError {
    fn from(e: StoreError) -> BackendError {
        BackendError::Store(e.into())
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn a_store_error_keeps_its_message_and_says_its_kind() {
        let path = PathBuf::from("/tmp/s.db");
        let locked = BackendError::from(StoreError::Locked { path: path.clone() });
        assert_eq!(
            locked.to_string(),
            StoreError::Locked { path: path.clone() }.to_string()
        );
        assert!(matches!(&locked, BackendError::Store(f) if f.kind == StoreFailureKind::Locked));
        let corrupt = StoreError::Poisoned {
            path: path.clone(),
            detail: "malformed".into(),
        };
        let f = StoreFailure::from(corrupt.clone());
        assert_eq!(f.kind, StoreFailureKind::Corrupt);
        assert_eq!(f.message, corrupt.to_string());
        let ro = StoreFailure::from(StoreError::ReadOnlyFile {
            path,
            what: "x".into(),
        });
        assert_eq!(ro.kind, StoreFailureKind::ReadOnly);
    }
}
