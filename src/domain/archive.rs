//! Archive-reference health over verified final auditor exports (CONTRACT §4.17).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::history::window_refs;
use super::ids::{make_id, py_json};
use super::level::alert_level;
use super::record::{PRODUCT, Record, kind, nested};
use super::time;

/// A field of a record, flat first, then in its nested object.
fn field<'a>(r: &'a Record, nested: &str, key: &str) -> &'a str {
    match r.str(key) {
        "" => r
            .object(nested)
            .and_then(|o| o.get(key))
            .and_then(Value::as_str)
            .unwrap_or(""),
        v => v,
    }
}

/// What to require of each archive reference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ArchiveRules {
    pub require_archive_hash: bool,
    pub require_retention_until: bool,
}

impl Default for ArchiveRules {
    fn default() -> Self {
        ArchiveRules {
            require_archive_hash: true,
            require_retention_until: true,
        }
    }
}

/// Builds the archive health report.
pub fn archive_health(
    records: &[Record],
    rules: ArchiveRules,
    generated_by: &str,
    now: DateTime<Utc>,
) -> Map<String, Value> {
    const EXPORT: &str = nested::AUDITOR_EXPORT;
    const REFERENCE: &str = nested::ARCHIVE_REFERENCE;
    // As CAVRA: the newest 500 history records, exports in history order (newest first).
    let history = window_refs(records);
    let exports: Vec<&Record> = history
        .iter()
        .copied()
        .filter(|r| {
            r.kind() == kind::AUDITOR_EXPORT && field(r, EXPORT, "verification_state") == "verified"
        })
        .collect();
    let mut refs: BTreeMap<&str, &Record> = BTreeMap::new();
    for r in history
        .iter()
        .copied()
        .filter(|r| r.kind() == kind::ARCHIVE_REFERENCE)
    {
        // The first of the newest in history order is the latest (a stable sort in CAVRA).
        let export_id = field(r, REFERENCE, "export_id");
        if refs
            .get(export_id)
            .is_none_or(|cur| cur.created_at() < r.created_at())
        {
            refs.insert(export_id, r);
        }
    }
    let mut alerts = Vec::new();
    let (mut checked, mut archived) = (0usize, 0usize);
    for e in &exports {
        let export_id = field(e, EXPORT, "export_id");
        if export_id.is_empty() {
            continue;
        }
        checked += 1;
        let Some(reference) = refs.get(export_id) else {
            alerts.push(json!({"alert_id": "archive_reference_missing", "severity": "critical", "export_id": export_id,
                               "release_record_ref": field(e, EXPORT, "release_record_ref"),
                               "message": "verified auditor export has no immutable archive reference"}));
            continue;
        };
        archived += 1;
        let reference_id = field(reference, REFERENCE, "reference_id");
        if rules.require_archive_hash && field(reference, REFERENCE, "archive_hash").is_empty() {
            alerts.push(json!({"alert_id": "archive_hash_missing", "severity": "warning", "export_id": export_id,
                               "reference_id": reference_id, "message": "archive reference does not include an external object hash"}));
        }
        if rules.require_retention_until
            && field(reference, REFERENCE, "retention_until").is_empty()
        {
            alerts.push(json!({"alert_id": "retention_until_missing", "severity": "warning", "export_id": export_id,
                               "reference_id": reference_id, "message": "archive reference does not include a retention_until timestamp"}));
        }
    }
    let critical = alerts
        .iter()
        .filter(|a| a["severity"] == "critical")
        .count();
    let warning = alerts.len() - critical;
    let level = alert_level(critical > 0, warning > 0);
    let generated_at = time::iso(now);
    let v = json!({
        "schema_version": "cavra.go-backend-pilot.rollback-drill-final-reporting-archive-reference-health.v1",
        "product": PRODUCT, "health_id": make_id("gordackfinalarchivehealth",
            &py_json(&json!({"generated_at": generated_at, "checked_exports": checked, "alerts": alerts}))),
        "generated_at": generated_at, "generated_by": generated_by, "alert_level": level,
        "checked_export_count": checked, "archived_export_count": archived,
        "missing_archive_reference_count": checked - archived, "alert_count": alerts.len(),
        "critical_alert_count": critical, "warning_alert_count": warning, "alerts": alerts,
        "recommended_actions": ["capture immutable archive references for verified auditor exports",
                                "include retention_until and archive_hash when archive provider supports them",
                                "route archive writes through private enterprise connectors or operator-owned archive tooling"],
        "controls": ["archive-health-derived-from-public-safe-auditor-export-and-archive-reference-metadata",
                     "archive-health-does-not-perform-storage-writes",
                     "archive-health-contains-no-archive-credentials-or-private-endpoints"],
    });
    v.as_object().cloned().expect("object literal")
}

/// The metadata of a report (stored only on the explicit "check" action); CAVRA's counters:
/// exports checked, critical alerts, all alerts.
pub fn archive_health_metadata(h: &Map<String, Value>) -> Map<String, Value> {
    let g = |k: &str| h.get(k).cloned().unwrap_or(Value::Null);
    let v = json!({
        "session_id": g("health_id"), "created_at": g("generated_at"), "signer": g("generated_by"),
        "decision_count": g("checked_export_count"), "blocked_count": g("critical_alert_count"),
        "approval_required_count": g("alert_count"),
        "metadata_kind": kind::ARCHIVE_HEALTH, "health_id": g("health_id"), "alert_level": g("alert_level"),
        "alert_count": g("alert_count"), "critical_alert_count": g("critical_alert_count"),
        "warning_alert_count": g("warning_alert_count"), "missing_archive_reference_count": g("missing_archive_reference_count"),
        "final_reporting_archive_reference_health": Value::Object(h.clone()),
    });
    v.as_object().cloned().expect("object literal")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_fixtures::{column, contract_sample, keys_of, rec};
    use chrono::TimeZone;

    fn export(id: &str, state: &str) -> Record {
        rec(
            json!({"session_id": id, "metadata_kind": kind::AUDITOR_EXPORT, "created_at": "2026-05-21T08:00:00+00:00",
                   "final_reporting_auditor_export": {"export_id": id, "verification_state": state, "release_record_ref": "REL-1"}}),
        )
    }

    fn reference(export_id: &str, hash: &str, retention: &str) -> Record {
        rec(
            json!({"session_id": format!("ref-{export_id}"), "metadata_kind": kind::ARCHIVE_REFERENCE, "created_at": "2026-05-21T08:10:00+00:00",
                   "export_id": export_id, "reference_id": format!("ref-{export_id}"), "archive_hash": hash, "retention_until": retention}),
        )
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 5, 21, 9, 10, 0).unwrap()
    }

    #[test]
    fn missing_reference_is_critical_and_missing_fields_are_warnings() {
        let recs = [
            export("e1", "verified"),
            export("e2", "verified"),
            export("e3", "pending"),
            reference("e2", "sha256:abc", ""),
        ];
        let h = archive_health(&recs, ArchiveRules::default(), "console", now());
        assert_eq!(
            h["checked_export_count"], 2,
            "only verified exports are checked"
        );
        assert_eq!(h["archived_export_count"], 1);
        assert_eq!(h["missing_archive_reference_count"], 1);
        let ids = column(&h["alerts"], "alert_id");
        assert_eq!(
            ids,
            ["archive_reference_missing", "retention_until_missing"]
        );
        assert_eq!(h["alert_level"], "critical");
        let relaxed = ArchiveRules {
            require_archive_hash: true,
            require_retention_until: false,
        };
        let h = archive_health(&recs[1..], relaxed, "console", now());
        assert_eq!(h["alert_level"], "healthy");
    }

    #[test]
    fn report_and_metadata_have_the_contract_keys() {
        let recs = [export("e1", "verified"), reference("e1", "", "2030-01-01")];
        let h = archive_health(&recs, ArchiveRules::default(), "console", now());
        assert_eq!(h["alerts"][0]["alert_id"], "archive_hash_missing");
        assert_eq!(
            h["alerts"][0]["message"],
            "archive reference does not include an external object hash"
        );
        let sample: Value = contract_sample("archive-reference-health-response.json");
        assert_eq!(
            keys_of(&Value::Object(h.clone())),
            keys_of(&sample["health"])
        );
        let mut meta = keys_of(&Value::Object(archive_health_metadata(&h)));
        meta.insert(0, "product".into());
        meta.insert(0, "schema_version".into());
        assert_eq!(meta, keys_of(&sample["metadata"]));
        // The sample's counters: checked exports, critical alerts, all alerts.
        for (k, from) in [
            ("decision_count", "checked_export_count"),
            ("blocked_count", "critical_alert_count"),
            ("approval_required_count", "alert_count"),
        ] {
            assert_eq!(
                sample["metadata"][k], sample["health"][from],
                "the sample pins {k}"
            );
        }
        let meta = archive_health_metadata(&h);
        assert_eq!(meta["decision_count"], h["checked_export_count"]);
        assert_eq!(meta["approval_required_count"], h["alert_count"]);
    }

    #[test]
    fn alerts_follow_the_exports_in_history_order_newest_first() {
        let mut old = export("e-old", "verified");
        old.0
            .insert("created_at".into(), json!("2026-05-21T07:00:00+00:00"));
        let recs = [old, export("e-new", "verified")];
        let h = archive_health(&recs, ArchiveRules::default(), "console", now());
        let ids = column(&h["alerts"], "export_id");
        assert_eq!(ids, ["e-new", "e-old"]);
    }
}
