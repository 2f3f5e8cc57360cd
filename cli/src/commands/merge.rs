//! `simulate merge SHARD...`: the shard files of a `run`, `sweep` or `compare` split with
//! `--shard I/N`, checked to be every shard of one run, combined into exactly what the command
//! unsplit prints, with its exit code (docs/shards.md).

use deploysim_core::{Report, Scenario};
use deploysim_present::prepare;

use crate::Exit;
use crate::args::{Format, MergeArgs};
use crate::commands::{compare, report, run, sweep};
use crate::plot;
use crate::shard::{self, Kind, Plan, Recording};

/// Reads, checks and combines the shard files, and prints the result.
pub fn merge(args: MergeArgs) -> Exit {
    let mut loaded = Vec::new();
    let mut bad = false;
    for path in &args.files {
        match shard::read(path) {
            Ok(l) => loaded.push(l),
            Err(why) => {
                errln!("{why}");
                bad = true;
            }
        }
    }
    if bad {
        return Exit::BadInput;
    }
    if let Err(errors) = shard::check_set(&loaded) {
        for e in errors {
            errln!("{e}");
        }
        return Exit::BadInput;
    }
    let plan = loaded[0].file.plan.clone();
    if let Err(why) = check_options(&args, plan.command) {
        errln!("{why}");
        return Exit::BadInput;
    }
    let recording = Recording::new();
    // The scenarios read again, as the command read them; `None` after printing why.
    let read_again = |ok: bool| {
        if !ok {
            errln!(
                "error: the shards' scenarios no longer read as they did when the shards ran\n  help: merge \
                 reads their trace files again, relative to each scenario file's folder as the shards name it: \
                 merge in the folder the shards ran in, with the same files"
            );
        }
        ok
    };
    match plan.command {
        Kind::Run => {
            let Some((scenarios, options)) = run::replan(&plan, &recording) else {
                read_again(false);
                return Exit::BadInput;
            };
            let mut ready: Vec<Scenario> = Vec::new();
            for (_, s) in &scenarios {
                let mut s = s.clone();
                if let Err(problem) = prepare::apply(&mut s, &options) {
                    report(&problem);
                    read_again(false);
                    return Exit::BadInput;
                }
                ready.push(s);
            }
            if let Err(why) = same_inputs(&plan, &recording, &ready, &loaded) {
                errln!("{why}");
                return Exit::BadInput;
            }
            let plan_goal = match deploysim_present::sweep::parse_goal(plan.goal.as_deref()) {
                Ok(goal) => goal,
                Err(problem) => {
                    report(&problem);
                    return Exit::BadInput;
                }
            };
            let output = run::Output {
                format: args.format,
                strict: plan.strict,
                no_check: plan.no_check,
                plot: args.plot.as_deref(),
                timeline: args.timeline.as_deref(),
                notes: &plan.notes,
                several: plan.inputs.len() > 1,
                view: run::view(false, false, plan.goal.clone().zip(plan_goal)),
            };
            let mut jobs = jobs(loaded);
            run::finish(&output, scenarios, &options, Exit::Ok, |i, _| jobs[i].take().unwrap_or_default())
        }
        Kind::Sweep => {
            let Some(prepared) = sweep::options(&plan).and_then(|o| sweep::scenarios(&plan, o, &recording)) else {
                read_again(false);
                return Exit::BadInput;
            };
            if let Err(why) = same_inputs(&plan, &recording, &prepared.scenarios, &loaded) {
                errln!("{why}");
                return Exit::BadInput;
            }
            let mut jobs = jobs(loaded);
            sweep::finish(prepared, &plan, args.format, args.plot.as_deref(), |i, _| jobs[i].take().unwrap_or_default())
        }
        Kind::Compare => {
            let Some((scenario, pair)) = compare::prepare_plan(&plan, &recording) else {
                read_again(false);
                return Exit::BadInput;
            };
            if let Err(why) = same_inputs(&plan, &recording, std::slice::from_ref(&scenario), &loaded) {
                errln!("{why}");
                return Exit::BadInput;
            }
            let runs = jobs(loaded).pop().flatten().unwrap_or_default();
            compare::finish(&scenario, pair, &runs, args.format == Format::Json)
        }
    }
}

/// The reports of each job, to be taken once each.
fn jobs(loaded: Vec<shard::Loaded>) -> Vec<Option<Vec<Report>>> {
    shard::assemble(loaded).into_iter().map(Some).collect()
}

/// Whether merge's own options suit the shards' command.
fn check_options(args: &MergeArgs, command: Kind) -> Result<(), String> {
    match command {
        Kind::Compare if args.plot.is_some() || args.timeline.is_some() => {
            return Err("error: these are shards of `simulate compare`, which draws no chart: leave out --plot and \
                        --timeline"
                .to_owned());
        }
        Kind::Compare if matches!(args.format, Format::Csv | Format::Markdown) => {
            return Err("error: these are shards of `simulate compare`, which prints text (--format table) or JSON \
                        (--format json)"
                .to_owned());
        }
        Kind::Sweep if args.timeline.is_some() => {
            return Err(
                "error: --timeline is for shards of `simulate run`; these are shards of `simulate sweep`".to_owned()
            );
        }
        _ => {}
    }
    if let Some(p) = &args.plot {
        plot::check_path(p)?;
    }
    match &args.timeline {
        Some(t) if t.extension().is_none_or(|e| e != "csv") => {
            Err(format!("error: --timeline {}: the file must end in .csv", t.display()))
        }
        _ => Ok(()),
    }
}

/// Checks that the scenarios read again are the ones the shards ran: the same trace files, the
/// same replications, and the first replication of every shard comes out the same.
fn same_inputs(plan: &Plan, recording: &Recording, ready: &[Scenario], loaded: &[shard::Loaded]) -> Result<(), String> {
    let files = recording.files();
    if files != plan.trace_files {
        let changed: Vec<&str> = plan
            .trace_files
            .iter()
            .filter(|(k, h)| files.get(*k) != Some(h))
            .map(|(k, _)| k.as_str())
            .chain(files.keys().filter(|k| !plan.trace_files.contains_key(*k)).map(String::as_str))
            .collect();
        let lines: Vec<String> =
            changed.iter().map(|f| format!("error: the trace file {f} changed since the shards ran")).collect();
        return Err(format!("{}\n  help: merge with the trace files the shards read", lines.join("\n")));
    }
    let replications: Vec<u32> = ready.iter().map(|s| s.replications).collect();
    if replications != plan.replications {
        return Err("error: the shards' scenarios now run other replications than when the shards ran".to_owned());
    }
    let scenarios: Vec<&Scenario> = ready.iter().collect();
    shard::spot_check(loaded, &scenarios)
}
