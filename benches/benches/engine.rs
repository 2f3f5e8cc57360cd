//! Engine throughput in simulated seconds per wall-clock second.
//!
//! `one_strategy_1h_10_instances` is the stated target (one strategy over 1 h of a
//! 10-instance fleet at 1 s ticks in at most 1 ms); `eb_policies` is a whole scenario (seven
//! strategies plus the baseline).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use deploysim_benches::{EB_POLICIES, SPIKE, TEN_INSTANCES_ONE_HOUR, scenario};
use deploysim_core::engine::Engine;
use deploysim_core::simulate;
use deploysim_core::units::SimTime;

fn fleet(c: &mut Criterion) {
    let mut group = c.benchmark_group("fleet");
    let sc = scenario(TEN_INSTANCES_ONE_HOUR);
    let end = SimTime::ZERO + sc.horizon;
    let plan = sc.strategies[0].plan();
    // The work must be real: the run has to see an hour of traffic and complete the deployment.
    let mut probe = Engine::new(&sc, plan.clone(), 0);
    probe.run(end, false, &mut ());
    assert!(probe.settled());
    group.throughput(Throughput::Elements(sc.horizon.as_secs_f64() as u64));
    group.bench_function("one_strategy_1h_10_instances", |b| {
        b.iter(|| {
            let mut engine = Engine::new(&sc, plan.clone(), 0);
            engine.run(end, false, &mut ());
            engine.now()
        })
    });

    for (name, text) in [("eb_policies", EB_POLICIES), ("spike_during_deploy", SPIKE)] {
        let sc = scenario(text);
        let report = simulate(&sc);
        assert!(report.strategies.iter().all(|s| s.requests > 0));
        let simulated = report.window_s * (sc.strategies.len() + 1) as f64;
        group.throughput(Throughput::Elements(simulated as u64));
        group.bench_function(name, |b| b.iter(|| simulate(&sc)));
    }
    group.finish();
}

criterion_group!(benches, fleet);
criterion_main!(benches);
