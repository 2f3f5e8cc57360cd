//! `simulate [run] FILE...`: run scenarios, print the comparison, gate on expectations.

use std::path::{Path, PathBuf};

use deploysim_core::replicate::{Gate, aggregate};
use deploysim_core::{Report, Scenario};
use deploysim_present::prepare::{self, RunOptions};

use crate::Exit;
use crate::args::RunArgs;
use crate::commands::{BUNDLED, BUNDLED_NAME, assignments, import, load_with, parse, replicate, report};
use crate::plot;
use crate::world::FsWorld;

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
        match parse(BUNDLED_NAME, BUNDLED, &FsWorld { base: PathBuf::from(".") }, &sets) {
            Some(s) => scenarios.push(("rolling".to_owned(), s)),
            None => exit = Exit::BadInput,
        }
    }
    let mut notes = String::new();
    for path in &args.files {
        if let Ok(source) = crate::world::read_text(path)
            && import::is_configuration(path, &source)
        {
            // A CloudFormation/EB/ECS/Kubernetes/CodeDeploy/Terraform file: each deployment in
            // it is a scenario of its own, its assumptions printed above the table.
            let Some(imported) = import::read_source(&path.display().to_string(), &source) else {
                exit = Exit::BadInput;
                continue;
            };
            for w in &imported.warnings {
                eprintln!("warning: {}: {w}", imported.file);
            }
            for d in &imported.deployments {
                let name = format!("{} ({}, line {})", imported.file, d.resource, d.line);
                notes.push_str(&format!("{name}: {} as {}\n", d.resource, d.strategy));
                for a in &d.assumptions {
                    notes.push_str(&format!("  assumption: {a}\n"));
                }
                match parse(&name, &d.scenario, &FsWorld { base: PathBuf::from(".") }, &sets) {
                    Some(s) => scenarios.push((d.resource.clone(), s)),
                    None => exit = Exit::BadInput,
                }
            }
            continue;
        }
        match load_with(path, &sets) {
            Some(s) => {
                scenarios.push((path.file_stem().map_or_else(String::new, |x| x.to_string_lossy().into_owned()), s))
            }
            None => exit = Exit::BadInput,
        }
    }
    if !notes.is_empty() {
        // Above the table on a terminal; on standard error when the output is data.
        if matches!(args.format, crate::args::Format::Table | crate::args::Format::Markdown) {
            println!("{notes}");
        } else {
            eprint!("{notes}");
        }
    }
    let options = RunOptions {
        seed: args.seed,
        runs: args.monte_carlo.runs,
        strategies: args.strategies.clone(),
        sets: Vec::new(),
    };
    let several = scenarios.len() > 1;
    let mut reports: Vec<Report> = Vec::new();
    for (stem, mut scenario) in scenarios {
        if let Err(problem) = prepare::apply(&mut scenario, &options) {
            report(&problem);
            exit = exit.max(Exit::BadInput);
            continue;
        }
        let gate = if args.monte_carlo.strict { Gate::Pessimistic } else { Gate::Mean };
        let report = aggregate(&scenario, replicate(&scenario, &args.monte_carlo), gate);
        if !report.passed() && !args.no_check {
            exit = exit.max(Exit::ExpectationFailed);
        }
        if args.plot.is_some() || args.timeline.is_some() {
            let timelines = deploysim_core::timeline::record(&scenario);
            let name = |p: &Path| if several { with_stem(p, &stem) } else { p.to_path_buf() };
            if let Some(p) = &args.timeline {
                let path = name(p);
                if let Err(why) = std::fs::write(&path, deploysim_present::timeline::csv(&timelines)) {
                    eprintln!("error: cannot write {}: {why}", path.display());
                    exit = exit.max(Exit::BadInput);
                }
            }
            if let Some(p) = &args.plot {
                let path = name(p);
                let deploy_at_s = (scenario.warmup + scenario.deploy_at).as_secs_f64();
                if let Err(why) = plot::run(&report, &timelines, deploy_at_s, &path) {
                    eprintln!("error: cannot draw {}: {why}", path.display());
                    exit = exit.max(Exit::BadInput);
                }
            }
        }
        reports.push(report);
    }
    print!("{}", deploysim_present::report::render(args.format.into(), &reports));
    exit
}

/// `out.svg` with a scenario's stem: `out-eb-policies.svg`.
fn with_stem(path: &Path, stem: &str) -> PathBuf {
    let base = path.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let ext = path.extension().map_or_else(String::new, |e| format!(".{}", e.to_string_lossy()));
    path.with_file_name(format!("{base}-{stem}{ext}"))
}
