//! CONTRACT §2.2 in the test server: who is acting, and `GET /console/session`.

use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use serde_json::{Value, json};

use super::*;

/// CONTRACT §2.2 for a mutating endpoint: `Ok(Some(actor))`, `Ok(None)` (auth off, no header), or the error.
pub(crate) fn actor(
    state: &Shared,
    headers: &HeaderMap,
) -> Result<Option<(String, Value)>, Response> {
    let header = headers.get("authorization").and_then(|v| v.to_str().ok());
    if state.rbac_only.load(std::sync::atomic::Ordering::SeqCst) {
        return Err(match header {
            Some(_) => detail(
                StatusCode::BAD_REQUEST,
                "console OIDC config is not configured",
            ),
            None => detail(
                StatusCode::UNAUTHORIZED,
                "console action requires verified actor context",
            ),
        });
    }
    let Some(h) = header else {
        return match state.auth {
            Some(_) => Err(detail(
                StatusCode::UNAUTHORIZED,
                "console action requires verified actor context",
            )),
            None => Ok(None),
        };
    };
    let token = match h.split_once(' ') {
        Some((scheme, t)) if scheme.eq_ignore_ascii_case("bearer") && !t.trim().is_empty() => {
            t.trim()
        }
        _ => {
            return Err(detail(
                StatusCode::UNAUTHORIZED,
                "authorization header must use Bearer token",
            ));
        }
    };
    let Some(tokens) = &state.auth else {
        return Err(detail(
            StatusCode::BAD_REQUEST,
            "console OIDC config is not configured",
        ));
    };
    match tokens.get(token) {
        Some(email) => Ok(Some((
            email.clone(),
            json!({"actor": email, "subject": "00u1abcd", "issuer": "https://issuer.example", "groups": ["Platform Security"], "repository": null}),
        ))),
        None => Err(detail(
            StatusCode::UNAUTHORIZED,
            "OIDC token signature is invalid",
        )),
    }
}

/// The identity a mutation records: the verified actor, else the body's `field` (`given`;
/// required unless there is a default).
pub(crate) fn who(
    actor: &Option<(String, Value)>,
    given: &str,
    field: &str,
    default: Option<&str>,
) -> Result<String, Response> {
    if let Some((a, _)) = actor {
        return Ok(a.clone());
    }
    if !given.is_empty() {
        return Ok(given.to_string());
    }
    default
        .map(str::to_string)
        .ok_or_else(|| detail(StatusCode::BAD_REQUEST, &format!("{field} is required")))
}

pub(crate) fn actor_json(actor: &Option<(String, Value)>) -> Value {
    actor
        .as_ref()
        .map(|(_, v)| v.clone())
        .unwrap_or(Value::Null)
}

pub(crate) async fn session(
    State(state): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    record(&state, &method, &uri, &headers, None).await;
    let has_header = headers.contains_key("authorization");
    let actor = match (&state.auth, has_header) {
        (_, false) => None,
        (_, true) => match actor(&state, &headers) {
            Ok(a) => a,
            Err(r) => return r,
        },
    };
    let rbac = state.rbac_only.load(std::sync::atomic::Ordering::SeqCst);
    let mode = match (&state.auth, &actor) {
        (_, Some(_)) => "authenticated",
        (Some(_), None) => "auth_required",
        (None, None) if rbac => "auth_required",
        (None, None) => "local_or_demo",
    };
    ok(json!({
        "schema_version": "cavra.console.session.v1", "product": "CAVRA", "mode": mode,
        "authenticated": actor.is_some(), "auth_required": state.auth.is_some() || state.rbac_only.load(std::sync::atomic::Ordering::SeqCst), "actor": actor_json(&actor),
        "repository_permissions": [],
        "permissions": {"read_activity": true, "acknowledge_drill_notifications": actor.is_some(), "create_break_glass": false},
        "operator_notes": [],
    }).as_object().cloned().unwrap())
}
