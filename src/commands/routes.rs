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
    let notice = crate::views::rows::flaw_notice(&rows);
    match ctx.output {
        OutputFormat::Json => output::json(&rows),
        OutputFormat::Table => {
            // The DATA column appears only when a row is marked: sound output is unchanged.
            let marked = notice.is_some();
            let body: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    let mut cells = vec![
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
                    ];
                    if marked {
                        cells.push(r.flaw_text());
                    }
                    cells
                })
                .collect();
            let mut header = vec![
                "SCHEDULE",
                "PROVIDER",
                "OWNER",
                "STATE",
                "AGE/SLO",
                "BREACH",
                "RECOMMENDED",
                "ACTION",
                "CATEGORY",
            ];
            if marked {
                header.push("DATA");
            }
            crate::out!("{}", output::table(&header, &body));
            crate::outln!("{} routes", rows.len());
        }
    }
    if let Some(n) = notice {
        crate::errln!("warning: {n}");
    }
    Ok(0)
}
