//! Lambda environments per request: simulated requests per wall-clock second on a steady
//! state (the target of issue 3 is 10 million per second on one core), at the pool sizes of
//! `benches/peers/speed.py` (~4 and ~250 environments), beside the least any per-request model
//! must do: draw an arrival and a service time and put the latency in the histogram. The
//! ratio of the two, measured in one run, is how much the pool itself costs.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use deploysim_core::dist::Dist;
use deploysim_core::model::lambda::{Cold, Function, Pool, Reuse, Served};
use deploysim_core::model::latency::Histogram;
use deploysim_core::rng::{Purpose, Rng};
use deploysim_core::sample;
use deploysim_core::units::{SimDuration, SimTime};

fn function(reuse: Reuse, warm: f64, cold: f64) -> Function {
    Function {
        request_time: Dist::Exponential { mean: warm },
        cold: Cold::Response(Dist::Exponential { mean: cold }),
        idle_timeout: Dist::Fixed(600.0),
        reuse,
        concurrency_limit: 100_000,
        provisioned: 0,
        scale_environments: 1_000.0,
        scale_per: SimDuration::from_secs(10),
    }
}

/// `n` Poisson arrivals at `rate` requests/s, each into the pool and its latency into a
/// histogram; returns the cold starts (so the work is used).
fn steady(function: Function, rate: f64, n: u64) -> u64 {
    let mut pool = Pool::new(function, SimTime::ZERO, SimTime::ZERO);
    let mut arrivals = Rng::new(1, 0, Purpose::Traffic);
    let mut service = Rng::new(1, 0, Purpose::Lifecycle);
    let mut latency = Histogram::default();
    let mut t = 0.0;
    for _ in 0..n {
        t += sample::exponential(&mut arrivals, 1.0) / rate;
        let now = SimTime::ZERO + SimDuration::from_secs_f64(t);
        pool.advance(now, &mut service);
        if let Served::Warm(d) | Served::Cold(d) = pool.request(now, 0, &mut service) {
            latency.add(d.as_secs_f64(), 1.0);
        }
    }
    assert!(latency.quantile(0.5) > 0.0);
    pool.tally.cold_starts
}

/// The floor: the same draws and histogram without a pool.
fn floor(warm: f64, rate: f64, n: u64) -> u64 {
    let mut arrivals = Rng::new(1, 0, Purpose::Traffic);
    let mut service = Rng::new(1, 0, Purpose::Lifecycle);
    let mut latency = Histogram::default();
    let (mut t, mut last) = (0.0, SimTime::ZERO);
    for _ in 0..n {
        t += sample::exponential(&mut arrivals, 1.0) / rate;
        last = SimTime::ZERO + SimDuration::from_secs_f64(t);
        let d = SimDuration::from_secs_f64(sample::exponential(&mut service, warm));
        latency.add(d.as_secs_f64(), 1.0);
    }
    assert!(latency.quantile(0.5) > 0.0);
    last.0
}

fn lambda(c: &mut Criterion) {
    let mut group = c.benchmark_group("lambda");
    let n = 1_000_000;
    group.throughput(Throughput::Elements(n));
    for (name, reuse) in
        [("steady_newest", Reuse::Newest), ("steady_mru", Reuse::Mru), ("steady_random", Reuse::Random)]
    {
        let cold = steady(function(reuse, 0.1, 1.0), 1_000.0, n);
        assert!(cold > 0 && cold < n / 100, "{name}: {cold} cold starts");
        group.bench_function(name, |b| b.iter(|| steady(function(reuse, 0.1, 1.0), 1_000.0, n)));
    }
    // speed.py's sparse and large cases: the pool against the floor.
    for (name, rate, warm) in [("4_environments", 0.9, 0.5), ("250_environments", 200.0, 1.0)] {
        let f = || function(Reuse::Newest, warm, 1.5);
        assert!(steady(f(), rate, n) > 0);
        group.bench_function(format!("pool_{name}"), |b| b.iter(|| steady(f(), rate, n)));
        group.bench_function(format!("floor_{name}"), |b| b.iter(|| floor(warm, rate, n)));
    }
    group.finish();
}

criterion_group!(benches, lambda);
criterion_main!(benches);
