//! `worker run`, `worker health`, `worker alert send|ack|list|dashboard`, `archive health`.

use serde_json::Value;

use super::delivery::need_yes;
use super::{Context, Failure, output};
use crate::backend::{
    AlertAckInput, ArchiveHealthRequest, HealthParams, SendAlertRequest, WorkerRunRequest,
};
use crate::cli::{AlertAction, ArchiveAction, OutputFormat, WorkerAction};
use crate::domain::Record;
use crate::domain::archive::ArchiveRules;
use crate::domain::retry::RetryPolicy;
use crate::domain::worker::{AlertQuery, AlertRequest, WorkerSchedule};
use crate::views::rows::{HISTORY_HEADER, alert_line, history_row};

fn print_alerts(v: &Value) {
    for a in v.as_array().into_iter().flatten() {
        let (sev, line) = alert_line(a);
        println!("  {sev:<9} {line}");
    }
}

pub async fn worker(ctx: &Context, action: WorkerAction) -> Result<u8, Failure> {
    match action {
        WorkerAction::Run {
            dry_run,
            interval,
            max_deliveries,
        } => {
            if !dry_run {
                return Err(Failure { message: "only --dry-run is available: live retry execution needs approved decisions this console does not record".into(), code: 2 });
            }
            let req = WorkerRunRequest {
                policy: RetryPolicy::default(),
                schedule: WorkerSchedule {
                    interval_minutes: interval,
                    cadence: format!("every_{interval}_minutes"),
                    enabled: true,
                },
                max_retry_deliveries: max_deliveries,
                generated_by: ctx.operator.clone(),
            };
            let out = ctx.backend.worker_run(req).await?;
            match ctx.output {
                OutputFormat::Json => output::json(&out),
                OutputFormat::Table => {
                    let run = &out["run"];
                    println!(
                        "dry run {} window {} .. {}",
                        run["run_id"].as_str().unwrap_or(""),
                        run["schedule"]["window_start"].as_str().unwrap_or(""),
                        run["schedule"]["window_end"].as_str().unwrap_or("")
                    );
                    for (k, v) in run["summary"].as_object().into_iter().flatten() {
                        println!("  {k:<24} {v}");
                    }
                    for f in run["follow_up_actions"].as_array().into_iter().flatten() {
                        println!(
                            "  follow-up: {} {} {} ({})",
                            f["action"].as_str().unwrap_or(""),
                            f["provider"].as_str().unwrap_or(""),
                            f["delivery_id"].as_str().unwrap_or(""),
                            f["approval_state"].as_str().unwrap_or("")
                        );
                    }
                }
            }
        }
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
                    println!(
                        "worker health: {}",
                        h.get("alert_level")
                            .and_then(Value::as_str)
                            .unwrap_or("healthy")
                    );
                    for k in [
                        "run_count",
                        "missed_run_count",
                        "latest_run_age_minutes",
                        "retry_plan_count",
                        "stale_retry_plan_count",
                        "retryable_count",
                        "connector_delivery_failure_count",
                        "failed_job_count",
                        "disabled_schedule_count",
                    ] {
                        println!("  {k:<34} {}", h.get(k).cloned().unwrap_or(Value::from(0)));
                    }
                    print_alerts(&h["alerts"]);
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
            force,
            yes,
        } => {
            need_yes(yes, "worker alert send")?;
            let req = SendAlertRequest {
                alert: AlertRequest {
                    provider,
                    suppression_window_minutes: window,
                    force,
                    generated_by: ctx.operator.clone(),
                },
                health: HealthParams::default(),
            };
            let out = ctx.backend.send_worker_alert(req).await?;
            match ctx.output {
                OutputFormat::Json => output::json(&out),
                OutputFormat::Table => {
                    let plan = &out["plan"];
                    println!(
                        "alert plan {} for health {} ({}): sent to {} (simulated), suppressed {}",
                        plan["plan_id"].as_str().unwrap_or(""),
                        plan["health_id"].as_str().unwrap_or(""),
                        plan["alert_level"].as_str().unwrap_or(""),
                        plan["selected_providers"],
                        plan["suppressed_providers"]
                    );
                    for d in out["delivery"]["deliveries"]
                        .as_array()
                        .into_iter()
                        .flatten()
                    {
                        println!(
                            "  {:<12} status {}",
                            d["provider"].as_str().unwrap_or(""),
                            d["status_code"]
                        );
                    }
                }
            }
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
            let board = ctx.backend.worker_alert_dashboard().await?;
            let first = board["outstanding_acknowledgements"][0].clone();
            let pick = |given: Option<String>, k: &str| {
                given.unwrap_or_else(|| first[k].as_str().unwrap_or("").to_string())
            };
            let input = AlertAckInput {
                health_id: pick(health_id, "health_id"),
                plan_id: pick(plan_id, "plan_id"),
                provider: pick(provider, "provider"),
                acknowledged_by: ctx.operator.clone(),
                state,
                external_ref: external_ref.unwrap_or_default(),
                notes: note.unwrap_or_default(),
            };
            if input.health_id.is_empty() {
                return Err(Failure::new(
                    "no outstanding worker alert: give --health-id and --provider",
                ));
            }
            let out = ctx.backend.ack_worker_alert(input).await?;
            match ctx.output {
                OutputFormat::Json => output::json(&out),
                OutputFormat::Table => {
                    let a = &out["acknowledgement"];
                    println!(
                        "recorded {} for {} on {}",
                        a["acknowledgement_state"].as_str().unwrap_or(""),
                        a["provider"].as_str().unwrap_or(""),
                        a["health_id"].as_str().unwrap_or("")
                    );
                }
            }
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
                    let rows: Vec<Vec<String>> = page["items"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_object)
                        .map(|o| history_row(&Record(o.clone())).to_vec())
                        .collect();
                    print!("{}", output::table(&HISTORY_HEADER, &rows));
                }
            }
        }
        AlertAction::Dashboard => {
            let d = ctx.backend.worker_alert_dashboard().await?;
            match ctx.output {
                OutputFormat::Json => output::json(&d),
                OutputFormat::Table => {
                    for k in [
                        "alert_level",
                        "plan_count",
                        "delivery_count",
                        "failed_delivery_count",
                        "acknowledgement_count",
                        "outstanding_acknowledgement_count",
                        "suppressed_provider_count",
                    ] {
                        println!("{k:<34} {}", d.get(k).cloned().unwrap_or(Value::from(0)));
                    }
                }
            }
        }
    }
    Ok(0)
}

pub async fn archive(ctx: &Context, action: ArchiveAction) -> Result<u8, Failure> {
    let ArchiveAction::Health {
        record,
        yes,
        no_hash,
        no_retention,
    } = action;
    if record {
        need_yes(yes, "archive health --record")?;
    }
    let req = ArchiveHealthRequest {
        rules: ArchiveRules {
            require_archive_hash: !no_hash,
            require_retention_until: !no_retention,
        },
        generated_by: ctx.operator.clone(),
        persist: record,
    };
    let out = ctx.backend.archive_health(req).await?;
    match ctx.output {
        OutputFormat::Json => output::json(&out),
        OutputFormat::Table => {
            let h = &out["health"];
            println!(
                "archive health: {}{}",
                h["alert_level"].as_str().unwrap_or("healthy"),
                if record {
                    " (report recorded)"
                } else {
                    " (not recorded)"
                }
            );
            for k in [
                "checked_export_count",
                "archived_export_count",
                "missing_archive_reference_count",
                "alert_count",
            ] {
                println!("  {k:<34} {}", h.get(k).cloned().unwrap_or(Value::from(0)));
            }
            print_alerts(&h["alerts"]);
            for a in h["recommended_actions"].as_array().into_iter().flatten() {
                println!("  recommended: {}", a.as_str().unwrap_or(""));
            }
        }
    }
    Ok(0)
}
