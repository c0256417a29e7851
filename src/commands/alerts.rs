//! `worker alert send|ack|list|dashboard` and `archive alert send|ack|list|dashboard`: one
//! flow for both alert families; what differs (requests, calls, printing) is an `Alerts` match.

use serde_json::{Value, json};

use super::delivery::need_yes;
use super::output::{print_facts, print_labelled, summary_printer};
use super::{Context, Failure, output};
use crate::actions::{PaneAction, defaults, select};
use crate::backend::calls::checked;
use crate::backend::{AlertAckInput, Call, Json};
use crate::cli::{AlertAction, OutputFormat};
use crate::domain::query::Page;
use crate::domain::worker::AlertQuery;
use crate::views::dashboards::{self, ARCHIVE_ALERT_COUNTERS};
use crate::views::facts;
use crate::views::rows::{HISTORY_HEADER, history_rows};
use crate::views::summary::ARCHIVE_ALERT_PLAN;

/// Which alerts: the worker-health alerts (pane 5) or the archive alerts (pane 6).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Alerts {
    Worker,
    Archive,
}

impl Alerts {
    /// The command's words (`worker alert`, `archive alert`).
    fn words(self) -> &'static str {
        match self {
            Alerts::Worker => "worker alert",
            Alerts::Archive => "archive alert",
        }
    }

    async fn dashboard(self, ctx: &Context) -> Result<Json, Failure> {
        Ok(match self {
            Alerts::Worker => ctx.backend.worker_alert_dashboard().await?,
            Alerts::Archive => checked(ctx.backend.as_ref(), Call::ArchiveAlertDashboard).await?,
        })
    }

    async fn page(self, ctx: &Context, query: AlertQuery, limit: usize) -> Result<Json, Failure> {
        Ok(match self {
            Alerts::Worker => ctx.backend.worker_alerts(query, Page::first(limit)).await?,
            Alerts::Archive => {
                let call = Call::ArchiveAlerts {
                    query,
                    page: Page::first(limit),
                };
                checked(ctx.backend.as_ref(), call).await?
            }
        })
    }
}

/// `… alert send|ack|list|dashboard`.
pub async fn alert(ctx: &Context, alerts: Alerts, action: AlertAction) -> Result<u8, Failure> {
    match action {
        AlertAction::Send {
            provider,
            window,
            no_force,
            yes,
        } => {
            need_yes(yes, &format!("{} send", alerts.words()))?;
            let provider = super::checked_destination(&provider)?;
            let action = send_request(alerts, &provider, window, no_force, &ctx.operator);
            let archive_send = summary_printer(&ARCHIVE_ALERT_PLAN);
            let print: &dyn Fn(&Json) = match alerts {
                Alerts::Worker => &print_alert,
                Alerts::Archive => &archive_send,
            };
            return super::acted::run(ctx, action, print).await;
        }
        AlertAction::Ack {
            health_id,
            provider,
            plan_id,
            state,
            rec,
        } => {
            need_yes(rec.yes, &format!("{} ack", alerts.words()))?;
            let mut input = match (&health_id, &provider, &plan_id) {
                // Everything named: acknowledge exactly that, outstanding or not.
                (Some(h), Some(p), Some(plan)) => select::alert_ack(
                    json!({"health_id": h, "provider": p, "plan_id": plan})
                        .as_object()
                        .unwrap_or(&Json::new()),
                    &state,
                    &ctx.operator,
                ),
                _ => {
                    let board = alerts.dashboard(ctx).await?;
                    let entry = select::outstanding_alert(
                        &board,
                        health_id.as_deref(),
                        provider.as_deref(),
                    )
                    .map_err(|e| match alerts {
                        Alerts::Worker => e,
                        Alerts::Archive => e.of_archive_alerts(),
                    })?;
                    let mut input = select::alert_ack(&entry, &state, &ctx.operator);
                    if let Some(plan) = plan_id {
                        input.plan_id = plan;
                    }
                    input
                }
            };
            (input.notes, input.external_ref) = rec.texts();
            let print = |out: &Json| {
                crate::outln!("{}", output::safe(&facts::acknowledgement_line(out)));
            };
            return super::acted::run(ctx, ack_action(alerts, input), print).await;
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
            let page = alerts.page(ctx, query, limit).await?;
            match ctx.output {
                OutputFormat::Json => output::json(&page),
                OutputFormat::Table => {
                    let rows = history_rows(page.get("items"));
                    crate::out!("{}", output::table(&HISTORY_HEADER, &rows));
                }
            }
        }
        AlertAction::Dashboard => {
            let d = alerts.dashboard(ctx).await?;
            match ctx.output {
                OutputFormat::Json => output::json(&d),
                OutputFormat::Table => print_dashboard(alerts, &d),
            }
        }
    }
    Ok(0)
}

/// `… alert send`: the web console's Send Worker Alert (or Send Archive Alert) to the flags'
/// provider, window and force.
pub fn send_request(
    alerts: Alerts,
    provider: &str,
    window: Option<u32>,
    no_force: bool,
    by: &str,
) -> PaneAction {
    let mut action = match alerts {
        Alerts::Worker => defaults::send_alert(provider, by),
        Alerts::Archive => defaults::send_archive_alert(provider, by),
    };
    let alert = match &mut action {
        PaneAction::SendAlert(r) => Some(&mut r.alert),
        PaneAction::SendArchiveAlert(r) => Some(&mut r.alert),
        _ => None,
    };
    if let Some(alert) = alert {
        alert.suppression_window_minutes = window;
        alert.force = !no_force;
    }
    action
}

fn ack_action(alerts: Alerts, input: AlertAckInput) -> PaneAction {
    match alerts {
        Alerts::Worker => PaneAction::AckAlert(input),
        Alerts::Archive => PaneAction::AckArchiveAlert(input),
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

fn print_dashboard(alerts: Alerts, d: &Json) {
    match alerts {
        Alerts::Worker => {
            crate::outln!("worker alerts: {}", output::safe(&facts::level(d)));
            print_facts(&facts::alert_dashboard(d));
        }
        Alerts::Archive => {
            print_labelled(&dashboards::by_field(d, &ARCHIVE_ALERT_COUNTERS), 34);
        }
    }
}
