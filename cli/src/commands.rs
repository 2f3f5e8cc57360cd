//! One module per subcommand, and what they share: reading a scenario file with `--set`,
//! printing problems, and running replications on threads.

pub mod compare;
pub mod cost;
pub mod explain;
pub mod import;
pub mod merge;
pub mod prices;
pub mod quiz;
pub mod run;
pub mod schema;
pub mod shell;
pub mod sweep;
pub mod validate;

use std::path::{Path, PathBuf};

use deploysim_core::scenario::set::Assignment;
use deploysim_core::{Report, Runner, Scenario, World};
use deploysim_present::prepare::{self, Problem};
use rayon::prelude::*;

use crate::args::MonteCarlo;
use crate::diagnostics;
use crate::output;
use crate::progress::Progress;
use crate::world::{FsWorld, read_text};

/// The bundled example that `simulate` runs without arguments.
pub const BUNDLED_NAME: &str = "scenarios/rolling.toml";
/// Its text, embedded in the binary.
pub const BUNDLED: &str = include_str!("../../scenarios/rolling.toml");

/// Reads and validates one scenario file, with `--set` assignments applied to the text first
/// (the file is then named with them in diagnostics), printing every problem; `None` if it
/// is bad.
pub fn load_with(path: &Path, sets: &[Assignment]) -> Option<Scenario> {
    let source = match read_text(path) {
        Ok(s) => s,
        Err(why) => {
            errln!("{why}");
            return None;
        }
    };
    let base = path.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    parse(&path.display().to_string(), &source, &FsWorld { base }, sets)
}

/// `--set` arguments as assignments; `None` (after printing why) if one is not key=value.
pub fn assignments(raw: &[String]) -> Option<Vec<Assignment>> {
    raw.iter().map(|r| Assignment::parse(r).map_err(|why| errln!("error: --set {why}")).ok()).collect()
}

/// Validates scenario text with `--set` applied, printing every problem; `None` if it is bad.
/// Likely mistakes in valid values (`Scenario::warnings`) are printed as warnings on stderr.
pub fn parse(name: &str, source: &str, world: &dyn World, sets: &[Assignment]) -> Option<Scenario> {
    let sc = prepare::parse(source, name, world, sets).map_err(|p| report(&p)).ok()?;
    // Once each: a sweep reads the file once per setting (each named with its --set values).
    static SHOWN: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let mut shown = SHOWN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    for w in &sc.warnings {
        let file = w.file.split(" (with ").next().unwrap_or_default();
        let seen = format!("{file}:{}:{}: {}: {}", w.line, w.column, w.key, w.message);
        if !shown.contains(&seen) {
            errln!("warning: {w}");
            shown.push(seen);
        }
    }
    Some(sc)
}

/// Prints a problem: every diagnostic with its source snippet, or the usage message.
pub fn report(problem: &Problem) {
    match problem {
        Problem::Scenario { file, source, error } => err!("{}", diagnostics::render(file, source, error)),
        Problem::Usage(text) => errln!("{text}"),
    }
}

/// Runs every replication of `scenario`, across `--threads` worker threads (one per core by
/// default), and returns their reports in replication order: the same whatever the thread
/// count, since each replication depends only on the seed and its number.
pub fn replicate(scenario: &Scenario, mc: &MonteCarlo) -> Vec<Report> {
    let n = scenario.replications;
    let units: Vec<(u32, u32)> = (0..n).map(|r| (0, r)).collect();
    let what = if n == 1 { "replication" } else { "replications" };
    replicate_units(&[scenario], &units, mc, &format!("{}: {n} {what}", scenario.name))
}

/// Runs the replications `units` names, (index into `scenarios`, replication) pairs, across
/// `--threads` worker threads, and returns their reports in the order of `units` (a shard's
/// share of several scenarios, or every replication of one).
pub fn replicate_units(scenarios: &[&Scenario], units: &[(u32, u32)], mc: &MonteCarlo, what: &str) -> Vec<Report> {
    let progress = Progress::new(units.len() as u64, what);
    let runners: Vec<Runner> = scenarios.iter().map(|s| Runner::new(s)).collect();
    let work = || {
        units
            .par_iter()
            .map(|&(job, r)| {
                // After Ctrl-C, the replications not yet started are skipped.
                if output::stopping() {
                    return None;
                }
                let report = runners[job as usize].replication(r, |_| ());
                progress.tick();
                Some(report)
            })
            .collect::<Option<Vec<Report>>>()
    };
    output::running(true);
    let runs = match mc.threads.map(|t| rayon::ThreadPoolBuilder::new().num_threads(t.max(1)).build()) {
        Some(Ok(pool)) => pool.install(work),
        _ => work(),
    };
    output::running(false);
    progress.finish();
    match runs {
        Some(runs) if !output::stopping() => runs,
        _ => output::interrupted(),
    }
}
