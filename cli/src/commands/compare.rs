//! `simulate compare FILE --a KIND --b KIND`: two strategies over the same replications, each
//! metric's difference with its own 95 % interval from the paired runs.

use deploysim_present::compare::{self, Comparison};
use deploysim_present::prepare;

use crate::Exit;
use crate::args::CompareArgs;
use crate::commands::{assignments, load_with, replicate, report};

/// Runs the scenario's replications and prints `b − a` for every metric.
pub fn compare(args: CompareArgs) -> Exit {
    if args.monte_carlo.strict {
        eprintln!("error: --strict judges expectations, and compare checks none; use it with `simulate run`");
        return Exit::BadInput;
    }
    let Some(sets) = assignments(&args.sets) else { return Exit::BadInput };
    let Some(mut scenario) = load_with(&args.file, &sets) else { return Exit::BadInput };
    if let Some(seed) = args.seed {
        scenario.seed = seed;
    }
    let file = args.file.display().to_string();
    let pair = match compare::find(&scenario, &file, &args.a, &args.b) {
        Ok(pair) => pair,
        Err(problem) => {
            report(&problem);
            return Exit::BadInput;
        }
    };
    let runs = compare::runs(&scenario, args.monte_carlo.runs);
    if let Err(problem) = prepare::set_runs(&mut scenario, &file, runs) {
        report(&problem);
        return Exit::BadInput;
    }
    let comparison = Comparison::new(&scenario, &replicate(&scenario, &args.monte_carlo), pair);
    print!("{}", if args.json { comparison.json() } else { comparison.text() });
    Exit::Ok
}
