//! Timestamps as CAVRA writes them (Python `datetime.isoformat()`), and parsing them back.

use chrono::{DateTime, Duration, SecondsFormat, Utc};

/// Formats a UTC time the way CAVRA's server does: `2026-05-20T10:20:00.123456+00:00`,
/// with the fraction left out when the microseconds are zero.
pub fn iso(t: DateTime<Utc>) -> String {
    let micros = t.timestamp_subsec_micros();
    let base = t.format("%Y-%m-%dT%H:%M:%S").to_string();
    if micros == 0 {
        format!("{base}+00:00")
    } else {
        format!("{base}.{micros:06}+00:00")
    }
}

/// Parses an ISO-8601 / RFC 3339 timestamp; `None` when it is missing or malformed.
pub fn parse(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
        .or_else(|| {
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|n| n.and_utc())
        })
}

/// Minutes from `earlier` to `now` as a float (negative when `earlier` lies in the future).
pub fn minutes_between(earlier: DateTime<Utc>, now: DateTime<Utc>) -> f64 {
    (now - earlier).num_milliseconds() as f64 / 60_000.0
}

/// `now` minus a number of minutes.
pub fn minutes_ago(now: DateTime<Utc>, minutes: i64) -> DateTime<Utc> {
    now - Duration::minutes(minutes)
}

/// A short local-free display form: `2026-05-20 10:20:00` (UTC).
pub fn short(s: &str) -> String {
    s.get(..19).unwrap_or(s).replace('T', " ")
}

/// RFC 3339 with seconds, for file names and logs.
pub fn compact(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn iso_matches_python_isoformat_with_and_without_fraction() {
        let t = Utc.with_ymd_and_hms(2026, 5, 20, 10, 20, 0).unwrap();
        assert_eq!(iso(t), "2026-05-20T10:20:00+00:00");
        let t = t + Duration::microseconds(123_456);
        assert_eq!(iso(t), "2026-05-20T10:20:00.123456+00:00");
        assert_eq!(parse(&iso(t)), Some(t));
    }

    #[test]
    fn parse_rejects_garbage_and_accepts_naive() {
        assert_eq!(parse("not a time"), None);
        assert!(parse("2026-05-20T10:20:00").is_some());
    }

    #[test]
    fn minutes_between_is_fractional() {
        let a = Utc.with_ymd_and_hms(2026, 5, 20, 10, 0, 0).unwrap();
        let b = a + Duration::seconds(90);
        assert!((minutes_between(a, b) - 1.5).abs() < 1e-9);
    }
}
