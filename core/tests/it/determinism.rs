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
