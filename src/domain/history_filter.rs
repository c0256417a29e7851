//! The history filter language (pane 3 `/`, `cavra-tui history --filter`): `field:value`
//! tokens turned into one [`HistoryQuery`]. Everything CAVRA's history endpoint can filter is
//! sent to it (§4.1); the rest (provider groups, a case-insensitive provider, kind words that
//! name several kinds, derived states) is matched by the console over every page
//! (`history_scan`).
//!
//! Fields, with the API's parameter names as aliases: `source` / `connector_delivery_source`,
//! `provider`, `state` (derived status) / `acknowledgement_state`, `kind` / `metadata_kind`,
//! `success` / `delivery_success`, `level` / `alert_level`, `audit` / `audit_id`, `delivery` /
//! `delivery_id`, `cadence`, `schedule` / `schedule_id`. Values may be quoted: `kind:"worker
//! health"`.

use std::fmt;

use super::filter::{FilterError, tokenize};
use super::history::{ConsoleMatch, HistoryQuery};
use super::kinds;
use super::provider::family_members;
use super::query;
use super::record::source;

/// A parsed history filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HistoryFilter {
    pub query: HistoryQuery,
    text: String,
}

const FIELDS: &str = "source, provider, state, kind, success, level, audit, delivery, cadence, schedule (or the API's names: connector_delivery_source, acknowledgement_state, metadata_kind, delivery_success, alert_level, audit_id, delivery_id, schedule_id)";

const STATES: &str = "delivered, failed, critical, warning, healthy, outstanding, acknowledged, resolved, escalated, dismissed, accepted, deferred";

/// Why a history filter was not applied; the messages list what is allowed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HistoryFilterError {
    /// The text does not split into tokens (an unclosed quote).
    #[error(transparent)]
    Tokens(#[from] FilterError),
    #[error("'{0}' is not field:value (fields: {FIELDS})")]
    NotFieldValue(String),
    #[error("'{0}:' needs a value")]
    NoValue(String),
    #[error(
        "source '{0}' is not one of notification, audit, worker-alert, auditor-export, archive-alert, or a connector_delivery_source of the family"
    )]
    Source(String),
    #[error("{field}:{value} must be true or false")]
    NotBool { field: String, value: String },
    #[error("state '{0}' is not one of {STATES}")]
    State(String),
    #[error("unknown kind '{0}': use {suggested}", suggested = kinds::SUGGESTED)]
    Kind(String),
    #[error("unknown history filter field '{0}' (fields: {FIELDS})")]
    Field(String),
    /// Two tokens setting one parameter to different values (the later would silently win).
    #[error("'{token}' contradicts an earlier token ({name}): one value per field")]
    Contradicts { token: String, name: String },
}

/// The first parameter `after` holds with another value than `before` held (sent or matched
/// by the console), if any.
fn changed(before: &HistoryQuery, after: &HistoryQuery) -> Option<String> {
    let was = query::pairs(before);
    let now = query::pairs(after);
    let sent = was
        .iter()
        .find(|(k, v)| now.iter().any(|(k2, v2)| k2 == k && v2 != v))
        .map(|(k, _)| k.clone());
    let (b, a) = (&before.console, &after.console);
    let moved = |was_set: bool, same: bool, name: &str| (was_set && !same).then(|| name.into());
    sent.or_else(|| {
        moved(
            b.providers.is_some(),
            b.providers == a.providers,
            "provider",
        )
    })
    .or_else(|| moved(b.kinds.is_some(), b.kinds == a.kinds, "kind"))
    .or_else(|| moved(b.status.is_some(), b.status == a.status, "state"))
}

fn source_alias(v: &str) -> Option<&'static str> {
    Some(match v.to_lowercase().replace('_', "-").as_str() {
        "notification" | "drill" | "drill-notification" => source::NOTIFICATION,
        "audit" | "ack-audit" | "acknowledgement-audit" => source::ACK_AUDIT,
        "worker-alert" | "worker-health-alert" => source::WORKER_HEALTH_ALERT,
        "auditor-export" | "auditor" => source::AUDITOR_EXPORT,
        "archive-alert" | "archive-health-alert" => source::ARCHIVE_HEALTH_ALERT,
        _ => return source::FAMILY.iter().copied().find(|s| *s == v),
    })
}

fn parse_bool(field: &str, v: &str) -> Result<bool, HistoryFilterError> {
    match v.to_lowercase().as_str() {
        "true" | "yes" | "1" | "on" => Ok(true),
        "false" | "no" | "0" | "off" => Ok(false),
        _ => Err(HistoryFilterError::NotBool {
            field: field.to_string(),
            value: v.to_string(),
        }),
    }
}

/// `state:` — what CAVRA can filter is sent, the derived states are matched by the console.
fn set_state(q: &mut HistoryQuery, v: &str) -> Result<(), HistoryFilterError> {
    let s = v.trim().to_lowercase().replace('-', "_");
    q.console.status = None;
    match s.as_str() {
        "failed" | "delivery_failed" => q.delivery_success = Some(false),
        "delivered" => q.delivery_success = Some(true),
        "acknowledged" | "resolved" | "escalated" | "dismissed" | "accepted" | "deferred" => {
            q.acknowledgement_state = Some(s)
        }
        "critical" | "warning" | "healthy" => {
            q.alert_level = Some(s.clone());
            q.console.status = Some(s);
        }
        "outstanding" => q.console.status = Some(s),
        _ => return Err(HistoryFilterError::State(v.to_string())),
    }
    Ok(())
}

/// `provider:` — sent as typed (CAVRA matches exactly); a group or `~name` (any case) is
/// matched by the console.
fn set_provider(q: &mut HistoryQuery, v: &str) {
    if let Some(any_case) = v.strip_prefix('~').filter(|p| !p.is_empty()) {
        q.provider = None;
        q.console.providers = Some((v.to_string(), vec![any_case.to_string()]));
        return;
    }
    match family_members(v).filter(|g| g.len() > 1) {
        Some(group) => {
            q.provider = None;
            q.console.providers = Some((
                v.to_lowercase(),
                group.iter().map(|s| s.to_string()).collect(),
            ));
        }
        None => {
            q.console.providers = None;
            q.provider = Some(v.to_string());
        }
    }
}

fn set_kind(q: &mut HistoryQuery, v: &str) -> Result<(), HistoryFilterError> {
    let Some(mut found) = kinds::lookup(v) else {
        return Err(HistoryFilterError::Kind(v.to_string()));
    };
    if found.len() == 1 {
        q.metadata_kind = found.pop();
        q.console.kinds = None;
    } else {
        q.metadata_kind = None;
        q.console.kinds = Some((v.to_string(), found));
    }
    Ok(())
}

impl HistoryFilter {
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Does this filter need the console to look at every page (not only the server)?
    #[cfg(test)]
    pub fn scans(&self) -> bool {
        !self.query.console.is_empty()
    }

    pub fn parse(expr: &str) -> Result<HistoryFilter, HistoryFilterError> {
        let tokens = tokenize(expr)?;
        let mut f = HistoryFilter {
            text: expr.split_whitespace().collect::<Vec<_>>().join(" "),
            ..Default::default()
        };
        for token in tokens {
            let Some((field, value)) = token.split_once(':') else {
                return Err(HistoryFilterError::NotFieldValue(token));
            };
            if value.trim().is_empty() {
                return Err(HistoryFilterError::NoValue(field.to_string()));
            }
            let before = f.query.clone();
            let q = &mut f.query;
            let v = value.to_string();
            match field.to_lowercase().replace('-', "_").as_str() {
                "source" | "connector_delivery_source" => {
                    q.connector_delivery_source = Some(
                        source_alias(&v)
                            .ok_or_else(|| HistoryFilterError::Source(v.clone()))?
                            .to_string(),
                    )
                }
                "provider" | "providers" => set_provider(q, &v),
                "state" | "status" => set_state(q, &v)?,
                "acknowledgement_state" | "ack_state" => q.acknowledgement_state = Some(v),
                "kind" | "metadata_kind" => set_kind(q, &v)?,
                "success" | "delivery_success" => q.delivery_success = Some(parse_bool(field, &v)?),
                "level" | "alert_level" => q.alert_level = Some(v.to_lowercase()),
                "audit" | "audit_id" => q.audit_id = Some(v),
                "delivery" | "delivery_id" => q.delivery_id = Some(v),
                "cadence" => q.cadence = Some(v),
                "schedule" | "schedule_id" => q.schedule_id = Some(v),
                other => {
                    return Err(HistoryFilterError::Field(other.to_string()));
                }
            }
            if let Some(name) = changed(&before, &f.query) {
                return Err(HistoryFilterError::Contradicts { token, name });
            }
        }
        Ok(f)
    }
}

/// The console's part of a query, by name (for titles and the CLI footer).
pub fn describe_console(c: &ConsoleMatch) -> String {
    let mut parts = Vec::new();
    if let Some((name, _)) = &c.providers {
        parts.push(format!("provider {name}"));
    }
    if let Some((name, _)) = &c.kinds {
        parts.push(format!("kind {name}"));
    }
    if let Some(s) = &c.status {
        parts.push(format!("state {s}"));
    }
    parts.join(", ")
}

impl fmt::Display for HistoryFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
#[path = "history_filter_tests.rs"]
mod tests;
