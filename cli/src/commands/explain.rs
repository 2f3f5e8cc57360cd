//! `simulate explain KIND|FILE`: what a strategy does, step by step, with its trade-offs.

use std::fmt::Write as _;
use std::path::Path;

use deploysim_core::strategy::{self, Params, StrategyDef};

use crate::Exit;
use crate::args::ExplainArgs;
use crate::commands::load;

/// Prints the explanation of a kind, or of every strategy in a scenario file.
pub fn explain(args: ExplainArgs) -> Exit {
    if let Some(def) = strategy::find(&args.target) {
        // A kind explains itself on the first platform it applies to.
        let platform = def.platforms.first().copied().unwrap_or(deploysim_core::scenario::Platform::Ec2);
        print!("{}", explain_kind(def, &Params::defaults(platform), args.instances, def.kind));
        return Exit::Ok;
    }
    let path = Path::new(&args.target);
    if path.exists() {
        let Some(scenario) = load(path) else { return Exit::BadInput };
        for (i, s) in scenario.strategies.iter().enumerate() {
            if i > 0 {
                println!();
            }
            print!("{}", explain_kind(s.def, &s.params, scenario.service.instances, &s.label));
        }
        if scenario.strategies.is_empty() {
            println!("{}: no strategies (a steady-state run)", path.display());
        }
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

/// The explanation of one strategy for a fleet of `n` instances.
pub fn explain_kind(def: &StrategyDef, params: &Params, n: u32, title: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{title} ({}): {}", def.kind, def.summary);
    match params.platform {
        deploysim_core::scenario::Platform::Lambda => out.push_str("Plan for the function's alias:\n"),
        deploysim_core::scenario::Platform::Fargate => out.push_str(&format!("Plan for {n} tasks:\n")),
        deploysim_core::scenario::Platform::Ec2 => out.push_str(&format!("Plan for {n} instances:\n")),
    }
    out.push_str(&(def.compile)(params).explain_on(n, params.platform));
    let _ = writeln!(out, "Trade-offs: {}", squash(def.trade_offs));
    let _ = writeln!(out, "Source: {}", squash(def.source));
    out
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
