//! `simulate compare FILE --a KIND --b KIND`: two strategies over the same replications, each
//! metric's difference with its own 95 % interval from the paired runs.

use deploysim_core::replicate::{Summary, compare as paired};

use crate::Exit;
use crate::args::CompareArgs;
use crate::commands::{assignments, load_with, replicate, set_runs};
use crate::output::{duration, money, thousands};

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
    let find = |name: &str| scenario.strategies.iter().position(|s| s.def.kind == name || s.label == name);
    let (Some(a), Some(b)) = (find(&args.a), find(&args.b)) else {
        let known: Vec<String> = scenario.strategies.iter().map(|s| format!("{} ({})", s.def.kind, s.label)).collect();
        eprintln!(
            "error: {}: --a {} and --b {} must name strategies of the scenario\n  help: its strategies: {}",
            args.file.display(),
            args.a,
            args.b,
            known.join(", ")
        );
        return Exit::BadInput;
    };
    if args.monte_carlo.runs.is_none() && scenario.replications < 2 {
        scenario.replications = 100;
    }
    if !set_runs(&mut scenario, &args.file.display().to_string(), &args.monte_carlo) {
        return Exit::BadInput;
    }
    let runs = replicate(&scenario, &args.monte_carlo);
    let diffs = paired(&runs, a, b);
    let (la, lb) = (&scenario.strategies[a].label, &scenario.strategies[b].label);
    if args.json {
        let rows: serde_json::Map<String, serde_json::Value> =
            diffs.iter().map(|(m, s)| ((*m).to_owned(), serde_json::to_value(s).expect("serializes"))).collect();
        let doc = serde_json::json!({
            "scenario": scenario.name, "seed": scenario.seed, "replications": scenario.replications,
            "a": la, "b": lb, "difference": rows,
        });
        println!("{}", serde_json::to_string_pretty(&doc).expect("serializes"));
        return Exit::Ok;
    }
    println!(
        "{}: {lb} − {la}, paired over {} replications (seed {}), mean ± 95 % interval",
        scenario.name, scenario.replications, scenario.seed
    );
    if let Some(line) = headline(&diffs, la, lb) {
        println!("{line}");
    }
    println!();
    for (metric, s) in &diffs {
        let verdict = if s.low > 0.0 || s.high < 0.0 {
            ""
        } else if s.min == 0.0 && s.max == 0.0 {
            "  (the same in every replication)"
        } else {
            "  (no clear difference)"
        };
        println!(
            "  {metric:<22} {:>14} ± {:<12}{verdict}",
            show(metric, s.mean, true),
            show(metric, s.half_width, false)
        );
    }
    Exit::Ok
}

/// "immutable costs $3.10 ± 0.04 more than rolling and avoids 1 200 ± 90 failed requests".
fn headline(diffs: &[(&str, Summary)], la: &str, lb: &str) -> Option<String> {
    let get = |m: &str| diffs.iter().find(|(k, _)| *k == m).map(|(_, s)| s);
    let cost = get("cost_usd")?;
    let failed = get("failed_requests")?;
    let money_part = if cost.mean >= 0.0 {
        format!("{lb} costs {} ± {} more than {la}", money(cost.mean), money(cost.half_width))
    } else {
        format!("{lb} costs {} ± {} less than {la}", money(-cost.mean), money(cost.half_width))
    };
    let hw = thousands(failed.half_width.round() as u64);
    let failed_part = if failed.min == 0.0 && failed.max == 0.0 {
        "fails the same requests in every replication".to_owned()
    } else if failed.mean <= 0.0 {
        format!("avoids {} ± {hw} failed requests", thousands((-failed.mean).round() as u64))
    } else {
        format!("fails {} ± {hw} more requests", thousands(failed.mean.round() as u64))
    };
    Some(format!("{money_part} and {failed_part}."))
}

fn show(metric: &str, x: f64, signed: bool) -> String {
    let sign = if signed && x > 0.0 {
        "+"
    } else if x < 0.0 {
        "-"
    } else {
        ""
    };
    let a = x.abs();
    let body = if metric.ends_with("_usd") {
        money(a)
    } else if metric.ends_with("_s") {
        duration(a)
    } else if metric.ends_with("_ms") {
        format!("{a:.1} ms")
    } else if metric == "availability" || metric.ends_with("_rate") || metric == "rolled_back" {
        format!("{:.3} %", a * 100.0)
    } else if metric.ends_with("_pct") {
        format!("{a:.1} %")
    } else if a >= 100.0 {
        thousands(a.round() as u64)
    } else {
        format!("{a:.2}")
    };
    format!("{sign}{body}")
}
