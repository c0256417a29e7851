//! Applying IO outcomes to the app: stale results dropped, errors kept as notices; a 401 asks
//! the server for the session again, so recording is gated until a login.

use super::App;
use super::effect::{Effect, Outcome};
use super::overlay::Overlay;
use super::route_sync::RoutesUpdate;
use crate::backend::BackendError;

impl App {
    /// Applies an IO result.
    pub fn apply(&mut self, outcome: Outcome) -> Vec<Effect> {
        let unauthorized = outcome.unauthorized();
        let mut effects = self.apply_outcome(outcome);
        if unauthorized && !effects.iter().any(|e| matches!(e, Effect::LoadSession)) {
            // The server refused our session: read it again, so the status line says we are
            // not signed in and recording is refused with the reason until a login.
            self.in_flight += 1;
            effects.push(Effect::LoadSession);
        }
        effects
    }

    fn apply_outcome(&mut self, outcome: Outcome) -> Vec<Effect> {
        self.in_flight = self.in_flight.saturating_sub(1);
        match outcome {
            Outcome::Routes { seq, result } => {
                self.apply_routes(seq, result.map(RoutesUpdate::Rows));
            }
            Outcome::RouteDelta { seq, result } => {
                self.apply_routes(seq, result.map(RoutesUpdate::Delta));
            }
            Outcome::Records { key, json, result } => {
                let open = self.overlay.as_ref().is_some_and(|o| o.is_for(&key, json));
                match result {
                    Ok(recs) if open => {
                        if let Some(ov) = self.overlay.as_mut() {
                            ov.fill(recs);
                        }
                    }
                    Ok(_) => {}
                    Err(e) => self.error(format!("cannot load records of {key}: {e}")),
                }
            }
            Outcome::Recorded {
                title,
                plan,
                result,
            } => {
                self.settle_write(result.as_ref().err());
                let result_extra = result.clone();
                match result {
                    Ok(out) if out.not_recorded.is_empty() && out.unknown.is_empty() => {
                        self.routes.selected.clear();
                        let found = match out.found.first() {
                            Some((_, why)) => {
                                format!(" ({} found on the server after: {why})", out.found.len())
                            }
                            None => String::new(),
                        };
                        self.info(format!(
                            "{title}: recorded {} route(s) as {}{found}",
                            out.recorded.len(),
                            plan.state
                        ));
                    }
                    Ok(out) => {
                        let mut lines = vec![format!(
                            "Recorded {} of {} routes as {}. Not recorded:",
                            out.recorded.len(),
                            plan.routes.len(),
                            plan.state
                        )];
                        lines.extend(
                            out.not_recorded
                                .iter()
                                .map(|(k, why)| format!("  {k}: {why}")),
                        );
                        if !out.unknown.is_empty() {
                            lines.push("Outcome unknown (check before trying again):".into());
                            lines
                                .extend(out.unknown.iter().map(|(k, why)| format!("  {k}: {why}")));
                        }
                        self.error(format!(
                            "{title}: {} route(s) not recorded, {} unknown",
                            out.not_recorded.len(),
                            out.unknown.len()
                        ));
                        self.overlay = Some(Overlay::Report {
                            title: title.clone(),
                            lines,
                            scroll: 0,
                        });
                    }
                    Err(e) => self.error(format!("{title} failed, nothing recorded: {e}")),
                }
                if let Ok(out) = &result_extra {
                    if !out.skipped.is_empty() {
                        // "already acknowledged", "now acknowledged, not outstanding", ...
                        let what = |why: &str| why.split(" (").next().unwrap_or("").to_string();
                        let first = what(&out.skipped[0].1);
                        let same = out.skipped.iter().all(|(_, why)| what(why) == first);
                        let said = if same {
                            format!("{first} ")
                        } else {
                            String::new()
                        };
                        self.info(format!(
                            "{title}: skipped {} route(s) {said}(changed since the preview)",
                            out.skipped.len()
                        ));
                    }
                    if !out.unknown.is_empty() {
                        self.error(format!(
                            "{title}: OUTCOME UNKNOWN for {} route(s): the answer was lost and the server could not be re-read; check the routes before trying again",
                            out.unknown.len()
                        ));
                    }
                }
                // Rows stay marked pending until the reload shows what the store now holds.
                let effects = self.refresh_routes();
                self.settling.push((
                    self.route_seq,
                    plan.routes.iter().map(|p| p.route.clone()).collect(),
                ));
                return effects;
            }
            Outcome::Notice(result) => match result {
                Ok(text) => self.info(text),
                Err(e) => self.error(e.to_string()),
            },
            Outcome::Session(result) => match result {
                Ok(session) => {
                    self.session = Some(session);
                    self.recovered(super::route_sync::SESSION_FAILED);
                }
                Err(e) => {
                    if matches!(e, BackendError::Unauthorized(_)) {
                        self.signed_out();
                    }
                    self.failed_again(super::route_sync::SESSION_FAILED, &e);
                }
            },
            Outcome::Switched { name, result } => match result {
                Ok(sw) => {
                    self.info = sw.info;
                    self.readonly = sw.readonly;
                    self.token_source = sw.token_source;
                    if let Some(op) = sw.operator {
                        self.operator = op;
                    }
                    self.session = None;
                    self.routes = Default::default();
                    self.forget_route_mark();
                    self.health = Default::default();
                    self.history = Default::default();
                    self.retry = Default::default();
                    self.worker = Default::default();
                    self.archive = Default::default();
                    self.routing = Default::default();
                    self.caps = None;
                    self.info(format!("connected to {name}"));
                    return self.refresh();
                }
                Err(e) => self.error(format!("cannot switch to {name}: {e}")),
            },
            Outcome::Pane { pane, seq, result } => self.apply_pane(pane, seq, result),
            Outcome::Capabilities(c) => self.caps = Some(c),
            Outcome::Previewed {
                title,
                action,
                result,
            } => return self.apply_preview(title, action, result),
            Outcome::Acted {
                title,
                pane,
                result,
            } => {
                self.settle_write(result.as_ref().err());
                return self.apply_acted(title, pane, result);
            }
            Outcome::Exported { result } => {
                self.settle_write(None);
                self.apply_exported(result)
            }
        }
        Vec::new()
    }

    /// The server refused our session (401): whatever it said before, we are not signed in
    /// now, so the status line says so and recording is refused with the login hint.
    fn signed_out(&mut self) {
        let mut s = self.session.take().unwrap_or_default();
        s.mode = "auth_required".into();
        (s.authenticated, s.auth_required, s.may_acknowledge) = (false, true, false);
        s.actor = None;
        self.session = Some(s);
    }

    fn apply_exported(
        &mut self,
        result: Result<super::effect::ExportSummary, crate::ops::ExportError>,
    ) {
        match result {
            Ok(s) => {
                self.info(format!("exported {} to {}", s.audit_id, s.path));
                self.overlay = Some(Overlay::Report {
                    title: "Export Ack Audit".into(),
                    lines: vec![
                        format!("audit id     {}", s.audit_id),
                        format!(
                            "routes       {} ({} outstanding)",
                            s.route_count, s.outstanding_count
                        ),
                        format!("written to   {}", s.path),
                        format!("digest       {}.sha256 (sha256sum -c checks it)", s.path),
                    ],
                    scroll: 0,
                });
            }
            Err(e) => self.error(format!("export failed: {e}")),
        }
    }
}

#[cfg(test)]
#[path = "apply_tests.rs"]
mod tests;
