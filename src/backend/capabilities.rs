//! Which endpoints the server offers (issue 12 §8). CAVRA's `GET /console/config` carries an
//! `endpoints` map (`name -> path template`); an endpoint whose path is not among its values is
//! unavailable, and the console says so before anything is sent. A server without the map (or
//! without `/console/config`) is an older one: every endpoint counts as available, and the
//! server's own answer decides. Sample mode offers everything.

use std::collections::BTreeSet;

use serde_json::Value;

use super::Json;

/// The endpoints the issue-12 actions and views use (paths under the audit-delivery family).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    RetryApprovalPlan,
    RetryApprovalDecision,
    WorkerRun,
    WorkerRuns,
    WorkerDashboard,
    RecoveryPlaybook,
    RecoveryClosure,
    RetryRecoveryReport,
    AuditorRetryWorker,
    ArchiveAlertDeliver,
    ArchiveAlertAck,
    ArchiveAlerts,
    ArchiveAlertDashboard,
    Routes,
    SuppressionTrends,
}

/// The family's base path (every endpoint of the contract is under it).
pub const FAMILY: &str = "/runtime/go-pilot/rollback-drill-notifications";
/// The acknowledgement-audit delivery endpoints' base path.
pub const AUDIT: &str =
    "/runtime/go-pilot/rollback-drill-notifications/acknowledgements/audit-delivery";

/// The path of the audit-delivery endpoint `suffix`.
pub fn audit_path(suffix: &str) -> String {
    format!("{AUDIT}/{suffix}")
}

impl Endpoint {
    /// Every endpoint, for listings (`auth status`, the TUI's help).
    pub const ALL: [Endpoint; 15] = [
        Endpoint::RetryApprovalPlan,
        Endpoint::RetryApprovalDecision,
        Endpoint::WorkerRun,
        Endpoint::WorkerRuns,
        Endpoint::WorkerDashboard,
        Endpoint::RecoveryPlaybook,
        Endpoint::RecoveryClosure,
        Endpoint::RetryRecoveryReport,
        Endpoint::AuditorRetryWorker,
        Endpoint::ArchiveAlertDeliver,
        Endpoint::ArchiveAlertAck,
        Endpoint::ArchiveAlerts,
        Endpoint::ArchiveAlertDashboard,
        Endpoint::Routes,
        Endpoint::SuppressionTrends,
    ];

    /// The path template (placeholders as `{…}`), as the endpoints map spells it.
    pub fn template(self) -> String {
        match self {
            Endpoint::RetryApprovalPlan => audit_path("retry-execution-approval-plan"),
            Endpoint::RetryApprovalDecision => {
                audit_path("retry-execution-approval-plans/{approval_plan_id}/decisions")
            }
            Endpoint::WorkerRun => audit_path("worker-run"),
            Endpoint::WorkerRuns => audit_path("worker-runs"),
            Endpoint::WorkerDashboard => audit_path("worker-dashboard"),
            Endpoint::RecoveryPlaybook => audit_path("connector-recovery-playbook"),
            Endpoint::RecoveryClosure => {
                audit_path("connector-recovery-playbooks/{playbook_id}/closures")
            }
            Endpoint::RetryRecoveryReport => audit_path("retry-recovery-report"),
            Endpoint::AuditorRetryWorker => {
                audit_path("final-reporting-auditor-export/delivery-retry-worker-run")
            }
            Endpoint::ArchiveAlertDeliver => {
                audit_path("final-reporting-archive-reference-health-alerts/deliver")
            }
            Endpoint::ArchiveAlertAck => audit_path(
                "final-reporting-archive-reference-health-alerts/{health_id}/acknowledgements",
            ),
            Endpoint::ArchiveAlerts => {
                audit_path("final-reporting-archive-reference-health-alerts")
            }
            Endpoint::ArchiveAlertDashboard => {
                audit_path("final-reporting-archive-reference-health-alert-dashboard")
            }
            Endpoint::Routes => format!("{FAMILY}/routes"),
            Endpoint::SuppressionTrends => format!("{FAMILY}/suppression-trends"),
        }
    }

    /// `GET` or `POST`.
    pub fn method(self) -> &'static str {
        match self {
            Endpoint::WorkerRuns
            | Endpoint::WorkerDashboard
            | Endpoint::RetryRecoveryReport
            | Endpoint::ArchiveAlerts
            | Endpoint::ArchiveAlertDashboard
            | Endpoint::Routes
            | Endpoint::SuppressionTrends => "GET",
            _ => "POST",
        }
    }
}

/// A path template with every `{placeholder}` reduced to `{}` (names differ between versions).
fn shape(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in path.trim_end_matches('/').chars() {
        match c {
            '{' => {
                inside = true;
                out.push_str("{}");
            }
            '}' => inside = false,
            _ if inside => {}
            _ => out.push(c),
        }
    }
    out
}

/// What the server offers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Capabilities {
    /// The path shapes of the server's endpoints map; `None`: not known (everything is tried).
    offered: Option<BTreeSet<String>>,
    /// Where the answer came from, for the reason text.
    source: String,
}

/// An endpoint the server does not offer: refused before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("this server does not offer {method} {template} (not in {listed_by}): nothing was sent")]
pub struct NotOffered {
    pub method: &'static str,
    pub template: String,
    /// Where the list of offered endpoints came from.
    pub listed_by: String,
}

impl From<NotOffered> for super::BackendError {
    fn from(e: NotOffered) -> super::BackendError {
        super::BackendError::NotAllowed(e.to_string())
    }
}

impl Capabilities {
    /// Everything is available (sample mode; or the server did not say).
    pub fn all(source: &str) -> Capabilities {
        Capabilities {
            offered: None,
            source: source.into(),
        }
    }

    /// From a `/console/config` answer: its `endpoints` map, when it has one.
    pub fn from_config(config: &Json) -> Capabilities {
        let Some(map) = config.get("endpoints").and_then(Value::as_object) else {
            return Capabilities::all("the server's /console/config has no endpoints map");
        };
        Capabilities {
            offered: Some(map.values().filter_map(Value::as_str).map(shape).collect()),
            source: "the server's /console/config endpoints map".into(),
        }
    }

    /// Does the server say which endpoints it offers?
    pub fn known(&self) -> bool {
        self.offered.is_some()
    }

    /// `Ok` when the endpoint may be used; otherwise why not (said before anything is sent).
    pub fn check(&self, e: Endpoint) -> Result<(), NotOffered> {
        match &self.offered {
            Some(set) if !set.contains(&shape(&e.template())) => Err(NotOffered {
                method: e.method(),
                template: e.template(),
                listed_by: self.source.clone(),
            }),
            _ => Ok(()),
        }
    }

    /// Is the endpoint available?
    pub fn offers(&self, e: Endpoint) -> bool {
        self.check(e).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_map_without_the_path_makes_it_unavailable_and_placeholder_names_do_not_matter() {
        let cfg = json!({"endpoints": {
            "a": format!("{AUDIT}/retry-execution-approval-plan"),
            "b": format!("{AUDIT}/retry-execution-approval-plans/{{plan}}/decisions"),
        }});
        let c = Capabilities::from_config(cfg.as_object().unwrap());
        assert!(c.known());
        assert!(c.offers(Endpoint::RetryApprovalPlan));
        assert!(c.offers(Endpoint::RetryApprovalDecision));
        let e = c.check(Endpoint::RecoveryPlaybook).unwrap_err().to_string();
        assert!(
            e.contains("does not offer POST") && e.contains("connector-recovery-playbook"),
            "{e}"
        );
    }

    #[test]
    fn an_older_server_keeps_working_with_everything() {
        let c = Capabilities::from_config(json!({"mode": "x"}).as_object().unwrap());
        assert!(!c.known());
        assert!(Endpoint::ALL.iter().all(|e| c.offers(*e)));
    }
}
