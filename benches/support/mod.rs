//! What the bench binaries share: a figure row beside its budget, the table they print,
//! percentiles, and the release binary run in a pty and measured from outside (`pty`).
// Each bench binary uses part of it.
#![allow(dead_code)]

pub mod app;
pub mod history_server;
pub mod pty;

use std::time::Duration;

/// One figure, printed beside its budget; nothing is asserted.
pub struct Row {
    pub what: String,
    pub figure: String,
    pub budget: String,
    pub ok: Option<bool>,
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The `p` quantile (0..=1) of `v` (sorted in place).
pub fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

/// Prints the figures as a table.
pub fn print(rows: &[Row]) {
    let w = rows.iter().map(|r| r.what.len()).max().unwrap_or(10);
    println!(
        "\n{:<w$}  {:<34}  {:<18}  result",
        "what", "figure", "budget"
    );
    for r in rows {
        let verdict = match r.ok {
            Some(true) => "met",
            Some(false) => "NOT MET",
            None => "-",
        };
        println!(
            "{:<w$}  {:<34}  {:<18}  {verdict}",
            r.what, r.figure, r.budget
        );
    }
}
