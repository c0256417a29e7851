//! Pane 1's confirmations: route actions, bulk actions and audit export, each with a preview.

use super::App;
use super::dialog::{self, ConfirmDialog};
use super::effect::Effect;
use super::overlay::Overlay;
use crate::domain::ack::AckState;
use crate::ops::{self, BulkKind};

impl App {
    pub(super) fn where_line(&self) -> String {
        format!("Where: {} · {}", self.info.mode, self.info.location)
    }

    pub(super) fn confirm_routes(&mut self, state: AckState) -> Vec<Effect> {
        if !self.may_record() {
            return Vec::new();
        }
        let targets = self.routes.targets();
        if targets.is_empty() {
            self.info("no route under the cursor");
            return Vec::new();
        }
        let plan = ops::plan_routes(&targets, state);
        let preview = vec![
            self.where_line(),
            format!(
                "Records: acknowledgement_state={} acknowledged_by={}",
                state.as_str(),
                self.acting_as()
            ),
            format!("Routes: {}", plan.routes.len()),
        ];
        let title = format!("{} {} route(s)", state.verb(), plan.routes.len());
        self.confirm_record(title.clone(), title, preview, plan, state);
        Vec::new()
    }

    /// A bulk action decides on fresh data: reload the routes first; the preview opens when
    /// the reload lands (`open_bulk_preview`).
    pub(super) fn confirm_bulk(&mut self, kind: BulkKind) -> Vec<Effect> {
        if !self.may_record() {
            return Vec::new();
        }
        let effects = self.refresh_routes();
        self.bulk_wanted = Some((kind, self.route_seq));
        self.info(format!(
            "{}: reading the latest route states…",
            kind.title()
        ));
        effects
    }

    /// Opens the bulk preview over the rows just reloaded.
    pub(super) fn open_bulk_preview(&mut self, kind: BulkKind) {
        let plan = ops::plan_bulk_over(self.routes.filtered(), kind);
        if plan.routes.is_empty() {
            let skipped = if plan.skipped.is_empty() {
                String::new()
            } else {
                format!(" ({} already escalated)", plan.skipped.len())
            };
            self.info(format!(
                "{}: no matching routes in the current filter{skipped}",
                kind.title()
            ));
            return;
        }
        let filter = if self.routes.filter.is_empty() {
            "(none)".to_string()
        } else {
            self.routes.filter.to_string()
        };
        let mut preview = vec![
            self.where_line(),
            format!("Filter: {filter}"),
            format!("Dry run: {} routes -> {}", plan.routes.len(), plan.state),
            format!(
                "Requests: {} (chunks of <=100 on a server; one transaction in sample mode)",
                plan.requests
            ),
        ];
        if !plan.skipped.is_empty() {
            preview.push(format!("Skipped: {} already escalated", plan.skipped.len()));
        }
        let title = format!("{}: {} routes", kind.title(), plan.routes.len());
        self.confirm_record(title, kind.title().to_string(), preview, plan, kind.state());
    }

    /// Opens the confirm dialog of a route write: `preview` followed by a line a planned
    /// route, the notes fields, and `y` recording `plan` (reported as `report_title`).
    fn confirm_record(
        &mut self,
        title: String,
        report_title: String,
        mut preview: Vec<String>,
        plan: ops::ActionPlan,
        state: AckState,
    ) {
        preview.extend(preview_lines(&plan));
        let eff = Effect::Record {
            title: report_title,
            plan,
            state,
            notes: String::new(),
            external_ref: String::new(),
            actors: self.actors(),
        };
        self.overlay = Some(Overlay::Confirm(Box::new(ConfirmDialog::new(
            title,
            preview,
            dialog::note_fields(),
            eff,
        ))));
    }

    pub(super) fn confirm_export(&mut self) {
        if !self.may_record() {
            return;
        }
        let scope = ops::audit_scope(&self.routes.filter);
        let mut preview = vec![
            self.where_line(),
            format!("Scope: {}", scope.describe()),
            format!(
                "Records: an acknowledgement audit package generated_by={}",
                self.acting_as()
            ),
            "Writes: a JSON file and its .sha256 in the export dir".to_string(),
        ];
        let ignored = ops::audit_ignored_fields(&self.routes.filter);
        if !ignored.is_empty() {
            preview.push(format!(
                "Note: CAVRA scopes packages by owner, provider and schedule only; {} not applied",
                ignored.join(", ")
            ));
        }
        let eff = Effect::Export { scope };
        self.overlay = Some(Overlay::Confirm(Box::new(ConfirmDialog::new(
            "Export Ack Audit",
            preview,
            Vec::new(),
            eff,
        ))));
    }
}

fn preview_lines(plan: &ops::ActionPlan) -> Vec<String> {
    plan.routes
        .iter()
        .map(|p| {
            format!(
                "  {}  {} -> {}  ({})",
                p.route, p.state_now, p.state_after, p.owner
            )
        })
        .collect()
}

/// Has any planned route changed state in `rows` since the preview was built?
pub(super) fn preview_outdated(
    plan: &ops::ActionPlan,
    rows: &[crate::domain::route::RouteRow],
) -> bool {
    let now: std::collections::HashMap<_, _> =
        rows.iter().map(|r| (r.key(), r.state.as_str())).collect();
    plan.routes
        .iter()
        .any(|p| now.get(&p.route).is_none_or(|s| *s != p.state_now))
}
