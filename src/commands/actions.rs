//! Route actions, bulk actions and audit export as subcommands.

use std::path::PathBuf;

use serde_json::{Value, json};

use super::routes::parse_filter;
use super::{Context, Failure, output};
use crate::backend::BulkOutcome;
use crate::cli::{BulkAction, OutputFormat, Recording, RouteAction};
use crate::domain::ack::AckState;
use crate::domain::route::RouteKey;
use crate::ops::{self, ActionPlan, BulkKind};

pub async fn route_action(ctx: &Context, a: RouteAction, state: AckState) -> Result<u8, Failure> {
    let keys: Vec<RouteKey> = a
        .routes
        .iter()
        .map(|t| {
            RouteKey::parse(t).ok_or_else(|| Failure {
                message: format!("--route '{t}' is not SCHEDULE_ID/PROVIDER"),
                code: 2,
            })
        })
        .collect::<Result<_, _>>()?;
    if !a.rec.yes {
        return Err(Failure {
            message: format!("{} records evidence: add --yes to confirm", state.verb()),
            code: 2,
        });
    }
    let rows = ctx.backend.routes().await?;
    let chosen = ops::resolve_routes(&rows, &keys)?;
    let plan = ops::plan_routes(&chosen, state);
    record(ctx, &plan, state, a.rec).await
}

/// Records `plan` as `state` with the flags' note and external reference, and reports it.
async fn record(
    ctx: &Context,
    plan: &ActionPlan,
    state: AckState,
    rec: Recording,
) -> Result<u8, Failure> {
    let (note, external_ref) = rec.texts();
    let outcome = ops::record(
        ctx.backend.as_ref(),
        plan,
        state,
        &ctx.operator,
        &external_ref,
        &note,
        &ctx.actors(),
    )
    .await?;
    report(ctx, plan, &outcome)
}

pub async fn bulk(ctx: &Context, action: BulkAction) -> Result<u8, Failure> {
    let (kind, args) = match action {
        BulkAction::AckOutstanding(a) => (BulkKind::AckOutstanding, a),
        BulkAction::EscalateBreached(a) => (BulkKind::EscalateBreached, a),
    };
    if !args.dry_run && !args.rec.yes {
        return Err(Failure {
            message: "choose --dry-run to preview or --yes to record".into(),
            code: 2,
        });
    }
    let filter = parse_filter(args.filter.as_deref())?;
    let rows = ctx.backend.routes().await?;
    if let Some(n) = crate::views::rows::flaw_notice(&rows) {
        crate::errln!("warning: {n}");
    }
    let plan = ops::plan_bulk(&rows, &filter, kind);
    if args.dry_run {
        print_preview(ctx, kind, &plan);
        return Ok(0);
    }
    if plan.routes.is_empty() {
        print_preview(ctx, kind, &plan);
        return Ok(0);
    }
    record(ctx, &plan, kind.state(), args.rec).await
}

fn print_preview(ctx: &Context, kind: BulkKind, plan: &ActionPlan) {
    match ctx.output {
        OutputFormat::Json => {
            output::json(&json!({"dry_run": true, "action": kind.title(), "plan": plan}))
        }
        OutputFormat::Table => {
            crate::outln!(
                "{} (dry run): {} routes, {} request(s) of at most 100",
                kind.title(),
                plan.routes.len(),
                plan.requests
            );
            let body: Vec<Vec<String>> = plan
                .routes
                .iter()
                .map(|p| {
                    vec![
                        p.route.to_string(),
                        p.owner.clone(),
                        format!("{} -> {}", p.state_now, p.state_after),
                    ]
                })
                .collect();
            crate::out!(
                "{}",
                output::table(&["ROUTE", "OWNER", "STATE NOW -> AFTER"], &body)
            );
            for (k, why) in &plan.skipped {
                crate::outln!("skipped {k}: {why}");
            }
        }
    }
}

fn report(ctx: &Context, plan: &ActionPlan, outcome: &BulkOutcome) -> Result<u8, Failure> {
    let code = if !outcome.unknown.is_empty() {
        super::EXIT_OUTCOME_UNKNOWN
    } else if outcome.not_recorded.is_empty() {
        0
    } else if outcome.recorded.is_empty() {
        1
    } else {
        3
    };
    let pairs = |list: &[(RouteKey, String)]| {
        list.iter()
            .map(|(k, why)| json!({"route": k, "reason": why}))
            .collect::<Vec<_>>()
    };
    match ctx.output {
        OutputFormat::Json => output::json(&json!({
            "state": plan.state,
            "recorded": outcome.recorded,
            "not_recorded": pairs(&outcome.not_recorded),
            "skipped": pairs(&outcome.skipped),
            "outcome_unknown": pairs(&outcome.unknown),
            "found_on_reread": pairs(&outcome.found),
            "requests": outcome.requests,
            "acknowledged_by": ctx.acting_as(),
            "results": outcome.results,
        })),
        OutputFormat::Table => {
            crate::outln!(
                "recorded {} of {} routes as {} (by {})",
                outcome.recorded.len(),
                plan.routes.len(),
                plan.state,
                output::safe(ctx.acting_as())
            );
            for k in &outcome.recorded {
                match outcome.found.iter().find(|(f, _)| f == k) {
                    Some((_, why)) => crate::outln!(
                        "  ok       {} (found on the server after: {})",
                        output::safe(&k.to_string()),
                        output::safe(why)
                    ),
                    None => crate::outln!("  ok       {}", output::safe(&k.to_string())),
                }
            }
            for (k, why) in &outcome.skipped {
                crate::outln!(
                    "  skipped  {}: {}",
                    output::safe(&k.to_string()),
                    output::safe(why)
                );
            }
            for (k, why) in &outcome.not_recorded {
                crate::outln!(
                    "  FAILED   {}: {}",
                    output::safe(&k.to_string()),
                    output::safe(why)
                );
            }
            for (k, why) in &outcome.unknown {
                crate::outln!(
                    "  UNKNOWN  {}: {}",
                    output::safe(&k.to_string()),
                    output::safe(why)
                );
            }
        }
    }
    if !outcome.unknown.is_empty() {
        crate::errln!(
            "error: the outcome of {} route(s) is unknown: the answer was lost or did not confirm them, and the server could not be re-read; check `cavra-tui routes` before trying again",
            outcome.unknown.len()
        );
    }
    Ok(code)
}

pub async fn export_audit(
    ctx: &Context,
    filter: Option<&str>,
    out: Option<PathBuf>,
) -> Result<u8, Failure> {
    let filter = parse_filter(filter)?;
    let ignored = ops::audit_ignored_fields(&filter);
    if !ignored.is_empty() {
        crate::errln!(
            "note: the audit package is scoped by owner, provider and schedule only; ignoring {}",
            ignored.join(", ")
        );
    }
    let done = ops::export_audit(
        ctx.backend.as_ref(),
        ops::audit_scope(&filter),
        &ctx.operator,
        out.as_deref(),
        &ctx.export_dir,
    )
    .await?;
    match ctx.output {
        OutputFormat::Json => output::json(&json!({
            "path": done.written.path, "sha256": done.written.sha256, "sha256_path": done.written.sha256_path,
            "audit_package": done.package,
        })),
        OutputFormat::Table => {
            let p = &Value::Object(done.package.clone()); // indexing a Value never panics
            crate::outln!(
                "audit package {} ({} routes, {} outstanding, alert {})",
                output::safe(p["audit_id"].as_str().unwrap_or("")),
                p["route_count"],
                p["outstanding_count"],
                output::safe(p["alert_level"].as_str().unwrap_or(""))
            );
            crate::outln!("written to {}", done.written.path.display());
            crate::outln!(
                "sha256 {}  ({})",
                done.written.sha256,
                done.written.sha256_path.display()
            );
        }
    }
    Ok(0)
}
