//! The history's metadata kinds (CONTRACT §4.1): CAVRA's allow-list, the kinds two delivery
//! sources also match, and the words the history filter accepts for a kind.
//!
//! Kinds are written here without the `go-backend-rollback-drill-` prefix, and the audit
//! delivery family without `go-backend-rollback-drill-acknowledgement-audit-delivery-` (the
//! `AD` lists); [`full`] puts the prefix back.

use super::record::kind;

/// Kinds outside the audit delivery family (after `go-backend-rollback-drill-`).
const TOP: &[&str] = &[
    "notification-plan",
    "notification-ack",
    "notification-escalation-plan",
    "acknowledgement-audit-package",
    "acknowledgement-audit-delivery-plan",
];

/// The audit delivery family CAVRA's history keeps (after `...-acknowledgement-audit-delivery-`).
const AD: &[&str] = &[
    "retry-plan",
    "retry-ack",
    "retry-execution-approval-plan",
    "retry-execution-approval-decision",
    "retry-execution-record",
    "connector-recovery-playbook",
    "connector-recovery-closure",
    "retry-recovery-report",
    "recovery-escalation-plan",
    "recovery-escalation-ack",
    "recovery-escalation-delivery-retry-plan",
    "recovery-escalation-retry-worker-run",
    "recovery-escalation-retry-execution-record",
    "recovery-escalation-retry-health",
    "recovery-escalation-retry-health-alert-plan",
    "recovery-escalation-retry-health-alert-ack",
    "recovery-escalation-retry-health-alert-delivery-retry-plan",
    "recovery-escalation-retry-health-alert-delivery-retry-worker-run",
    "recovery-escalation-retry-health-alert-delivery-retry-execution-record",
    "recovery-executive-report",
    "recovery-executive-report-schedule-run",
    "recovery-executive-report-delivery-retry-plan",
    "recovery-executive-report-delivery-retry-worker-run",
    "recovery-executive-report-delivery-retry-execution-record",
    "recovery-executive-report-delivery-retry-health",
    "recovery-executive-report-delivery-retry-health-alert-plan",
    "recovery-executive-report-delivery-retry-health-alert-ack",
    "recovery-executive-report-delivery-retry-health-alert-delivery-retry-plan",
    "recovery-executive-report-delivery-retry-health-alert-delivery-retry-worker-run",
    "recovery-executive-report-delivery-retry-health-alert-delivery-retry-execution-record",
    "final-reporting-release-readiness-summary",
    "final-reporting-operator-runbook-export",
    "final-reporting-release-readiness-approval-decision",
    "final-reporting-release-record-attachment",
    "final-reporting-release-closure-packet-verification",
    "final-reporting-auditor-export",
    "final-reporting-auditor-export-delivery-retry-plan",
    "final-reporting-auditor-export-delivery-retry-worker-run",
    "final-reporting-auditor-export-delivery-retry-execution-record",
    "final-reporting-immutable-archive-reference",
    "final-reporting-archive-reference-health",
    "final-reporting-archive-reference-health-alert-plan",
    "final-reporting-archive-reference-health-alert-ack",
    "final-reporting-readiness-bundle",
    "final-reporting-signed-archive-manifest",
    "final-reporting-release-closeout-summary",
    "worker-run",
    "worker-health-alert-plan",
    "worker-health-alert-ack",
];

/// Which of the two special delivery sources (`..._acknowledgement_audit`,
/// `..._final_reporting_auditor_export`) also match a kind of the audit delivery family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AlsoMatchedBy {
    /// Most of the family.
    AckAuditOnly,
    Both,
    AuditorExportOnly,
    Neither,
}

impl AlsoMatchedBy {
    fn ack_audit(self) -> bool {
        matches!(self, AckAuditOnly | Both)
    }
    fn auditor_export(self) -> bool {
        matches!(self, Both | AuditorExportOnly)
    }
}

use AlsoMatchedBy::{AckAuditOnly, AuditorExportOnly, Both, Neither};

/// The kinds of `AD` the special sources treat otherwise than `AckAuditOnly`, each once.
const AD_EXCEPTIONS: &[(&str, AlsoMatchedBy)] = &[
    ("final-reporting-release-closure-packet-verification", Both),
    ("final-reporting-auditor-export", Both),
    ("final-reporting-auditor-export-delivery-retry-plan", Both),
    (
        "final-reporting-auditor-export-delivery-retry-worker-run",
        AuditorExportOnly,
    ),
    (
        "final-reporting-auditor-export-delivery-retry-execution-record",
        AuditorExportOnly,
    ),
    ("final-reporting-immutable-archive-reference", Both),
    ("final-reporting-archive-reference-health", Both),
    (
        "final-reporting-archive-reference-health-alert-plan",
        AuditorExportOnly,
    ),
    (
        "final-reporting-archive-reference-health-alert-ack",
        AuditorExportOnly,
    ),
    ("final-reporting-readiness-bundle", Neither),
    ("final-reporting-signed-archive-manifest", Neither),
    ("final-reporting-release-closeout-summary", Neither),
];

/// Which special sources also match the audit delivery kind `short` (one of `AD`).
fn also_matched_by(short: &str) -> AlsoMatchedBy {
    AD_EXCEPTIONS
        .iter()
        .find(|(k, _)| *k == short)
        .map_or(AckAuditOnly, |(_, by)| *by)
}

fn ad() -> impl Iterator<Item = &'static str> {
    AD.iter().copied()
}

fn ad_kind(short: &str) -> String {
    format!("{}-{short}", kind::AUDIT_DELIVERY_PREFIX)
}

/// Puts the family prefix back on a short kind from the lists above.
pub fn full(short: &str) -> String {
    if TOP.contains(&short) {
        format!("{}{short}", kind::PREFIX)
    } else {
        ad_kind(short)
    }
}

/// Is `k` one of the metadata kinds CAVRA's history keeps (its allow-list)?
pub fn allowed(k: &str) -> bool {
    if k == kind::CONNECTOR_DELIVERY {
        return true;
    }
    if let Some(short) = k.strip_prefix(kind::PREFIX) {
        if TOP.contains(&short) {
            return true;
        }
    }
    k.strip_prefix(kind::AUDIT_DELIVERY_PREFIX)
        .and_then(|s| s.strip_prefix('-'))
        .is_some_and(|short| ad().any(|a| a == short))
}

/// Does a non-delivery record of kind `k` match `connector_delivery_source=src` (CAVRA's two
/// special cases)?
pub fn source_also_matches(src: &str, k: &str) -> bool {
    use super::record::source;
    let short = k
        .strip_prefix(kind::AUDIT_DELIVERY_PREFIX)
        .and_then(|s| s.strip_prefix('-'));
    if src == source::ACK_AUDIT {
        return k == kind::AUDIT_PACKAGE
            || k == kind::AUDIT_DELIVERY_PLAN
            || short.is_some_and(|s| ad().any(|a| a == s) && also_matched_by(s).ack_audit());
    }
    if src == source::AUDITOR_EXPORT {
        return short.is_some_and(|s| also_matched_by(s).auditor_export());
    }
    false
}

/// Every kind of the allow-list, in full.
pub fn all() -> Vec<String> {
    TOP.iter()
        .map(|k| full(k))
        .chain(ad().map(ad_kind))
        .chain([kind::CONNECTOR_DELIVERY.to_string()])
        .collect()
}

/// A word in a canonical form: lower case, `_` and spaces as `-`, `acknowledgement` as `ack`.
fn canon(word: &str) -> String {
    word.trim()
        .to_lowercase()
        .replace(['_', ' '], "-")
        .replace("acknowledgement", "ack")
}

/// Names of kinds as the seed pages and the web console word them (canonical form).
const WORDS: &[(&str, &[&str])] = &[
    (
        "worker-health",
        &["worker-health-alert-plan", "worker-health-alert-ack"],
    ),
    (
        "worker-health-alert",
        &["worker-health-alert-plan", "worker-health-alert-ack"],
    ),
    ("delivery-plan", &["acknowledgement-audit-delivery-plan"]),
    (
        "audit-delivery-plan",
        &["acknowledgement-audit-delivery-plan"],
    ),
    ("audit-package", &["acknowledgement-audit-package"]),
    ("package", &["acknowledgement-audit-package"]),
    ("escalation-plan", &["notification-escalation-plan"]),
    ("auditor-export", &["final-reporting-auditor-export"]),
    (
        "auditor-retry-plan",
        &["final-reporting-auditor-export-delivery-retry-plan"],
    ),
    (
        "auditor-export-retry-plan",
        &["final-reporting-auditor-export-delivery-retry-plan"],
    ),
    (
        "archive-reference",
        &["final-reporting-immutable-archive-reference"],
    ),
    (
        "archive-health",
        &["final-reporting-archive-reference-health"],
    ),
    (
        "archive-alert-plan",
        &["final-reporting-archive-reference-health-alert-plan"],
    ),
    (
        "archive-alert-ack",
        &["final-reporting-archive-reference-health-alert-ack"],
    ),
];

/// The words `kind:` suggests when it does not know one (the short names the console shows).
pub const SUGGESTED: &str = "notification-plan, notification-ack, escalation-plan, audit-package, delivery-plan, connector-delivery, retry-plan, retry-ack, worker-run, worker-health, worker-health-alert-plan, worker-health-alert-ack, auditor-export, auditor-retry-plan, archive-reference, archive-health, any kind the History pane shows (ack-audit-…), or a full metadata kind";

/// The metadata kinds a `kind:` word names (one, or several for a word like `worker health`);
/// `None` when the word names none.
pub fn lookup(word: &str) -> Option<Vec<String>> {
    let w = canon(word);
    if w.is_empty() {
        return None;
    }
    let mut tries = vec![w.clone()];
    for prefix in [
        "go-backend-rollback-drill-",
        "ack-audit-delivery-",
        "ack-audit-",
        "audit-delivery-",
        "final-reporting-",
    ] {
        let snapshot = tries.clone();
        for t in snapshot {
            if let Some(rest) = t.strip_prefix(prefix) {
                tries.push(rest.to_string());
            }
        }
    }
    for t in &tries {
        if let Some(k) = all().into_iter().find(|k| names(k).iter().any(|n| n == t)) {
            return Some(vec![k]);
        }
        if let Some((_, kinds)) = WORDS.iter().find(|(w, _)| w == t) {
            return Some(kinds.iter().map(|k| full(k)).collect());
        }
    }
    None
}

/// The canonical names a full kind answers to: itself, without the family prefix (as the
/// History pane shows it), and without the audit delivery prefix.
fn names(k: &str) -> Vec<String> {
    let mut out = vec![canon(k)];
    if k == kind::CONNECTOR_DELIVERY {
        out.push("connector-delivery".into());
    }
    if let Some(s) = k.strip_prefix(kind::PREFIX) {
        out.push(canon(s));
    }
    if let Some(s) = k
        .strip_prefix(kind::AUDIT_DELIVERY_PREFIX)
        .and_then(|s| s.strip_prefix('-'))
        .filter(|s| AD.contains(s))
    {
        out.push(canon(s));
        if let Some(f) = s.strip_prefix("final-reporting-") {
            out.push(canon(f));
        }
    }
    out
}

#[cfg(test)]
#[path = "kinds_tests.rs"]
mod tests;
