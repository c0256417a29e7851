//! The labelled facts panes 4–6 and their subcommands show, each JSON field read here once:
//! worker health, a worker run, the alert dashboard, archive health, a retry plan's summary.
//! The TUI renders them as `label value` lines; the CLI prints the same lines.

use serde_json::Value;

use crate::backend::Json;
use crate::domain::time;

/// A labelled value.
pub type Fact = (&'static str, String);

/// A field as text: strings as they are, numbers and booleans printed, missing as "".
pub fn text(o: &Json, k: &str) -> String {
    match o.get(k) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(v) => v.to_string(),
    }
}

/// A number field, missing as 0 (the web console's reading).
fn n(o: &Json, k: &str) -> String {
    match o.get(k) {
        Some(Value::Null) | None => "0".into(),
        _ => text(o, k),
    }
}

/// The object under `k` (empty when it is absent or not an object).
pub fn object(o: &Json, k: &str) -> Json {
    o.get(k)
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default()
}

/// The `alert_level` of an object, `healthy` when absent.
pub fn level(o: &Json) -> String {
    match text(o, "alert_level") {
        l if l.is_empty() => "healthy".into(),
        l => l,
    }
}

/// The entries of an array field (none when it is absent or not an array).
pub fn entries<'a>(o: &'a Json, k: &str) -> impl Iterator<Item = &'a Value> {
    o.get(k).and_then(Value::as_array).into_iter().flatten()
}

/// The strings of an array field.
pub fn strings(o: &Json, k: &str) -> Vec<String> {
    entries(o, k)
        .map(|v| {
            v.as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string())
        })
        .collect()
}

/// Worker health (§4.11).
pub fn worker_health(h: &Json) -> Vec<Fact> {
    vec![
        (
            "runs / missed",
            format!(
                "{} / {} (expected every {} min)",
                n(h, "run_count"),
                n(h, "missed_run_count"),
                n(h, "expected_interval_minutes")
            ),
        ),
        ("latest run age (min)", n(h, "latest_run_age_minutes")),
        (
            "retry plans / stale",
            format!(
                "{} / {}",
                n(h, "retry_plan_count"),
                n(h, "stale_retry_plan_count")
            ),
        ),
        ("retryable deliveries", n(h, "retryable_count")),
        (
            "connector failures",
            n(h, "connector_delivery_failure_count"),
        ),
        (
            "failed jobs / disabled",
            format!(
                "{} / {}",
                n(h, "failed_job_count"),
                n(h, "disabled_schedule_count")
            ),
        ),
    ]
}

/// A worker run (§4.10).
/// How a worker run ran, as its `dry_run` says: `dry run`, `live`, or `mode unknown` when the
/// answer does not say (never guessed either way).
pub fn run_mode(run: &Json) -> &'static str {
    match run.get("dry_run").and_then(Value::as_bool) {
        Some(true) => "dry run",
        Some(false) => "live",
        None => "mode unknown",
    }
}

pub fn worker_run(run: &Json) -> Vec<Fact> {
    let sum = object(run, "summary");
    let schedule = object(run, "schedule");
    // A run that shows no summary has no counts to show (missing is not zero).
    let counts = |line: String| match run.get("summary") {
        Some(Value::Object(_)) => line,
        _ => "not shown (the run has no summary)".to_string(),
    };
    vec![
        (
            "run",
            format!("{} ({})", text(run, "run_id"), run_mode(run)),
        ),
        ("generated", time::short(&text(run, "generated_at"))),
        (
            "window",
            format!(
                "{} .. {} ({})",
                time::short(&text(&schedule, "window_start")),
                time::short(&text(&schedule, "window_end")),
                text(&schedule, "cadence")
            ),
        ),
        (
            "retry / wait / suppress",
            counts(format!(
                "{} / {} / {}",
                n(&sum, "retryable_count"),
                n(&sum, "waiting_retry_count"),
                n(&sum, "suppressed_retry_count")
            )),
        ),
        (
            "selected / need approval",
            counts(format!(
                "{} / {}",
                n(&sum, "selected_retry_count"),
                n(&sum, "approval_pending_count")
            )),
        ),
    ]
}

/// A run's follow-up actions as `action provider delivery (approval)` lines.
pub fn follow_ups(run: &Json) -> Vec<String> {
    entries(run, "follow_up_actions")
        .filter_map(Value::as_object)
        .map(|f| {
            format!(
                "{} {} {} ({})",
                text(f, "action"),
                text(f, "provider"),
                text(f, "delivery_id"),
                text(f, "approval_state")
            )
        })
        .collect()
}

/// The worker-health alert dashboard (§4.15).
pub fn alert_dashboard(d: &Json) -> Vec<Fact> {
    vec![
        (
            "plans / deliveries",
            format!(
                "{} / {} ({} failed)",
                n(d, "plan_count"),
                n(d, "delivery_count"),
                n(d, "failed_delivery_count")
            ),
        ),
        (
            "acks / outstanding",
            format!(
                "{} / {}",
                n(d, "acknowledgement_count"),
                n(d, "outstanding_acknowledgement_count")
            ),
        ),
        ("suppressed providers", n(d, "suppressed_provider_count")),
    ]
}

/// Archive-reference health (§4.17).
pub fn archive_health(h: &Json) -> Vec<Fact> {
    vec![
        ("verified exports checked", n(h, "checked_export_count")),
        ("archived", n(h, "archived_export_count")),
        (
            "missing archive refs",
            n(h, "missing_archive_reference_count"),
        ),
        (
            "alerts (critical/warn)",
            format!(
                "{} ({}/{})",
                n(h, "alert_count"),
                n(h, "critical_alert_count"),
                n(h, "warning_alert_count")
            ),
        ),
    ]
}

/// A retry plan's one-line summary: `id · N retry · N wait · N suppress · policy …`.
pub fn retry_plan_summary(plan: &Json) -> String {
    format!(
        "{} retry · {} wait · {} suppress · policy {}× {}m ×{}",
        n(plan, "retryable_count"),
        n(plan, "waiting_count"),
        n(plan, "suppressed_count"),
        n(plan, "max_retry_attempts"),
        n(plan, "base_retry_delay_minutes"),
        n(plan, "backoff_multiplier")
    )
}

/// An acknowledgement in an action's answer as `state for provider on target by actor`.
pub fn acknowledgement_line(out: &Json) -> String {
    let a = object(out, "acknowledgement");
    let target = ["delivery_id", "health_id", "schedule_id"]
        .iter()
        .map(|k| text(&a, k))
        .find(|v| !v.is_empty())
        .unwrap_or_default();
    format!(
        "recorded {} for {} on {} by {}",
        text(&a, "acknowledgement_state"),
        text(&a, "provider"),
        target,
        text(&a, "acknowledged_by")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_fixtures::obj as run;

    #[test]
    fn a_run_without_a_summary_shows_no_counts_not_zeros() {
        let bare = worker_run(&run(serde_json::json!({"run_id": "R1", "dry_run": true})));
        let counts: Vec<&String> = bare.iter().skip(3).map(|(_, v)| v).collect();
        assert!(
            counts.iter().all(|v| v.starts_with("not shown")),
            "{bare:?}"
        );
        let summary = serde_json::json!({"retryable_count": 2, "selected_retry_count": 1});
        let full = worker_run(&run(
            serde_json::json!({"run_id": "R1", "summary": summary}),
        ));
        assert_eq!(full[3].1, "2 / 0 / 0");
        assert_eq!(full[4].1, "1 / 0");
    }
}
