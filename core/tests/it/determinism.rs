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
