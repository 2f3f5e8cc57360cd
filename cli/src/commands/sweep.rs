//! `simulate sweep FILE --vary KEY=V1,V2,...`: the scenario run once per value (every
//! combination for two keys), each with its replications, one row per setting and strategy,
//! and with `--goal` the best setting.

use std::path::Path;

use deploysim_core::goal::Goal;
use deploysim_core::replicate::{Gate, aggregate};
use deploysim_core::scenario::set::Assignment;
use deploysim_core::{Report, Scenario};
use deploysim_present::prepare;
use deploysim_present::sweep::{self, Row, Sweep, Vary};

use crate::Exit;
use crate::args::{Format, SweepArgs};
use crate::commands::{assignments, parse, replicate, report};
use crate::output::{self, out};
use crate::plot;
use crate::shard::{self, Input, Kind, Plan, Recording};
use crate::world::read_text;

/// A sweep ready to run: its keys, goal, settings and a scenario for each setting.
pub struct Prepared {
    /// The varied keys and their values.
    pub keys: Vec<Vary>,
    /// `--goal`, parsed.
    pub goal: Option<Goal>,
    /// The settings, in order.
    pub settings: Vec<Vec<(String, String)>>,
    /// The scenario of each setting, seed and runs applied.
    pub scenarios: Vec<Scenario>,
}

/// Runs every setting and prints the rows; with `--shard`, runs a share of the settings'
/// replications and writes it for `simulate merge`.
pub fn sweep(args: SweepArgs) -> Exit {
    let mut plan = Plan {
        sets: args.sets.clone(),
        seed: args.seed,
        runs: args.monte_carlo.runs,
        strict: args.monte_carlo.strict,
        vary: args.vary.clone(),
        goal: args.goal.clone(),
        ..Plan::new(Kind::Sweep)
    };
    let Some(options) = options(&plan) else { return Exit::BadInput };
    let source = match read_text(&args.file) {
        Ok(s) => s,
        Err(why) => {
            errln!("{why}");
            return Exit::BadInput;
        }
    };
    plan.inputs.push(Input::from_file(&args.file, source));
    let recording = Recording::new();
    let Some(prepared) = scenarios(&plan, options, &recording) else { return Exit::BadInput };
    if args.sharding.shard.is_some() {
        plan.trace_files = recording.files();
        let scenarios: Vec<&Scenario> = prepared.scenarios.iter().collect();
        return shard::write(&args.sharding, plan, &scenarios, &args.monte_carlo);
    }
    finish(prepared, &plan, args.format, args.plot.as_deref(), |_, sc| replicate(sc, &args.monte_carlo))
}

/// A sweep's options, read: the `--set` assignments, the keys, the goal and the settings.
pub struct Options {
    sets: Vec<Assignment>,
    keys: Vec<Vary>,
    goal: Option<Goal>,
    settings: Vec<Vec<(String, String)>>,
}

/// Reads the plan's `--set`, `--vary` and `--goal`; `None` after printing why.
pub fn options(plan: &Plan) -> Option<Options> {
    let sets = assignments(&plan.sets)?;
    let parsed = sweep::parse_vary(&plan.vary).and_then(|keys| {
        let goal = sweep::parse_goal(plan.goal.as_deref())?;
        let settings = sweep::settings(&keys)?;
        Ok((keys, goal, settings))
    });
    let (keys, goal, settings) = parsed.map_err(|problem| report(&problem)).ok()?;
    Some(Options { sets, keys, goal, settings })
}

/// Each setting's scenario: the plan's file read with the `--set` assignments and the
/// setting's values, seed and runs applied; `None` after printing why at the first problem.
pub fn scenarios(plan: &Plan, options: Options, recording: &Recording) -> Option<Prepared> {
    let input = plan.inputs.first()?;
    let mut scenarios = Vec::with_capacity(options.settings.len());
    for setting in &options.settings {
        let world = recording.wrap(input.world());
        let mut sc = parse(&input.file, &input.text, &world, &sweep::setting_sets(&options.sets, setting))?;
        if let Some(seed) = plan.seed {
            sc.seed = seed;
        }
        prepare::set_runs(&mut sc, &input.file, plan.runs).map_err(|p| report(&p)).ok()?;
        scenarios.push(sc);
    }
    Some(Prepared { keys: options.keys, goal: options.goal, settings: options.settings, scenarios })
}

/// Aggregates each setting's reports (`runs` gives them, by the setting's position), prints
/// the sweep in `format`, draws it to `plot` and returns the exit status.
pub fn finish(
    prepared: Prepared,
    plan: &Plan,
    format: Format,
    plot: Option<&Path>,
    mut runs: impl FnMut(usize, &Scenario) -> Vec<Report>,
) -> Exit {
    if let Some(path) = plot
        && let Err(why) = plot::check_path(path).and_then(|()| output::check("--plot", path))
    {
        errln!("{why}");
        return Exit::BadInput;
    }
    let gate = if plan.strict { Gate::Pessimistic } else { Gate::Mean };
    let mut rows: Vec<Row> = Vec::new();
    let (mut scenario_name, mut platform, mut replications) = (String::new(), String::new(), 1);
    for (i, (setting, sc)) in prepared.settings.iter().zip(&prepared.scenarios).enumerate() {
        let report = aggregate(sc, runs(i, sc), gate);
        (scenario_name, platform, replications) =
            (report.scenario.clone(), report.platform.clone(), report.replications);
        let strategies = if report.strategies.is_empty() { vec![report.baseline] } else { report.strategies };
        rows.extend(strategies.into_iter().map(|s| Row { values: setting.clone(), report: s }));
    }
    let goal = plan.goal.as_deref().zip(prepared.goal.as_ref());
    let result = Sweep::new(scenario_name, platform, replications, prepared.keys, rows, goal);
    out!("{}", result.render(format.into()));
    if let Some(path) = plot
        && let Err(why) = output::write_with(path, |tmp| plot::sweep(&result, tmp))
    {
        errln!("{why}");
        return Exit::BadInput;
    }
    if result.missed_goal() { Exit::ExpectationFailed } else { Exit::Ok }
}
