//! Ids for the issue-12 actions come from the item the operator chose: an approval decision
//! takes the ids of the chosen decision of the chosen approval plan; a closure takes the
//! chosen provider of the chosen playbook and (at most three) of its execution ids; an archive
//! alert acknowledgement takes that alert's own plan. Also the look-ups that find the latest
//! plan or playbook, shared by the CLI and the TUI.

use serde_json::Value;

use super::select::{ChoiceError, DecisionChoice};
use crate::backend::calls::{ApprovalDecisionInput, ClosureInput};
use crate::backend::{Backend, BackendError, Json};
use crate::domain::history::HistoryQuery;
use crate::domain::query::Page;
use crate::domain::record::{kind, nested};
use crate::domain::recovery::MAX_VERIFICATION_REFS;
use crate::domain::retry::normalise;
use crate::history_scan;
use crate::views::facts::text;

fn objects(o: &Json, k: &str) -> Vec<Json> {
    o.get(k)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_object).cloned().collect())
        .unwrap_or_default()
}

/// The decision of an approval plan the choice names; with nothing named, the first that asks
/// for approval (else the first).
pub fn approval_decision(plan: &Json, choice: &DecisionChoice<'_>) -> Result<Json, ChoiceError> {
    let id = text(plan, "approval_plan_id");
    let all = objects(plan, "approval_decisions");
    if all.is_empty() {
        return Err(ChoiceError::NoApprovalDecision { plan: id });
    }
    let matching: Vec<&Json> = all.iter().filter(|d| choice.matches(d)).collect();
    let asking = matching
        .iter()
        .find(|d| d.get("approval_required") == Some(&Value::Bool(true)));
    let hit = if choice.names_anything() {
        matching.first()
    } else {
        asking.or(matching.first())
    }
    .map(|d| (*d).clone());
    hit.ok_or(ChoiceError::NoApprovalDecisionForChoice { plan: id })
}

/// The decision input for one approval decision of `plan`.
pub fn approval_input(
    plan: &Json,
    decision: &Json,
    state: &str,
    by: &str,
) -> ApprovalDecisionInput {
    ApprovalDecisionInput {
        approval_plan_id: text(plan, "approval_plan_id"),
        provider: text(decision, "provider"),
        decided_by: by.into(),
        approval_state: state.into(),
        retry_plan_id: text(decision, "retry_plan_id"),
        delivery_id: text(decision, "delivery_id"),
        audit_id: text(decision, "audit_id"),
        external_ref: String::new(),
        notes: String::new(),
    }
}

/// The closure of one provider of `playbook` (the first provider when none is named), with up
/// to three of that provider's execution ids, newest first, as verification references.
pub fn closure(
    playbook: &Json,
    provider: Option<&str>,
    executions: &[Json],
    state: &str,
    by: &str,
) -> Result<ClosureInput, ChoiceError> {
    let id = text(playbook, "playbook_id");
    let providers = objects(playbook, "provider_playbooks");
    let chosen = providers
        .iter()
        .find(|p| provider.is_none_or(|want| normalise(&text(p, "provider")) == normalise(want)))
        .ok_or_else(|| match provider {
            Some(p) => ChoiceError::NoProvider {
                playbook: id.clone(),
                provider: p.to_string(),
            },
            None => ChoiceError::NoFailingProvider {
                playbook: id.clone(),
            },
        })?;
    let name = text(chosen, "provider");
    let refs = executions
        .iter()
        .filter(|e| normalise(&text(e, "provider")) == normalise(&name))
        .map(|e| text(e, "execution_id"))
        .filter(|x| !x.is_empty())
        .take(MAX_VERIFICATION_REFS)
        .collect();
    Ok(ClosureInput {
        playbook_id: id,
        provider: name,
        closed_by: by.into(),
        closure_state: state.into(),
        external_ref: String::new(),
        notes: String::new(),
        verification_refs: refs,
    })
}

/// The nested objects (`nested`) of the newest records of `metadata_kind`, newest first.
pub async fn newest(
    backend: &dyn Backend,
    metadata_kind: &str,
    nested: &str,
    limit: usize,
) -> Result<Vec<Json>, BackendError> {
    let q = HistoryQuery {
        metadata_kind: Some(metadata_kind.into()),
        ..Default::default()
    };
    let page = backend.history(q, Page::first(limit)).await?;
    Ok(history_scan::records(&page)
        .into_iter()
        .map(|r| match r.0.get(nested) {
            Some(Value::Object(o)) => o.clone(),
            _ => r.0,
        })
        .collect())
}

/// A stored object looked up by its id: the kind of its records, the key it is nested under,
/// and its id field.
pub struct Stored {
    kind: &'static str,
    nested: &'static str,
    id_field: &'static str,
}

/// Retry execution approval plans (`retry approval plan`).
pub const APPROVAL_PLAN: Stored = Stored {
    kind: kind::RETRY_APPROVAL_PLAN,
    nested: nested::RETRY_APPROVAL_PLAN,
    id_field: "approval_plan_id",
};

/// Connector recovery playbooks (`recovery playbook`).
pub const PLAYBOOK: Stored = Stored {
    kind: kind::RECOVERY_PLAYBOOK,
    nested: nested::RECOVERY_PLAYBOOK,
    id_field: "playbook_id",
};

/// The stored object whose id is `id` (the newest when `None`).
pub async fn stored(
    backend: &dyn Backend,
    what: &Stored,
    id: Option<&str>,
) -> Result<Option<Json>, BackendError> {
    let limit = if id.is_some() { 500 } else { 1 };
    Ok(newest(backend, what.kind, what.nested, limit)
        .await?
        .into_iter()
        .find(|o| id.is_none_or(|want| text(o, what.id_field) == want)))
}

/// The newest retry execution records (verification references for a closure).
pub async fn executions(backend: &dyn Backend) -> Result<Vec<Json>, BackendError> {
    newest(backend, kind::RETRY_EXECUTION, nested::RETRY_EXECUTION, 50).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_fixtures::obj;
    use serde_json::json;

    #[test]
    fn an_approval_takes_the_ids_of_the_chosen_decision() {
        let plan = obj(json!({"approval_plan_id": "AP1", "approval_decisions": [
            {"provider": "splunk", "retry_plan_id": "R1", "delivery_id": "d1", "audit_id": "a1", "approval_required": false},
            {"provider": "servicenow", "retry_plan_id": "R1", "delivery_id": "d2", "audit_id": "a2", "approval_required": true}]}));
        let first = approval_decision(&plan, &DecisionChoice::default()).unwrap();
        assert_eq!(
            text(&first, "provider"),
            "servicenow",
            "the one asking for approval"
        );
        let splunk = DecisionChoice {
            provider: Some("Splunk"),
            ..Default::default()
        };
        let d = approval_decision(&plan, &splunk).unwrap();
        let i = approval_input(&plan, &d, "denied", "alice");
        assert_eq!(
            (
                i.approval_plan_id.as_str(),
                i.retry_plan_id.as_str(),
                i.delivery_id.as_str(),
                i.audit_id.as_str()
            ),
            ("AP1", "R1", "d1", "a1")
        );
        let jira = DecisionChoice {
            provider: Some("jira"),
            ..Default::default()
        };
        assert!(approval_decision(&plan, &jira).is_err());
    }

    #[test]
    fn a_closure_names_at_most_three_executions_of_its_provider() {
        let pb = obj(
            json!({"playbook_id": "PB", "provider_playbooks": [{"provider": "splunk"}, {"provider": "jira"}]}),
        );
        let ex: Vec<Json> = (0..5)
            .map(|n| obj(json!({"provider": if n == 1 { "jira" } else { "splunk" }, "execution_id": format!("x{n}")})))
            .collect();
        let c = closure(&pb, None, &ex, "resolved", "bob").unwrap();
        assert_eq!(
            (c.playbook_id.as_str(), c.provider.as_str()),
            ("PB", "splunk")
        );
        assert_eq!(c.verification_refs, ["x0", "x2", "x3"]);
        assert!(closure(&pb, Some("slack"), &ex, "resolved", "bob").is_err());
    }
}
