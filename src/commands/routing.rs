//! `archive alert send|ack|list|dashboard`, `routing`, `suppression-trends`.

use serde_json::{Value, json};

use super::delivery::need_yes;
use super::{Context, Failure, output};
use crate::actions::{PaneAction, defaults, select};
use crate::backend::calls::checked;
use crate::backend::{Call, Json};
use crate::cli::{AlertAction, OutputFormat, RoutingArgs, TrendArgs};
use crate::domain::Record;
use crate::domain::filter::RouteFilter;
use crate::domain::histories::RoutingQuery;
use crate::domain::worker::AlertQuery;
use crate::views::rows::{HISTORY_HEADER, history_row};

fn text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn print_send(out: &Json) {
    let p = out
        .get("plan")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    crate::outln!(
        "archive alert plan {} for health {} ({}): selected {}",
        output::safe(&text(p.get("plan_id"))),
        output::safe(&text(p.get("health_id"))),
        output::safe(&text(p.get("alert_level"))),
        output::safe(&text(p.get("selected_providers")))
    );
}

fn print_ack(out: &Json) {
    crate::outln!(
        "{}",
        output::safe(&crate::views::facts::acknowledgement_line(out))
    );
}

/// `archive alert …`.
pub async fn archive_alert(ctx: &Context, action: AlertAction) -> Result<u8, Failure> {
    let b = ctx.backend.as_ref();
    match action {
        AlertAction::Send {
            provider,
            window,
            no_force,
            yes,
        } => {
            need_yes(yes, "archive alert send")?;
            let mut action = defaults::send_archive_alert(&provider, &ctx.operator);
            if let PaneAction::SendArchiveAlert(r) = &mut action {
                r.alert.suppression_window_minutes = window;
                r.alert.force = !no_force;
            }
            super::acted::run(ctx, action, print_send).await
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
            need_yes(yes, "archive alert ack")?;
            let mut input = match (&health_id, &provider, &plan_id) {
                (Some(h), Some(p), Some(plan)) => select::alert_ack(
                    json!({"health_id": h, "provider": p, "plan_id": plan})
                        .as_object()
                        .unwrap_or(&Json::new()),
                    &state,
                    &ctx.operator,
                ),
                _ => {
                    let board = checked(b, Call::ArchiveAlertDashboard).await?;
                    let entry = select::outstanding_alert(
                        &board,
                        health_id.as_deref(),
                        provider.as_deref(),
                    )
                    .map_err(select::ChoiceError::of_archive_alerts)?;
                    let mut input = select::alert_ack(&entry, &state, &ctx.operator);
                    if let Some(plan) = plan_id {
                        input.plan_id = plan;
                    }
                    input
                }
            };
            input.notes = note.unwrap_or_default();
            input.external_ref = external_ref.unwrap_or_default();
            super::acted::run(ctx, PaneAction::AckArchiveAlert(input), print_ack).await
        }
        AlertAction::List {
            health_id,
            provider,
            limit,
        } => {
            let query = AlertQuery {
                health_id,
                provider,
                ..Default::default()
            };
            let page = checked(
                b,
                Call::ArchiveAlerts {
                    query,
                    limit,
                    offset: 0,
                },
            )
            .await?;
            match ctx.output {
                OutputFormat::Json => output::json(&page),
                OutputFormat::Table => {
                    let rows: Vec<Vec<String>> = page
                        .get("items")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_object)
                        .map(|o| history_row(&Record(o.clone())).to_vec())
                        .collect();
                    crate::out!("{}", output::table(&HISTORY_HEADER, &rows));
                }
            }
            Ok(0)
        }
        AlertAction::Dashboard => {
            let d = checked(b, Call::ArchiveAlertDashboard).await?;
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
                        crate::outln!("  {k:<34} {}", output::safe(&text(d.get(k))));
                    }
                }
            }
            Ok(0)
        }
    }
}

/// The routing query a filter expression names (owner, provider, action, category, schedule).
pub fn routing_query(expr: Option<&str>) -> Result<RoutingQuery, Failure> {
    let usage = |m: String| Failure {
        message: m,
        code: 2,
    };
    let f = RouteFilter::parse(expr.unwrap_or("")).map_err(|e| usage(e.to_string()))?;
    if f.state.is_some() || !f.text.is_empty() {
        return Err(usage(
            "the routing history filters by owner:, provider:, action:, category: and schedule: only".into(),
        ));
    }
    Ok(RoutingQuery {
        schedule_id: f.schedule,
        provider: f.provider,
        owner: f.owner,
        action: f.action.map(|a| a.as_str().to_string()),
        category: f.category,
    })
}

/// `routing`.
pub async fn routing(ctx: &Context, a: RoutingArgs) -> Result<u8, Failure> {
    let query = routing_query(a.filter.as_deref())?;
    let call = Call::Routes {
        query,
        limit: a.limit,
        offset: a.offset,
    };
    let page = checked(ctx.backend.as_ref(), call).await?;
    match ctx.output {
        OutputFormat::Json => output::json(&page),
        OutputFormat::Table => {
            let cols = [
                "route_id", "owner", "provider", "action", "category", "reason",
            ];
            let rows: Vec<Vec<String>> = page
                .get("items")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|r| cols.iter().map(|c| text(r.get(*c))).collect())
                .collect();
            crate::out!("{}", output::table(&cols, &rows));
            crate::outln!(
                "{} of {} routing decisions",
                rows.len(),
                text(page.get("total"))
            );
        }
    }
    Ok(0)
}

fn print_trend(out: &Json) {
    let t = out
        .get("trend")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    crate::outln!(
        "suppression trend {} ({}): {} suppressed, maintenance {}, calendar {}",
        output::safe(&text(t.get("trend_id"))),
        output::safe(&text(t.get("alert_level"))),
        text(t.get("suppression_event_count")),
        text(t.get("maintenance_suppressed_count")),
        text(t.get("calendar_suppressed_count"))
    );
    for (k, v) in t
        .get("category_counts")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        crate::outln!("  {:<24} {}", output::safe(k), text(Some(v)));
    }
}

/// `suppression-trends`.
pub async fn trends(ctx: &Context, a: TrendArgs) -> Result<u8, Failure> {
    need_yes(a.yes, "suppression-trends")?;
    let query = routing_query(a.filter.as_deref())?;
    let action = defaults::suppression_trend(query, &ctx.operator);
    super::acted::run(ctx, action, print_trend).await
}
