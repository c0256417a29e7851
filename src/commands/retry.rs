//! `retry plan`, `retry ack` and `auditor-retry plan`.

use serde_json::Value;

use super::delivery::need_yes;
use super::{Context, Failure, output};
use crate::actions::PaneAction;
use crate::actions::select;
use crate::backend::Json;
use crate::cli::{AuditorRetryAction, OutputFormat, PolicyArgs, RetryAction};
use crate::domain::history::HistoryQuery;
use crate::domain::query::Page;
use crate::domain::record::kind;
use crate::domain::retry::RetryPolicy;
use crate::views::facts;
use crate::views::rows::{DECISION_HEADER, decision_row, decisions};

pub fn policy(p: &PolicyArgs) -> RetryPolicy {
    RetryPolicy {
        max_retry_attempts: p.max_attempts,
        retry_delay_minutes: p.delay,
        allow_immediate_retry: p.immediate,
        backoff_multiplier: p.multiplier,
    }
    .normalised()
}

fn print_plan(ctx: &Context, out: &Json) {
    match ctx.output {
        OutputFormat::Json => output::json(out),
        OutputFormat::Table => {
            let plan = facts::object(out, "plan");
            crate::outln!(
                "{} ({}): {} retry, {} wait, {} suppress",
                output::safe(&facts::text(&plan, "retry_plan_id")),
                output::safe(&facts::text(&plan, "alert_level")),
                output::safe(&facts::text(&plan, "retryable_count")),
                output::safe(&facts::text(&plan, "waiting_count")),
                output::safe(&facts::text(&plan, "suppressed_count"))
            );
            let rows: Vec<Vec<String>> = decisions(&plan)
                .iter()
                .map(|d| decision_row(d).to_vec())
                .collect();
            crate::out!("{}", output::table(&DECISION_HEADER, &rows));
        }
    }
}

/// The newest stored audit retry plan object.
pub async fn latest_plan(ctx: &Context) -> Result<Json, Failure> {
    let q = HistoryQuery {
        metadata_kind: Some(kind::RETRY_PLAN.into()),
        ..Default::default()
    };
    let page = Value::Object(ctx.backend.history(q, Page::first(1)).await?);
    page["items"][0][NESTED_PLAN]
        .as_object()
        .cloned()
        .ok_or_else(|| Failure::new("no retry plan yet: run `cavra-tui retry plan --yes` first"))
}

/// A stored audit retry plan by id (newest first, a bounded number of pages).
pub async fn plan_by_id(ctx: &Context, id: &str) -> Result<Json, Failure> {
    const PAGE: usize = 200;
    for page in 0..10 {
        let q = HistoryQuery {
            metadata_kind: Some(kind::RETRY_PLAN.into()),
            ..Default::default()
        };
        let out = ctx.backend.history(q, Page::at(PAGE, page * PAGE)).await?;
        let items = out
            .get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let hit = items.iter().find_map(|r| {
            r.get(NESTED_PLAN)
                .and_then(Value::as_object)
                .filter(|p| p.get("retry_plan_id").and_then(Value::as_str) == Some(id))
                .cloned()
        });
        if let Some(p) = hit {
            return Ok(p);
        }
        if items.len() < PAGE {
            break;
        }
    }
    Err(Failure::new(format!(
        "no retry plan {id}: nothing was sent (see `cavra-tui history --filter kind:retry-plan`)"
    )))
}

const NESTED_PLAN: &str = crate::domain::record::nested::RETRY_PLAN;

pub async fn retry(ctx: &Context, action: RetryAction) -> Result<u8, Failure> {
    match action {
        RetryAction::Plan { policy: p, yes } => {
            need_yes(yes, "retry plan")?;
            let action = PaneAction::PlanAuditRetry(policy(&p));
            super::acted::run(ctx, action, |out| print_plan(ctx, out)).await
        }
        RetryAction::Ack {
            plan,
            pick,
            state,
            rec,
        } => {
            need_yes(rec.yes, "retry ack")?;
            let chosen = match &plan {
                Some(id) => plan_by_id(ctx, id).await?,
                None => latest_plan(ctx).await?,
            };
            let decision = select::retry_decision(&chosen, &pick.choice())?;
            let mut input = select::retry_ack(&chosen, &decision, &state, &ctx.operator);
            (input.notes, input.external_ref) = rec.texts();
            super::acted::run(ctx, PaneAction::AckRetry(input), print_retry_ack).await
        }
        RetryAction::Approval { action } => super::approval::approval(ctx, action).await,
    }
}

fn print_retry_ack(out: &Json) {
    crate::outln!(
        "{}",
        output::safe(&crate::views::facts::acknowledgement_line(out))
    );
}

pub async fn auditor(ctx: &Context, action: AuditorRetryAction) -> Result<u8, Failure> {
    let (p, yes) = match action {
        AuditorRetryAction::Run(a) => return super::execution::auditor_run(ctx, a).await,
        AuditorRetryAction::Plan { policy, yes } => (policy, yes),
    };
    need_yes(yes, "auditor-retry plan")?;
    let action = PaneAction::PlanAuditorRetry(policy(&p));
    super::acted::run(ctx, action, |out| print_plan(ctx, out)).await
}
