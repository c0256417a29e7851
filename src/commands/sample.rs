//! `cavra-tui sample reset|generate|check`: reseed the sample store (one transaction), write a
//! large one for scale tests (one transaction: a failure or a kill leaves the old records), and
//! check a store's integrity without writing to it; all of it on the blocking pool.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use super::Failure;
use crate::backend::sample::{engine, store::Store};
use crate::cli::SampleAction;

/// Runs the action on the blocking pool: the prompt reads the terminal, and opening, seeding
/// and generating the store are SQLite work.
pub async fn run(action: SampleAction, db: &Path) -> Result<u8, Failure> {
    let db = db.to_path_buf();
    crate::blocking::run(move || run_blocking(action, &db)).await
}

fn run_blocking(action: SampleAction, db: &Path) -> Result<u8, Failure> {
    let yes = match action {
        SampleAction::Reset { yes } => yes,
        SampleAction::Generate {
            routes,
            history,
            seed,
            yes,
        } => return generate(db, routes, history, seed, yes),
        SampleAction::Check => return check(db),
    };
    if !yes {
        if !std::io::stdin().is_terminal() {
            return Err(Failure {
                message: "sample reset deletes every record in the store: add --yes".into(),
                code: 2,
            });
        }
        crate::out!(
            "Delete every record in {} and reseed the scenario? [y/N] ",
            db.display()
        );
        std::io::stdout().flush().ok();
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            crate::outln!("nothing changed");
            return Ok(1);
        }
    }
    let mut store = Store::open(db)?;
    engine::seed(&mut store)?;
    crate::outln!("reseeded {} ({} records)", db.display(), store.count()?);
    Ok(0)
}

fn generate(db: &Path, routes: usize, history: usize, seed: u64, yes: bool) -> Result<u8, Failure> {
    use crate::backend::sample::generate::{Spec, generate};
    let mut store = Store::open(db)?;
    if !yes && !store.was_created() && store.count()? > 0 {
        return Err(Failure {
            message: format!(
                "{} already holds records: add --yes to replace them",
                db.display()
            ),
            code: 2,
        });
    }
    // Without a terminal, plain progress lines on stderr (one per 5,000 records).
    let plain = !std::io::stderr().is_terminal();
    let bar = indicatif::ProgressBar::new(history as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {pos}/{len} records ({per_sec}, eta {eta})",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    let started = std::time::Instant::now();
    let report = generate(
        &mut store,
        Spec {
            routes,
            history,
            seed,
        },
        chrono::Utc::now(),
        &mut |done, total| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
            if plain {
                crate::errln!("progress: {done}/{total} records (not committed yet)");
            }
        },
    )?;
    bar.finish_and_clear();
    crate::outln!(
        "generated {} routes over {} schedules and {} records in {:.1}s into {}",
        report.routes,
        report.schedules,
        report.records,
        started.elapsed().as_secs_f64(),
        db.display()
    );
    Ok(0)
}

/// `sample check`: `PRAGMA integrity_check` on a store opened read-only.
fn check(db: &Path) -> Result<u8, Failure> {
    use crate::backend::sample::store::check_file;
    let problems = check_file(db)?;
    if problems.is_empty() {
        crate::outln!("{}: ok (integrity_check found no problems)", db.display());
        return Ok(0);
    }
    crate::outln!(
        "{}: {} problem{} found by integrity_check:",
        db.display(),
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for p in &problems {
        crate::outln!("  {}", crate::safe_text::single_line(p));
    }
    crate::outln!(
        "nothing was written; restore the file from a copy, or delete it and run `cavra-tui sample reset --yes`"
    );
    Ok(1)
}
