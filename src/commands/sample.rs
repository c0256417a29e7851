//! `cavra-tui sample reset`: reseed the sample store.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use super::Failure;
use crate::backend::sample::{engine, store::Store};
use crate::cli::SampleAction;

pub async fn run(action: SampleAction, db: &Path) -> Result<u8, Failure> {
    let SampleAction::Reset { yes } = action;
    if !yes {
        if !std::io::stdin().is_terminal() {
            return Err(Failure {
                message: "sample reset deletes every record in the store: add --yes".into(),
                code: 2,
            });
        }
        print!(
            "Delete every record in {} and reseed the scenario? [y/N] ",
            db.display()
        );
        std::io::stdout().flush().ok();
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            println!("nothing changed");
            return Ok(1);
        }
    }
    let mut store = Store::open(db)?;
    engine::seed(&mut store)?;
    println!("reseeded {} ({} records)", db.display(), store.count()?);
    Ok(0)
}
