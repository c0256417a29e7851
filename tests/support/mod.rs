//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod store_cli;

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{TimeZone, Utc};

use cavra_tui::backend::sample::seed::{EMBEDDED_SCENARIO, scenario_records};
use cavra_tui::domain::record::kind;
use cavra_tui::domain::route::{RouteRow, derive_routes};

/// Route rows of the shipped scenario, seeded and viewed at one fixed instant.
pub fn fixed_rows() -> Vec<RouteRow> {
    let now = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let recs = scenario_records(EMBEDDED_SCENARIO, now).unwrap();
    let of = |k: &str| {
        recs.iter()
            .filter(|r| r.kind() == k)
            .cloned()
            .collect::<Vec<_>>()
    };
    derive_routes(
        &of(kind::NOTIFICATION_PLAN),
        &of(kind::NOTIFICATION_ACK),
        now,
    )
}

/// A command for the binary with its home, config, data and state dirs inside `home`.
pub fn cavra(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_cavra-tui"));
    isolate(&mut c, home);
    c
}

/// Runs the binary against the server at `url` as `release-manager`, no token from any
/// keyring: (exit code, stdout, stderr).
pub fn remote_cli(home: &Path, url: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let out = cavra(home)
        .env("CAVRA_TUI_KEYRING", "none")
        .args(["--api", url, "--operator", "release-manager"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub fn isolate(c: &mut Command, home: &Path) {
    c.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("USER", "tester");
}

pub fn db(home: &Path) -> PathBuf {
    home.join("data/cavra-tui/sample.db")
}

/// Every record of the shipped scenario, seeded at `now`.
pub fn fixed_records(now: chrono::DateTime<Utc>) -> Vec<cavra_tui::domain::Record> {
    scenario_records(EMBEDDED_SCENARIO, now).unwrap()
}
