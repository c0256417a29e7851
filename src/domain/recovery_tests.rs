//! Recovery playbooks (grouping, lookback, categories), closures, and the retry recovery report.

use super::*;
use crate::domain::delivery::{ProviderOutcome, connector_delivery_record};
use crate::domain::recovery_report::{recovery_report, report_record};
use crate::domain::test_fixtures::{fields_of, fields_of_rows, text_starts_with};
use chrono::TimeZone;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 20, 12, 0, 0).unwrap()
}

fn failed(src: &str, provider: &str, minutes_ago: i64) -> Record {
    connector_delivery_record(
        src,
        "t",
        &format!("e-{provider}-{minutes_ago}"),
        &[ProviderOutcome {
            provider: provider.into(),
            status_code: 503,
        }],
        now() - Duration::minutes(minutes_ago),
        &[],
    )
}

#[test]
fn a_playbook_groups_recent_failures_by_provider() {
    let records = [
        failed(source::ACK_AUDIT, "splunk", 30),
        failed(source::ACK_AUDIT, "splunk", 90),
        failed(source::WORKER_HEALTH_ALERT, "Jira", 10),
        failed(source::ACK_AUDIT, "slack", 60 * 30),
        failed(source::NOTIFICATION, "teams", 5),
    ];
    let p = playbook(&records, 1, 24, "rm", now());
    let rows = fields_of_rows(
        &p["provider_playbooks"],
        &["provider", "category", "failure_count"],
    );
    assert_eq!(
        rows,
        [json!(["jira", "itsm", 1]), json!(["splunk", "siem", 2])]
    );
    assert_eq!(
        fields_of(&p, &["failure_count", "alert_level"]),
        json!([3, "critical"])
    );
    assert!(text_starts_with(&p["playbook_id"], "gordackrecovery-"));
    let strict = playbook(&records, 2, 24, "rm", now());
    assert_eq!(strict["provider_count"], 1);
    assert_eq!(playbook_record(&p).kind(), kind::RECOVERY_PLAYBOOK);
}

#[test]
fn closures_validate_and_the_report_tracks_open_closed_and_breached_recoveries() {
    let records = [
        failed(source::ACK_AUDIT, "splunk", 30),
        failed(source::ACK_AUDIT, "jira", 30),
    ];
    let p = playbook(&records, 1, 24, "rm", now() - Duration::minutes(300));
    let mut all = vec![playbook_record(&p)];
    let mut i = ClosureInput {
        playbook_id: p["playbook_id"].as_str().unwrap().into(),
        provider: "splunk".into(),
        closed_by: "rm".into(),
        closure_state: "closed".into(),
        verification_refs: vec!["gordackretryexec-1".into()],
        ..Default::default()
    };
    assert_eq!(
        close(&i, now()).unwrap_err().to_string(),
        "closure_state must be resolved, mitigated, deferred, escalated, or reopened"
    );
    i.closure_state = String::new();
    let (c, rec) = close(&i, now()).unwrap();
    assert_eq!(
        fields_of(&c, &["closure_state", "verification_refs"]),
        json!(["resolved", ["gordackretryexec-1"]])
    );
    assert!(rec.session_id().starts_with("gordackrecoveryclosure-"));
    all.push(rec);
    let r = recovery_report(&all, 240, "rm", now());
    let state = |p: &str| {
        r["recovery_rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["provider"] == p)
            .unwrap()["slo_status"]
            .clone()
    };
    assert_eq!(
        (state("splunk"), state("jira")),
        (json!("closed"), json!("breached"))
    );
    assert_eq!(
        fields_of(
            &r,
            &["recovery_closed_count", "recovery_slo_breached_count"]
        ),
        json!([1, 1])
    );
    assert_eq!(r["alert_level"], "critical");
    assert_eq!(report_record(&r).kind(), kind::RETRY_RECOVERY_REPORT);
}
