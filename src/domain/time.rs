//! Timestamps as CAVRA writes them (Python `datetime.isoformat()`), parsing them back, and the
//! one display formatter every pane and table uses: times always carry their zone (`…Z` in
//! UTC, or the local offset with `time_zone = "local"`).

use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Duration, FixedOffset, Local, Offset, SecondsFormat, Utc};

/// How times are shown (config `time_zone`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Zone {
    /// `2026-11-29 16:19:35Z`.
    #[default]
    Utc,
    /// The machine's zone with its offset: `2026-11-29 17:19:35+01:00`.
    Local,
}

static LOCAL: AtomicBool = AtomicBool::new(false);

/// Sets the zone times are shown in for this process (from the config, at start-up).
pub fn set_zone(zone: Zone) {
    LOCAL.store(zone == Zone::Local, Ordering::Relaxed);
}

/// The zone times are shown in.
pub fn zone() -> Zone {
    if LOCAL.load(Ordering::Relaxed) {
        Zone::Local
    } else {
        Zone::Utc
    }
}

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

/// A stored timestamp for display, with its zone: `2026-05-20 10:20:00Z`, or with
/// `time_zone = "local"` `2026-05-20 12:20:00+02:00`. Text that is not a time is shown as is.
pub fn short(s: &str) -> String {
    match parse(s) {
        Some(t) => short_in(t, offset(t)),
        None => s.to_string(),
    }
}

/// A time of day with its zone (`16:19:35Z`, `17:19:35+01:00`), e.g. the last refresh.
pub fn clock(t: DateTime<Utc>) -> String {
    // The date is always the first 11 characters (`2026-11-29 `).
    short_in(t, offset(t)).split_off(11)
}

/// The display width of `short`'s times in the current zone (for table columns).
pub fn short_width() -> u16 {
    match zone() {
        Zone::Utc => 20,
        Zone::Local => 25,
    }
}

/// `short` at a given offset; the zero offset of `Zone::Utc` is written `Z`.
pub fn short_in(t: DateTime<Utc>, off: Option<FixedOffset>) -> String {
    match off {
        None => format!("{}Z", t.format("%Y-%m-%d %H:%M:%S")),
        Some(o) => format!(
            "{}{}",
            t.with_timezone(&o).format("%Y-%m-%d %H:%M:%S"),
            suffix(Some(o))
        ),
    }
}

/// The offset to show `t` at: `None` for UTC, the local offset at `t` for `Zone::Local`.
fn offset(t: DateTime<Utc>) -> Option<FixedOffset> {
    match zone() {
        Zone::Utc => None,
        Zone::Local => Some(t.with_timezone(&Local).offset().fix()),
    }
}

fn suffix(off: Option<FixedOffset>) -> String {
    match off {
        None => "Z".into(),
        Some(o) => {
            let secs = o.local_minus_utc();
            let sign = if secs < 0 { '-' } else { '+' };
            let m = secs.unsigned_abs() / 60;
            format!("{sign}{:02}:{:02}", m / 60, m % 60)
        }
    }
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
    fn shown_times_carry_their_zone() {
        assert_eq!(
            short("2026-11-29T16:19:35.123456+00:00"),
            "2026-11-29 16:19:35Z"
        );
        // A time stored with another offset is shown in UTC, not with its digits copied.
        assert_eq!(short("2026-11-29T17:19:35+01:00"), "2026-11-29 16:19:35Z");
        assert_eq!(short("2026-11-29T16:19:35"), "2026-11-29 16:19:35Z");
        assert_eq!(short(""), "");
        assert_eq!(short("soon"), "soon");
        assert_eq!(
            short("2026-11-29 16:19:35Z").len(),
            usize::from(short_width())
        );
        let t = Utc.with_ymd_and_hms(2026, 11, 29, 16, 19, 35).unwrap();
        assert_eq!(clock(t), "16:19:35Z");
        let plus1 = FixedOffset::east_opt(3600);
        assert_eq!(short_in(t, plus1), "2026-11-29 17:19:35+01:00");
        assert_eq!(short_in(t, plus1).len(), 25);
        let india = FixedOffset::east_opt(5 * 3600 + 1800);
        assert_eq!(short_in(t, india), "2026-11-29 21:49:35+05:30");
        let west = FixedOffset::west_opt(3 * 3600 + 1800);
        assert_eq!(short_in(t, west), "2026-11-29 12:49:35-03:30");
        assert_eq!(
            short_in(t, FixedOffset::east_opt(0)),
            "2026-11-29 16:19:35+00:00"
        );
    }

    #[test]
    fn minutes_between_is_fractional() {
        let a = Utc.with_ymd_and_hms(2026, 5, 20, 10, 0, 0).unwrap();
        let b = a + Duration::seconds(90);
        assert!((minutes_between(a, b) - 1.5).abs() < 1e-9);
    }
}
