//! A strategy explained step by step: its summary, the plan the engine runs for a fleet of a
//! given size (or a Lambda alias), its trade-offs and its source.

use std::fmt::Write as _;

use deploysim_core::scenario::Platform;
use deploysim_core::strategy::{Params, StrategyDef};

/// The explanation of one strategy for a fleet of `n` instances.
pub fn explain_kind(def: &StrategyDef, params: &Params, n: u32, title: &str) -> String {
    let mut out = String::new();
    let about = def.about(params.platform);
    let kind = if title == def.kind { String::new() } else { format!(" ({})", def.kind) };
    let _ = writeln!(out, "{title}{kind}: {}, on {}", about.name, params.platform.name());
    let _ = writeln!(out, "{}", about.summary);
    match params.platform {
        Platform::Lambda => out.push_str("Plan for the function's alias:\n"),
        Platform::Fargate => out.push_str(&format!("Plan for {n} tasks:\n")),
        Platform::Ec2 => out.push_str(&format!("Plan for {n} instances:\n")),
    }
    out.push_str(&(def.compile)(params).explain_on(n, params.platform));
    let _ = writeln!(out, "Trade-offs: {}", squash(about.trade_offs));
    let _ = writeln!(out, "Source: {}", squash(about.source));
    out
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A kind explained on the first platform it applies to, for a fleet of `instances`.
pub fn explain_kind_default(def: &StrategyDef, instances: u32) -> String {
    let platform = def.platforms.first().copied().unwrap_or(Platform::Ec2);
    explain_kind(def, &Params::defaults(platform), instances, def.kind)
}

/// Every strategy of a scenario explained with its own settings, a blank line between them
/// (`file` names the scenario when it has none: a steady-state run).
pub fn explain_scenario(scenario: &deploysim_core::Scenario, file: &str) -> String {
    let mut head = String::new();
    if !scenario.description.trim().is_empty() {
        head = format!("{}\n{}\n\n", scenario.name, scenario.description.trim());
    }
    if scenario.strategies.is_empty() {
        return format!("{head}{file}: no strategies (a steady-state run)\n");
    }
    let parts: Vec<String> = scenario
        .strategies
        .iter()
        .map(|s| explain_kind(s.def, &s.params, scenario.service.instances, &s.label))
        .collect();
    head + &parts.join("\n")
}
