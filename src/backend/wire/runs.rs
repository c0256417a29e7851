//! The bodies that plan, run and send (CONTRACT §4.6–4.12, §4.16–4.18, §5): audit packages
//! and deliveries, retry plans, worker runs, alerts, approval plans, recovery playbooks.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::unset;
use crate::backend::calls::{
    ApprovalPlanRequest, ArchiveAlertRequest, AuditorWorkerRequest, ExecuteRetryRequest,
    PlaybookRequest,
};
use crate::backend::{SendAlertRequest, WorkerRunRequest};
use crate::domain::audit::AuditScope;
use crate::domain::retry::RetryPolicy;
use crate::domain::worker::{AlertRequest, DEFAULT_MAX_RETRY_DELIVERIES, WorkerSchedule};

/// The audit package filters (only the ones set are sent).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScopeFields {
    #[serde(skip_serializing_if = "unset")]
    pub schedule_id: String,
    #[serde(skip_serializing_if = "unset")]
    pub provider: String,
    #[serde(skip_serializing_if = "unset")]
    pub owner: String,
}

impl From<&AuditScope> for ScopeFields {
    fn from(s: &AuditScope) -> ScopeFields {
        let AuditScope {
            schedule_id,
            provider,
            owner,
        } = s.clone();
        ScopeFields {
            schedule_id,
            provider,
            owner,
        }
    }
}

impl ScopeFields {
    pub fn scope(&self) -> AuditScope {
        let ScopeFields {
            schedule_id,
            provider,
            owner,
        } = self.clone();
        AuditScope {
            schedule_id,
            provider,
            owner,
        }
    }
}

/// `POST {BASE}/acknowledgements/audit-package` (§4.6).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditPackageBody {
    #[serde(flatten)]
    pub scope: ScopeFields,
    pub generated_by: String,
}

/// `POST {BASE}/acknowledgements/audit-delivery` (§4.7); an empty destination is the scope's
/// provider or `all`, an empty cadence `on_demand`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditDeliveryBody {
    #[serde(flatten)]
    pub scope: ScopeFields,
    pub delivery_provider: String,
    pub generated_by: String,
    pub cadence: String,
    pub schedule_ref: String,
}

/// `POST {BASE}/deliver`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeliverBody {
    pub provider: String,
    pub generated_by: String,
    pub force: bool,
}

/// The audit and the auditor-export retry plans (§4.8, §4.16); the policy as
/// [`RetryPolicy::to_json`] writes it and [`RetryPolicy::from_json`] reads it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RetryPlanBody {
    pub generated_by: String,
    pub retry_policy: Value,
}

impl RetryPlanBody {
    pub fn new(policy: &RetryPolicy, generated_by: &str) -> RetryPlanBody {
        RetryPlanBody {
            generated_by: generated_by.into(),
            retry_policy: policy.to_json(),
        }
    }
}

/// A worker's schedule (missing: hourly, cadence `every_{interval}_minutes`, enabled).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScheduleBody {
    pub interval_minutes: u32,
    pub cadence: String,
    pub enabled: bool,
}

impl Default for ScheduleBody {
    fn default() -> Self {
        ScheduleBody {
            interval_minutes: 60,
            cadence: String::new(),
            enabled: true,
        }
    }
}

impl From<&WorkerSchedule> for ScheduleBody {
    fn from(s: &WorkerSchedule) -> ScheduleBody {
        ScheduleBody {
            interval_minutes: s.interval_minutes,
            cadence: s.cadence.clone(),
            enabled: s.enabled,
        }
    }
}

impl ScheduleBody {
    pub fn schedule(&self) -> WorkerSchedule {
        WorkerSchedule {
            interval_minutes: self.interval_minutes,
            cadence: match self.cadence.as_str() {
                "" => format!("every_{}_minutes", self.interval_minutes),
                c => c.to_string(),
            },
            enabled: self.enabled,
        }
    }
}

/// `POST .../worker-run` (§4.10; a dry run, or Execute Retry with `execute`) and the
/// auditor-export retry worker (§4.16). Connector settings only when executing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WorkerRunBody {
    pub generated_by: String,
    pub dry_run: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub execute: Option<bool>,
    pub max_retry_deliveries: u32,
    pub retry_policy: Value,
    pub schedule: ScheduleBody,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retries: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<f64>,
}

impl Default for WorkerRunBody {
    fn default() -> Self {
        WorkerRunBody {
            generated_by: String::new(),
            dry_run: true,
            execute: None,
            max_retry_deliveries: DEFAULT_MAX_RETRY_DELIVERIES,
            retry_policy: Value::Null,
            schedule: ScheduleBody::default(),
            retries: None,
            timeout_seconds: None,
        }
    }
}

impl WorkerRunBody {
    fn new(policy: &RetryPolicy, schedule: &WorkerSchedule, max: u32, by: &str) -> Self {
        WorkerRunBody {
            generated_by: by.into(),
            max_retry_deliveries: max,
            retry_policy: policy.to_json(),
            schedule: schedule.into(),
            ..WorkerRunBody::default()
        }
    }

    /// Connector settings, sent only with a live run.
    fn live(mut self, retries: u32, timeout_seconds: f64) -> Self {
        (self.dry_run, self.execute) = (false, Some(true));
        (self.retries, self.timeout_seconds) = (Some(retries), Some(timeout_seconds));
        self
    }

    /// Connector retries and timeout as the server takes them when not sent.
    pub fn connector(&self) -> (u32, f64) {
        (
            self.retries.unwrap_or(2),
            self.timeout_seconds.unwrap_or(10.0),
        )
    }
}

impl From<&WorkerRunRequest> for WorkerRunBody {
    fn from(r: &WorkerRunRequest) -> Self {
        Self::new(
            &r.policy,
            &r.schedule,
            r.max_retry_deliveries,
            &r.generated_by,
        )
    }
}

impl From<&ExecuteRetryRequest> for WorkerRunBody {
    fn from(r: &ExecuteRetryRequest) -> Self {
        Self::from(&r.run).live(r.retries, r.timeout_seconds)
    }
}

impl From<&AuditorWorkerRequest> for WorkerRunBody {
    fn from(r: &AuditorWorkerRequest) -> Self {
        let body = Self::from(&r.run);
        match r.execute {
            true => body.live(r.retries, r.timeout_seconds),
            false => WorkerRunBody {
                execute: Some(false),
                ..body
            },
        }
    }
}

/// `POST .../retry-execution-approval-plan` (§4.18).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApprovalPlanBody {
    pub generated_by: String,
    pub approval_policy: ApprovalPolicy,
}

/// Missing: a retry acknowledgement is required.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApprovalPolicy {
    pub require_retry_ack: bool,
}

impl Default for ApprovalPolicy {
    fn default() -> Self {
        ApprovalPolicy {
            require_retry_ack: true,
        }
    }
}

impl From<&ApprovalPlanRequest> for ApprovalPlanBody {
    fn from(r: &ApprovalPlanRequest) -> Self {
        ApprovalPlanBody {
            generated_by: r.generated_by.clone(),
            approval_policy: ApprovalPolicy {
                require_retry_ack: r.require_retry_ack,
            },
        }
    }
}

/// `POST .../connector-recovery-playbook` (§5; missing: 2 failures within 24 hours).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlaybookBody {
    pub min_failure_count: u32,
    pub lookback_hours: u32,
    pub generated_by: String,
}

impl Default for PlaybookBody {
    fn default() -> Self {
        PlaybookBody {
            min_failure_count: 2,
            lookback_hours: 24,
            generated_by: String::new(),
        }
    }
}

impl From<&PlaybookRequest> for PlaybookBody {
    fn from(r: &PlaybookRequest) -> Self {
        PlaybookBody {
            min_failure_count: r.min_failure_count,
            lookback_hours: r.lookback_hours,
            generated_by: r.generated_by.clone(),
        }
    }
}

/// An alert body without the health thresholds.
fn alert_body(a: &AlertRequest, retries: u32, timeout_seconds: f64) -> SendAlertBody {
    SendAlertBody {
        generated_by: a.generated_by.clone(),
        provider: a.provider.clone(),
        force: a.force,
        expected_interval_minutes: None,
        stale_metadata_minutes: None,
        retries,
        timeout_seconds,
        suppression_window_minutes: a.suppression_window_minutes,
    }
}

impl From<&SendAlertRequest> for SendAlertBody {
    fn from(r: &SendAlertRequest) -> Self {
        SendAlertBody {
            expected_interval_minutes: Some(r.health.expected_interval_minutes),
            stale_metadata_minutes: Some(r.health.stale_metadata_minutes),
            ..alert_body(&r.alert, r.retries, r.timeout_seconds)
        }
    }
}

impl From<&ArchiveAlertRequest> for SendAlertBody {
    fn from(r: &ArchiveAlertRequest) -> Self {
        alert_body(&r.alert, r.retries, r.timeout_seconds)
    }
}

/// Send Worker Alert (§4.12, with the health thresholds) and Send Archive Alert (§4.17.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SendAlertBody {
    pub generated_by: String,
    pub provider: String,
    pub force: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_interval_minutes: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stale_metadata_minutes: Option<u32>,
    pub retries: u32,
    pub timeout_seconds: f64,
    /// Not sent: the server's default (60 minutes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppression_window_minutes: Option<u32>,
}

impl Default for SendAlertBody {
    fn default() -> Self {
        SendAlertBody {
            generated_by: String::new(),
            provider: String::new(),
            force: false,
            expected_interval_minutes: None,
            stale_metadata_minutes: None,
            retries: 2,
            timeout_seconds: 10.0,
            suppression_window_minutes: None,
        }
    }
}
