//! Who records and whether we may: the read-only and session checks, the acting name, the
//! names a stored record may carry, and how connector deliveries are described.

use super::App;

impl App {
    /// May this console record now? If not, says why in an error notice.
    pub fn may_record(&mut self) -> bool {
        if self.readonly {
            self.error(format!(
                "context {} is read-only: mutations are hidden",
                self.info.mode
            ));
            return false;
        }
        if let Some(at) = self.routes.cached {
            self.error(format!(
                "not recorded: the server has not answered yet (routes from the local cache, {}); nothing is recorded or queued while it cannot be reached",
                super::cached_age(at)
            ));
            return false;
        }
        if let Some(reason) = self.session.as_ref().and_then(|s| s.blocked_reason()) {
            self.error(format!("recording is disabled: {reason}"));
            return false;
        }
        true
    }

    /// The name our writes are recorded under: the verified actor when the server verified
    /// one (it overrides what we send, CONTRACT §2.3), else the operator name.
    pub fn acting_as(&self) -> String {
        self.session
            .as_ref()
            .and_then(|s| s.verified_actor())
            .map(str::to_string)
            .unwrap_or_else(|| self.operator.clone())
    }

    /// The names a stored record of ours may carry (for re-reads after a lost answer).
    pub fn actors(&self) -> Vec<String> {
        let mut out = vec![self.operator.clone()];
        let acting = self.acting_as();
        if acting != self.operator {
            out.push(acting);
        }
        out
    }

    /// How a connector delivery is described here: simulated in sample mode only.
    pub fn delivery_words(&self) -> &'static str {
        if self.info.mode == crate::context::SAMPLE {
            "a simulated connector delivery (sample mode sends nothing)"
        } else {
            "a connector delivery from the server"
        }
    }
}
