//! Printing what a pane action did, and its exit code: 0 recorded and every delivery fine,
//! 1 a failure (a failed delivery, a destination the server lacks, or provably not recorded),
//! 4 outcome unknown (the answer was lost and the server could not be re-read, or a delivery's
//! result or execution status could not be read).

use serde_json::json;

use super::{Context, EXIT_OUTCOME_UNKNOWN, Failure, output};
use crate::actions::{Acted, PaneAction, perform};
use crate::backend::Json;
use crate::cli::OutputFormat;

/// Performs `action` and reports it; `print` shows a server answer as a table.
pub async fn run(ctx: &Context, action: PaneAction, print: impl Fn(&Json)) -> Result<u8, Failure> {
    let title = action.title();
    let actors = ctx.actors();
    let acted = perform(ctx.backend.as_ref(), action, &ctx.operator, &actors).await?;
    Ok(report(ctx, title, &acted, print))
}

/// Prints `acted` and returns the exit code.
pub fn report(ctx: &Context, title: &str, acted: &Acted, print: impl Fn(&Json)) -> u8 {
    let code = match acted {
        Acted::Answered { verdict, .. } if verdict.ok() => 0,
        // Unknown wins over failed: the operator must check before sending again.
        Acted::Answered { verdict, .. } if verdict.outcome_unknown() => EXIT_OUTCOME_UNKNOWN,
        Acted::Answered { .. } | Acted::NotStored { .. } => 1,
        Acted::FoundStored { .. } => 0,
        Acted::Unknown { .. } => EXIT_OUTCOME_UNKNOWN,
    };
    let line = acted.summary(title);
    match (ctx.output, acted) {
        (OutputFormat::Json, Acted::Answered { response, .. }) => output::json(response),
        (OutputFormat::Table, Acted::Answered { response, verdict }) => {
            print(response);
            for l in verdict.lines() {
                crate::outln!("{}", output::safe(&l));
            }
        }
        (OutputFormat::Json, other) => output::json(
            json!({
                "outcome": match other.stored() { Some(true) => "recorded", Some(false) => "not_recorded", None => "unknown" },
                "message": line,
                "record": match other { Acted::FoundStored { record, .. } => json!(record.0), _ => json!(null) },
            })
            .as_object()
            .expect("object literal"),
        ),
        (OutputFormat::Table, _) => {}
    }
    if code == 0 {
        if !matches!(acted, Acted::Answered { .. }) {
            crate::errln!("{}", output::safe(&line));
        }
    } else {
        crate::errln!("error: {}", output::safe(&line));
    }
    code
}
