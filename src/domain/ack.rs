//! Route acknowledgements (CONTRACT §4.4) and bulk results (§4.5): validation and the exact
//! objects and metadata records CAVRA builds.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::ids::make_id;
use super::record::{PRODUCT, Record, Stamp, counts, kind, nested};
use super::route::RouteKey;
use super::route_model::RouteState;
use super::time;

/// The server's bulk limit: at most this many routes per request.
pub const BULK_LIMIT: usize = 100;

/// States that can be written for a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AckState {
    Acknowledged,
    Dismissed,
    Escalated,
    Resolved,
}

impl AckState {
    pub const ALL: [AckState; 4] = [
        AckState::Acknowledged,
        AckState::Escalated,
        AckState::Resolved,
        AckState::Dismissed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AckState::Acknowledged => "acknowledged",
            AckState::Dismissed => "dismissed",
            AckState::Escalated => "escalated",
            AckState::Resolved => "resolved",
        }
    }

    /// The verb for a dialog title: "Acknowledge", "Escalate", ...
    pub fn verb(self) -> &'static str {
        match self {
            AckState::Acknowledged => "Acknowledge",
            AckState::Dismissed => "Dismiss",
            AckState::Escalated => "Escalate",
            AckState::Resolved => "Resolve",
        }
    }

    /// Parses with the server's normalisation (`strip().lower()`, `-` to `_`).
    pub fn parse(s: &str) -> Result<AckState, AckError> {
        match s.trim().to_lowercase().replace('-', "_").as_str() {
            "acknowledged" => Ok(AckState::Acknowledged),
            "dismissed" => Ok(AckState::Dismissed),
            "escalated" => Ok(AckState::Escalated),
            "resolved" => Ok(AckState::Resolved),
            _ => Err(AckError::BadState),
        }
    }
}

/// The server's 400 messages for acknowledgement input, word for word.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AckError {
    #[error("provider is required")]
    ProviderRequired,
    #[error("acknowledged_by is required")]
    AcknowledgedByRequired,
    #[error("acknowledgement_state must be acknowledged, dismissed, escalated, or resolved")]
    BadState,
    #[error("routes are required")]
    RoutesRequired,
    #[error("bulk acknowledgement is limited to 100 routes")]
    TooMany,
    #[error("each route requires schedule_id and provider")]
    RouteInvalid,
}

/// What the operator asks to record for one route.
#[derive(Debug, Clone, PartialEq)]
pub struct AckInput {
    pub route: RouteKey,
    pub plan_id: String,
    pub state: AckState,
    pub acknowledged_by: String,
    pub external_ref: String,
    pub notes: String,
}

impl AckInput {
    /// The fields a stored acknowledgement of this input carries (§4.4: the route, the state,
    /// the plan, the reference and the notes); who acted is checked apart.
    pub fn stored_fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("schedule_id", self.route.schedule_id.trim().to_string()),
            ("provider", self.route.provider.trim().to_string()),
            ("acknowledgement_state", self.state.as_str().to_string()),
            ("plan_id", self.plan_id.clone()),
            ("notes", self.notes.clone()),
            ("external_ref", self.external_ref.clone()),
        ]
    }

    pub fn validate(&self) -> Result<(), AckError> {
        if self.route.provider.trim().is_empty() {
            return Err(AckError::ProviderRequired);
        }
        if self.route.schedule_id.trim().is_empty() {
            return Err(AckError::RouteInvalid);
        }
        if self.acknowledged_by.trim().is_empty() {
            return Err(AckError::AcknowledgedByRequired);
        }
        Ok(())
    }
}

/// Builds the acknowledgement object (`cavra.go-backend-pilot.rollback-drill-notification-ack.v1`).
pub fn build_ack(input: &AckInput, at: DateTime<Utc>) -> Map<String, Value> {
    let acknowledged_at = time::iso(at);
    let id = make_id(
        "gordack",
        &format!(
            "{}|{}|{}|{}|{}",
            input.route.schedule_id,
            input.route.provider,
            input.state.as_str(),
            input.acknowledged_by,
            acknowledged_at
        ),
    );
    let v = json!({
        "schema_version": "cavra.go-backend-pilot.rollback-drill-notification-ack.v1",
        "product": PRODUCT,
        "acknowledgement_id": id,
        "schedule_id": input.route.schedule_id,
        "plan_id": input.plan_id,
        "provider": input.route.provider,
        "acknowledged_by": input.acknowledged_by,
        "acknowledgement_state": input.state.as_str(),
        "acknowledged_at": acknowledged_at,
        "external_ref": input.external_ref,
        "notes": input.notes,
    });
    v.as_object().cloned().expect("object literal")
}

/// Wraps an acknowledgement in its stored metadata record (kind `go-backend-rollback-drill-notification-ack`).
pub fn ack_record(ack: &Map<String, Value>) -> Record {
    Record::draft(kind::NOTIFICATION_ACK, ack, Stamp::ACK, counts(1, 0, 0))
        .copy(&["acknowledgement_id", "schedule_id", "plan_id"])
        .copy(&["provider", "acknowledgement_state"])
        .nest(nested::ACK)
}

/// Builds the bulk response (`cavra.go-backend-pilot.rollback-drill-bulk-acknowledgement.v1`).
pub fn bulk_response(state: AckState, records: Vec<Record>) -> Map<String, Value> {
    let first = records
        .first()
        .map(|r| r.session_id().to_string())
        .unwrap_or_default();
    let acks: Vec<Value> = records
        .iter()
        .filter_map(|r| r.0.get("acknowledgement").cloned())
        .collect();
    let count = records.len();
    let v = json!({
        "schema_version": "cavra.go-backend-pilot.rollback-drill-bulk-acknowledgement.v1",
        "product": PRODUCT,
        "bulk_id": format!("gordbulkack-{count}-{first}"),
        "acknowledgement_state": state.as_str(),
        "acknowledgement_count": count,
        "acknowledgements": acks,
        "metadata": records.into_iter().map(|r| Value::Object(r.0)).collect::<Vec<_>>(),
        "actor": Value::Null,
    });
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// How many requests of at most [`BULK_LIMIT`] routes a bulk action takes.
pub fn chunk_count(routes: usize) -> usize {
    routes.div_ceil(BULK_LIMIT)
}

/// Decide-on-fresh-data: a route whose state is no longer the one the operator saw in the
/// preview was changed by someone else since; recording it would override their decision (or
/// double-record when it is already in the target state). Returns the reason to skip it.
/// `seen` is the row state the operator saw (`outstanding` for a route without an
/// acknowledgement); `current` the latest stored acknowledgement state, if any. (A route the
/// operator saw in the target state and chose anyway is recorded: a deliberate
/// re-acknowledgement.)
pub fn changed_since_preview(
    seen: Option<&str>,
    current: Option<&str>,
    target: AckState,
) -> Option<String> {
    let seen = seen?;
    let now = match current {
        None => RouteState::Outstanding,
        Some(c) => RouteState::from_ack(c)?,
    };
    let (now, target) = (now.as_str(), target.as_str());
    match seen == now {
        true => None,
        false if now == target => Some(format!(
            "already {target} (changed since the preview, by someone else)"
        )),
        false => Some(format!(
            "now {now}, not {seen} (changed since the preview, by someone else)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_fixtures::{contract_sample, keys_of};
    use chrono::TimeZone;

    fn input() -> AckInput {
        AckInput {
            route: RouteKey::new("go_backend_stale_schedule", "webhook"),
            plan_id: "gordn-c51a22211c97fd28".into(),
            state: AckState::Acknowledged,
            acknowledged_by: "release-manager".into(),
            external_ref: String::new(),
            notes: String::new(),
        }
    }

    #[test]
    fn state_parsing_normalises_like_the_server() {
        assert_eq!(AckState::parse(" Escalated "), Ok(AckState::Escalated));
        assert_eq!(AckState::parse("RESOLVED"), Ok(AckState::Resolved));
        assert_eq!(AckState::parse("accepted"), Err(AckError::BadState));
        assert_eq!(
            AckError::BadState.to_string(),
            "acknowledgement_state must be acknowledged, dismissed, escalated, or resolved"
        );
    }

    #[test]
    fn validation_checks_provider_then_actor() {
        let mut i = input();
        i.acknowledged_by = " ".into();
        assert_eq!(i.validate(), Err(AckError::AcknowledgedByRequired));
        i.route.provider = String::new();
        assert_eq!(i.validate(), Err(AckError::ProviderRequired));
    }

    #[test]
    fn ack_and_record_have_the_contract_fields() {
        let at = Utc.with_ymd_and_hms(2026, 5, 20, 10, 20, 0).unwrap();
        let ack = build_ack(&input(), at);
        let sample = contract_sample("ack-response.json");
        assert_eq!(
            keys_of(&Value::Object(ack.clone())),
            keys_of(&sample["acknowledgement"])
        );
        assert_eq!(ack["acknowledged_at"], "2026-05-20T10:20:00+00:00");
        let rec = ack_record(&ack);
        assert_eq!(
            keys_of(&Value::Object(rec.0.clone())),
            keys_of(&sample["metadata"])
        );
        assert_eq!(rec.kind(), kind::NOTIFICATION_ACK);
        assert_eq!(
            rec.session_id(),
            ack["acknowledgement_id"].as_str().unwrap()
        );
        assert!(rec.session_id().starts_with("gordack-"));
    }

    #[test]
    fn bulk_response_counts_and_names_the_first_ack() {
        let at = Utc.with_ymd_and_hms(2026, 5, 20, 10, 25, 0).unwrap();
        let recs: Vec<Record> = (0..3)
            .map(|_| ack_record(&build_ack(&input(), at)))
            .collect();
        let out = bulk_response(AckState::Resolved, recs.clone());
        assert_eq!(out["acknowledgement_count"], 3);
        assert_eq!(
            out["bulk_id"],
            format!("gordbulkack-3-{}", recs[0].session_id())
        );
        assert_eq!(out["acknowledgements"].as_array().unwrap().len(), 3);
    }

    #[test]
    fn chunking_uses_the_server_limit() {
        assert_eq!(chunk_count(0), 0);
        assert_eq!(chunk_count(100), 1);
        assert_eq!(chunk_count(101), 2);
        assert_eq!(chunk_count(250), 3);
    }

    #[test]
    fn a_route_changed_since_the_preview_is_skipped_whatever_it_became() {
        use AckState::*;
        // Seen outstanding, acknowledged by someone else since: an escalation must not land.
        let why = changed_since_preview(Some("outstanding"), Some("acknowledged"), Escalated);
        assert_eq!(
            why.as_deref(),
            Some("now acknowledged, not outstanding (changed since the preview, by someone else)")
        );
        // Seen outstanding, now in the target state: not recorded twice.
        let why = changed_since_preview(Some("outstanding"), Some("Acknowledged"), Acknowledged);
        assert!(why.unwrap().starts_with("already acknowledged"));
        // Seen escalated, still escalated (stored with another spelling): recorded.
        assert_eq!(
            changed_since_preview(Some("escalated"), Some(" Escalated"), Escalated),
            None
        );
        assert_eq!(
            changed_since_preview(Some("outstanding"), None, Acknowledged),
            None
        );
        // Not checked without a preview state.
        assert_eq!(
            changed_since_preview(None, Some("resolved"), Acknowledged),
            None
        );
    }
}
