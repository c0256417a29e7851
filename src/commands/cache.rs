//! `cavra-tui cache clear|path`: the cache files under the cache dir (see backend::remote::cache).

use super::Failure;
use crate::cli::CacheAction;

/// Runs a cache action against `cache_dir`; returns the exit code.
pub fn run(action: CacheAction, cache_dir: &std::path::Path) -> Result<u8, Failure> {
    let dir = crate::backend::remote::cache::servers_dir(cache_dir);
    match action {
        CacheAction::Clear => {
            let n = crate::backend::remote::cache::clear(cache_dir)
                .map_err(|e| Failure::new(format!("{}: {e}", dir.display())))?;
            crate::outln!("removed {n} cache file(s) from {}", dir.display());
        }
        CacheAction::Path => crate::outln!("{}", dir.display()),
    }
    Ok(0)
}
