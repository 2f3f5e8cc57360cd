//! AWS's comparison of deployment methods (aws-semantics.md §A.5) and the rollback ranking,
//! checked on the bundled scenarios.

use crate::{run, strategy};

#[test]
fn eb_policies_reproduce_the_aws_comparison() {
    let r = run("eb-policies");
    let n = 8;
    let aao = strategy(&r, "all_at_once");
    assert!(aao.downtime_s > 0.0 && aao.failed_requests > 0);
    for s in &r.strategies {
        if s.kind != "all_at_once" {
            assert!(aao.deploy_duration_s < s.deploy_duration_s, "{} is faster than all at once", s.label);
            assert_eq!(s.downtime_s, 0.0, "{}", s.label);
        }
    }
    let rolling = strategy(&r, "rolling");
    assert_eq!(rolling.min_capacity_pct, 75.0);
    assert_eq!(rolling.peak_instances, n);
    let extra = strategy(&r, "rolling_with_additional_batch");
    assert_eq!(extra.min_capacity_pct, 100.0);
    assert_eq!(extra.peak_instances, n + 2);
    for kind in ["immutable", "canary", "blue_green"] {
        let s = strategy(&r, kind);
        assert_eq!(s.min_capacity_pct, 100.0, "{kind}");
        assert_eq!(s.peak_instances, 2 * n, "{kind}");
        assert!(s.extra_cost_usd > extra.extra_cost_usd, "{kind} costs more than an additional batch");
    }
    assert_eq!(aao.extra_cost_usd, 0.0);
    assert_eq!(rolling.extra_cost_usd, 0.0);
    assert!(extra.extra_cost_usd > 0.0);
    let canary = strategy(&r, "canary");
    assert!(canary.mixed_version_s >= 300.0);
}

#[test]
fn a_bad_version_is_rolled_back_and_exposure_ranks_the_strategies() {
    let r = run("bad-version-rollback");
    for s in &r.strategies {
        assert!(s.rolled_back, "{}", s.label);
        assert!(s.rollback_detect_s.is_some());
    }
    let failed = |k| strategy(&r, k).failed_requests;
    assert!(failed("all_at_once") > failed("rolling"));
    assert!(failed("rolling") > failed("canary"));
}
