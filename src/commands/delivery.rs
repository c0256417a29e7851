//! `dashboard`, `history` and `audit deliver`.

use serde_json::Value;

use super::{Context, Failure, checked_destination, output};
use crate::actions::{PaneAction, defaults};
use crate::backend::Json;
use crate::cli::{AuditAction, OutputFormat};
use crate::domain::history_filter::{HistoryFilter, describe_console};
use crate::domain::query::Page;
use crate::views::cards::dashboard_cards;
use crate::views::rows::{HISTORY_HEADER, history_rows};

/// Requires `--yes` for commands that record something.
pub fn need_yes(yes: bool, what: &str) -> Result<(), Failure> {
    if yes {
        Ok(())
    } else {
        Err(Failure {
            message: format!("{what} records evidence: add --yes to confirm"),
            code: 2,
        })
    }
}

pub async fn dashboard(ctx: &Context) -> Result<u8, Failure> {
    let d = ctx.backend.dashboard().await?;
    match ctx.output {
        OutputFormat::Json => output::json(&d),
        OutputFormat::Table => {
            let rows: Vec<Vec<String>> = dashboard_cards(&d)
                .into_iter()
                .map(|c| {
                    vec![
                        c.group.into(),
                        c.label.into(),
                        format!("{} {}", c.severity.glyph(), c.value),
                    ]
                })
                .collect();
            crate::out!("{}", output::table(&["GROUP", "CARD", "VALUE"], &rows));
            if let Some(note) = window(ctx, &d).await {
                crate::outln!("{}", note.long());
            }
        }
    }
    Ok(0)
}

/// What CAVRA's 500-record window leaves out of the dashboard, when the server holds more
/// (the outstanding routes of the whole history are read only then).
async fn window(ctx: &Context, d: &Json) -> Option<crate::views::window::WindowNote> {
    use crate::views::window::{console_outstanding, window_note};
    let records = ctx
        .backend
        .history(
            crate::domain::history::HistoryQuery::default(),
            Page::first(1),
        )
        .await
        .ok()
        .and_then(|p| p.get("total").and_then(Value::as_u64))
        .map(|n| n as usize);
    window_note(d, records, None)?;
    let routes = ctx.backend.routes().await.ok();
    window_note(d, records, routes.as_deref().map(console_outstanding))
}

pub async fn history(
    ctx: &Context,
    filter: Option<&str>,
    limit: usize,
    offset: usize,
) -> Result<u8, Failure> {
    let f = HistoryFilter::parse(filter.unwrap_or("")).map_err(|e| Failure {
        message: format!("bad --filter: {e}"),
        code: 2,
    })?;
    let page = crate::history_scan::page(ctx.backend.as_ref(), &f.query, limit, offset).await?;
    match ctx.output {
        OutputFormat::Json => output::json(&page),
        OutputFormat::Table => {
            let rows = history_rows(page.get("items"));
            crate::out!("{}", output::table(&HISTORY_HEADER, &rows));
            let total = page.get("total").and_then(Value::as_u64).unwrap_or(0);
            match page.get("scanned").and_then(Value::as_u64) {
                Some(scanned) => crate::outln!(
                    "{} shown of {total} matching (offset {offset}; {} matched by the console over {scanned} records)",
                    rows.len(),
                    describe_console(&f.query.console),
                ),
                None => crate::outln!("{} shown of {total} (offset {offset})", rows.len()),
            }
        }
    }
    Ok(0)
}

pub async fn audit(ctx: &Context, action: AuditAction) -> Result<u8, Failure> {
    let AuditAction::Deliver {
        provider,
        filter,
        cadence,
        schedule_ref,
        yes,
    } = action;
    need_yes(yes, "audit deliver")?;
    let f = super::routes::parse_filter(filter.as_deref())?;
    let provider = checked_destination(&provider)?;
    let action = deliver_request(
        crate::ops::audit_scope(&f),
        &provider,
        &cadence,
        &schedule_ref,
        &ctx.operator,
    );
    super::acted::run(ctx, action, print_audit_delivery).await
}

/// `audit deliver`: the web console's Deliver Ack Audit with the flags' destination.
pub fn deliver_request(
    scope: crate::domain::audit::AuditScope,
    destination: &str,
    cadence: &str,
    schedule_ref: &str,
    by: &str,
) -> PaneAction {
    let mut action = defaults::deliver_audit(scope, destination, by);
    if let PaneAction::DeliverAudit(r) = &mut action {
        r.cadence = cadence.into();
        r.schedule_ref = schedule_ref.into();
    }
    action
}

fn print_audit_delivery(out: &Json) {
    let out = &Value::Object(out.clone()); // indexing a Value never panics
    let s = |v: &Value| output::safe(v.as_str().unwrap_or(""));
    let plan = out.get("delivery_plan").cloned().unwrap_or_default();
    let destinations = match plan["selected_providers"].as_array() {
        Some(names) => names.iter().map(s).collect::<Vec<_>>().join(", "),
        None => "? (the answer does not list them)".into(),
    };
    crate::outln!(
        "audit {} · delivery plan {} · destinations {destinations}",
        s(&plan["audit_id"]),
        s(&plan["delivery_id"]),
    );
}

pub async fn deliver(
    ctx: &Context,
    provider: String,
    force: bool,
    yes: bool,
) -> Result<u8, Failure> {
    need_yes(yes, "deliver")?;
    let out = ctx
        .backend
        .deliver(provider, force, ctx.operator.clone())
        .await?;
    let success = out.get("success").and_then(Value::as_bool);
    match ctx.output {
        OutputFormat::Json => output::json(&out),
        OutputFormat::Table => {
            let plan = out.get("plan").cloned().unwrap_or_default();
            crate::outln!(
                "plan {} for {} ({}): {} deliverable, {} suppressed; delivery {}",
                plan["plan_id"].as_str().unwrap_or(""),
                plan["schedule_id"].as_str().unwrap_or(""),
                plan["status"].as_str().unwrap_or(""),
                plan["deliverable_route_count"],
                plan["suppressed_route_count"],
                match success {
                    Some(true) => "succeeded (or nothing to send)",
                    Some(false) => "FAILED",
                    None => "UNKNOWN",
                }
            );
        }
    }
    match success {
        Some(true) => Ok(0),
        Some(false) => {
            crate::errln!("error: the delivery failed (see `cavra-tui history`)");
            Ok(1)
        }
        // Not known to have failed either: outcome unknown, as for a pane action's delivery.
        None => {
            crate::errln!(
                "error: the server's answer does not say whether the delivery succeeded (no boolean `success`); check `cavra-tui history` before trying again"
            );
            Ok(super::EXIT_OUTCOME_UNKNOWN)
        }
    }
}
