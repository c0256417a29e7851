//! cavra-tui: a terminal operator console for CAVRA rollback drill governance.
//!
//! Layers (see docs/architecture.md): `domain` (pure CAVRA rules), `backend` (sample SQLite
//! store today; the remote API later), `app` (state + update), `ui` (render), and the
//! non-interactive `commands`, all sharing `core` operations.

pub mod domain;
pub mod backend;
