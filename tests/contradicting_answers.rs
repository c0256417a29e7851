//! An answer whose record contradicts what was sent (another state, or its stored `metadata`
//! record saying otherwise) is not taken for the record of this write: the console re-reads
//! the server and reports what it holds. Served by wiremock on 127.0.0.1.

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use cavra_tui::actions::{Acted, PaneAction, perform};
use cavra_tui::backend::capabilities::audit_path;
use cavra_tui::backend::remote::{BASE, Client, RemoteBackend};
use cavra_tui::domain::approval::ApprovalDecisionInput;

/// A server whose history holds nothing (before and after), answering one POST to `post`
/// (an audit path) with `answer`.
async fn server(post: &str, answer: serde_json::Value) -> MockServer {
    let s = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(BASE))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"items": [], "total": 0, "offset": 0})),
        )
        .mount(&s)
        .await;
    Mock::given(method("POST"))
        .and(path(audit_path(post)))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .expect(1)
        .mount(&s)
        .await;
    s
}

/// The remote backend for `s`, as `alice`, with what the action returned.
async fn act(s: &MockServer, action: PaneAction) -> Acted {
    let client = Client::new(s.uri().parse().unwrap(), None, None, Duration::from_secs(2))
        .unwrap()
        .with_backoff(Duration::from_millis(5));
    let b = RemoteBackend::new("t", client);
    perform(&b, action, "alice", &["alice".to_string()])
        .await
        .unwrap()
}

const DECISIONS: &str = "retry-execution-approval-plans/AP1/decisions";

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
        let s = server(DECISIONS, answer).await;
        let acted = act(&s, decide()).await;
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
    let recorded = json!({"decision": decision, "metadata": {"approval_state": "approved"}});
    let acted = act(&server(DECISIONS, recorded).await, decide()).await;
    assert!(
        matches!(acted, Acted::Answered { ref verdict, .. } if verdict.ok()),
        "{acted:?}"
    );
}

#[tokio::test]
async fn an_alert_sent_to_another_provider_than_asked_is_an_unknown_outcome() {
    let answer = json!({"plan": {"plan_id": "P1", "requested_provider": "jira",
        "eligible_providers": ["jira"], "selected_providers": ["jira"]},
        "delivery": {"deliveries": [{"provider": "jira", "status_code": 200, "success": true}]},
        "success": true});
    let s = server("worker-health-alerts/deliver", answer).await;
    let acted = act(
        &s,
        cavra_tui::actions::defaults::send_alert("webhook", "alice"),
    )
    .await;
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
