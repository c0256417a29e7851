//! The evidence metadata record envelope (CONTRACT §1.3) and the metadata kinds the console reads.
//!
//! A record is kept as the JSON object CAVRA stores, so fields this console does not know
//! survive a round trip; typed accessors read the fields it does know, tolerating absence.

use serde_json::{Map, Value};

/// `schema_version` every stored envelope carries.
pub const ENVELOPE_SCHEMA: &str = "cavra.evidence.metadata.v1";
/// `product` every CAVRA object carries.
pub const PRODUCT: &str = "CAVRA";

/// Metadata kinds (CONTRACT §4.1).
pub mod kind {
    pub const NOTIFICATION_PLAN: &str = "go-backend-rollback-drill-notification-plan";
    pub const NOTIFICATION_ACK: &str = "go-backend-rollback-drill-notification-ack";
    pub const AUDIT_PACKAGE: &str = "go-backend-rollback-drill-acknowledgement-audit-package";
    pub const AUDIT_DELIVERY_PLAN: &str =
        "go-backend-rollback-drill-acknowledgement-audit-delivery-plan";
    pub const CONNECTOR_DELIVERY: &str = "release-connector-delivery";
    pub const RETRY_PLAN: &str =
        "go-backend-rollback-drill-acknowledgement-audit-delivery-retry-plan";
    pub const RETRY_ACK: &str =
        "go-backend-rollback-drill-acknowledgement-audit-delivery-retry-ack";
    pub const WORKER_RUN: &str =
        "go-backend-rollback-drill-acknowledgement-audit-delivery-worker-run";
    pub const WORKER_HEALTH_ALERT_PLAN: &str =
        "go-backend-rollback-drill-acknowledgement-audit-delivery-worker-health-alert-plan";
    pub const WORKER_HEALTH_ALERT_ACK: &str =
        "go-backend-rollback-drill-acknowledgement-audit-delivery-worker-health-alert-ack";
    pub const AUDITOR_EXPORT: &str =
        "go-backend-rollback-drill-acknowledgement-audit-delivery-final-reporting-auditor-export";
    pub const AUDITOR_EXPORT_RETRY_PLAN: &str = "go-backend-rollback-drill-acknowledgement-audit-delivery-final-reporting-auditor-export-delivery-retry-plan";
    pub const ARCHIVE_REFERENCE: &str = "go-backend-rollback-drill-acknowledgement-audit-delivery-final-reporting-immutable-archive-reference";
    pub const ARCHIVE_HEALTH: &str = "go-backend-rollback-drill-acknowledgement-audit-delivery-final-reporting-archive-reference-health";
    pub const RETRY_APPROVAL_PLAN: &str =
        "go-backend-rollback-drill-acknowledgement-audit-delivery-retry-execution-approval-plan";
    pub const RETRY_APPROVAL_DECISION: &str = "go-backend-rollback-drill-acknowledgement-audit-delivery-retry-execution-approval-decision";
    pub const RETRY_EXECUTION: &str =
        "go-backend-rollback-drill-acknowledgement-audit-delivery-retry-execution-record";
    pub const RECOVERY_PLAYBOOK: &str =
        "go-backend-rollback-drill-acknowledgement-audit-delivery-connector-recovery-playbook";
    pub const RECOVERY_CLOSURE: &str =
        "go-backend-rollback-drill-acknowledgement-audit-delivery-connector-recovery-closure";
    pub const RETRY_RECOVERY_REPORT: &str =
        "go-backend-rollback-drill-acknowledgement-audit-delivery-retry-recovery-report";
    pub const AUDITOR_RETRY_WORKER_RUN: &str = "go-backend-rollback-drill-acknowledgement-audit-delivery-final-reporting-auditor-export-delivery-retry-worker-run";
    pub const AUDITOR_RETRY_EXECUTION: &str = "go-backend-rollback-drill-acknowledgement-audit-delivery-final-reporting-auditor-export-delivery-retry-execution-record";
    pub const ARCHIVE_ALERT_PLAN: &str = "go-backend-rollback-drill-acknowledgement-audit-delivery-final-reporting-archive-reference-health-alert-plan";
    pub const ARCHIVE_ALERT_ACK: &str = "go-backend-rollback-drill-acknowledgement-audit-delivery-final-reporting-archive-reference-health-alert-ack";
    pub const SUPPRESSION_TREND: &str = "go-backend-rollback-drill-routing-suppression-trend";
    /// Every kind starts with this; the history table shows kinds without it.
    pub const PREFIX: &str = "go-backend-rollback-drill-";
    /// Kinds under this prefix are the audit/retry/recovery/final/worker family.
    pub const AUDIT_DELIVERY_PREFIX: &str =
        "go-backend-rollback-drill-acknowledgement-audit-delivery";
}

/// `connector_delivery_source` values used by the family (CONTRACT §1.3).
pub mod source {
    pub const NOTIFICATION: &str = "go_backend_rollback_drill_notification";
    pub const ACK_AUDIT: &str = "go_backend_rollback_drill_acknowledgement_audit";
    pub const WORKER_HEALTH_ALERT: &str =
        "go_backend_rollback_drill_acknowledgement_audit_worker_health_alert";
    pub const AUDITOR_EXPORT: &str =
        "go_backend_rollback_drill_acknowledgement_audit_final_reporting_auditor_export";
    pub const ARCHIVE_HEALTH_ALERT: &str = "go_backend_rollback_drill_acknowledgement_audit_final_reporting_archive_reference_health_alert";
    /// The nine sources the history endpoint accepts (CONTRACT §1.3).
    pub const FAMILY: [&str; 9] = [
        "go_backend_rollback_drill_notification",
        "go_backend_rollback_drill_acknowledgement_audit",
        "go_backend_rollback_drill_acknowledgement_audit_worker_health_alert",
        "go_backend_rollback_drill_acknowledgement_audit_recovery_escalation",
        "go_backend_rollback_drill_acknowledgement_audit_recovery_escalation_retry_health_alert",
        "go_backend_rollback_drill_acknowledgement_audit_recovery_executive_report",
        "go_backend_rollback_drill_acknowledgement_audit_recovery_executive_report_delivery_retry_health_alert",
        "go_backend_rollback_drill_acknowledgement_audit_final_reporting_auditor_export",
        "go_backend_rollback_drill_acknowledgement_audit_final_reporting_archive_reference_health_alert",
    ];
}

/// The key under which a stored record nests the object it wraps, one per kind.
pub mod nested {
    pub const NOTIFICATION_PLAN: &str = "plan";
    pub const ACK: &str = "acknowledgement";
    pub const AUDIT_PACKAGE: &str = "acknowledgement_audit_package";
    pub const AUDIT_DELIVERY_PLAN: &str = "acknowledgement_audit_delivery_plan";
    pub const RETRY_PLAN: &str = "acknowledgement_audit_delivery_retry_plan";
    pub const WORKER_RUN: &str = "acknowledgement_audit_delivery_worker_run";
    pub const WORKER_HEALTH_ALERT_PLAN: &str = "worker_health_alert_plan";
    pub const AUDITOR_EXPORT: &str = "final_reporting_auditor_export";
    pub const AUDITOR_EXPORT_RETRY_PLAN: &str =
        "final_reporting_auditor_export_delivery_retry_plan";
    pub const ARCHIVE_REFERENCE: &str = "final_reporting_immutable_archive_reference";
    pub const RETRY_APPROVAL_PLAN: &str = "retry_execution_approval_plan";
    pub const RETRY_APPROVAL_DECISION: &str = "retry_execution_approval_decision";
    pub const RETRY_EXECUTION: &str = "retry_execution_record";
    pub const RECOVERY_PLAYBOOK: &str = "connector_recovery_playbook";
    pub const RECOVERY_CLOSURE: &str = "connector_recovery_closure";
    pub const RETRY_RECOVERY_REPORT: &str = "retry_recovery_report";
    pub const AUDITOR_RETRY_WORKER_RUN: &str =
        "final_reporting_auditor_export_delivery_retry_worker_run";
    pub const AUDITOR_RETRY_EXECUTION: &str =
        "final_reporting_auditor_export_delivery_retry_execution_record";
    pub const ARCHIVE_ALERT_PLAN: &str = "final_reporting_archive_reference_health_alert_plan";
    pub const SUPPRESSION_TREND: &str = "routing_suppression_trend";
}

/// One stored evidence metadata record: the whole JSON object, unknown fields included.
#[derive(Debug, Clone, PartialEq)]
pub struct Record(pub Map<String, Value>);

impl Record {
    /// Wraps a builder's metadata in the stored envelope
    /// (`{"schema_version": ..., "product": ..., **metadata}`), as `evidence_store.upsert` does.
    pub fn envelope(metadata: Map<String, Value>) -> Record {
        let mut out = Map::new();
        out.insert("schema_version".into(), ENVELOPE_SCHEMA.into());
        out.insert("product".into(), PRODUCT.into());
        for (k, v) in metadata {
            out.insert(k, v);
        }
        Record(out)
    }

    /// Starts the stored record of `body` (a plan, run, report, acknowledgement ...): the
    /// header every kind carries, in CAVRA's order: `session_id`, `created_at` and `signer`
    /// read from `body` under the stamp's keys, the three counters
    /// (`decision_count`, `blocked_count`, `approval_required_count`), then `metadata_kind`.
    /// The kind's own fields follow ([`Draft::copy`], [`Draft::set`]), and [`Draft::nest`]
    /// ends it with `body` under its nested key, in the envelope.
    pub fn draft<'a>(
        metadata_kind: &str,
        body: &'a Map<String, Value>,
        stamp: Stamp,
        [decisions, blocked, approvals]: [Value; 3],
    ) -> Draft<'a> {
        let mut out = Map::new();
        out.insert("session_id".into(), field(body, stamp.id));
        out.insert("created_at".into(), field(body, stamp.at));
        out.insert("signer".into(), field(body, stamp.by));
        out.insert("decision_count".into(), decisions);
        out.insert("blocked_count".into(), blocked);
        out.insert("approval_required_count".into(), approvals);
        out.insert("metadata_kind".into(), metadata_kind.into());
        Draft { body, out }
    }

    /// Parses a record from JSON text; it must be an object.
    pub fn from_json(text: &str) -> Result<Record, serde_json::Error> {
        let map: Map<String, Value> = serde_json::from_str(text)?;
        Ok(Record(map))
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.0).expect("a JSON map always serialises")
    }

    /// A string field, or `""` when it is absent or not a string.
    pub fn str(&self, key: &str) -> &str {
        self.0.get(key).and_then(Value::as_str).unwrap_or("")
    }

    pub fn session_id(&self) -> &str {
        self.str("session_id")
    }
    pub fn created_at(&self) -> &str {
        self.str("created_at")
    }
    pub fn kind(&self) -> &str {
        self.str("metadata_kind")
    }

    /// A boolean field (`None` when absent or not a boolean).
    pub fn bool(&self, key: &str) -> Option<bool> {
        self.0.get(key).and_then(Value::as_bool)
    }

    /// A field's Python truthiness (absent is false), as CAVRA tests `item.get(key)`.
    pub fn truthy(&self, key: &str) -> bool {
        self.0.get(key).is_some_and(truthy)
    }

    /// A list-of-strings field (non-strings skipped; absent gives empty).
    pub fn strs(&self, key: &str) -> Vec<&str> {
        self.0
            .get(key)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    /// The nested object under `key` (e.g. `plan`, `acknowledgement`), if present.
    pub fn object(&self, key: &str) -> Option<&Map<String, Value>> {
        self.0.get(key).and_then(Value::as_object)
    }
}

/// Which keys of the wrapped object give a stored record's `session_id`, `created_at` and
/// `signer`.
#[derive(Debug, Clone, Copy)]
pub struct Stamp {
    pub id: &'static str,
    pub at: &'static str,
    pub by: &'static str,
}

impl Stamp {
    /// An object generated by someone (`generated_at`, `generated_by`), known by `id`.
    pub const fn generated(id: &'static str) -> Stamp {
        Stamp {
            id,
            at: "generated_at",
            by: "generated_by",
        }
    }
    /// An acknowledgement (`acknowledgement_id`, `acknowledged_at`, `acknowledged_by`).
    pub const ACK: Stamp = Stamp {
        id: "acknowledgement_id",
        at: "acknowledged_at",
        by: "acknowledged_by",
    };
    /// An execution record (`execution_id`, `executed_at`, `executed_by`).
    pub const EXECUTION: Stamp = Stamp {
        id: "execution_id",
        at: "executed_at",
        by: "executed_by",
    };
}

/// A stored record being built by [`Record::draft`]; fields keep the order they are added in.
pub struct Draft<'a> {
    body: &'a Map<String, Value>,
    out: Map<String, Value>,
}

impl Draft<'_> {
    /// Copies each key's value from the wrapped object (`null` when it is absent).
    pub fn copy(mut self, keys: &[&str]) -> Self {
        for k in keys {
            self.out.insert((*k).into(), field(self.body, k));
        }
        self
    }

    /// Adds a field the record computes.
    pub fn set(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.out.insert(key.into(), value.into());
        self
    }

    /// Ends the record: the wrapped object under `key`, all in the envelope.
    pub fn nest(self, key: &str) -> Record {
        let body = Value::Object(self.body.clone());
        Record::envelope(self.set(key, body).out)
    }
}

/// A stored record's three counters: `decision_count`, `blocked_count`,
/// `approval_required_count`.
pub fn counts(
    decisions: impl Into<Value>,
    blocked: impl Into<Value>,
    approvals: impl Into<Value>,
) -> [Value; 3] {
    [decisions.into(), blocked.into(), approvals.into()]
}

/// Fields of a JSON object, cloned (`null` where absent), e.g. a record's three counters.
pub fn fields<const N: usize>(obj: &Map<String, Value>, keys: [&str; N]) -> [Value; N] {
    keys.map(|k| field(obj, k))
}

/// A field of a JSON object, cloned (`null` when it is absent).
pub fn field(obj: &Map<String, Value>, key: &str) -> Value {
    obj.get(key).cloned().unwrap_or(Value::Null)
}

/// Normalises like the server: `strip().lower()` with `-` to `_`.
pub fn normalise(s: &str) -> String {
    s.trim().to_lowercase().replace('-', "_")
}

/// Python truthiness for a JSON value (the string "false" is true, as in the server).
pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// A string field of a JSON object, or `""`.
pub fn s<'a>(obj: &'a Map<String, Value>, key: &str) -> &'a str {
    obj.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The objects of the array field `key` of a JSON object, in order (none when it is missing
/// or no array; items that are no objects are passed over).
pub fn objects<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
) -> impl Iterator<Item = &'a Map<String, Value>> {
    obj.get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
}

/// An unsigned field of a JSON object (numbers or numeric strings), else `default`.
pub fn u(obj: &Map<String, Value>, key: &str, default: u64) -> u64 {
    match obj.get(key) {
        Some(Value::Number(n)) => n
            .as_u64()
            .or_else(|| n.as_f64().map(|f| f.max(0.0) as u64))
            .unwrap_or(default),
        Some(Value::String(t)) => t.trim().parse().unwrap_or(default),
        _ => default,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn envelope_puts_schema_and_product_first_and_keeps_fields() {
        let Value::Object(m) = json!({"session_id": "x", "custom": {"a": 1}}) else {
            unreachable!()
        };
        let r = Record::envelope(m);
        let keys: Vec<_> = r.0.keys().cloned().collect();
        assert_eq!(keys, ["schema_version", "product", "session_id", "custom"]);
        assert_eq!(r.str("schema_version"), ENVELOPE_SCHEMA);
    }

    #[test]
    fn a_draft_writes_the_header_then_the_fields_then_the_nested_object() {
        let Value::Object(plan) =
            json!({"plan_id": "p1", "generated_at": "t", "generated_by": "op", "n": 3})
        else {
            unreachable!()
        };
        let r = Record::draft(
            "k",
            &plan,
            Stamp::generated("plan_id"),
            [1.into(), 0.into(), 2.into()],
        )
        .copy(&["n", "missing"])
        .set("extra", true)
        .nest("nested_plan");
        assert_eq!(
            r.to_json(),
            r#"{"schema_version":"cavra.evidence.metadata.v1","product":"CAVRA","session_id":"p1","created_at":"t","signer":"op","decision_count":1,"blocked_count":0,"approval_required_count":2,"metadata_kind":"k","n":3,"missing":null,"extra":true,"nested_plan":{"plan_id":"p1","generated_at":"t","generated_by":"op","n":3}}"#
        );
    }

    #[test]
    fn unknown_fields_survive_a_json_round_trip() {
        let text = r#"{"session_id":"a","metadata_kind":"k","future_field":[1,{"b":true}]}"#;
        let r = Record::from_json(text).unwrap();
        assert_eq!(Record::from_json(&r.to_json()).unwrap(), r);
        assert_eq!(r.to_json(), text);
    }

    #[test]
    fn accessors_tolerate_missing_and_mistyped_fields() {
        let r = Record::from_json(r#"{"created_at": 5}"#).unwrap();
        assert_eq!(r.created_at(), "");
        assert_eq!(r.kind(), "");
        let o = json!({"n": "12", "f": 7.9, "bad": "x"});
        let o = o.as_object().unwrap();
        assert_eq!(u(o, "n", 0), 12);
        assert_eq!(u(o, "f", 0), 7);
        assert_eq!(u(o, "bad", 60), 60);
        assert_eq!(u(o, "missing", 60), 60);
    }
}
