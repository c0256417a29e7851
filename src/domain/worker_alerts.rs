//! Worker-health alerts (CONTRACT §4.12–4.15): the routing plan, the acknowledgement, the
//! alert history and its dashboard.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::alert_routing::{alert_basis, alert_routing};
use super::approval::map;
use super::ids::make_id;
use super::input::{Choice, Recorded, required, required_provider};
use super::level::alert_level;
use super::record::{PRODUCT, Record, Stamp, counts, kind, nested, source};
use super::retry::normalise;
use super::time;

/// What "Send Worker Alert" asks for (§4.12 body).
#[derive(Debug, Clone, PartialEq)]
pub struct AlertRequest {
    pub provider: String,
    /// `None`: the server's default (60 minutes), and the field is not sent.
    pub suppression_window_minutes: Option<u32>,
    pub force: bool,
    pub generated_by: String,
}

/// §4.12: which providers get the alert. `configured` are the connectors in config.
pub fn alert_plan(
    health: &Map<String, Value>,
    req: &AlertRequest,
    configured: &[String],
    records: &[Record],
    now: DateTime<Utc>,
) -> Map<String, Value> {
    let basis = alert_basis(health, configured);
    let (health_id, level) = (basis.0, basis.1);
    let routing = alert_routing(basis, req, records, source::WORKER_HEALTH_ALERT, now);
    let generated_at = time::iso(now);
    let plan_id = make_id("gordackhealthalert", &format!("{health_id}|{generated_at}"));
    let alerts = health
        .get("alerts")
        .and_then(Value::as_array)
        .map(Vec::len)
        .unwrap_or(0);
    let g = |k: &str| health.get(k).cloned().unwrap_or(json!(0));
    let mut plan = map(json!({
        "schema_version": "cavra.go-backend-pilot.rollback-drill-acknowledgement-audit-delivery-worker-health-alert-plan.v1",
        "product": PRODUCT, "plan_id": plan_id, "health_id": health_id, "generated_at": generated_at,
        "generated_by": req.generated_by, "source_health_generated_at": g("generated_at"), "alert_level": level,
        "summary": {"run_count": g("run_count"), "retryable_count": g("retryable_count"), "missed_run_count": g("missed_run_count"),
                    "failed_job_count": g("failed_job_count"), "alert_count": alerts},
    }));
    plan.extend(routing);
    plan.insert(
        "controls".into(),
        json!([
            "worker-health-alert-routing-derived-from-public-health-metadata",
            "duplicate-suppression-uses-redacted-delivery-metadata",
            "acknowledgements-record-human-or-automation-review",
            "no-connector-credentials-stored-in-worker-health-alert-plan"
        ]),
    );
    plan
}

/// The stored record of an alert plan (suppressed providers flattened to names).
pub fn alert_plan_record(plan: &Map<String, Value>) -> Record {
    let suppressed = suppressed_names(plan);
    let selected = plan.get("selected_providers").and_then(Value::as_array);
    let to_ack = u8::from(selected.is_some_and(|a| !a.is_empty()));
    let stamp = Stamp::generated("plan_id");
    let counts = counts(1, 0, to_ack);
    Record::draft(kind::WORKER_HEALTH_ALERT_PLAN, plan, stamp, counts)
        .copy(&["plan_id", "health_id", "alert_level"])
        .copy(&["selected_providers"])
        .set("suppressed_provider_count", suppressed.len())
        .set("suppressed_providers", suppressed)
        .copy(&["acknowledgement_required_providers"])
        .copy(&["suppression_window_minutes"])
        .nest(nested::WORKER_HEALTH_ALERT_PLAN)
}

/// The names of an alert plan's suppressed providers (as its stored record lists them).
pub fn suppressed_names(plan: &Map<String, Value>) -> Vec<Value> {
    plan.get("suppressed_providers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|s| s.get("provider").cloned().unwrap_or(Value::Null))
        .collect()
}

/// §4.13 states.
pub const ALERT_ACK_STATES: [&str; 4] = ["acknowledged", "dismissed", "escalated", "resolved"];

/// Acknowledge a worker-health alert (§4.13), or an archive-health alert (same fields); also
/// its body (the health id goes in the path).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AlertAckInput {
    #[serde(skip)]
    pub health_id: String,
    pub provider: String,
    pub acknowledged_by: String,
    #[serde(rename = "acknowledgement_state")]
    pub state: String,
    pub external_ref: String,
    pub notes: String,
    pub plan_id: String,
}

/// The `acknowledgement_state` of an alert acknowledgement (blank: acknowledged).
pub const ALERT_ACK_STATE: Choice = Choice {
    field: "acknowledgement_state",
    states: &ALERT_ACK_STATES,
};

/// What sets one alert family's acknowledgement apart (worker health §4.13, archive health).
pub struct AlertAckSpec {
    /// Is an empty `health_id` refused?
    pub health_id_required: bool,
    /// The acknowledgement id's prefix.
    pub id_prefix: &'static str,
    /// Does the id's material name who acknowledged?
    pub id_names_acknowledger: bool,
    pub schema_version: &'static str,
    pub metadata_kind: &'static str,
    pub controls: &'static [&'static str],
}

/// §4.13: validates and builds a worker-health alert acknowledgement and its record.
pub fn alert_ack(input: &AlertAckInput, now: DateTime<Utc>) -> Recorded {
    let spec = AlertAckSpec {
        health_id_required: false,
        id_prefix: "gordackhealthack",
        id_names_acknowledger: false,
        schema_version: "cavra.go-backend-pilot.rollback-drill-acknowledgement-audit-delivery-worker-health-alert-ack.v1",
        metadata_kind: kind::WORKER_HEALTH_ALERT_ACK,
        controls: &[
            "worker-health-alert-acknowledgement-records-review-only",
            "no-provider-token-or-secret-stored",
            "retry-worker-recovery-remains-operator-or-private-connector-responsibility",
        ],
    };
    build_alert_ack(input, &spec, now)
}

/// Validates and builds an alert acknowledgement of the family `spec` describes, and its record.
pub fn build_alert_ack(input: &AlertAckInput, spec: &AlertAckSpec, now: DateTime<Utc>) -> Recorded {
    let AlertAckInput {
        health_id,
        plan_id,
        acknowledged_by,
        external_ref,
        notes,
        ..
    } = input;
    if spec.health_id_required {
        required("health_id", health_id)?;
    }
    let provider = required_provider(&input.provider)?;
    required("acknowledged_by", acknowledged_by)?;
    let state = ALERT_ACK_STATE.pick(&input.state)?;
    let at = time::iso(now);
    let material = if spec.id_names_acknowledger {
        format!("{health_id}|{provider}|{state}|{acknowledged_by}|{at}")
    } else {
        format!("{health_id}|{provider}|{state}|{at}")
    };
    let id = make_id(spec.id_prefix, &material);
    let ack = json!({
        "schema_version": spec.schema_version,
        "product": PRODUCT, "acknowledgement_id": id, "health_id": health_id, "plan_id": plan_id, "provider": provider,
        "acknowledgement_state": state, "acknowledged_by": acknowledged_by, "acknowledged_at": at,
        "external_ref": external_ref, "notes": notes, "controls": spec.controls,
    });
    let ack = ack.as_object().cloned().expect("object literal");
    let meta = json!({
        "session_id": id, "created_at": at, "signer": acknowledged_by, "decision_count": 1, "blocked_count": 0,
        "approval_required_count": 0, "metadata_kind": spec.metadata_kind, "acknowledgement_id": id,
        "health_id": health_id, "plan_id": plan_id, "provider": provider, "acknowledgement_state": state,
        "external_ref": external_ref, "acknowledgement": Value::Object(ack.clone()),
    });
    Ok((
        ack,
        Record::envelope(meta.as_object().cloned().expect("object literal")),
    ))
}

/// §4.14 query.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AlertQuery {
    pub health_id: Option<String>,
    pub provider: Option<String>,
    pub metadata_kind: Option<String>,
    pub acknowledgement_state: Option<String>,
    pub suppressed: Option<bool>,
}

/// Is a record part of the worker-health alert history, and does it pass the query?
pub fn alert_history_matches(q: &AlertQuery, r: &Record) -> bool {
    let member = matches!(
        r.kind(),
        kind::WORKER_HEALTH_ALERT_PLAN | kind::WORKER_HEALTH_ALERT_ACK
    ) || (r.kind() == kind::CONNECTOR_DELIVERY
        && r.str("connector_delivery_source") == source::WORKER_HEALTH_ALERT);
    if !member {
        return false;
    }
    if let Some(h) = q.health_id.as_ref().filter(|s| !s.is_empty()) {
        if r.str("health_id") != h && r.str("event_id") != h && r.session_id() != h {
            return false;
        }
    }
    if let Some(p) = q
        .provider
        .as_ref()
        .map(|p| normalise(p))
        .filter(|s| !s.is_empty())
    {
        let names: Vec<&str> = [
            r.strs("selected_providers"),
            r.strs("providers"),
            r.strs("failed_providers"),
        ]
        .concat();
        if r.str("provider") != p && !names.contains(&p.as_str()) {
            return false;
        }
    }
    if q.metadata_kind
        .as_ref()
        .is_some_and(|k| !k.is_empty() && k != r.kind())
    {
        return false;
    }
    if q.acknowledgement_state
        .as_ref()
        .is_some_and(|s| !s.is_empty() && normalise(s) != r.str("acknowledgement_state"))
    {
        return false;
    }
    if let Some(want) = q.suppressed {
        if r.strs("suppressed_providers").is_empty() == want {
            return false;
        }
    }
    true
}

/// §4.15: the worker-health alert dashboard.
pub fn alert_dashboard(records: &[Record], now: DateTime<Utc>) -> Map<String, Value> {
    let all: Vec<&Record> = records
        .iter()
        .filter(|r| alert_history_matches(&AlertQuery::default(), r))
        .collect();
    let deliveries = of_kind(&all, kind::CONNECTOR_DELIVERY);
    let failed = deliveries
        .iter()
        .filter(|r| r.bool("delivery_success") == Some(false))
        .count();
    let mut latest = all.clone();
    latest.sort_by(|a, b| b.created_at().cmp(a.created_at()));
    let board = AlertBoard {
        plans: of_kind(&all, kind::WORKER_HEALTH_ALERT_PLAN),
        acks: of_kind(&all, kind::WORKER_HEALTH_ALERT_ACK),
        deliveries: deliveries.len(),
        failed,
        latest,
    };
    board.dashboard(
        "cavra.go-backend-pilot.rollback-drill-acknowledgement-audit-delivery-worker-health-alert-dashboard.v1",
        now,
    )
}

/// The records of one kind, in the order given.
pub fn of_kind<'a>(all: &[&'a Record], k: &str) -> Vec<&'a Record> {
    all.iter().filter(|r| r.kind() == k).copied().collect()
}

/// What an alert dashboard (worker-health or archive) is made from.
pub struct AlertBoard<'a> {
    /// Alert plans, in the order their outstanding acknowledgements are listed.
    pub plans: Vec<&'a Record>,
    pub acks: Vec<&'a Record>,
    pub deliveries: usize,
    pub failed: usize,
    /// The history, newest first.
    pub latest: Vec<&'a Record>,
}

impl AlertBoard<'_> {
    /// The dashboard: counts, the providers a plan still needs an acknowledgement from (20),
    /// the level (critical on a failed delivery or an outstanding acknowledgement, warning on
    /// a suppression), and the ten newest records.
    pub fn dashboard(&self, schema: &str, now: DateTime<Utc>) -> Map<String, Value> {
        let mut outstanding = Vec::new();
        for p in &self.plans {
            for provider in p.strs("acknowledgement_required_providers") {
                let acked = self.acks.iter().any(|a| {
                    a.str("health_id") == p.str("health_id") && a.str("provider") == provider
                });
                if !acked {
                    outstanding.push(json!({"health_id": p.str("health_id"), "provider": provider, "plan_id": p.str("plan_id")}));
                }
            }
        }
        let suppressed: u64 = self
            .plans
            .iter()
            .map(|p| {
                p.0.get("suppressed_provider_count")
                    .and_then(Value::as_u64)
                    .unwrap_or(0)
            })
            .sum();
        let level = alert_level(self.failed > 0 || !outstanding.is_empty(), suppressed > 0);
        let v = json!({
            "schema_version": schema, "product": PRODUCT, "generated_at": time::iso(now), "alert_level": level,
            "plan_count": self.plans.len(), "delivery_count": self.deliveries, "failed_delivery_count": self.failed,
            "acknowledgement_count": self.acks.len(), "outstanding_acknowledgement_count": outstanding.len(),
            "suppressed_provider_count": suppressed,
            "outstanding_acknowledgements": outstanding.into_iter().take(20).collect::<Vec<_>>(),
            "latest": self.latest.iter().take(10).map(|r| Value::Object(r.0.clone())).collect::<Vec<_>>(),
        });
        v.as_object().cloned().expect("object literal")
    }
}
