//! A found deployment as a complete scenario file: the service the file describes, traffic at
//! half its capacity, the imported strategy and the service's default deployment beside it,
//! each value's source line in a comment, and the assumptions named.

use std::fmt::Write as _;

use crate::Deployment;
use crate::read::{Found, Origin, quote};

/// Requests per second one instance or task serves (deploysim's default `capacity_rps`).
const CAPACITY_RPS: u32 = 100;

/// Builds the deployment's scenario and its assumptions.
pub(crate) fn build(found: Found, file: &str) -> Deployment {
    let Found { resource, line, strategy, settings, whys, plan, mut assumptions } = found;
    let lambda = plan.platform == "lambda";
    let rate = if lambda { 20 } else { plan.instances * CAPACITY_RPS / 2 };
    if lambda {
        assumptions.push(format!(
            "traffic: {rate} requests/s, constant (the file does not say); change it with --set traffic.rate=N"
        ));
    } else {
        assumptions.push(format!(
            "traffic: {rate} requests/s, half the capacity of {} {}{} serving {CAPACITY_RPS} requests/s each (the file does not say); change them with --set traffic.rate=N and --set service.capacity_rps=N",
            plan.instances,
            if plan.platform == "ec2" { "instance" } else { "task" },
            if plan.instances == 1 { "" } else { "s" }
        ));
    }
    for (key, why) in &whys {
        let set = plan.set_keys.iter().find(|(k, _)| k == key).map(|(_, s)| s.as_str());
        let hint = set.map_or_else(String::new, |s| format!("; set it with --set {s}=VALUE"));
        assumptions.push(format!("`{key}` is unresolved ({why}){hint}"));
    }
    let asked = ["desired", "replicas", "min_size"].iter().find_map(|k| settings.get(k).and_then(|s| s.value.as_u64()));
    if asked.is_some_and(|n| n > 10_000) {
        assumptions.push(format!(
            "{} instances or tasks are more than deploysim simulates: capped at 10000",
            asked.unwrap_or(0)
        ));
    }
    if plan.instances == 1 && !lambda && settings.0.iter().all(|(_, s)| s.origin != Origin::Unresolved) {
        assumptions.push("a fleet of one: every deployment takes it out of service or doubles it".to_owned());
    }

    let mut t = String::new();
    let _ = writeln!(t, "# Imported by `simulate import` from {file}: {resource} (line {line}), {strategy}.");
    for a in &assumptions {
        let _ = writeln!(t, "# Assumption: {a}");
    }
    let _ = writeln!(t, "name = {}", quote(&format!("{resource} ({strategy})")));
    let _ = writeln!(t, "description = {}", quote(&format!("{strategy} as configured in {file}, line {line}.")));
    let _ = writeln!(t, "seed = 1");
    let _ = writeln!(t, "horizon = \"3h\"");
    let _ = writeln!(t, "deploy_at = \"5m\"");
    let _ = writeln!(t, "\n[traffic]\nrate = {rate}   # assumption");
    let _ = writeln!(t, "\n[service]\nplatform = {}", quote(plan.platform));
    if !lambda {
        let _ = writeln!(t, "instances = {}", plan.instances);
    }
    for (k, v, c) in &plan.service {
        let _ = writeln!(t, "{k} = {v}{}", comment(c));
    }
    let _ = writeln!(t, "\n[[strategies]]\nlabel = {}", quote(&plan.label));
    for (k, v, c) in &plan.strategy {
        let _ = writeln!(t, "{k} = {v}{}", comment(c));
    }
    if let Some((label, keys)) = &plan.baseline {
        let _ = writeln!(
            t,
            "\n[[strategies]]   # the service's default deployment, for comparison\nlabel = {}",
            quote(label)
        );
        for (k, v) in keys {
            let _ = writeln!(t, "{k} = {v}");
        }
    }
    Deployment { resource, line, strategy, settings, scenario: t, assumptions }
}

fn comment(c: &str) -> String {
    if c.is_empty() { String::new() } else { format!("   # {c}") }
}
