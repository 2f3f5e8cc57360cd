//! `simulate cost`: the monthly estimate with its rate sweep and break-even search, in closed
//! form (constant traffic) and simulated (a diurnal day per fleet and sweep point).

use criterion::{Criterion, criterion_group, criterion_main};
use deploysim_benches::{BREAK_EVEN, DIURNAL_COST, scenario};
use deploysim_core::cost::estimate;

fn cost(c: &mut Criterion) {
    let mut group = c.benchmark_group("cost");
    group.sample_size(10);
    for (name, text) in [("break_even_closed_form", BREAK_EVEN), ("diurnal_simulated", DIURNAL_COST)] {
        let sc = scenario(text);
        let report = estimate(&sc);
        assert_eq!(report.options.len(), 3);
        assert!(!report.sweep.is_empty());
        group.bench_function(name, |b| b.iter(|| estimate(&sc)));
    }
    group.finish();
}

criterion_group!(benches, cost);
criterion_main!(benches);
