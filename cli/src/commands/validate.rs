//! `simulate validate FILE...`: parse and check only.

use crate::Exit;
use crate::args::ValidateArgs;
use crate::commands::{import, load};

/// Checks each file; exit 2 if any is bad. A configuration file (CloudFormation, Kubernetes,
/// …) is checked by importing it: every deployment in it, and the scenario it gives.
pub fn validate(args: ValidateArgs) -> Exit {
    let mut exit = Exit::Ok;
    for path in &args.files {
        if let Ok(source) = crate::world::read_text(path)
            && import::is_configuration(path, &source)
        {
            match import::read_source(&path.display().to_string(), &source) {
                Some(i) => {
                    let list: Vec<String> =
                        i.deployments.iter().map(|d| format!("{} as {}", d.resource, d.strategy)).collect();
                    println!("{}: ok ({}: {})", path.display(), i.format, list.join(", "));
                }
                None => exit = Exit::BadInput,
            }
            continue;
        }
        match load(path) {
            Some(s) => println!(
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
