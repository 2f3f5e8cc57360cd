//! `simulate explain KIND|FILE`: what a strategy does, step by step, with its trade-offs.

use std::path::Path;

use deploysim_core::strategy;
use deploysim_present::explain::{explain_kind_default, explain_scenario};

use crate::Exit;
use crate::args::ExplainArgs;
use crate::commands::load;

/// Prints the explanation of a kind, or of every strategy in a scenario file.
pub fn explain(args: ExplainArgs) -> Exit {
    if let Some(def) = strategy::find(&args.target) {
        print!("{}", explain_kind_default(def, args.instances));
        return Exit::Ok;
    }
    let path = Path::new(&args.target);
    if path.exists() {
        let Some(scenario) = load(path) else { return Exit::BadInput };
        print!("{}", explain_scenario(&scenario, &path.display().to_string()));
        return Exit::Ok;
    }
    let kinds: Vec<&str> = strategy::STRATEGIES.iter().map(|d| d.kind).collect();
    eprintln!(
        "error: `{}` is neither a strategy kind nor a scenario file\n  help: kinds: {}",
        args.target,
        kinds.join(", ")
    );
    Exit::BadInput
}
