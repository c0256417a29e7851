//! Query strings of the history endpoints: the `(name, value)` pairs of the fields that are set.

/// The pairs of the text fields that are set, in the order given (`None` and empty values are
/// left out, as the server reads an empty parameter as no filter).
pub fn set_pairs<const N: usize>(
    fields: [(&'static str, &Option<String>); N],
) -> Vec<(&'static str, String)> {
    fields
        .into_iter()
        .filter_map(|(k, v)| v.clone().filter(|v| !v.is_empty()).map(|v| (k, v)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::set_pairs;

    #[test]
    fn only_fields_with_a_value_are_sent_in_order() {
        let (a, none, empty, b) = (
            Some("x".into()),
            None,
            Some(String::new()),
            Some("y".into()),
        );
        assert_eq!(
            set_pairs([("a", &a), ("n", &none), ("e", &empty), ("b", &b)]),
            [("a", "x".to_string()), ("b", "y".to_string())]
        );
    }
}
