//! The console session as the server's `GET /console/session` describes it: mode, whether auth
//! is required and verified, the actor, and the reported permission (missing fields read as
//! no auth and no actor).

use serde_json::Value;

use crate::backend::{Json, Session};

/// The session as `GET /console/session` describes it (missing fields: no auth, no actor).
pub(super) fn session_from(s: &Json, token_sent: bool) -> Session {
    let actor = s
        .get("actor")
        .and_then(|a| a.get("actor"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let flag = |k: &str| s.get(k).and_then(Value::as_bool).unwrap_or(false);
    Session {
        mode: s
            .get("mode")
            .and_then(Value::as_str)
            .unwrap_or("local_or_demo")
            .to_string(),
        authenticated: flag("authenticated"),
        auth_required: flag("auth_required"),
        actor,
        may_acknowledge: s
            .get("permissions")
            .and_then(|p| p.get("acknowledge_drill_notifications"))
            .and_then(Value::as_bool)
            .unwrap_or(false),
        token_sent,
        no_oidc: false,
    }
}
