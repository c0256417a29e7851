//! The signals that end the console (SIGINT, SIGQUIT, SIGTERM, SIGHUP on Unix; Ctrl-C elsewhere),
//! received in the event loop so the terminal is restored before the process exits with 128 + n.

/// Listens for the signals that end the console.
pub struct Signals {
    #[cfg(unix)]
    streams: Vec<(i32, tokio::signal::unix::Signal)>,
}

impl Signals {
    /// Starts listening (the default actions stop killing the process from here on).
    #[cfg(unix)]
    pub fn new() -> std::io::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        let mut streams = Vec::new();
        for (n, kind) in [
            (2, SignalKind::interrupt()),
            (3, SignalKind::quit()),
            (15, SignalKind::terminate()),
            (1, SignalKind::hangup()),
        ] {
            streams.push((n, signal(kind)?));
        }
        Ok(Signals { streams })
    }

    #[cfg(not(unix))]
    pub fn new() -> std::io::Result<Signals> {
        Ok(Signals {})
    }

    /// Waits for the next signal; returns its number.
    #[cfg(unix)]
    pub async fn recv(&mut self) -> i32 {
        let waits = self.streams.iter_mut().map(|(n, s)| {
            let n = *n;
            Box::pin(async move {
                s.recv().await;
                n
            })
        });
        futures_util::future::select_all(waits).await.0
    }

    #[cfg(not(unix))]
    pub async fn recv(&mut self) -> i32 {
        let _ = tokio::signal::ctrl_c().await;
        2
    }
}
