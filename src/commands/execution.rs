//! `worker run --execute` (Execute Retry, with its preview), `worker runs`, `worker dashboard`,
//! and `auditor-retry run [--execute]`.

use serde_json::Value;

use super::delivery::need_yes;
use super::output::text;
use super::{Context, Failure, output};
use crate::actions::{PaneAction, defaults, preview};
use crate::backend::calls::checked;
use crate::backend::{Call, Json};
use crate::cli::{AuditorRunArgs, OutputFormat, RunKind};
use crate::domain::query::Page;
use crate::views::dashboards::{self, WORKER_COUNTERS, WorkerRun};
use crate::views::facts;

/// The execution records (or skip reasons) of a worker run, one line each.
fn print_results(out: &Json) {
    let run = facts::object(out, "run");
    let summary = facts::object(&run, "summary");
    // A count or outcome the answer does not show (or not as a count, a boolean) is `?`.
    let shown = |v: Option<&Value>| match v {
        Some(n @ Value::Number(_)) if n.as_u64().is_some() => n.to_string(),
        Some(b @ Value::Bool(_)) => b.to_string(),
        _ => "?".to_string(),
    };
    crate::outln!(
        "run {} ({}): {} retryable, {} selected",
        output::safe(&text(run.get("run_id"))),
        facts::run_mode(&run),
        shown(summary.get("retryable_count")),
        shown(summary.get("selected_retry_count"))
    );
    let header = ["provider", "status", "success", "execution_id", "skipped"];
    // A dry run executes nothing; a live run's result without its record is not "not executed".
    let missing = match facts::run_mode(&run) {
        "dry run" => "not executed",
        _ => "? no execution record",
    };
    let rows: Vec<Vec<String>> = facts::entries(out, "retry_results")
        .map(|r| {
            let e = r.get("execution_record").and_then(Value::as_object);
            let d = r.get("decision");
            match e {
                Some(e) => vec![
                    text(e.get("provider")),
                    text(e.get("execution_status")),
                    shown(e.get("delivery_success")),
                    text(e.get("execution_id")),
                    text(e.get("skipped")),
                ],
                None => vec![
                    text(d.and_then(|d| d.get("provider"))),
                    missing.into(),
                    String::new(),
                    String::new(),
                    text(r.get("skipped")),
                ],
            }
        })
        .collect();
    crate::out!("{}", output::table(&header, &rows));
}

/// `worker run --execute`: the preview, then (with --yes) the live run.
pub async fn execute(ctx: &Context, interval: u32, max: u32, yes: bool) -> Result<u8, Failure> {
    let mut action = defaults::execute_retry(&ctx.operator);
    let PaneAction::ExecuteRetry(r) = &mut action else {
        return Err(Failure::new("internal: Execute Retry has no request"));
    };
    r.run.schedule.interval_minutes = interval.max(1);
    r.run.max_retry_deliveries = max;
    // A preview that cannot be read stops here: nothing is sent, and the exit code is the
    // one the read's own failure gives.
    let p = preview::execute_retry(ctx.backend.as_ref(), r)
        .await
        .map_err(|e| {
            Failure::from(e)
                .context("Execute Retry not run, nothing sent: the preview could not be read")
        })?;
    for l in preview::lines(&p) {
        crate::errln!("{}", output::safe(&l));
    }
    need_yes(yes, "worker run --execute (Execute Retry)")?;
    super::acted::run(ctx, action, print_results).await
}

/// `worker runs`.
pub async fn runs(
    ctx: &Context,
    only: Option<RunKind>,
    limit: usize,
    offset: usize,
) -> Result<u8, Failure> {
    let call = Call::WorkerRuns {
        dry_run: only.map(|k| k == RunKind::Dry),
        page: Page::at(limit, offset),
    };
    let page = checked(ctx.backend.as_ref(), call).await?;
    match ctx.output {
        OutputFormat::Json => output::json(&page),
        OutputFormat::Table => {
            let header = ["run_id", "created", "mode", "retryable", "selected"];
            let rows: Vec<Vec<String>> = facts::entries(&page, "items")
                .map(|entry| {
                    let run = WorkerRun::of_entry(entry);
                    vec![
                        run.run_id,
                        run.created,
                        run.mode.into(),
                        run.retryable,
                        run.selected,
                    ]
                })
                .collect();
            crate::out!("{}", output::table(&header, &rows));
            crate::outln!("{} of {} runs", rows.len(), text(page.get("total")));
        }
    }
    Ok(0)
}

/// `worker dashboard`.
pub async fn dashboard(ctx: &Context) -> Result<u8, Failure> {
    let d = checked(ctx.backend.as_ref(), Call::WorkerDashboard).await?;
    match ctx.output {
        OutputFormat::Json => output::json(&d),
        OutputFormat::Table => {
            output::print_labelled(&dashboards::by_field(&d, &WORKER_COUNTERS), 22)
        }
    }
    Ok(0)
}

/// `auditor-retry run [--execute]`.
pub async fn auditor_run(ctx: &Context, a: AuditorRunArgs) -> Result<u8, Failure> {
    need_yes(a.yes, "auditor-retry run")?;
    let mut action = defaults::run_auditor_worker(a.execute, &ctx.operator);
    if let PaneAction::RunAuditorWorker(r) = &mut action {
        r.run.max_retry_deliveries = a.max_deliveries;
    }
    super::acted::run(ctx, action, print_results).await
}
