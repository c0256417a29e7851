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

/// The provider families, each with its members (`webhook` also takes any provider not
/// listed).
const FAMILIES: [(&str, &[&str]); 4] = [
    ("siem", &["splunk", "sentinel", "datadog"]),
    ("itsm", &["jira", "servicenow"]),
    ("chatops", &["slack", "teams", "pagerduty", "email"]),
    ("webhook", &["webhook"]),
];

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
