//! Monte Carlo replications of `scenarios/rolling.toml`: one thread against a rayon pool of
//! two, as the CLI runs them (issue 5's target: 1 000 replications in ≤ 2 s on 2 cores, near-
//! linear speed-up). Compare the two lines of one run.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use deploysim_benches::{REPLICATIONS, ROLLING, scenario};
use deploysim_core::Runner;
use rayon::prelude::*;

fn replications(c: &mut Criterion) {
    let sc = scenario(ROLLING);
    let runner = Runner::new(&sc);
    let mut group = c.benchmark_group("replications");
    group.sample_size(10);
    group.throughput(Throughput::Elements(u64::from(REPLICATIONS)));
    let one = (0..REPLICATIONS).map(|r| runner.replication(r, |_| ()).strategies[0].deploy_duration_s).sum::<f64>();
    assert!(one > 0.0);
    group.bench_function("rolling_1_thread", |b| {
        b.iter(|| (0..REPLICATIONS).map(|r| runner.replication(r, |_| ())).collect::<Vec<_>>())
    });
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("a pool of two");
    group.bench_function("rolling_2_threads", |b| {
        b.iter(|| {
            pool.install(|| {
                (0..REPLICATIONS).into_par_iter().map(|r| runner.replication(r, |_| ())).collect::<Vec<_>>()
            })
        })
    });
    group.finish();
}

criterion_group!(benches, replications);
criterion_main!(benches);
