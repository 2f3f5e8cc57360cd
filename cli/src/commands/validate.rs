//! `simulate validate FILE...`: parse and check only.

use crate::Exit;
use crate::args::ValidateArgs;
use crate::commands::{assignments, import, load_with};
use crate::output::outln;

/// Checks each file; exit 2 if any is bad. A configuration file (CloudFormation, Kubernetes,
/// …) is checked by importing it: every deployment in it, and the scenario it gives.
pub fn validate(args: ValidateArgs) -> Exit {
    let Some(sets) = assignments(&args.sets) else { return Exit::BadInput };
    let mut exit = Exit::Ok;
    for path in &args.files {
        if let Ok(source) = crate::world::read_text(path)
            && import::is_configuration(path, &source)
        {
            if !sets.is_empty() {
                errln!(
                    "error: {}: --set changes scenario files, and this is a configuration file\n  help: import it \
                     first (simulate import {0} --out scenario.toml), then validate the scenario with --set",
                    path.display()
                );
                exit = Exit::BadInput;
                continue;
            }
            match import::read_source(&path.display().to_string(), &source) {
                Some(i) => {
                    let list: Vec<String> =
                        i.deployments.iter().map(|d| format!("{} as {}", d.resource, d.strategy)).collect();
                    outln!("{}: ok ({}: {})", path.display(), i.format, list.join(", "));
                }
                None => exit = Exit::BadInput,
            }
            continue;
        }
        match load_with(path, &sets) {
            Some(s) => outln!(
                "{}: ok ({}, {})",
                path.display(),
                s.name,
                deploysim_present::format::plural(s.strategies.len(), "strategy", "strategies")
            ),
            None => exit = Exit::BadInput,
        }
    }
    exit
}
