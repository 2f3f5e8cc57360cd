//! One module per subcommand.

pub mod compare;
pub mod cost;
pub mod explain;
pub mod prices;
pub mod run;
pub mod sweep;
pub mod validate;

use std::path::{Path, PathBuf};

use deploysim_core::scenario::set::{self, Assignment};
use deploysim_core::{Report, Runner, Scenario, ScenarioError};
use rayon::prelude::*;

use crate::args::MonteCarlo;
use crate::progress::Progress;

use crate::diagnostics;
use crate::world::{FsWorld, read_text};

/// The bundled example that `simulate` runs without arguments.
pub const BUNDLED_NAME: &str = "scenarios/rolling.toml";
/// Its text, embedded in the binary.
pub const BUNDLED: &str = include_str!("../../scenarios/rolling.toml");

/// Reads and validates one scenario file, printing every problem; `None` if it is bad.
pub fn load(path: &Path) -> Option<Scenario> {
    load_with(path, &[])
}

/// Like `load`, with `--set` assignments applied to the text first (the file is then named
/// with them in diagnostics).
pub fn load_with(path: &Path, sets: &[Assignment]) -> Option<Scenario> {
    let mut name = path.display().to_string();
    let source = match read_text(path) {
        Ok(s) => s,
        Err(why) => {
            eprintln!("{why}");
            return None;
        }
    };
    let source = match set::apply(&source, sets) {
        Ok(s) => s,
        Err(why) => {
            eprintln!("error: {name}: {why}");
            return None;
        }
    };
    if !sets.is_empty() {
        let list: Vec<String> = sets.iter().map(|a| format!("{}={}", a.key, a.value)).collect();
        name = format!("{name} (with --set {})", list.join(" "));
    }
    let base = path.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    parse(&name, &source, &FsWorld { base })
}

/// `--set` arguments as assignments; `None` (after printing why) if one is not key=value.
pub fn assignments(raw: &[String]) -> Option<Vec<Assignment>> {
    raw.iter().map(|r| Assignment::parse(r).map_err(|why| eprintln!("error: --set {why}")).ok()).collect()
}

/// Validates scenario text, printing every problem; `None` if it is bad.
pub fn parse(name: &str, source: &str, world: &FsWorld) -> Option<Scenario> {
    match Scenario::parse(source, name, world) {
        Ok(s) => Some(s),
        Err(err) => {
            report_errors(name, source, &err);
            None
        }
    }
}

fn report_errors(name: &str, source: &str, err: &ScenarioError) {
    eprint!("{}", diagnostics::render(name, source, err));
}

/// Applies `--runs` to a scenario and checks the work limits; `false` (after printing why) if
/// the runs would be too many.
pub fn set_runs(scenario: &mut Scenario, name: &str, mc: &MonteCarlo) -> bool {
    if let Some(n) = mc.runs {
        let max = deploysim_core::scenario::limits::MAX_REPLICATIONS;
        if n == 0 || u64::from(n) > max {
            eprintln!("error: --runs {n}: use between 1 and {max} replications");
            return false;
        }
        scenario.replications = n;
    }
    if let Some(why) = scenario.work_limit_error() {
        eprintln!("error: {name}: {why}");
        return false;
    }
    true
}

/// Runs every replication of `scenario`, across `--threads` worker threads (one per core by
/// default), and returns their reports in replication order: the same whatever the thread
/// count, since each replication depends only on the seed and its number.
pub fn replicate(scenario: &Scenario, mc: &MonteCarlo) -> Vec<Report> {
    let n = scenario.replications;
    let progress = Progress::new(u64::from(n), &format!("{}: {n} replications", scenario.name));
    let runner = Runner::new(scenario);
    let work = || {
        (0..n)
            .into_par_iter()
            .map(|r| {
                let report = runner.replication(r, |_| ());
                progress.tick();
                report
            })
            .collect::<Vec<Report>>()
    };
    let runs = match mc.threads.map(|t| rayon::ThreadPoolBuilder::new().num_threads(t.max(1)).build()) {
        Some(Ok(pool)) => pool.install(work),
        _ => work(),
    };
    progress.finish();
    runs
}
