//! The history pane's filter language: `field:value` tokens mapped to the server's query
//! (§4.1) plus what the console applies itself (provider groups, derived status, short kinds).
//!
//! Fields: `source` (notification, audit, worker-alert, auditor-export, archive-alert, or a raw
//! `connector_delivery_source`), `provider` (a provider or a group: siem, itsm, chatops,
//! webhook), `state` (delivered, failed, critical, healthy, outstanding, resolved, escalated,
//! ...), `kind` (a metadata kind, with or without the family prefix, or `connector-delivery`),
//! `success` (true/false), `level` (alert level), `audit`, `delivery`, `cadence`, `schedule`.

use std::fmt;

use super::history::{HistoryQuery, provider_group, record_providers, record_status};
use super::record::{Record, kind, source};

/// A parsed history filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HistoryFilter {
    pub query: HistoryQuery,
    /// A provider group the console matches itself (the server takes one provider).
    pub provider_group: Option<(String, Vec<String>)>,
    /// Derived status, matched by the console (as the web console does).
    pub status: Option<String>,
    text: String,
}

fn source_alias(v: &str) -> Option<&'static str> {
    Some(match v {
        "notification" | "drill" | "drill-notification" => source::NOTIFICATION,
        "audit" | "ack-audit" | "acknowledgement-audit" => source::ACK_AUDIT,
        "worker-alert" | "worker-health-alert" => source::WORKER_HEALTH_ALERT,
        "auditor-export" | "auditor" => source::AUDITOR_EXPORT,
        "archive-alert" | "archive-health-alert" => source::ARCHIVE_HEALTH_ALERT,
        _ => return None,
    })
}

impl HistoryFilter {
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    pub fn parse(expr: &str) -> Result<HistoryFilter, String> {
        let mut f = HistoryFilter {
            text: expr.split_whitespace().collect::<Vec<_>>().join(" "),
            ..Default::default()
        };
        for token in expr.split_whitespace() {
            let Some((field, value)) = token.split_once(':') else {
                return Err(format!(
                    "'{token}' is not field:value (fields: source, provider, state, kind, success, level, audit, delivery, cadence, schedule)"
                ));
            };
            if value.is_empty() {
                return Err(format!("'{field}:' needs a value"));
            }
            let q = &mut f.query;
            let v = value.to_string();
            match field.to_lowercase().as_str() {
                "source" => {
                    q.connector_delivery_source = Some(
                        source_alias(&v.to_lowercase())
                            .map(str::to_string)
                            .unwrap_or(v),
                    )
                }
                "provider" => match provider_group(&v) {
                    Some(group) if v.to_lowercase() != "webhook" => {
                        f.provider_group = Some((
                            v.to_lowercase(),
                            group.iter().map(|s| s.to_string()).collect(),
                        ))
                    }
                    _ => q.provider = Some(v.to_lowercase()),
                },
                "state" | "status" => {
                    let s = v.to_lowercase().replace('-', "_");
                    f.status = Some(if s == "failed" {
                        "delivery_failed".into()
                    } else {
                        s
                    });
                }
                "kind" => {
                    q.metadata_kind = Some(match v.as_str() {
                        "connector-delivery" => kind::CONNECTOR_DELIVERY.to_string(),
                        k if k.starts_with(kind::PREFIX) || k == kind::CONNECTOR_DELIVERY => {
                            k.to_string()
                        }
                        k if ["notification", "acknowledgement-audit", "routing"]
                            .iter()
                            .any(|p| k.starts_with(p)) =>
                        {
                            format!("{}{k}", kind::PREFIX)
                        }
                        // Short forms: `retry-ack`, `worker-run`, `worker-health-alert-ack`, ...
                        k => format!("{}-{k}", kind::AUDIT_DELIVERY_PREFIX),
                    })
                }
                "success" => {
                    q.delivery_success = Some(match v.to_lowercase().as_str() {
                        "true" | "yes" | "1" => true,
                        "false" | "no" | "0" => false,
                        _ => return Err(format!("success:{v} must be true or false")),
                    })
                }
                "level" => q.alert_level = Some(v.to_lowercase()),
                "audit" => q.audit_id = Some(v),
                "delivery" => q.delivery_id = Some(v),
                "cadence" => q.cadence = Some(v),
                "schedule" => q.schedule_id = Some(v),
                other => return Err(format!("unknown history filter field '{other}'")),
            }
        }
        Ok(f)
    }

    /// What the console filters on top of the server's answer.
    pub fn client_matches(&self, r: &Record) -> bool {
        if let Some((_, group)) = &self.provider_group {
            if !record_providers(r).iter().any(|p| group.contains(p)) {
                return false;
            }
        }
        self.status.as_ref().is_none_or(|s| record_status(r) == *s)
    }
}

impl fmt::Display for HistoryFilter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn aliases_map_to_the_servers_parameters() {
        let f = HistoryFilter::parse("source:audit success:false kind:acknowledgement-audit-delivery-retry-ack level:critical").unwrap();
        assert_eq!(
            f.query.connector_delivery_source.as_deref(),
            Some(source::ACK_AUDIT)
        );
        assert_eq!(f.query.delivery_success, Some(false));
        assert_eq!(f.query.metadata_kind.as_deref(), Some(kind::RETRY_ACK));
        assert_eq!(f.query.alert_level.as_deref(), Some("critical"));
        assert_eq!(
            f.to_string(),
            "source:audit success:false kind:acknowledgement-audit-delivery-retry-ack level:critical"
        );
        let short = HistoryFilter::parse("kind:retry-ack").unwrap();
        assert_eq!(short.query.metadata_kind.as_deref(), Some(kind::RETRY_ACK));
        let plan = HistoryFilter::parse("kind:notification-plan").unwrap();
        assert_eq!(
            plan.query.metadata_kind.as_deref(),
            Some(kind::NOTIFICATION_PLAN)
        );
    }

    #[test]
    fn provider_groups_and_status_are_matched_by_the_console() {
        let f = HistoryFilter::parse("provider:SIEM state:failed").unwrap();
        assert!(f.query.provider.is_none());
        let r = |providers: &[&str], ok: bool| {
            Record::from_json(&json!({"metadata_kind": kind::CONNECTOR_DELIVERY, "providers": providers, "delivery_success": ok}).to_string()).unwrap()
        };
        assert!(f.client_matches(&r(&["sentinel"], false)));
        assert!(!f.client_matches(&r(&["jira"], false)));
        assert!(!f.client_matches(&r(&["splunk"], true)));
        assert_eq!(
            HistoryFilter::parse("provider:webhook")
                .unwrap()
                .query
                .provider
                .as_deref(),
            Some("webhook")
        );
    }

    #[test]
    fn bad_tokens_are_refused() {
        assert!(
            HistoryFilter::parse("colour:red")
                .unwrap_err()
                .contains("unknown")
        );
        assert!(
            HistoryFilter::parse("splunk")
                .unwrap_err()
                .contains("field:value")
        );
        assert!(HistoryFilter::parse("success:maybe").is_err());
    }
}
