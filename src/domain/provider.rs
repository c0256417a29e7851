//! The providers CAVRA routes to, and the families the console and CAVRA's playbooks group
//! them in (siem, itsm, chatops, webhook): written once for the filter, the playbook, the
//! dialogs and the sample generator.

use super::retry::normalise;

/// Every provider CAVRA ships a connector for.
pub const PROVIDERS: [&str; 8] = [
    "slack",
    "teams",
    "webhook",
    "splunk",
    "sentinel",
    "datadog",
    "jira",
    "servicenow",
];

/// A destination naming every provider.
pub const ALL: &str = "all";

/// Why a destination was refused before anything was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DestinationError {
    #[error("no destination given (one of {}, {ALL}, or a comma list)", known().join(", "))]
    Empty,
    #[error("{what} is not a provider (one of {}, {ALL}, or a comma list)", known().join(", "))]
    Unknown { what: String },
}

/// A destination as typed: one provider, a comma list of them, or `all` (any case, spaces
/// around the names ignored), returned lower case without those spaces; refused when it names nothing,
/// has an empty name in its list, or names a provider CAVRA does not know (whether the server
/// has a connector for a known one is the server's to say).
pub fn destination(typed: &str) -> Result<String, DestinationError> {
    let text = typed.trim().to_lowercase();
    if text.is_empty() {
        return Err(DestinationError::Empty);
    }
    let mut unknown: Vec<String> = Vec::new();
    for name in text.split(',').map(str::trim) {
        let said = match name {
            "" => "an empty name".to_string(),
            p => format!("'{p}'"),
        };
        if name != ALL && !known().contains(&name) && !unknown.contains(&said) {
            unknown.push(said);
        }
    }
    // Sent as one canonical list (lower case, no spaces around names): what CAVRA records.
    match unknown.is_empty() {
        true => Ok(text.split(',').map(str::trim).collect::<Vec<_>>().join(",")),
        false => Err(DestinationError::Unknown {
            what: unknown.join(", "),
        }),
    }
}

/// The provider families, each with its members (`webhook` also takes any provider not
/// listed).
const FAMILIES: [(&str, &[&str]); 4] = [
    ("siem", &["splunk", "sentinel", "datadog"]),
    ("itsm", &["jira", "servicenow"]),
    ("chatops", &["slack", "teams", "pagerduty", "email"]),
    ("webhook", &["webhook"]),
];

/// Every provider CAVRA names, family by family (a server says whether it has a connector for
/// one).
fn known() -> Vec<&'static str> {
    FAMILIES
        .iter()
        .flat_map(|(_, members)| members.iter().copied())
        .collect()
}

/// The members of the family called `name` (any case), if it is one.
pub fn family_members(name: &str) -> Option<&'static [&'static str]> {
    let name = name.to_lowercase();
    FAMILIES.iter().find(|(f, _)| *f == name).map(|(_, m)| *m)
}

/// The family of `provider`, as CAVRA's playbook names it (unknown providers: webhook).
pub fn family(provider: &str) -> &'static str {
    let p = normalise(provider);
    FAMILIES
        .iter()
        .find(|(_, members)| members.contains(&p.as_str()))
        .map_or("webhook", |(f, _)| f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_destination_is_one_provider_a_list_or_all_and_nothing_else() {
        assert_eq!(destination(" Slack , JIRA "), Ok("slack,jira".into()));
        assert_eq!(destination("ALL"), Ok("all".into()));
        assert_eq!(destination("  "), Err(DestinationError::Empty));
        assert_eq!(
            destination(" , "),
            Err(DestinationError::Unknown {
                what: "an empty name".into()
            })
        );
        let e = destination("slack,nosuch").unwrap_err().to_string();
        assert!(
            e.starts_with("'nosuch' is not a provider (one of splunk, sentinel"),
            "{e}"
        );
        assert_eq!(destination("PagerDuty"), Ok("pagerduty".into()));
    }

    #[test]
    fn families_group_the_providers_both_ways() {
        assert_eq!(family(" Sentinel "), "siem");
        assert_eq!(family("servicenow"), "itsm");
        assert_eq!(family("pagerduty"), "chatops");
        assert_eq!(family("carrier-pigeon"), "webhook");
        assert_eq!(family_members("ITSM"), Some(&["jira", "servicenow"][..]));
        assert_eq!(family_members("slack"), None);
        for p in PROVIDERS {
            assert!(family_members(family(p)).unwrap().contains(&p), "{p}");
        }
    }
}
