//! `simulate cost FILE`: the scenario's workload priced per month on Lambda, Fargate and EC2,
//! how each was sized, and the request rates where their ranking flips.

use deploysim_core::cost;

use crate::Exit;
use crate::args::CostArgs;
use crate::commands::{assignments, load_with};
use crate::output::{self, out};
use crate::plot;

/// Prices the file's workload and prints it; draws the sweep with `--plot`.
pub fn cost(args: CostArgs) -> Exit {
    let Some(sets) = assignments(&args.sets) else { return Exit::BadInput };
    let Some(scenario) = load_with(&args.file, &sets) else { return Exit::BadInput };
    if let Some(path) = &args.plot
        && let Err(why) = plot::check_path(path).and_then(|()| output::check("--plot", path))
    {
        errln!("{why}");
        return Exit::BadInput;
    }
    let report = cost::estimate(&scenario);
    // CSV holds the rate sweep only: what was assumed, and options that fail requests, go to
    // stderr there (the other formats print them first, or hold them in JSON).
    if args.format == crate::args::Format::Csv {
        err!("{}", deploysim_present::cost::assumptions_text(&report, false));
        for e in report.options.iter().filter(|e| e.fails.is_some()) {
            errln!("! {} fails requests: {}", e.platform, e.fails.as_deref().unwrap_or_default());
        }
    }
    out!("{}", deploysim_present::cost::render(args.format.into(), &report));
    if let Some(path) = &args.plot
        && let Err(why) = output::write_with(path, |tmp| plot::break_even(&report, tmp))
    {
        errln!("{why}");
        return Exit::BadInput;
    }
    Exit::Ok
}
