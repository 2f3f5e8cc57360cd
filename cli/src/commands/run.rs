//! `simulate [run] FILE...`: run scenarios, print the comparison, gate on expectations.

use std::path::PathBuf;

use deploysim_core::replicate::{Gate, aggregate};
use deploysim_core::{Report, Scenario};

use crate::Exit;
use crate::args::{Format, RunArgs};
use crate::commands::{BUNDLED, BUNDLED_NAME, load, parse, replicate, set_runs};
use crate::output;
use crate::world::FsWorld;

/// Runs every file (or the bundled example) and prints the reports.
pub fn run(args: RunArgs) -> Exit {
    let mut exit = Exit::Ok;
    let mut scenarios: Vec<Scenario> = Vec::new();
    if args.files.is_empty() {
        match parse(BUNDLED_NAME, BUNDLED, &FsWorld { base: PathBuf::from(".") }) {
            Some(s) => scenarios.push(s),
            None => exit = Exit::BadInput,
        }
    }
    for path in &args.files {
        match load(path) {
            Some(s) => scenarios.push(s),
            None => exit = Exit::BadInput,
        }
    }
    let mut reports: Vec<Report> = Vec::new();
    for mut scenario in scenarios {
        if let Some(seed) = args.seed {
            scenario.seed = seed;
        }
        if !args.strategies.is_empty() {
            let known: Vec<String> =
                scenario.strategies.iter().map(|s| format!("{} ({})", s.def.kind, s.label)).collect();
            scenario.strategies.retain(|s| args.strategies.iter().any(|f| f == s.def.kind || *f == s.label));
            if scenario.strategies.is_empty() {
                eprintln!(
                    "error: no strategy of `{}` matches --strategy {}\n  help: its strategies: {}",
                    scenario.name,
                    args.strategies.join(", "),
                    known.join(", ")
                );
                exit = exit.max(Exit::BadInput);
                continue;
            }
        }
        let name = scenario.name.clone();
        if !set_runs(&mut scenario, &name, &args.monte_carlo) {
            exit = exit.max(Exit::BadInput);
            continue;
        }
        let gate = if args.monte_carlo.strict { Gate::Pessimistic } else { Gate::Mean };
        let report = aggregate(&scenario, replicate(&scenario, &args.monte_carlo), gate);
        if !report.passed() && !args.no_check {
            exit = exit.max(Exit::ExpectationFailed);
        }
        reports.push(report);
    }
    let text = match args.format {
        Format::Table => output::table::render(&reports),
        Format::Markdown => output::markdown::render(&reports),
        Format::Json => output::json::render(&reports),
        Format::Csv => output::csv::render(&reports),
    };
    print!("{text}");
    exit
}
