//! `simulate [run] FILE...`: run scenarios, print the comparison, gate on expectations.

use std::path::{Path, PathBuf};

use deploysim_core::replicate::{Gate, aggregate};
use deploysim_core::scenario::set::Assignment;
use deploysim_core::{Report, Scenario};
use deploysim_present::prepare::{self, RunOptions};

use crate::Exit;
use crate::args::{Format, RunArgs};
use crate::commands::{BUNDLED, BUNDLED_NAME, assignments, import, parse, replicate, report};
use crate::output::{self, out, outln};
use crate::plot;
use crate::shard::{self, Input, Kind, Plan, Recording};
use crate::world::read_text;

/// Runs every file (or the bundled example) and prints the reports; with `--shard`, runs a
/// share of the replications and writes it for `simulate merge`.
pub fn run(args: RunArgs) -> Exit {
    for out in [&args.plot, &args.timeline].into_iter().flatten() {
        let ok = if Some(out) == args.plot.as_ref() {
            plot::check_path(out)
        } else if out.extension().is_some_and(|e| e == "csv") {
            Ok(())
        } else {
            Err(format!("error: --timeline {}: the file must end in .csv", out.display()))
        };
        if let Err(why) = ok {
            errln!("{why}");
            return Exit::BadInput;
        }
    }
    let Some(sets) = assignments(&args.sets) else { return Exit::BadInput };
    let goal = match deploysim_present::sweep::parse_goal(args.goal.as_deref()) {
        Ok(goal) => args.goal.clone().zip(goal),
        Err(problem) => {
            report(&problem);
            return Exit::BadInput;
        }
    };
    let recording = Recording::new();
    let (scenarios, notes, exit) = gather(&args.files, &sets, &recording);
    let options = RunOptions {
        seed: args.seed,
        runs: args.monte_carlo.runs,
        strategies: args.strategies.clone(),
        sets: Vec::new(),
    };
    if args.sharding.shard.is_some() {
        // A shard runs only valid input: every scenario read and prepared, or nothing written.
        if exit != Exit::Ok {
            return exit;
        }
        let mut ready = Vec::new();
        for (_, mut scenario) in scenarios.iter().cloned() {
            if let Err(problem) = prepare::apply(&mut scenario, &options) {
                report(&problem);
                return Exit::BadInput;
            }
            ready.push(scenario);
        }
        let plan = Plan {
            inputs: scenarios.into_iter().map(|(input, _)| input).collect(),
            sets: args.sets.clone(),
            seed: args.seed,
            runs: args.monte_carlo.runs,
            strict: args.monte_carlo.strict,
            strategies: args.strategies.clone(),
            no_check: args.no_check,
            notes,
            goal: args.goal.clone(),
            trace_files: recording.files(),
            ..Plan::new(Kind::Run)
        };
        return shard::write(&args.sharding, plan, &ready.iter().collect::<Vec<_>>(), &args.monte_carlo);
    }
    let output = Output {
        format: args.format,
        strict: args.monte_carlo.strict,
        no_check: args.no_check,
        plot: args.plot.as_deref(),
        timeline: args.timeline.as_deref(),
        notes: &notes,
        several: args.files.len() > 1,
        view: view(args.wide, args.legend, goal),
    };
    let named = scenarios.into_iter().map(|(input, s)| (input.stem, s)).collect();
    finish(&output, named, &options, exit, |_, scenario| replicate(scenario, &args.monte_carlo))
}

/// Reads every file (or the bundled example, without files) as scenarios with `--set` applied,
/// printing every problem: each scenario with what a shard keeps of it, the notes about
/// imported configuration files, and `Exit::BadInput` if some file is bad.
fn gather(files: &[PathBuf], sets: &[Assignment], recording: &Recording) -> (Vec<(Input, Scenario)>, String, Exit) {
    let mut exit = Exit::Ok;
    let mut scenarios: Vec<(Input, Scenario)> = Vec::new();
    let mut add =
        |input: Input, exit: &mut Exit| match parse(&input.file, &input.text, &recording.wrap(input.world()), sets) {
            Some(s) => scenarios.push((input, s)),
            None => *exit = Exit::BadInput,
        };
    if files.is_empty() {
        let input = Input { file: BUNDLED_NAME.into(), base: ".".into(), text: BUNDLED.into(), stem: "rolling".into() };
        add(input, &mut exit);
    }
    let mut notes = String::new();
    for path in files {
        let source = match read_text(path) {
            Ok(s) => s,
            Err(why) => {
                errln!("{why}");
                exit = Exit::BadInput;
                continue;
            }
        };
        if import::is_configuration(path, &source) {
            // A CloudFormation/EB/ECS/Kubernetes/CodeDeploy/Terraform file: each deployment in
            // it is a scenario of its own, its assumptions printed above the table.
            let Some(imported) = import::read_source(&path.display().to_string(), &source) else {
                exit = Exit::BadInput;
                continue;
            };
            for w in &imported.warnings {
                errln!("warning: {}: {w}", imported.file);
            }
            for d in &imported.deployments {
                let name = format!("{} ({}, line {})", imported.file, d.resource, d.line);
                notes.push_str(&format!("{name}: {} as {}\n", d.resource, d.strategy));
                for a in &d.assumptions {
                    notes.push_str(&format!("  assumption: {a}\n"));
                }
                let input = Input { file: name, base: ".".into(), text: d.scenario.clone(), stem: d.resource.clone() };
                add(input, &mut exit);
            }
            continue;
        }
        add(Input::from_file(path, source), &mut exit);
    }
    (scenarios, notes, exit)
}

/// How a run's result is printed and judged.
pub struct Output<'a> {
    /// `--format`.
    pub format: Format,
    /// `--strict`.
    pub strict: bool,
    /// `--no-check`.
    pub no_check: bool,
    /// `--plot`.
    pub plot: Option<&'a Path>,
    /// `--timeline`.
    pub timeline: Option<&'a Path>,
    /// What is printed about imported configuration files.
    pub notes: &'a str,
    /// Whether several files were named (their charts are named apart, JSON is a list), even
    /// if fewer could be read.
    pub several: bool,
    /// The table's width and legend, and `--goal`.
    pub view: deploysim_present::report::Options,
}

/// Prints the notes, prepares each scenario (its file stem with it) with `options`, aggregates
/// the reports `runs` gives for it (by its position among `scenarios`), draws and writes what
/// was asked, prints the reports and returns the exit status (`exit` at least).
pub fn finish(
    out: &Output,
    scenarios: Vec<(String, Scenario)>,
    options: &RunOptions,
    mut exit: Exit,
    mut runs: impl FnMut(usize, &Scenario) -> Vec<Report>,
) -> Exit {
    if !out.notes.is_empty() {
        // Above the table on a terminal; on standard error when the output is data.
        if matches!(out.format, Format::Table | Format::Markdown) {
            outln!("{}", out.notes);
        } else {
            err!("{}", out.notes);
        }
    }
    let several = out.several || scenarios.len() > 1;
    // Every output file is checked before the first replication runs.
    let stems: Vec<&str> = scenarios.iter().map(|(stem, _)| stem.as_str()).collect();
    let names = output_names(out, &stems, several);
    let targets: Vec<(&str, PathBuf)> = names
        .iter()
        .flat_map(|(t, p)| [t.clone().map(|t| ("--timeline", t)), p.clone().map(|p| ("--plot", p))])
        .flatten()
        .collect();
    if let Err(why) = output::check_all(&targets) {
        errln!("{why}");
        return Exit::BadInput;
    }
    let mut reports: Vec<Report> = Vec::new();
    // Files are written once every scenario has run: Ctrl-C during the runs writes none.
    let mut drawings = Vec::new();
    for (i, (_, mut scenario)) in scenarios.into_iter().enumerate() {
        if let Err(problem) = prepare::apply(&mut scenario, options) {
            report(&problem);
            exit = exit.max(Exit::BadInput);
            continue;
        }
        let gate = if out.strict { Gate::Pessimistic } else { Gate::Mean };
        let report = aggregate(&scenario, runs(i, &scenario), gate);
        if !report.passed() && !out.no_check {
            exit = exit.max(Exit::ExpectationFailed);
        }
        if let Some((text, goal)) = &out.view.goal
            && deploysim_present::report::pick(&report, text, goal).best.is_none()
            && !out.no_check
        {
            exit = exit.max(Exit::ExpectationFailed);
        }
        if out.plot.is_some() || out.timeline.is_some() {
            let timelines = deploysim_core::timeline::record(&scenario);
            let deploy_at_s = (scenario.warmup + scenario.deploy_at).as_secs_f64();
            drawings.push((i, reports.len(), timelines, deploy_at_s));
        }
        reports.push(report);
    }
    for (i, k, timelines, deploy_at_s) in drawings {
        let (timeline, chart) = &names[i];
        let mut written = Ok(());
        if let Some(path) = timeline {
            written = output::write(path, deploysim_present::timeline::csv(&timelines).as_bytes());
        }
        if let Some(path) = chart {
            written = written.and(output::write_with(path, |tmp| plot::run(&reports[k], &timelines, deploy_at_s, tmp)));
        }
        if let Err(why) = written {
            errln!("{why}");
            exit = exit.max(Exit::BadInput);
        }
    }
    let text = deploysim_present::report::render_with(out.format.into(), &reports, &out.view);
    // Several files give a JSON list, even when only one of them could be run.
    let one_object = several && matches!(out.format, Format::Json) && reports.len() == 1;
    out!("{}", if one_object { json_list(&text) } else { text });
    if !matches!(out.format, Format::Table) {
        // Data on standard output goes to a file or a pipe: what failed, and the goal's pick,
        // are said on standard error too.
        for report in &reports {
            if !out.no_check {
                for line in deploysim_present::columns::failures(report) {
                    errln!("✗ {line}");
                }
            }
            if let Some((text, goal)) = &out.view.goal {
                errln!("{}", deploysim_present::report::pick(report, text, goal).line());
            }
        }
    }
    exit
}

/// How the table is shown: every column with `--wide`; else fitted to COLUMNS if set, or to
/// the terminal standard output is; every column when it is not a terminal (CI logs, files).
pub fn view(
    wide: bool,
    legend: bool,
    goal: Option<(String, deploysim_core::goal::Goal)>,
) -> deploysim_present::report::Options {
    let width = if wide { None } else { table_width() };
    deploysim_present::report::Options { width, legend, goal }
}

/// COLUMNS if it is a positive number, else the width of the terminal on standard output.
fn table_width() -> Option<usize> {
    if let Some(n) = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok()).filter(|n| *n > 0) {
        return Some(n);
    }
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    terminal_size::terminal_size().map(|(terminal_size::Width(w), _)| usize::from(w))
}

/// The scenarios of a run's shards, read again from the plan as `run` read them (`None` after
/// printing why if one no longer reads), with the options the run applied.
pub fn replan(plan: &Plan, recording: &Recording) -> Option<(Vec<(String, Scenario)>, RunOptions)> {
    let sets = assignments(&plan.sets)?;
    let mut scenarios = Vec::new();
    for input in &plan.inputs {
        scenarios.push((input.stem.clone(), parse(&input.file, &input.text, &recording.wrap(input.world()), &sets)?));
    }
    let options =
        RunOptions { seed: plan.seed, runs: plan.runs, strategies: plan.strategies.clone(), sets: Vec::new() };
    Some((scenarios, options))
}

/// The timeline and chart files of each scenario, by position: the paths given, for one
/// scenario; for several, each named with its file stem (`out-eb-policies.svg`), and with its
/// place among the scenarios of the same stem when several share one (`a/r.toml b/r.toml` draw
/// `out-r-1.svg` and `out-r-2.svg`), so no two overwrite each other.
fn output_names(out: &Output, stems: &[&str], several: bool) -> Vec<(Option<PathBuf>, Option<PathBuf>)> {
    stems
        .iter()
        .enumerate()
        .map(|(i, stem)| {
            let shared = stems.iter().filter(|s| *s == stem).count() > 1;
            let stem = if shared {
                format!("{stem}-{}", stems[..=i].iter().filter(|s| *s == stem).count())
            } else {
                (*stem).to_owned()
            };
            let name = |p: &Path| if several { with_stem(p, &stem) } else { p.to_path_buf() };
            (out.timeline.map(name), out.plot.map(name))
        })
        .collect()
}

/// A pretty-printed JSON object as a list of it, printed as serde_json prints lists.
fn json_list(object: &str) -> String {
    let items: String = object.trim_end().lines().map(|l| format!("  {l}\n")).collect();
    format!("[\n{items}]\n")
}

/// `out.svg` with a scenario's stem: `out-eb-policies.svg`.
fn with_stem(path: &Path, stem: &str) -> PathBuf {
    let base = path.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let ext = path.extension().map_or_else(String::new, |e| format!(".{}", e.to_string_lossy()));
    path.with_file_name(format!("{base}-{stem}{ext}"))
}
