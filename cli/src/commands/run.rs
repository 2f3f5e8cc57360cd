//! `simulate [run] FILE...`: run scenarios, print the comparison, gate on expectations.

use std::path::{Path, PathBuf};

use deploysim_core::replicate::{Gate, aggregate};
use deploysim_core::{Report, Scenario};

use crate::Exit;
use crate::args::{Format, RunArgs};
use crate::commands::{BUNDLED, BUNDLED_NAME, assignments, load_with, parse, replicate, set_runs};
use crate::output;
use crate::world::FsWorld;
use crate::{plot, timeline};

/// Runs every file (or the bundled example) and prints the reports.
pub fn run(args: RunArgs) -> Exit {
    let mut exit = Exit::Ok;
    for out in [&args.plot, &args.timeline].into_iter().flatten() {
        let ok = if Some(out) == args.plot.as_ref() {
            plot::check_path(out)
        } else if out.extension().is_some_and(|e| e == "csv") {
            Ok(())
        } else {
            Err(format!("error: --timeline {}: the file must end in .csv", out.display()))
        };
        if let Err(why) = ok {
            eprintln!("{why}");
            return Exit::BadInput;
        }
    }
    let Some(sets) = assignments(&args.sets) else { return Exit::BadInput };
    let mut scenarios: Vec<(String, Scenario)> = Vec::new();
    if args.files.is_empty() {
        let text = match deploysim_core::scenario::set::apply(BUNDLED, &sets) {
            Ok(t) => t,
            Err(why) => {
                eprintln!("error: {BUNDLED_NAME}: {why}");
                return Exit::BadInput;
            }
        };
        match parse(BUNDLED_NAME, &text, &FsWorld { base: PathBuf::from(".") }) {
            Some(s) => scenarios.push(("rolling".to_owned(), s)),
            None => exit = Exit::BadInput,
        }
    }
    for path in &args.files {
        match load_with(path, &sets) {
            Some(s) => {
                scenarios.push((path.file_stem().map_or_else(String::new, |x| x.to_string_lossy().into_owned()), s))
            }
            None => exit = Exit::BadInput,
        }
    }
    let several = scenarios.len() > 1;
    let mut reports: Vec<Report> = Vec::new();
    for (stem, mut scenario) in scenarios {
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
        if args.plot.is_some() || args.timeline.is_some() {
            let timelines = timeline::record(&scenario);
            let name = |p: &Path| if several { with_stem(p, &stem) } else { p.to_path_buf() };
            if let Some(p) = &args.timeline {
                let path = name(p);
                if let Err(why) = std::fs::write(&path, timeline::csv(&timelines)) {
                    eprintln!("error: cannot write {}: {why}", path.display());
                    exit = exit.max(Exit::BadInput);
                }
            }
            if let Some(p) = &args.plot {
                let path = name(p);
                if let Err(why) = plot::run(&scenario, &report, &timelines, &path) {
                    eprintln!("error: cannot draw {}: {why}", path.display());
                    exit = exit.max(Exit::BadInput);
                }
            }
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

/// `out.svg` with a scenario's stem: `out-eb-policies.svg`.
fn with_stem(path: &Path, stem: &str) -> PathBuf {
    let base = path.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let ext = path.extension().map_or_else(String::new, |e| format!(".{}", e.to_string_lossy()));
    path.with_file_name(format!("{base}-{stem}{ext}"))
}
