//! Read-only histories the console browses: the worker's own runs and dashboard (CONTRACT
//! §4.10 related GETs), the routing history of every deliver and suppress decision (§4.18
//! `routes`), and the suppression trend (§4.18 `suppression-trends`, which the server stores).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::approval::{map, newest_of};
use super::filter::RouteFilter;
use super::ids::make_id;
use super::query::Page;
use super::record::{PRODUCT, Record, Stamp, field, kind, nested, s};
use super::route::plan_decisions;
use super::routing::routing_rows;
use super::time;

/// A page of records as `{schema_version, product, items, total, limit, offset}`.
fn page(schema: &str, items: Vec<Value>, at: Page) -> Map<String, Value> {
    let Page { limit, offset } = at;
    let (items, total) = at.of(items);
    map(
        json!({"schema_version": schema, "product": PRODUCT, "items": items, "total": total, "limit": limit, "offset": offset}),
    )
}

/// `GET …/worker-runs`: worker-run records, newest first, optionally only dry or live runs.
pub fn worker_runs(records: &[Record], dry_run: Option<bool>, at: Page) -> Map<String, Value> {
    let items = newest_of(records, kind::WORKER_RUN)
        .into_iter()
        .filter(|r| dry_run.is_none_or(|d| r.bool("dry_run").unwrap_or(true) == d))
        .map(|r| Value::Object(r.0.clone()))
        .collect();
    page(
        "cavra.go-backend-pilot.rollback-drill-acknowledgement-audit-delivery-worker-history.v1",
        items,
        at,
    )
}

/// `GET …/worker-dashboard`: run counts and the retries the runs found and selected.
pub fn worker_dashboard(records: &[Record], now: DateTime<Utc>) -> Map<String, Value> {
    let runs = newest_of(records, kind::WORKER_RUN);
    let (mut retryable, mut selected, mut dry) = (0u64, 0u64, 0usize);
    for r in &runs {
        let summary = r
            .object(nested::WORKER_RUN)
            .and_then(|o| o.get("summary"))
            .and_then(Value::as_object);
        let n = |k: &str| {
            summary
                .and_then(|s| s.get(k))
                .and_then(Value::as_u64)
                .filter(|n| *n > 0)
                .or_else(|| r.0.get(k).and_then(Value::as_u64))
                .unwrap_or(0)
        };
        retryable += n("retryable_count");
        selected += n("selected_retry_count");
        dry += usize::from(r.bool("dry_run").unwrap_or(true));
    }
    map(json!({
        "schema_version": "cavra.go-backend-pilot.rollback-drill-acknowledgement-audit-delivery-worker-dashboard.v1",
        "product": PRODUCT, "generated_at": time::iso(now),
        "alert_level": if retryable > 0 { "critical" } else { "healthy" }, "run_count": runs.len(),
        "dry_run_count": dry, "executed_count": runs.len() - dry, "retryable_count": retryable,
        "selected_retry_count": selected,
        "latest": runs.iter().take(10).map(|r| Value::Object(r.0.clone())).collect::<Vec<_>>(),
    }))
}

/// The routing-history filters (`GET …/routes` query).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RoutingQuery {
    pub schedule_id: Option<String>,
    pub provider: Option<String>,
    pub owner: Option<String>,
    pub action: Option<String>,
    pub category: Option<String>,
}

impl From<&RouteFilter> for RoutingQuery {
    /// The routing history of the routes the filter names: its schedule, provider, owner,
    /// action and category (the route state and free text are not routing-history filters).
    fn from(f: &RouteFilter) -> RoutingQuery {
        RoutingQuery {
            schedule_id: f.schedule.clone(),
            provider: f.provider.clone(),
            owner: f.owner.clone(),
            action: f.action.map(|a| a.as_str().to_string()),
            category: f.category.clone(),
        }
    }
}

impl RoutingQuery {
    /// What a suppression trend is asked for: the schedule, provider and owner filters (it
    /// counts every suppress decision, whatever its category).
    pub fn trend_part(&self) -> RoutingQuery {
        RoutingQuery {
            action: None,
            category: None,
            ..self.clone()
        }
    }

    /// The filters as the routing history echoes them: every field, `""` when not set.
    fn filters(&self) -> Value {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        for field in v.as_object_mut().into_iter().flat_map(|m| m.values_mut()) {
            if field.is_null() {
                *field = Value::String(String::new());
            }
        }
        v
    }
}

/// Every routing row (all plans, newest first) as CAVRA's routing history returns it.
pub fn route_items(records: &[Record], q: &RoutingQuery) -> Vec<Map<String, Value>> {
    let mut out = Vec::new();
    for plan in records
        .iter()
        .filter(|r| r.kind() == kind::NOTIFICATION_PLAN)
    {
        let decisions: Vec<&Map<String, Value>> = plan_decisions(plan)
            .iter()
            .filter_map(Value::as_object)
            .collect();
        for row in routing_rows(std::slice::from_ref(plan)) {
            let d = decisions
                .iter()
                .find(|d| s(d, "provider") == row.provider && s(d, "owner") == row.owner)
                .copied()
                .cloned()
                .unwrap_or_default();
            let window = d.get("maintenance_window").and_then(Value::as_object);
            let avail = d.get("owner_availability").and_then(Value::as_object);
            out.push(map(json!({
                "route_id": row.route_id, "created_at": row.created_at, "plan_id": row.plan_id,
                "schedule_id": row.schedule_id, "alert_level": plan.str("alert_level"), "provider": row.provider,
                "owner": row.owner, "escalation_owner": row.escalation_owner, "action": row.action.as_str(),
                "category": row.category, "reason": s(&d, "reason"), "acknowledgement_minutes": row.acknowledgement_minutes,
                "maintenance_window_id": window.map(|w| s(w, "window_id")).unwrap_or(""),
                "maintenance_window_reason": window.map(|w| s(w, "reason")).unwrap_or(""),
                "owner_available": avail.and_then(|a| a.get("available")).and_then(Value::as_bool).unwrap_or(true),
                "owner_availability_reason": avail.map(|a| s(a, "reason")).unwrap_or(""),
                "next_due_at": plan.object("plan").map(|p| s(p, "next_due_at")).unwrap_or(""),
            })));
        }
    }
    out.sort_by(|a, b| s(b, "created_at").cmp(s(a, "created_at")));
    let set = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
    out.retain(|r| {
        set(&q.schedule_id).is_none_or(|v| s(r, "schedule_id") == v)
            && set(&q.provider).is_none_or(|v| s(r, "provider") == v)
            && set(&q.owner).is_none_or(|v| {
                let v = v.to_lowercase();
                s(r, "owner").to_lowercase().contains(&v)
                    || s(r, "escalation_owner").to_lowercase().contains(&v)
            })
            && set(&q.action).is_none_or(|v| s(r, "action") == v)
            && set(&q.category).is_none_or(|v| s(r, "category") == v)
    });
    out
}

/// `GET …/routes`: one page of the routing history.
pub fn routes_page(records: &[Record], q: &RoutingQuery, at: Page) -> Map<String, Value> {
    let items = route_items(records, q)
        .into_iter()
        .map(Value::Object)
        .collect();
    let mut p = page(
        "cavra.go-backend-pilot.rollback-drill-routing-history.v1",
        items,
        at,
    );
    p.insert("filters".into(), q.filters());
    p
}

/// `GET …/suppression-trends`: counts of the suppress decisions in the filter (action forced).
pub fn suppression_trend(
    records: &[Record],
    q: &RoutingQuery,
    generated_by: &str,
    now: DateTime<Utc>,
) -> Map<String, Value> {
    let q = RoutingQuery {
        action: Some("suppress".into()),
        ..q.trend_part()
    };
    let rows = route_items(records, &q);
    let mut counts: [BTreeMap<String, u64>; 4] = Default::default();
    for r in &rows {
        for (i, (k, default)) in [
            ("category", "other"),
            ("owner", "release-governance"),
            ("provider", "unknown"),
            ("schedule_id", "unknown"),
        ]
        .into_iter()
        .enumerate()
        {
            let v = match s(r, k) {
                "" => default,
                v => v,
            };
            *counts[i].entry(v.to_string()).or_default() += 1;
        }
    }
    let [category, owner, provider, schedule] = counts;
    let c = |k: &str| category.get(k).copied().unwrap_or(0);
    let filters = q.filters();
    let id = make_id(
        "gordrtrend",
        &json!({"generated_by": generated_by, "filters": filters, "category_counts": category, "owner_counts": owner,
                "provider_counts": provider, "schedule_counts": schedule}).to_string(),
    );
    map(json!({
        "schema_version": "cavra.go-backend-pilot.rollback-drill-routing-suppression-trend.v1", "product": PRODUCT,
        "trend_id": id, "generated_at": time::iso(now), "generated_by": generated_by,
        "alert_level": if rows.is_empty() { "healthy" } else { "warning" }, "suppression_event_count": rows.len(),
        "category_counts": category, "owner_counts": owner, "provider_counts": provider, "schedule_counts": schedule,
        "maintenance_suppressed_count": c("maintenance_window"), "calendar_suppressed_count": c("owner_calendar"),
        "healthy_schedule_suppressed_count": c("healthy_schedule"), "filters": filters,
        "latest_events": rows.into_iter().take(20).map(Value::Object).collect::<Vec<_>>(),
    }))
}

/// The stored record of a trend.
pub fn trend_record(t: &Map<String, Value>) -> Record {
    let events = field(t, "suppression_event_count");
    let stamp = Stamp::generated("trend_id");
    let counts = [events.clone(), events, 0.into()];
    Record::draft(kind::SUPPRESSION_TREND, t, stamp, counts)
        .copy(&["trend_id", "alert_level", "suppression_event_count"])
        .copy(&["maintenance_suppressed_count"])
        .copy(&["calendar_suppressed_count"])
        .nest(nested::SUPPRESSION_TREND)
}
