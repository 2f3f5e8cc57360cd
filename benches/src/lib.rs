//! Inputs for the criterion benchmarks: the bundled scenarios, embedded, and the reference
//! fleet scenario the speed targets are stated for.
//!
//! Run with `cargo bench -p deploysim-benches`; compare ratios measured in one run, since
//! these machines are shared.

use deploysim_core::{NoFiles, Scenario};

/// `scenarios/rolling.toml`.
pub const ROLLING: &str = include_str!("../../scenarios/rolling.toml");
/// `scenarios/eb-policies.toml`.
pub const EB_POLICIES: &str = include_str!("../../scenarios/eb-policies.toml");
/// `scenarios/spike-during-deploy.toml`.
pub const SPIKE: &str = include_str!("../../scenarios/spike-during-deploy.toml");

/// The reference run of the speed target: one rolling deployment of a 10-instance fleet,
/// simulated for a full hour at 1 s ticks with Poisson arrivals.
pub const TEN_INSTANCES_ONE_HOUR: &str = r#"
name = "bench: 10 instances, 1 h, 1 s ticks"
horizon = "1h"
deploy_at = "5m"
tick = "1s"
run_until = "horizon"
[traffic]
rate = 600
[service]
platform = "ec2"
instances = 10
[[strategies]]
kind = "rolling"
batch = "20%"
"#;

/// Parses scenario text that is known to be valid.
pub fn scenario(text: &str) -> Scenario {
    Scenario::parse(text, "bench.toml", &NoFiles).expect("bench scenarios are valid")
}

/// `scenarios/break-even.toml`: `simulate cost` in closed form.
pub const BREAK_EVEN: &str = include_str!("../../scenarios/break-even.toml");

/// A diurnal day priced as simulated: every sweep point runs both fleets through a day.
pub const DIURNAL_COST: &str = r#"
name = "bench: diurnal cost"
[traffic]
rate = 500
pattern = "diurnal"
peak = 800
trough = 200
period = "24h"
[service]
platform = "ec2"
scaling = { target_utilization = 0.6 }
"#;

/// `scenarios/rolling.toml`'s text is `ROLLING`; the replication benchmark runs it.
pub const REPLICATIONS: u32 = 200;
