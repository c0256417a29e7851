//! The alert level a plan, report or dashboard states: `critical`, `warning` or `healthy`.

/// `critical` when anything is critical, else `warning` when anything warns, else `healthy`.
pub fn alert_level(critical: bool, warning: bool) -> &'static str {
    if critical {
        "critical"
    } else if warning {
        "warning"
    } else {
        "healthy"
    }
}

#[cfg(test)]
mod tests {
    use super::alert_level;

    #[test]
    fn critical_outranks_warning_and_nothing_is_healthy() {
        assert_eq!(alert_level(true, true), "critical");
        assert_eq!(alert_level(true, false), "critical");
        assert_eq!(alert_level(false, true), "warning");
        assert_eq!(alert_level(false, false), "healthy");
    }
}
