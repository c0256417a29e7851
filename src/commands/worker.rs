//! `worker run`, `worker health`, `worker alert send|ack|list|dashboard`, `archive health`.

use serde_json::Value;

use super::delivery::need_yes;
use super::{Context, Failure, output};
use crate::actions::{PaneAction, defaults, select};
use crate::backend::{ArchiveHealthRequest, HealthParams, Json};
use crate::cli::{AlertAction, ArchiveAction, OutputFormat, WorkerAction};
use crate::domain::Record;
use crate::domain::archive::ArchiveRules;
use crate::domain::worker::AlertQuery;
use crate::views::facts;
use crate::views::rows::{HISTORY_HEADER, alert_line, history_row};

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
        WorkerAction::Alert { action } => return alert(ctx, action).await,
    }
    Ok(0)
}

async fn alert(ctx: &Context, action: AlertAction) -> Result<u8, Failure> {
    match action {
        AlertAction::Send {
            provider,
            window,
            no_force,
            yes,
        } => {
            need_yes(yes, "worker alert send")?;
            let action = send_request(&provider, window, no_force, &ctx.operator);
            return super::acted::run(ctx, action, print_alert).await;
        }
        AlertAction::Ack {
            health_id,
            provider,
            plan_id,
            state,
            note,
            external_ref,
            yes,
        } => {
            need_yes(yes, "worker alert ack")?;
            let mut input = match (&health_id, &provider, &plan_id) {
                // Everything named: acknowledge exactly that, outstanding or not.
                (Some(h), Some(p), Some(plan)) => select::alert_ack(
                    &serde_json::json!({"health_id": h, "provider": p, "plan_id": plan})
                        .as_object()
                        .cloned()
                        .unwrap_or_default(),
                    &state,
                    &ctx.operator,
                ),
                _ => {
                    let board = ctx.backend.worker_alert_dashboard().await?;
                    let entry = select::outstanding_alert(
                        &board,
                        health_id.as_deref(),
                        provider.as_deref(),
                    )?;
                    let mut input = select::alert_ack(&entry, &state, &ctx.operator);
                    if let Some(plan) = plan_id {
                        input.plan_id = plan;
                    }
                    input
                }
            };
            input.external_ref = external_ref.unwrap_or_default();
            input.notes = note.unwrap_or_default();
            return super::acted::run(ctx, PaneAction::AckAlert(input), print_alert_ack).await;
        }
        AlertAction::List {
            health_id,
            provider,
            limit,
        } => {
            let page = ctx
                .backend
                .worker_alerts(
                    AlertQuery {
                        health_id,
                        provider,
                        ..Default::default()
                    },
                    limit,
                    0,
                )
                .await?;
            match ctx.output {
                OutputFormat::Json => output::json(&page),
                OutputFormat::Table => {
                    let rows: Vec<Vec<String>> = page
                        .get("items")
                        .unwrap_or(&Value::Null)
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_object)
                        .map(|o| history_row(&Record(o.clone())).to_vec())
                        .collect();
                    crate::out!("{}", output::table(&HISTORY_HEADER, &rows));
                }
            }
        }
        AlertAction::Dashboard => {
            let d = ctx.backend.worker_alert_dashboard().await?;
            match ctx.output {
                OutputFormat::Json => output::json(&d),
                OutputFormat::Table => {
                    crate::outln!("worker alerts: {}", output::safe(&facts::level(&d)));
                    print_facts(&facts::alert_dashboard(&d));
                }
            }
        }
    }
    Ok(0)
}

pub async fn archive(ctx: &Context, action: ArchiveAction) -> Result<u8, Failure> {
    let (record, yes, no_hash, no_retention) = match action {
        ArchiveAction::Alert { action } => return super::routing::archive_alert(ctx, action).await,
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

/// `worker alert send`: the web console's Send Worker Alert to the flags' provider.
pub fn send_request(provider: &str, window: Option<u32>, no_force: bool, by: &str) -> PaneAction {
    let mut action = defaults::send_alert(provider, by);
    if let PaneAction::SendAlert(r) = &mut action {
        r.alert.suppression_window_minutes = window;
        r.alert.force = !no_force;
    }
    action
}

/// Labelled facts, one per line, made safe for the terminal.
fn print_facts(list: &[facts::Fact]) {
    for (k, v) in list {
        crate::outln!("  {k:<26} {}", output::safe(v));
    }
}

fn print_run(out: &Json) {
    let run = out
        .get("run")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    print_facts(&facts::worker_run(&run));
    for f in facts::follow_ups(&run) {
        crate::outln!("  follow-up: {}", output::safe(&f));
    }
}

fn print_alert(out: &Json) {
    let out = &Value::Object(out.clone()); // indexing a Value never panics
    let s = |v: &Value| output::safe(v.as_str().unwrap_or(""));
    let plan = &out["plan"];
    crate::outln!(
        "alert plan {} for health {} ({}): selected {}, suppressed {}",
        s(&plan["plan_id"]),
        s(&plan["health_id"]),
        s(&plan["alert_level"]),
        output::safe(&plan["selected_providers"].to_string()),
        output::safe(&plan["suppressed_providers"].to_string())
    );
}

fn print_alert_ack(out: &Json) {
    crate::outln!("{}", output::safe(&facts::acknowledgement_line(out)));
}

fn print_archive(out: &Json, recorded: bool) {
    let h = out
        .get("health")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
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
