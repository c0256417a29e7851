//! `worker run`, `worker runs|dashboard`, `worker health`, `archive health`; the alerts are in `alerts`.

use serde_json::Value;

use super::alerts::{self, Alerts};
use super::delivery::need_yes;
use super::output::print_facts;
use super::{Context, Failure, output};
use crate::actions::{PaneAction, defaults};
use crate::backend::{ArchiveHealthRequest, HealthParams, Json};
use crate::cli::{ArchiveAction, OutputFormat, WorkerAction};
use crate::domain::archive::ArchiveRules;
use crate::views::facts;
use crate::views::rows::alert_line;

fn print_alerts(v: &Value) {
    for a in v.as_array().into_iter().flatten() {
        let (sev, line) = alert_line(a);
        crate::outln!("  {sev:<9} {}", output::safe(&line));
    }
}

pub async fn worker(ctx: &Context, action: WorkerAction) -> Result<u8, Failure> {
    match action {
        WorkerAction::Run {
            execute: true,
            interval,
            max_deliveries,
            yes,
            ..
        } => return super::execution::execute(ctx, interval, max_deliveries, yes).await,
        WorkerAction::Run {
            interval,
            max_deliveries,
            yes,
            ..
        } => {
            // A dry run sends nothing but records a worker run: confirm it like any record.
            need_yes(yes, "worker run --dry-run")?;
            let action = run_request(interval, max_deliveries, &ctx.operator);
            return super::acted::run(ctx, action, print_run).await;
        }
        WorkerAction::Runs {
            only,
            limit,
            offset,
        } => return super::execution::runs(ctx, only, limit, offset).await,
        WorkerAction::Dashboard => return super::execution::dashboard(ctx).await,
        WorkerAction::Health { interval, stale } => {
            let h = ctx
                .backend
                .worker_health(HealthParams {
                    expected_interval_minutes: interval,
                    stale_metadata_minutes: stale,
                })
                .await?;
            match ctx.output {
                OutputFormat::Json => output::json(&h),
                OutputFormat::Table => {
                    crate::outln!("worker health: {}", output::safe(&facts::level(&h)));
                    print_facts(&facts::worker_health(&h));
                    print_alerts(h.get("alerts").unwrap_or(&Value::Null));
                }
            }
        }
        WorkerAction::Alert { action } => return alerts::alert(ctx, Alerts::Worker, action).await,
    }
    Ok(0)
}

pub async fn archive(ctx: &Context, action: ArchiveAction) -> Result<u8, Failure> {
    let (record, yes, no_hash, no_retention) = match action {
        ArchiveAction::Alert { action } => {
            return alerts::alert(ctx, Alerts::Archive, action).await;
        }
        ArchiveAction::Health {
            record,
            yes,
            no_hash,
            no_retention,
        } => (record, yes, no_hash, no_retention),
    };
    if record {
        need_yes(yes, "archive health --record")?;
    }
    let rules = ArchiveRules {
        require_archive_hash: !no_hash,
        require_retention_until: !no_retention,
    };
    if record {
        let action = defaults::check_archive(rules, &ctx.operator);
        return super::acted::run(ctx, action, |out| print_archive(out, true)).await;
    }
    let out = ctx
        .backend
        .archive_health(ArchiveHealthRequest {
            rules,
            generated_by: ctx.operator.clone(),
            persist: false,
        })
        .await?;
    match ctx.output {
        OutputFormat::Json => output::json(&out),
        OutputFormat::Table => print_archive(&out, false),
    }
    Ok(0)
}

/// `worker run --dry-run`: the web console's Run Audit Worker with the flags' interval and cap.
pub fn run_request(interval: u32, max_deliveries: u32, by: &str) -> PaneAction {
    let mut action = defaults::run_worker(by);
    if let PaneAction::RunWorker(r) = &mut action {
        r.schedule = defaults::worker_schedule(interval);
        r.max_retry_deliveries = max_deliveries;
    }
    action
}

fn print_run(out: &Json) {
    let run = facts::object(out, "run");
    print_facts(&facts::worker_run(&run));
    for f in facts::follow_ups(&run) {
        crate::outln!("  follow-up: {}", output::safe(&f));
    }
}

fn print_archive(out: &Json, recorded: bool) {
    let h = facts::object(out, "health");
    crate::outln!(
        "archive health: {}{}",
        output::safe(&facts::level(&h)),
        if recorded {
            " (report recorded)"
        } else {
            " (not recorded)"
        }
    );
    print_facts(&facts::archive_health(&h));
    print_alerts(h.get("alerts").unwrap_or(&Value::Null));
    for a in facts::strings(&h, "recommended_actions") {
        crate::outln!("  recommended: {}", output::safe(&a));
    }
}
