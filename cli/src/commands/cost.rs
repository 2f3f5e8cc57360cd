//! `simulate cost FILE`: the scenario's workload priced per month on Lambda, Fargate and EC2,
//! how each was sized, and the request rates where their ranking flips.

use deploysim_core::cost;

use crate::Exit;
use crate::args::CostArgs;
use crate::commands::{assignments, load_with};
use crate::plot;

/// Prices the file's workload and prints it; draws the sweep with `--plot`.
pub fn cost(args: CostArgs) -> Exit {
    let Some(sets) = assignments(&args.sets) else { return Exit::BadInput };
    let Some(scenario) = load_with(&args.file, &sets) else { return Exit::BadInput };
    if let Some(path) = &args.plot
        && let Err(why) = plot::check_path(path)
    {
        eprintln!("{why}");
        return Exit::BadInput;
    }
    let report = cost::estimate(&scenario);
    print!("{}", deploysim_present::cost::render(args.format.into(), &report));
    if let Some(path) = &args.plot {
        if let Err(why) = plot::break_even(&report, path) {
            eprintln!("error: cannot draw {}: {why}", path.display());
            return Exit::BadInput;
        }
        eprintln!("wrote {}", path.display());
    }
    Exit::Ok
}
