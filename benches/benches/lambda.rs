//! Lambda environments per request: simulated requests per wall-clock second on a steady
//! state (the target of issue 3 is 10 million per second on one core).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use deploysim_core::dist::Dist;
use deploysim_core::model::lambda::{Cold, Function, Pool, Reuse};
use deploysim_core::rng::{Purpose, Rng};
use deploysim_core::sample;
use deploysim_core::units::{SimDuration, SimTime};

fn function(reuse: Reuse) -> Function {
    Function {
        request_time: Dist::Exponential { mean: 0.1 },
        cold: Cold::Response(Dist::Exponential { mean: 1.0 }),
        idle_timeout: Dist::Fixed(600.0),
        reuse,
        concurrency_limit: 1_000,
        provisioned: 0,
        scale_environments: 1_000.0,
        scale_per: SimDuration::from_secs(10),
    }
}

/// `n` Poisson arrivals at 1 000 requests/s; returns the cold starts (so the work is used).
fn steady(reuse: Reuse, n: u64) -> u64 {
    let mut pool = Pool::new(function(reuse), SimTime::ZERO, SimTime::ZERO);
    let mut arrivals = Rng::new(1, 0, Purpose::Traffic);
    let mut service = Rng::new(1, 0, Purpose::Lifecycle);
    let mut t = 0.0;
    for _ in 0..n {
        t += sample::exponential(&mut arrivals, 0.001);
        let now = SimTime::ZERO + SimDuration::from_secs_f64(t);
        pool.advance(now, &mut service);
        pool.request(now, 0, &mut service);
    }
    pool.tally.cold_starts
}

fn lambda(c: &mut Criterion) {
    let mut group = c.benchmark_group("lambda");
    let n = 1_000_000;
    group.throughput(Throughput::Elements(n));
    for (name, reuse) in
        [("steady_newest", Reuse::Newest), ("steady_mru", Reuse::Mru), ("steady_random", Reuse::Random)]
    {
        let cold = steady(reuse, n);
        assert!(cold > 0 && cold < n / 100, "{name}: {cold} cold starts");
        group.bench_function(name, |b| b.iter(|| steady(reuse, n)));
    }
    group.finish();
}

criterion_group!(benches, lambda);
criterion_main!(benches);
