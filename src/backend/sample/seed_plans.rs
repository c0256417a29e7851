//! A scenario schedule as CAVRA's notification plan record: route decisions (deliver or
//! suppress, with the maintenance-window and owner-calendar reasons), owner routes and the
//! plan's counters, timed relative to the moment of seeding.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::seed_spec::ScheduleSpec;
use crate::domain::ids::make_id;
use crate::domain::record::{PRODUCT, Record, kind};
use crate::domain::time;

/// Builds a notification plan record (CONTRACT §4.3) for a schedule at a time.
pub(super) fn plan_record(s: &ScheduleSpec, at: DateTime<Utc>) -> Record {
    let generated_at = time::iso(at);
    let mut owner_routes = Vec::new();
    let mut decisions = Vec::new();
    let (mut maint, mut cal) = (0, 0);
    for r in &s.routes {
        let escalation_owner = r
            .escalation_owner
            .clone()
            .unwrap_or_else(|| r.owner.clone());
        let window = (r.suppress.as_deref() == Some("maintenance_window")).then(|| {
            json!({"window_id": r.window.clone().unwrap_or_default(),
                   "start_at": time::iso(at - Duration::hours(2)), "end_at": time::iso(at + Duration::hours(6)),
                   "reason": "approved change freeze"})
        });
        let availability = match (r.suppress.as_deref(), &r.calendar_reason) {
            (Some("owner_calendar"), reason) => json!({"available": false,
                "reason": reason.clone().unwrap_or_else(|| "owner unavailable".into())}),
            _ => json!({"available": true, "reason": "no owner calendar configured"}),
        };
        let owner_route = json!({
            "route_key": make_id("gordroute", &format!("{}|{}|{}", s.schedule_id, r.provider, r.owner)),
            "schedule_id": s.schedule_id,
            "provider": r.provider,
            "owner": r.owner,
            "acknowledgement_minutes": r.slo.unwrap_or(60),
            "escalation_owner": escalation_owner,
            "maintenance_window": window.clone().unwrap_or(Value::Null),
            "owner_availability": availability,
        });
        let (action, reason, category) = match r.suppress.as_deref() {
            None => (
                "deliver",
                "rollback drill is stale or due soon".to_string(),
                None,
            ),
            Some("maintenance_window") => {
                maint += 1;
                (
                    "suppress",
                    "matching maintenance window is active".into(),
                    None,
                )
            }
            Some("owner_calendar") => {
                cal += 1;
                (
                    "suppress",
                    r.calendar_reason
                        .clone()
                        .unwrap_or_else(|| "owner unavailable".into()),
                    None,
                )
            }
            Some("healthy_schedule") => (
                "suppress",
                "rollback drill schedule is healthy; notification suppressed".into(),
                None,
            ),
            Some(other) => (
                "suppress",
                r.reason.clone().unwrap_or_else(|| other.to_string()),
                Some(other),
            ),
        };
        let mut decision = owner_route.as_object().cloned().expect("object literal");
        decision.insert("action".into(), action.into());
        decision.insert("reason".into(), reason.into());
        if let Some(c) = category {
            decision.insert("category".into(), c.into());
        }
        owner_routes.push(owner_route);
        decisions.push(Value::Object(decision));
    }
    // Each route's provider is selected, or suppressed when the route is.
    let (mut selected, mut suppressed): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    for r in &s.routes {
        match r.suppress {
            None => selected.push(&r.provider),
            Some(_) => suppressed.push(&r.provider),
        }
    }
    let owners: Vec<&str> = {
        let mut o: Vec<&str> = s.routes.iter().map(|r| r.owner.as_str()).collect();
        o.sort();
        o.dedup();
        o
    };
    let plan_id = make_id(
        "gordn",
        &format!("{}|{}|{}", s.schedule_id, s.status, generated_at),
    );
    let plan = json!({
        "schema_version": "cavra.go-backend-pilot.rollback-drill-notification-plan.v1",
        "product": PRODUCT,
        "plan_id": plan_id,
        "schedule_id": s.schedule_id,
        "environment": s.environment,
        "generated_at": generated_at,
        "generated_by": "cavra-scheduler",
        "status": s.status,
        "alert_level": alert_level(&s.status),
        "eligible_providers": s.routes.iter().map(|r| r.provider.as_str()).collect::<Vec<_>>(),
        "selected_providers": selected,
        "acknowledgement_required_providers": selected,
        "suppressed_providers": suppressed,
        "owners": owners,
        "owner_routes": owner_routes,
        "route_decisions": decisions,
        "deliverable_route_count": selected.len(),
        "suppressed_route_count": suppressed.len(),
        "maintenance_suppressed_count": maint,
        "calendar_suppressed_count": cal,
        "next_due_at": time::iso(at - Duration::days(3)),
        "reason": if selected.is_empty() { "rollback drill schedule is healthy; notification suppressed" } else { "rollback drill is stale or due soon" },
        "controls": [
            "routing-policy-derived-from-public-safe-owner-metadata",
            "maintenance-windows-contain-no-provider-credentials",
            "owner-calendars-are-public-safe-availability-metadata",
            "notification-plan-does-not-mutate-runtime-mode"
        ],
    });
    let meta = json!({
        "session_id": plan_id,
        "created_at": generated_at,
        "signer": "cavra-scheduler",
        "decision_count": 1,
        "blocked_count": u8::from(!selected.is_empty()),
        "approval_required_count": 0,
        "metadata_kind": kind::NOTIFICATION_PLAN,
        "plan_id": plan_id,
        "schedule_id": s.schedule_id,
        "alert_level": alert_level(&s.status),
        "selected_providers": selected,
        "acknowledgement_required_providers": selected,
        "deliverable_route_count": selected.len(),
        "suppressed_route_count": suppressed.len(),
        "maintenance_suppressed_count": maint,
        "calendar_suppressed_count": cal,
        "plan": plan,
    });
    Record::envelope(meta.as_object().cloned().expect("object literal"))
}

pub(super) fn alert_level(status: &str) -> &'static str {
    match status {
        "needs_attention" => "critical",
        "due_soon" => "warning",
        _ => "healthy",
    }
}
