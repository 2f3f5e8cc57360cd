//! `simulate compare`: two strategies over the same replications, each metric's paired
//! difference `b − a` with its 95 % interval, as text (a headline, then a line per metric) or
//! JSON.

use deploysim_core::replicate::{self, Summary};
use deploysim_core::{Report, Scenario};

use crate::format::{duration, money, thousands};
use crate::prepare::Problem;

/// Replications `compare` runs when neither the scenario nor `--runs` asks for several.
pub const DEFAULT_RUNS: u32 = 100;

/// The two strategies of a comparison, by position in the scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pair {
    /// The first strategy.
    pub a: usize,
    /// The second; differences are `b − a`.
    pub b: usize,
}

/// Finds strategies `a` and `b` (kind or label) in a scenario; `file` names it in the message.
pub fn find(scenario: &Scenario, file: &str, a: &str, b: &str) -> Result<Pair, Problem> {
    let find = |name: &str| scenario.strategies.iter().position(|s| s.def.kind == name || s.label == name);
    match (find(a), find(b)) {
        (Some(a), Some(b)) => Ok(Pair { a, b }),
        _ => {
            let known: Vec<String> =
                scenario.strategies.iter().map(|s| format!("{} ({})", s.def.kind, s.label)).collect();
            Err(Problem::Usage(format!(
                "error: {file}: --a {a} and --b {b} must name strategies of the scenario\n  help: its strategies: {}",
                known.join(", ")
            )))
        }
    }
}

/// The replications a comparison runs: `--runs` when given, else the scenario's, or
/// `DEFAULT_RUNS` when it has only one.
pub fn runs(scenario: &Scenario, runs: Option<u32>) -> Option<u32> {
    match runs {
        Some(n) => Some(n),
        None if scenario.replications < 2 => Some(DEFAULT_RUNS),
        None => None,
    }
}

/// A paired comparison.
#[derive(Clone, Debug)]
pub struct Comparison {
    /// Scenario name.
    pub scenario: String,
    /// Seed.
    pub seed: u64,
    /// Replications compared.
    pub replications: u32,
    /// Label of `a`.
    pub a: String,
    /// Label of `b`.
    pub b: String,
    /// `b − a` per metric.
    pub diffs: Vec<(&'static str, Summary)>,
}

impl Comparison {
    /// The comparison of `pair` over `runs`, the reports of each replication in order.
    pub fn new(scenario: &Scenario, runs: &[Report], pair: Pair) -> Self {
        Comparison {
            scenario: scenario.name.clone(),
            seed: scenario.seed,
            replications: runs.len() as u32,
            a: scenario.strategies[pair.a].label.clone(),
            b: scenario.strategies[pair.b].label.clone(),
            diffs: replicate::compare(runs, pair.a, pair.b),
        }
    }

    /// The JSON document, pretty, with a final newline.
    pub fn json(&self) -> String {
        let rows: serde_json::Map<String, serde_json::Value> =
            self.diffs.iter().map(|(m, s)| ((*m).to_owned(), serde_json::to_value(s).expect("serializes"))).collect();
        let doc = serde_json::json!({
            "scenario": self.scenario, "seed": self.seed, "replications": self.replications,
            "a": self.a, "b": self.b, "difference": rows,
        });
        serde_json::to_string_pretty(&doc).expect("serializes") + "\n"
    }

    /// A title, the headline, then a line per metric.
    pub fn text(&self) -> String {
        let (la, lb) = (&self.a, &self.b);
        let mut out = format!(
            "{}: {lb} − {la}, paired over {} (seed {}), mean ± 95 % interval\n",
            self.scenario,
            crate::format::plural(self.replications as usize, "replication", "replications"),
            self.seed
        );
        if let Some(line) = self.headline() {
            out.push_str(&line);
            out.push('\n');
        }
        out.push('\n');
        for (metric, s) in &self.diffs {
            out.push_str(&format!(
                "  {metric:<22} {:>14} ± {:<12}{}\n",
                show(metric, s.mean, true),
                show(metric, s.half_width, false),
                verdict(s)
            ));
        }
        out
    }

    /// "immutable costs $3.10 ± 0.04 more than rolling and avoids 1 200 ± 90 failed requests".
    pub fn headline(&self) -> Option<String> {
        let (la, lb) = (&self.a, &self.b);
        let get = |m: &str| self.diffs.iter().find(|(k, _)| *k == m).map(|(_, s)| s);
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
}

/// Whether a difference is clear: empty when its interval excludes zero.
pub fn verdict(s: &Summary) -> &'static str {
    if s.low > 0.0 || s.high < 0.0 {
        ""
    } else if s.min == 0.0 && s.max == 0.0 {
        "  (the same in every replication)"
    } else {
        "  (no clear difference)"
    }
}

/// A metric's difference in its unit: `+$0.0732`, `-42.3s`, `+1.500 %`.
pub fn show(metric: &str, x: f64, signed: bool) -> String {
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
