//! Printing what a pane action did, and its exit code: 0 recorded and every delivery fine,
//! 1 a failure (a failed delivery, a destination the server lacks, or provably not recorded),
//! 4 outcome unknown (the answer was lost and the server could not be re-read; a delivering
//! action's answer was lost, so its deliveries were not seen; or the answer does not show the
//! record or how a delivery went).

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
        // Unknown wins over failed: the operator must check before sending again.
        a if a.outcome_unknown() => EXIT_OUTCOME_UNKNOWN,
        Acted::Answered { verdict, .. } if verdict.ok() => 0,
        Acted::Answered { .. } | Acted::NotStored { .. } => 1,
        Acted::FoundStored { .. } => 0,
        Acted::Unknown { .. } => EXIT_OUTCOME_UNKNOWN,
    };
    let line = acted.summary(title);
    match (ctx.output, acted) {
        (OutputFormat::Json, Acted::Answered { response, .. }) => output::json(response),
        (OutputFormat::Table, Acted::Answered { response, verdict }) => {
            // An answer without the record would print as one with its fields blank, and one
            // the server says failed as if it were recorded.
            if verdict.recorded() {
                print(response);
            }
            for l in verdict.lines() {
                crate::outln!("{}", output::safe(&l));
            }
        }
        (OutputFormat::Json, other) => output::json(
            json!({
                "outcome": match (other.stored(), other.outcome_unknown()) {
                    (Some(true), true) => "recorded_delivery_unknown",
                    (Some(true), false) => "recorded",
                    (Some(false), _) => "not_recorded",
                    (None, _) => "unknown",
                },
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
