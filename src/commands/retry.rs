//! `retry plan`, `retry ack` and `auditor-retry plan`.

use serde_json::Value;

use super::delivery::need_yes;
use super::{Context, Failure, output};
use crate::backend::Json;
use crate::cli::{AuditorRetryAction, OutputFormat, PolicyArgs, RetryAction};
use crate::domain::history::HistoryQuery;
use crate::domain::record::kind;
use crate::domain::retry::{RetryAckInput, RetryPolicy};
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
            let plan = out
                .get("plan")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            println!(
                "{} ({}): {} retry, {} wait, {} suppress",
                plan.get("retry_plan_id")
                    .and_then(Value::as_str)
                    .unwrap_or(""),
                plan.get("alert_level")
                    .and_then(Value::as_str)
                    .unwrap_or(""),
                plan.get("retryable_count").cloned().unwrap_or_default(),
                plan.get("waiting_count").cloned().unwrap_or_default(),
                plan.get("suppressed_count").cloned().unwrap_or_default()
            );
            let rows: Vec<Vec<String>> = decisions(&plan)
                .iter()
                .map(|d| decision_row(d).to_vec())
                .collect();
            print!("{}", output::table(&DECISION_HEADER, &rows));
        }
    }
}

/// The newest stored audit retry plan object.
pub async fn latest_plan(ctx: &Context) -> Result<Json, Failure> {
    let q = HistoryQuery {
        metadata_kind: Some(kind::RETRY_PLAN.into()),
        ..Default::default()
    };
    let page = ctx.backend.history(q, 1, 0).await?;
    page["items"][0]["acknowledgement_audit_delivery_retry_plan"]
        .as_object()
        .cloned()
        .ok_or_else(|| Failure::new("no retry plan yet: run `cavra-tui retry plan --yes` first"))
}

pub async fn retry(ctx: &Context, action: RetryAction) -> Result<u8, Failure> {
    match action {
        RetryAction::Plan { policy: p, yes } => {
            need_yes(yes, "retry plan")?;
            let out = ctx
                .backend
                .retry_plan(policy(&p), ctx.operator.clone())
                .await?;
            print_plan(ctx, &out);
        }
        RetryAction::Ack {
            plan,
            provider,
            delivery_id,
            audit_id,
            state,
            note,
            external_ref,
            yes,
        } => {
            need_yes(yes, "retry ack")?;
            let latest = if plan.is_none() || provider.is_none() {
                Some(latest_plan(ctx).await?)
            } else {
                None
            };
            let first = latest
                .as_ref()
                .and_then(|p| decisions(p).into_iter().next())
                .unwrap_or_default();
            if provider.is_none() && first.is_empty() {
                let id = latest
                    .as_ref()
                    .and_then(|p| p.get("retry_plan_id"))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                return Err(Failure::new(format!(
                    "the latest retry plan {id} has no retry decision: run `cavra-tui retry plan --yes`, or give --provider, --delivery-id and --audit-id"
                )));
            }
            let pick = |given: Option<String>, key: &str| {
                given.unwrap_or_else(|| {
                    first
                        .get(key)
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string()
                })
            };
            let plan_id = plan.unwrap_or_else(|| {
                latest
                    .as_ref()
                    .and_then(|p| p["retry_plan_id"].as_str())
                    .unwrap_or("")
                    .to_string()
            });
            let input = RetryAckInput {
                retry_plan_id: plan_id,
                provider: pick(provider, "provider"),
                acknowledged_by: ctx.operator.clone(),
                state,
                delivery_id: pick(delivery_id, "delivery_id"),
                audit_id: pick(audit_id, "audit_id"),
                external_ref: external_ref.unwrap_or_default(),
                notes: note.unwrap_or_default(),
            };
            let out = ctx.backend.retry_ack(input).await?;
            match ctx.output {
                OutputFormat::Json => output::json(&out),
                OutputFormat::Table => {
                    let a = &out["acknowledgement"];
                    println!(
                        "recorded {} for {} on {} ({}) by {}",
                        a["acknowledgement_state"].as_str().unwrap_or(""),
                        a["provider"].as_str().unwrap_or(""),
                        a["delivery_id"].as_str().unwrap_or(""),
                        a["retry_plan_id"].as_str().unwrap_or(""),
                        a["acknowledged_by"].as_str().unwrap_or("")
                    );
                }
            }
        }
    }
    Ok(0)
}

pub async fn auditor(ctx: &Context, action: AuditorRetryAction) -> Result<u8, Failure> {
    let AuditorRetryAction::Plan { policy: p, yes } = action;
    need_yes(yes, "auditor-retry plan")?;
    let out = ctx
        .backend
        .auditor_retry_plan(policy(&p), ctx.operator.clone())
        .await?;
    print_plan(ctx, &out);
    Ok(0)
}
