//! `simulate sweep FILE --vary KEY=V1,V2,...`: the scenario run once per value (every
//! combination for two keys), each with its replications, one row per setting and strategy,
//! and with `--goal` the best setting.

use deploysim_core::replicate::{Gate, aggregate};
use deploysim_present::sweep::{self, Row, Sweep};

use crate::Exit;
use crate::args::SweepArgs;
use crate::commands::{assignments, load_with, replicate, report, set_runs};
use crate::plot;

/// Runs every setting and prints the rows.
pub fn sweep(args: SweepArgs) -> Exit {
    let Some(sets) = assignments(&args.sets) else { return Exit::BadInput };
    let parsed = sweep::parse_vary(&args.vary).and_then(|keys| {
        let goal = sweep::parse_goal(args.goal.as_deref())?;
        let settings = sweep::settings(&keys)?;
        Ok((keys, goal, settings))
    });
    let (keys, goal, settings) = match parsed {
        Ok(x) => x,
        Err(problem) => {
            report(&problem);
            return Exit::BadInput;
        }
    };
    let gate = if args.monte_carlo.strict { Gate::Pessimistic } else { Gate::Mean };
    let mut rows: Vec<Row> = Vec::new();
    let (mut scenario_name, mut platform, mut replications) = (String::new(), String::new(), 1);
    for setting in &settings {
        let Some(mut sc) = load_with(&args.file, &sweep::setting_sets(&sets, setting)) else { return Exit::BadInput };
        if let Some(seed) = args.seed {
            sc.seed = seed;
        }
        if !set_runs(&mut sc, &args.file.display().to_string(), &args.monte_carlo) {
            return Exit::BadInput;
        }
        let report = aggregate(&sc, replicate(&sc, &args.monte_carlo), gate);
        (scenario_name, platform, replications) =
            (report.scenario.clone(), report.platform.clone(), report.replications);
        let strategies = if report.strategies.is_empty() { vec![report.baseline] } else { report.strategies };
        rows.extend(strategies.into_iter().map(|s| Row { values: setting.clone(), report: s }));
    }
    let result = Sweep::new(scenario_name, platform, replications, keys, rows, args.goal.as_deref().zip(goal.as_ref()));
    print!("{}", result.render(args.format.into()));
    if let Some(path) = &args.plot {
        if let Err(why) = plot::check_path(path).and_then(|()| plot::sweep(&result, path)) {
            eprintln!("error: cannot draw {}: {why}", path.display());
            return Exit::BadInput;
        }
        eprintln!("wrote {}", path.display());
    }
    if result.missed_goal() { Exit::ExpectationFailed } else { Exit::Ok }
}
