//! Scenario parsing and validation speed.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use deploysim_benches::{EB_POLICIES, ROLLING, scenario};

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    for (name, text) in [("rolling", ROLLING), ("eb_policies", EB_POLICIES)] {
        assert!(!scenario(text).name.is_empty());
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| b.iter(|| scenario(text)));
    }
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
