//! Bulk planning rules: what each bulk action picks and skips.

use super::*;
use crate::domain::route::{RouteAction, RouteState};

fn row(
    schedule: &str,
    provider: &str,
    state: RouteState,
    breached: bool,
    action: RouteAction,
) -> RouteRow {
    RouteRow {
        action,
        breached,
        ..RouteRow::fixture(schedule, provider, "o", state)
    }
}

fn rows() -> Vec<RouteRow> {
    use RouteAction::*;
    use RouteState::*;
    vec![
        row("s1", "slack", Outstanding, true, Deliver),
        row("s1", "teams", Outstanding, false, Deliver),
        row("s1", "jira", Escalated, true, Deliver),
        row("s1", "datadog", Dismissed, true, Deliver),
        row("s1", "splunk", Acknowledged, false, Deliver),
        row("s1", "webhook", NotRequired, false, Suppress),
    ]
}

fn names(p: &ActionPlan) -> Vec<String> {
    p.routes.iter().map(|r| r.route.provider.clone()).collect()
}

#[test]
fn ack_outstanding_takes_every_unacknowledged_deliver_route() {
    let p = plan_bulk(&rows(), &RouteFilter::default(), BulkKind::AckOutstanding);
    assert_eq!(names(&p), ["slack", "teams", "jira", "datadog"]);
    assert!(p.routes.iter().all(|r| r.state_after == "acknowledged"));
    assert_eq!(p.routes[2].state_now, "escalated");
    assert_eq!(p.requests, 1);
}

#[test]
fn escalate_breached_skips_routes_already_escalated() {
    let p = plan_bulk(&rows(), &RouteFilter::default(), BulkKind::EscalateBreached);
    assert_eq!(names(&p), ["slack", "datadog"]);
    assert_eq!(
        p.skipped,
        [(RouteKey::new("s1", "jira"), "already escalated".to_string())]
    );
}

#[test]
fn bulk_respects_the_filter_and_counts_requests_in_chunks_of_100() {
    let f = RouteFilter::parse("provider:teams").unwrap();
    assert_eq!(
        names(&plan_bulk(&rows(), &f, BulkKind::AckOutstanding)),
        ["teams"]
    );
    let many: Vec<RouteRow> = (0..250)
        .map(|i| {
            row(
                &format!("s{i}"),
                "slack",
                RouteState::Outstanding,
                true,
                RouteAction::Deliver,
            )
        })
        .collect();
    let p = plan_bulk(&many, &RouteFilter::default(), BulkKind::AckOutstanding);
    assert_eq!((p.routes.len(), p.requests), (250, 3));
}

#[test]
fn duplicate_keys_from_two_owners_are_recorded_once() {
    let mut r = rows();
    let mut dup = r[0].clone();
    dup.owner = "other-owner".into();
    r.push(dup);
    let p = plan_bulk(&r, &RouteFilter::default(), BulkKind::AckOutstanding);
    assert_eq!(
        p.routes
            .iter()
            .filter(|x| x.route.provider == "slack")
            .count(),
        1
    );
}

#[test]
fn audit_scope_takes_owner_provider_schedule_and_names_what_it_ignores() {
    let f = RouteFilter::parse("owner:pay provider:slack schedule:s1 state:breached foo").unwrap();
    let s = audit_scope(&f);
    assert_eq!(
        (
            s.owner.as_str(),
            s.provider.as_str(),
            s.schedule_id.as_str()
        ),
        ("pay", "slack", "s1")
    );
    assert_eq!(audit_ignored_fields(&f), ["state", "free text"]);
}

#[test]
fn resolve_routes_names_unknown_routes() {
    let r = rows();
    assert_eq!(
        resolve_routes(&r, &[RouteKey::new("s1", "slack")])
            .unwrap()
            .len(),
        1
    );
    let err = resolve_routes(&r, &[RouteKey::new("s9", "slack")]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown route(s): s9/slack (see `cavra-tui routes`)"
    );
}
