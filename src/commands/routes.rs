//! `cavra-tui routes`: the routes pane as a table or JSON.

use super::{Context, Failure, output};
use crate::cli::OutputFormat;
use crate::domain::filter::RouteFilter;
use crate::domain::route::RouteRow;

/// Parses a `--filter` value (empty when absent).
pub fn parse_filter(expr: Option<&str>) -> Result<RouteFilter, Failure> {
    RouteFilter::parse(expr.unwrap_or("")).map_err(|e| Failure {
        message: format!("bad --filter: {e}"),
        code: 2,
    })
}

pub async fn list(ctx: &Context, filter: Option<&str>) -> Result<u8, Failure> {
    let filter = parse_filter(filter)?;
    let rows: Vec<RouteRow> = ctx
        .backend
        .routes()
        .await?
        .into_iter()
        .filter(|r| filter.matches(r))
        .collect();
    match ctx.output {
        OutputFormat::Json => output::json(&rows),
        OutputFormat::Table => {
            let body: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r.schedule_id.clone(),
                        r.provider.clone(),
                        r.owner.clone(),
                        r.state.as_str().into(),
                        crate::views::rows::age_slo(r),
                        if r.breached {
                            "BREACHED".into()
                        } else {
                            "-".into()
                        },
                        r.recommended_action.into(),
                        r.action.as_str().into(),
                        r.category.clone(),
                    ]
                })
                .collect();
            print!(
                "{}",
                output::table(
                    &[
                        "SCHEDULE",
                        "PROVIDER",
                        "OWNER",
                        "STATE",
                        "AGE/SLO",
                        "BREACH",
                        "RECOMMENDED",
                        "ACTION",
                        "CATEGORY"
                    ],
                    &body
                )
            );
            println!("{} routes", rows.len());
        }
    }
    Ok(0)
}
