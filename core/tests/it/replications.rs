//! Monte Carlo replications: intervals that shrink like 1/√n, aggregation that does not depend
//! on how replications were scheduled, and expectations on the mean or the pessimistic end.

use deploysim_core::replicate::{Gate, aggregate, compare};
use deploysim_core::{Scenario, simulate, simulate_replication};

use crate::parse;

fn small(replications: u32, expect: &str) -> Scenario {
    let text = format!(
        "name = \"small rolling\"\nseed = 3\nhorizon = \"20m\"\ndeploy_at = \"2m\"\nreplications = {replications}\n\
         [traffic]\nrate = 150\n[service]\nplatform = \"ec2\"\ninstances = 4\n\
         [[strategies]]\nkind = \"rolling\"\nbatch = 1\n[[strategies]]\nkind = \"immutable\"\n{expect}"
    );
    parse(&text).unwrap()
}

/// Issue 5's acceptance: going from 200 to 800 replications halves the half-widths (0.5 ± 0.15).
#[test]
fn half_widths_shrink_like_one_over_root_n() {
    let (r200, r800) = (simulate(&small(200, "")), simulate(&small(800, "")));
    for metric in ["deploy_duration_s", "cost_usd", "p99_latency_ms", "mixed_version_s"] {
        let hw = |r: &deploysim_core::Report| r.strategies[0].stats[metric].half_width;
        let ratio = hw(&r800) / hw(&r200);
        assert!((0.35..=0.65).contains(&ratio), "{metric}: {} / {} = {ratio}", hw(&r800), hw(&r200));
    }
    assert_eq!(r800.replications, 800);
    let s = &r800.strategies[0].stats["deploy_duration_s"];
    assert!(s.low < s.mean && s.mean < s.high && s.p5 <= s.p50 && s.p50 <= s.p95 && s.min <= s.p5);
    assert_eq!(r800.strategies[0].ci["deploy_duration_s"], [s.low, s.high]);
}

/// The aggregate depends on the replications' reports in order, not on who ran them: the
/// sequential `simulate` equals aggregating independently run replications.
#[test]
fn aggregation_is_the_same_however_replications_are_run() {
    let sc = small(12, "");
    let whole = serde_json::to_string(&simulate(&sc)).unwrap();
    let mut runs: Vec<_> = (0..12).rev().map(|r| (r, simulate_replication(&sc, r, |_| ()))).collect();
    runs.sort_by_key(|(r, _)| *r);
    let parts = serde_json::to_string(&aggregate(&sc, runs.into_iter().map(|(_, x)| x).collect(), Gate::Mean)).unwrap();
    assert_eq!(whole, parts);
    // Replications differ (their own streams), and one replication is reported as it is.
    let (a, b) = (simulate_replication(&sc, 0, |_| ()), simulate_replication(&sc, 1, |_| ()));
    assert_ne!(a.strategies[0].requests, b.strategies[0].requests);
    let one = small(1, "");
    assert_eq!(serde_json::to_string(&simulate(&one)).unwrap(), serde_json::to_string(&a).unwrap());
    assert!(a.strategies[0].ci.is_empty());
}

/// `--strict` checks the pessimistic end of the interval: a limit between the mean and the
/// high end passes on the mean and fails strictly.
#[test]
fn strict_gates_on_the_pessimistic_end() {
    let probe = simulate(&small(60, ""));
    let s = &probe.strategies[0].stats["deploy_duration_s"];
    assert!(s.high > s.mean);
    let limit = (s.mean + s.high) / 2.0;
    let sc = small(60, &format!("[expect]\nmax_deploy_duration = \"{}ms\"\n", (limit * 1_000.0).round()));
    let runs: Vec<_> = (0..60).map(|r| simulate_replication(&sc, r, |_| ())).collect();
    let mean = aggregate(&sc, runs.clone(), Gate::Mean);
    let strict = aggregate(&sc, runs, Gate::Pessimistic);
    let check = |r: &deploysim_core::Report| r.strategies[0].expectations[0].clone();
    assert!(check(&mean).pass, "{:?}", check(&mean));
    assert!(!check(&strict).pass, "{:?}", check(&strict));
    assert_eq!(check(&strict).interval, Some([s.low, s.high]));
}

/// Paired differences cancel the noise both strategies share: immutable's extra cost over
/// rolling has a tighter interval than comparing the two means unpaired would give.
#[test]
fn paired_comparison_is_tighter_than_either_alone() {
    let sc = small(100, "");
    let runs: Vec<_> = (0..100).map(|r| simulate_replication(&sc, r, |_| ())).collect();
    let diffs = compare(&runs, 0, 1);
    let cost = &diffs.iter().find(|(m, _)| *m == "cost_usd").unwrap().1;
    let alone = aggregate(&sc, runs, Gate::Mean);
    assert!(cost.mean > 0.0, "immutable costs more: {cost:?}");
    // Unpaired, the difference of two means would have about this half-width.
    let hw = |i: usize| alone.strategies[i].stats["cost_usd"].half_width;
    let unpaired = (hw(0) * hw(0) + hw(1) * hw(1)).sqrt();
    assert!(cost.half_width < 0.75 * unpaired, "paired {} vs unpaired {unpaired}", cost.half_width);
    let requests = &diffs.iter().find(|(m, _)| *m == "requests").unwrap().1;
    assert_eq!((requests.mean, requests.half_width), (0.0, 0.0), "common random numbers: same arrivals");
}
