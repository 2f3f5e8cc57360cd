//! The one integration test binary of deploysim-core.
//!
//! - `scenarios`: every bundled scenario against its golden JSON (`UPDATE_EXPECT=1` rewrites).
//! - `acceptance`: the comparisons AWS documents, checked on the bundled scenarios.
//! - `determinism`: same seed, same bytes; another seed, other numbers.
//! - `conservation`: property tests: every request is served or failed, never both.
//! - `bad_input`: malformed scenario files under `tests/bad/` each give located errors.
//! - `pricing`: AWS's worked pricing examples, priced by a run or the monthly estimate.
//! - `cost`: `simulate cost` (sizing, break-even, diurnal pricing) and what a run bills.
//! - `replications`: Monte Carlo intervals, aggregation, strict gates, paired comparison.
//! - `fuzz`: extreme values in every key of every platform and strategy: no panic, bounded work.
//! - `tidy`: every source file opens with a `//!` comment; no file cites the maintainers' notes.

mod acceptance;
mod bad_input;
mod conservation;
mod cost;
mod cost_rule;
mod determinism;
mod fidelity;
mod fuzz;
mod pricing;
mod replications;
mod scenarios;
mod tidy;

use std::path::{Path, PathBuf};

use deploysim_core::{Report, Scenario, World, simulate};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// Reads files relative to a folder, like the CLI.
pub struct Dir(pub PathBuf);

impl World for Dir {
    fn read(&self, path: &str) -> Result<String, String> {
        std::fs::read_to_string(self.0.join(path)).map_err(|e| e.to_string())
    }
}

/// Parses a bundled scenario by file stem.
pub fn bundled(stem: &str) -> Scenario {
    let dir = root().join("scenarios");
    let text = std::fs::read_to_string(dir.join(format!("{stem}.toml"))).unwrap();
    Scenario::parse(&text, &format!("scenarios/{stem}.toml"), &Dir(dir)).unwrap_or_else(|e| panic!("{e}"))
}

/// Runs a bundled scenario.
pub fn run(stem: &str) -> Report {
    simulate(&bundled(stem))
}

/// The strategy report with this label or kind.
pub fn strategy<'r>(report: &'r Report, name: &str) -> &'r deploysim_core::StrategyReport {
    report.strategies.iter().find(|s| s.label == name || s.kind == name).unwrap_or_else(|| panic!("no strategy {name}"))
}

/// Parses scenario text with no files.
pub fn parse(text: &str) -> Result<Scenario, deploysim_core::ScenarioError> {
    Scenario::parse(text, "test.toml", &deploysim_core::NoFiles)
}
