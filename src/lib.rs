//! cavra-tui: a terminal operator console for CAVRA rollback drill governance.
//!
//! Layers (see docs/architecture.md): `domain` (pure CAVRA rules), `backend` (the sample
//! SQLite store and the remote CAVRA API), `app` (state + update), `ui` (render), and the
//! non-interactive `commands`, sharing `actions`, `ops` and `views`.

pub mod actions;
pub mod app;
pub mod ascii;
pub mod backend;
pub mod blocking;
pub mod cli;
pub mod commands;
pub mod config;
pub mod connect;
pub mod context;
pub mod credentials;
pub mod domain;
pub mod export;
pub mod history_scan;
pub mod keymap;
pub mod logging;
pub mod memory;
pub mod ops;
pub mod pane;
pub mod pane_load;
pub mod paths;
pub mod safe_text;
pub mod setup;
pub mod signals;
pub mod terminal;
pub mod theme;
pub mod tui;
pub mod ui;
pub mod views;
