//! Blocking work (opening, migrating and seeding SQLite, the OS keyring, terminal prompts, file
//! writes) run on tokio's blocking pool, so the async worker threads keep serving the loop.

/// Runs `f` on the blocking pool and waits for it; a panic in `f` carries on in the caller,
/// as if `f` had been called directly.
pub async fn run<T, F>(f: F) -> T
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    match tokio::task::spawn_blocking(f).await {
        Ok(v) => v,
        Err(e) => match e.try_into_panic() {
            Ok(payload) => std::panic::resume_unwind(payload),
            Err(e) => panic!("blocking work was cancelled: {e}"),
        },
    }
}

#[cfg(test)]
mod tests {
    #[tokio::test(flavor = "current_thread")]
    async fn runs_off_the_async_thread_and_returns_the_value() {
        let caller = std::thread::current().id();
        let (value, thread) = super::run(|| (42, std::thread::current().id())).await;
        assert_eq!(value, 42);
        assert_ne!(thread, caller, "the work ran on the blocking pool");
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_panic_carries_on_in_the_caller() {
        let caught = tokio::spawn(super::run(|| -> u8 { panic!("boom") })).await;
        let payload = caught.unwrap_err().into_panic();
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom"));
    }
}
