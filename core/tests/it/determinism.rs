//! Same scenario and seed: byte-identical JSON. Another seed: different Poisson traffic.

use deploysim_core::simulate;

use crate::bundled;

#[test]
fn same_seed_same_bytes() {
    let scenario = bundled("eb-policies");
    let a = serde_json::to_string(&simulate(&scenario)).unwrap();
    let b = serde_json::to_string(&simulate(&scenario)).unwrap();
    assert_eq!(a, b);
}

#[test]
fn another_seed_changes_poisson_results() {
    let mut scenario = bundled("rolling");
    let a = simulate(&scenario);
    scenario.seed += 1;
    let b = simulate(&scenario);
    assert_ne!(a.strategies[0].requests, b.strategies[0].requests);
    // Common random numbers: within one run every strategy and the baseline see the same arrivals.
    assert_eq!(a.strategies[0].requests, a.baseline.requests);
}

/// Hosts that run replications elsewhere (the playground's web workers) send each
/// replication's report as JSON and aggregate what comes back: a report must survive the trip
/// bit for bit, or the aggregate would differ from the CLI's.
#[test]
fn replication_reports_survive_json_and_aggregate_to_the_same_bytes() {
    use deploysim_core::replicate::{Gate, aggregate};
    use deploysim_core::{Report, Runner};
    for stem in ["eb-policies", "lambda-steady", "bad-version-rollback", "fargate-ecs-rolling"] {
        let mut scenario = bundled(stem);
        scenario.replications = 3;
        let runner = Runner::new(&scenario);
        let runs: Vec<Report> = (0..3).map(|r| runner.replication(r, |_| ())).collect();
        let travelled: Vec<Report> =
            runs.iter().map(|r| serde_json::from_str(&serde_json::to_string(r).unwrap()).unwrap()).collect();
        for (a, b) in runs.iter().zip(&travelled) {
            assert_eq!(serde_json::to_string(a).unwrap(), serde_json::to_string(b).unwrap(), "{stem}");
        }
        let direct = serde_json::to_string_pretty(&aggregate(&scenario, runs, Gate::Mean)).unwrap();
        let after = serde_json::to_string_pretty(&aggregate(&scenario, travelled, Gate::Mean)).unwrap();
        assert_eq!(direct, after, "{stem}");
    }
}

/// When nothing watches every tick, a Lambda run serves its quiet stretches without the tick
/// loop and jumps over ticks without a request (`Engine::run_quiet`); with an observer that
/// does, it runs every tick. The reports must be the same bytes: this is a matter of speed
/// only. Covered: a constant rate (the next arrival is a time), a diurnal rate (the
/// exponential mass left carries over), sparse and dense traffic, deployments with a canary
/// and an alarm that rolls back, a shift whose old environments must idle out before the run
/// settles, provisioned concurrency, a run to the horizon, and a warm-up.
#[test]
fn lambda_quiet_stretches_change_no_byte() {
    use deploysim_core::scenario::NoFiles;
    use deploysim_core::{Scenario, simulate_replication};
    let mut cases: Vec<(String, Scenario)> =
        ["lambda-steady", "lambda-canary", "lambda-provisioned"].iter().map(|s| (s.to_string(), bundled(s))).collect();
    let sparse = |pattern: &str| {
        format!(
            "name = \"sparse\"\nseed = 3\nwarmup = \"10m\"\nhorizon = \"6h\"\ndeploy_at = \"2h\"\n{pattern}\n\
             [service]\nplatform = \"lambda\"\nrequest_time = {{ dist = \"exponential\", mean = \"0.5s\" }}\n\
             cold_response = {{ dist = \"exponential\", mean = \"1.5s\" }}\nidle_timeout = \"600s\"\n\
             [rollback]\nerror_rate = 0.2\n[new_version]\nerror_rate = 0.5\n\
             [[strategies]]\nkind = \"canary\"\npercent = 20\nwait = \"20m\"\n\
             [[strategies]]\nkind = \"all_at_once_shift\"\n"
        )
    };
    for (name, pattern) in [
        ("constant", "[traffic]\nrate = 0.02"),
        ("dense", "[traffic]\nrate = 40"),
        ("dense to the horizon", "run_until = \"horizon\"\n[traffic]\nrate = 40"),
        ("diurnal", "[traffic]\npattern = \"diurnal\"\npeak = 0.05\ntrough = 0.0\nperiod = \"3h\""),
    ] {
        let text = sparse(pattern);
        cases.push((name.to_owned(), Scenario::parse(&text, name, &NoFiles).unwrap()));
    }
    for (name, scenario) in cases {
        let skipping = serde_json::to_string(&simulate_replication(&scenario, 0, |_| ())).unwrap();
        let every_tick = serde_json::to_string(&simulate_replication(&scenario, 0, |_| |_: &_| {})).unwrap();
        assert_eq!(skipping, every_tick, "{name}");
    }
}
