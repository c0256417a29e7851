//! `cavra-tui cache`: the local cache of servers' routes the console starts from.

use clap::Subcommand;

#[derive(Debug, Clone, Subcommand)]
pub enum CacheAction {
    /// Delete every server's cache file (the console reads from the server again).
    Clear,
    /// Print where the cache files live.
    Path,
}
