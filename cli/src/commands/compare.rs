//! `simulate compare FILE --a KIND --b KIND`: two strategies over the same replications, each
//! metric's difference with its own 95 % interval from the paired runs.

use deploysim_core::{Report, Scenario};
use deploysim_present::compare::{self, Comparison, Pair};
use deploysim_present::prepare;

use crate::Exit;
use crate::args::{CompareArgs, TextFormat};
use crate::commands::{assignments, parse, replicate, report};
use crate::output::out;
use crate::shard::{self, Input, Kind, Plan, Recording};
use crate::world::read_text;

/// Runs the scenario's replications and prints `b − a` for every metric; with `--shard`, runs
/// a share of them and writes it for `simulate merge`.
pub fn compare(args: CompareArgs) -> Exit {
    if args.monte_carlo.strict {
        errln!("error: --strict judges expectations, and compare checks none; use it with `simulate run`");
        return Exit::BadInput;
    }
    let Some(sets) = assignments(&args.sets) else { return Exit::BadInput };
    let source = match read_text(&args.file) {
        Ok(s) => s,
        Err(why) => {
            errln!("{why}");
            return Exit::BadInput;
        }
    };
    let mut plan = Plan {
        inputs: vec![Input::from_file(&args.file, source)],
        sets: args.sets.clone(),
        seed: args.seed,
        runs: args.monte_carlo.runs,
        a: Some(args.a.clone()),
        b: Some(args.b.clone()),
        ..Plan::new(Kind::Compare)
    };
    let recording = Recording::new();
    let Some((scenario, pair)) = prepare_with(&plan, &sets, &recording) else { return Exit::BadInput };
    if args.sharding.shard.is_some() {
        plan.trace_files = recording.files();
        return shard::write(&args.sharding, plan, &[&scenario], &args.monte_carlo);
    }
    let json = args.json || args.format == TextFormat::Json;
    finish(&scenario, pair, &replicate(&scenario, &args.monte_carlo), json)
}

/// The plan's scenario, its seed and runs applied, and the two strategies compared; `None`
/// after printing why.
pub fn prepare_plan(plan: &Plan, recording: &Recording) -> Option<(Scenario, Pair)> {
    prepare_with(plan, &assignments(&plan.sets)?, recording)
}

fn prepare_with(
    plan: &Plan,
    sets: &[deploysim_core::scenario::set::Assignment],
    recording: &Recording,
) -> Option<(Scenario, Pair)> {
    let input = plan.inputs.first()?;
    let mut scenario = parse(&input.file, &input.text, &recording.wrap(input.world()), sets)?;
    if let Some(seed) = plan.seed {
        scenario.seed = seed;
    }
    let file = &input.file;
    let (a, b) = (plan.a.as_deref().unwrap_or_default(), plan.b.as_deref().unwrap_or_default());
    let pair = compare::find(&scenario, file, a, b).map_err(|p| report(&p)).ok()?;
    let runs = compare::runs(&scenario, plan.runs);
    prepare::set_runs(&mut scenario, file, runs).map_err(|p| report(&p)).ok()?;
    Some((scenario, pair))
}

/// Prints the comparison of `pair` over `runs`, as JSON or text.
pub fn finish(scenario: &Scenario, pair: Pair, runs: &[Report], json: bool) -> Exit {
    let comparison = Comparison::new(scenario, runs, pair);
    out!("{}", if json { comparison.json() } else { comparison.text() });
    Exit::Ok
}
