//! `retry approval plan|decide` and `recovery playbook|close|report`.

use super::delivery::need_yes;
use super::output::summary_printer;
use super::{Context, Failure};
use crate::actions::choose;
use crate::actions::{PaneAction, defaults};
use crate::cli::{ApprovalAction, RecoveryAction};
use crate::views::summary::{self, Summary};

/// Performs `action` once `--yes` confirms `words`, and prints the summary of its record.
async fn confirmed(
    ctx: &Context,
    yes: bool,
    words: &str,
    action: PaneAction,
    summary: &'static Summary,
) -> Result<u8, Failure> {
    need_yes(yes, words)?;
    super::acted::run(ctx, action, summary_printer(summary)).await
}

pub async fn approval(ctx: &Context, action: ApprovalAction) -> Result<u8, Failure> {
    match action {
        ApprovalAction::Plan {
            no_require_ack,
            yes,
        } => {
            let mut action = defaults::plan_retry_approval(&ctx.operator);
            if let PaneAction::PlanRetryApproval(r) = &mut action {
                r.require_retry_ack = !no_require_ack;
            }
            confirmed(
                ctx,
                yes,
                "retry approval plan",
                action,
                &summary::APPROVAL_PLAN,
            )
            .await
        }
        ApprovalAction::Decide {
            plan,
            pick,
            state,
            rec,
        } => {
            need_yes(rec.yes, "retry approval decide")?;
            let chosen = choose::stored(
                ctx.backend.as_ref(),
                &choose::APPROVAL_PLAN,
                plan.as_deref(),
            )
            .await?
            .ok_or_else(|| match &plan {
                Some(id) => Failure::new(format!("no approval plan {id}: nothing was sent")),
                None => Failure::new(
                    "no approval plan yet: run `cavra-tui retry approval plan --yes` first",
                ),
            })?;
            let decision = choose::approval_decision(&chosen, &pick.choice())?;
            let mut input = choose::approval_input(&chosen, &decision, &state, &ctx.operator);
            (input.notes, input.external_ref) = rec.texts();
            let print = summary_printer(&summary::APPROVAL_DECISION);
            super::acted::run(ctx, PaneAction::DecideRetryApproval(input), print).await
        }
    }
}

pub async fn recovery(ctx: &Context, action: RecoveryAction) -> Result<u8, Failure> {
    match action {
        RecoveryAction::Playbook {
            min_failures,
            lookback_hours,
            yes,
        } => {
            let mut action = defaults::recovery_playbook(&ctx.operator);
            if let PaneAction::RecoveryPlaybook(r) = &mut action {
                r.min_failure_count = min_failures;
                r.lookback_hours = lookback_hours;
            }
            confirmed(ctx, yes, "recovery playbook", action, &summary::PLAYBOOK).await
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
            let chosen = choose::stored(b, &choose::PLAYBOOK, playbook.as_deref())
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
            let print = summary_printer(&summary::CLOSURE);
            super::acted::run(ctx, PaneAction::CloseRecovery(input), print).await
        }
        RecoveryAction::Report { slo, yes } => {
            let mut action = defaults::retry_recovery_report(&ctx.operator);
            if let PaneAction::RetryRecoveryReport(r) = &mut action {
                r.recovery_slo_minutes = slo;
            }
            confirmed(
                ctx,
                yes,
                "recovery report",
                action,
                &summary::RECOVERY_REPORT,
            )
            .await
        }
    }
}
