//! `routing`, `suppression-trends`.

use serde_json::Value;

use super::delivery::need_yes;
use super::output::text;
use super::{Context, Failure, output};
use crate::actions::defaults;
use crate::backend::calls::checked;
use crate::backend::{Call, Json};
use crate::cli::{OutputFormat, RoutingArgs, TrendArgs};
use crate::domain::filter::RouteFilter;
use crate::domain::histories::RoutingQuery;
use crate::domain::query::Page;
use crate::views::facts;
use crate::views::summary::{self, SUPPRESSION_TREND};

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
    Ok(RoutingQuery::from(&f))
}

/// `routing`.
pub async fn routing(ctx: &Context, a: RoutingArgs) -> Result<u8, Failure> {
    let query = routing_query(a.filter.as_deref())?;
    let call = Call::Routes {
        query,
        page: Page::at(a.limit, a.offset),
    };
    let page = checked(ctx.backend.as_ref(), call).await?;
    match ctx.output {
        OutputFormat::Json => output::json(&page),
        OutputFormat::Table => {
            let cols = [
                "route_id", "owner", "provider", "action", "category", "reason",
            ];
            let rows = summary::cells(facts::entries(&page, "items"), &cols);
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
    let trend = SUPPRESSION_TREND.record(out);
    output::print_summary(&SUPPRESSION_TREND, &trend);
    for (k, v) in trend
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
