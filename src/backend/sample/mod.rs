//! Sample mode: a local SQLite store of CAVRA records plus the `domain` derivations.

pub mod actions;
pub mod answers;
pub mod calls;
pub mod engine;
pub mod fresh_acks;
pub mod generate;
pub mod route_tables;
pub mod seed;
mod seed_plans;
pub mod seed_spec;
pub mod store;
pub mod store_writes;

pub use engine::SampleBackend;
