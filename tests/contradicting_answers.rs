//! An answer whose record contradicts what was sent (another state, or its stored `metadata`
//! record saying otherwise) is not taken for the record of this write: the console re-reads
//! the server and reports what it holds. Served by wiremock on 127.0.0.1.

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

use cavra_tui::actions::{Acted, PaneAction, perform};
use cavra_tui::backend::capabilities::audit_path;
use cavra_tui::backend::remote::{BASE, Client, RemoteBackend};
use cavra_tui::domain::approval::ApprovalDecisionInput;

async fn server(decision: serde_json::Value) -> MockServer {
    let s = MockServer::start().await;
    // The history holds nothing, before and after.
    Mock::given(method("GET"))
        .and(path(BASE))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"items": [], "total": 0, "offset": 0})),
        )
        .mount(&s)
        .await;
    Mock::given(method("POST"))
        .and(path_regex(format!(
            "^{}$",
            audit_path("retry-execution-approval-plans/AP1/decisions")
        )))
        .respond_with(ResponseTemplate::new(200).set_body_json(decision))
        .expect(1)
        .mount(&s)
        .await;
    s
}

fn decide() -> PaneAction {
    PaneAction::DecideRetryApproval(ApprovalDecisionInput {
        approval_plan_id: "AP1".into(),
        provider: "servicenow".into(),
        decided_by: "alice".into(),
        approval_state: "approved".into(),
        retry_plan_id: "R1".into(),
        delivery_id: "d1".into(),
        audit_id: "a1".into(),
        ..Default::default()
    })
}

#[tokio::test]
async fn a_decision_answered_with_another_state_is_re_read_not_recorded() {
    let decision = json!({"decision_id": "X1", "approval_plan_id": "AP1", "provider": "servicenow",
        "approval_state": "approved", "retry_plan_id": "R1", "delivery_id": "d1", "audit_id": "a1"});
    for (name, answer) in [
        (
            "decision",
            json!({"decision": {"approval_state": "denied", "decision_id": "X1"}}),
        ),
        (
            "metadata",
            json!({"decision": decision, "metadata": {"approval_state": "denied"}}),
        ),
    ] {
        let s = server(answer).await;
        let client = Client::new(s.uri().parse().unwrap(), None, None, Duration::from_secs(2))
            .unwrap()
            .with_backoff(Duration::from_millis(5));
        let b = RemoteBackend::new("t", client);
        let acted = perform(&b, decide(), "alice", &["alice".to_string()])
            .await
            .unwrap();
        let Acted::NotStored { lost } = &acted else {
            panic!("{name}: {acted:?}");
        };
        assert!(
            lost.contains(&format!(
                "the answer's `{name}` is not the record of what was sent"
            )) && lost.contains(r#"approval_state "denied", not "approved" as sent"#),
            "{lost}"
        );
        s.verify().await;
    }
    // The same answer without the contradiction is recorded.
    let s = server(json!({"decision": decision, "metadata": {"approval_state": "approved"}})).await;
    let client = Client::new(s.uri().parse().unwrap(), None, None, Duration::from_secs(2)).unwrap();
    let b = RemoteBackend::new("t", client);
    let acted = perform(&b, decide(), "alice", &["alice".to_string()])
        .await
        .unwrap();
    assert!(
        matches!(acted, Acted::Answered { ref verdict, .. } if verdict.ok()),
        "{acted:?}"
    );
}

#[tokio::test]
async fn an_alert_sent_to_another_provider_than_asked_is_an_unknown_outcome() {
    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(BASE))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"items": [], "total": 0, "offset": 0})),
        )
        .mount(&s)
        .await;
    let answer = json!({"plan": {"plan_id": "P1", "requested_provider": "jira",
        "eligible_providers": ["jira"], "selected_providers": ["jira"]},
        "delivery": {"deliveries": [{"provider": "jira", "status_code": 200, "success": true}]},
        "success": true});
    Mock::given(method("POST"))
        .and(path(audit_path("worker-health-alerts/deliver")))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .expect(1)
        .mount(&s)
        .await;
    let client = Client::new(s.uri().parse().unwrap(), None, None, Duration::from_secs(2)).unwrap();
    let b = RemoteBackend::new("t", client);
    let send = cavra_tui::actions::defaults::send_alert("webhook", "alice");
    let acted = perform(&b, send, "alice", &["alice".to_string()])
        .await
        .unwrap();
    let Acted::Answered { verdict, .. } = &acted else {
        panic!("{acted:?}");
    };
    assert!(verdict.outcome_unknown() && !verdict.ok(), "{verdict:?}");
    assert!(
        verdict
            .unknown
            .iter()
            .any(|u| u.contains(r#"requested_provider "jira", not "webhook" as sent"#)),
        "{verdict:?}"
    );
}
