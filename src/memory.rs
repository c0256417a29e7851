//! How the process allocates: mimalloc (a refresh of 100k routes builds over a million small
//! strings), without transparent huge pages on Linux.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turns transparent huge pages off for this process (Linux; elsewhere it does nothing).
/// mimalloc asks for them for its arenas, and the kernel then zeroes 2 MiB at each first
/// touch: a full read of 100k routes took about 300 ms with them and 170 ms without
/// (`cargo bench --bench budgets`, docs/performance.md). Called first thing by the binary and
/// the benchmarks; a kernel that refuses the request leaves the default in place.
pub fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments only and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
