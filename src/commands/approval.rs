//! `retry approval plan|decide` and `recovery playbook|close|report`.

use serde_json::Value;

use super::delivery::need_yes;
use super::output::text;
use super::{Context, Failure, output};
use crate::actions::choose;
use crate::actions::select::DecisionChoice;
use crate::actions::{PaneAction, defaults};
use crate::backend::Json;
use crate::cli::{ApprovalAction, RecoveryAction};
use crate::views::facts;

/// The objects of `o`'s `list` as a table of `cols`.
fn print_rows(o: &Json, list: &str, cols: &[&str]) {
    let rows: Vec<Vec<String>> = o
        .get(list)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .map(|d| cols.iter().map(|c| text(d.get(*c))).collect())
        .collect();
    crate::out!("{}", output::table(cols, &rows));
}

fn print_approval_plan(out: &Json) {
    let p = facts::object(out, "plan");
    crate::outln!(
        "approval plan {} ({}): {} ask for approval, {} wait for a retry ack, {} already approved",
        output::safe(&text(p.get("approval_plan_id"))),
        output::safe(&text(p.get("alert_level"))),
        text(p.get("approval_required_count")),
        text(p.get("waiting_count")),
        text(p.get("approved_count"))
    );
    print_rows(
        &p,
        "approval_decisions",
        &[
            "provider",
            "action",
            "retry_action",
            "delivery_id",
            "audit_id",
            "retry_plan_id",
        ],
    );
}

fn print_decision(out: &Json) {
    let d = facts::object(out, "decision");
    crate::outln!(
        "{} {}: {} (delivery {}, audit {}, plan {})",
        output::safe(&text(d.get("provider"))),
        output::safe(&text(d.get("approval_state"))),
        output::safe(&text(d.get("decision_id"))),
        output::safe(&text(d.get("delivery_id"))),
        output::safe(&text(d.get("audit_id"))),
        output::safe(&text(d.get("approval_plan_id")))
    );
}

pub async fn approval(ctx: &Context, action: ApprovalAction) -> Result<u8, Failure> {
    match action {
        ApprovalAction::Plan {
            no_require_ack,
            yes,
        } => {
            need_yes(yes, "retry approval plan")?;
            let mut action = defaults::plan_retry_approval(&ctx.operator);
            if let PaneAction::PlanRetryApproval(r) = &mut action {
                r.require_retry_ack = !no_require_ack;
            }
            super::acted::run(ctx, action, print_approval_plan).await
        }
        ApprovalAction::Decide {
            provider,
            state,
            plan,
            delivery_id,
            audit_id,
            rec,
        } => {
            need_yes(rec.yes, "retry approval decide")?;
            let chosen = choose::approval_plan(ctx.backend.as_ref(), plan.as_deref())
                .await?
                .ok_or_else(|| match &plan {
                    Some(id) => Failure::new(format!("no approval plan {id}: nothing was sent")),
                    None => Failure::new(
                        "no approval plan yet: run `cavra-tui retry approval plan --yes` first",
                    ),
                })?;
            let choice = DecisionChoice {
                provider: provider.as_deref(),
                delivery_id: delivery_id.as_deref(),
                audit_id: audit_id.as_deref(),
            };
            let decision = choose::approval_decision(&chosen, &choice)?;
            let mut input = choose::approval_input(&chosen, &decision, &state, &ctx.operator);
            (input.notes, input.external_ref) = rec.texts();
            super::acted::run(ctx, PaneAction::DecideRetryApproval(input), print_decision).await
        }
    }
}

fn print_playbook(out: &Json) {
    let p = facts::object(out, "playbook");
    crate::outln!(
        "playbook {} ({}): {} providers, {} failures in {} h",
        output::safe(&text(p.get("playbook_id"))),
        output::safe(&text(p.get("alert_level"))),
        text(p.get("provider_count")),
        text(p.get("failure_count")),
        text(p.get("lookback_hours"))
    );
    print_rows(
        &p,
        "provider_playbooks",
        &[
            "provider",
            "category",
            "failure_count",
            "latest_failure_at",
            "status_codes",
        ],
    );
}

fn print_closure(out: &Json) {
    let c = facts::object(out, "closure");
    crate::outln!(
        "{} {}: {} (playbook {}, verified by {})",
        output::safe(&text(c.get("provider"))),
        output::safe(&text(c.get("closure_state"))),
        output::safe(&text(c.get("closure_id"))),
        output::safe(&text(c.get("playbook_id"))),
        output::safe(&text(c.get("verification_refs")))
    );
}

fn print_report(out: &Json) {
    let r = facts::object(out, "report");
    crate::outln!(
        "retry recovery report {} ({}): {} executions, {} failed or skipped, {} open recoveries, {} SLO breached",
        output::safe(&text(r.get("report_id"))),
        output::safe(&text(r.get("alert_level"))),
        text(r.get("execution_count")),
        text(r.get("execution_failed_count")),
        text(r.get("recovery_open_count")),
        text(r.get("recovery_slo_breached_count"))
    );
    print_rows(
        &r,
        "provider_summary",
        &[
            "provider",
            "execution_count",
            "execution_failed_count",
            "open_recovery_count",
            "slo_breached_count",
            "latest_closure_at",
        ],
    );
}

pub async fn recovery(ctx: &Context, action: RecoveryAction) -> Result<u8, Failure> {
    match action {
        RecoveryAction::Playbook {
            min_failures,
            lookback_hours,
            yes,
        } => {
            need_yes(yes, "recovery playbook")?;
            let mut action = defaults::recovery_playbook(&ctx.operator);
            if let PaneAction::RecoveryPlaybook(r) = &mut action {
                r.min_failure_count = min_failures;
                r.lookback_hours = lookback_hours;
            }
            super::acted::run(ctx, action, print_playbook).await
        }
        RecoveryAction::Close {
            playbook,
            provider,
            state,
            refs,
            rec,
        } => {
            need_yes(rec.yes, "recovery close")?;
            if refs.len() > crate::domain::recovery::MAX_VERIFICATION_REFS {
                return Err(Failure {
                    message: "at most 3 --ref execution ids".into(),
                    code: 2,
                });
            }
            let b = ctx.backend.as_ref();
            let chosen = choose::playbook(b, playbook.as_deref())
                .await?
                .ok_or_else(|| {
                    Failure::new(
                        "no recovery playbook: run `cavra-tui recovery playbook --yes` first",
                    )
                })?;
            let executions = if refs.is_empty() {
                choose::executions(b).await?
            } else {
                Vec::new()
            };
            let mut input = choose::closure(
                &chosen,
                provider.as_deref(),
                &executions,
                &state,
                &ctx.operator,
            )?;
            if !refs.is_empty() {
                input.verification_refs = refs;
            }
            (input.notes, input.external_ref) = rec.texts();
            super::acted::run(ctx, PaneAction::CloseRecovery(input), print_closure).await
        }
        RecoveryAction::Report { slo, yes } => {
            need_yes(yes, "recovery report")?;
            let mut action = defaults::retry_recovery_report(&ctx.operator);
            if let PaneAction::RetryRecoveryReport(r) = &mut action {
                r.recovery_slo_minutes = slo;
            }
            super::acted::run(ctx, action, print_report).await
        }
    }
}
