//! Monte Carlo replications: many runs of one scenario, each with its own random streams
//! (derived from the seed and the replication number; every strategy of a replication shares
//! its traffic), summarized per metric as a mean with a 95 % confidence interval (Student's t)
//! and percentiles across replications; and paired differences between two strategies.
//!
//! The core runs replications one after the other (`crate::simulate`); hosts with threads run
//! `crate::simulate_replication` in parallel and hand the reports, in replication order, to
//! [`aggregate`], so the result does not depend on how many threads ran them.

use crate::expect::Check;
use crate::report::{CostBreakdown, METRIC_FIELDS, Outcome, Report, StrategyReport, round};
use crate::scenario::Scenario;
pub use crate::vocab::{Gate, Summary};

/// Mean, 95 % interval and percentiles of `values` (which must not be empty).
pub fn summarize(values: &[f64]) -> Summary {
    let n = values.len();
    let mean = values.iter().sum::<f64>() / n as f64;
    let sd = if n > 1 {
        libm::sqrt(values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1) as f64)
    } else {
        0.0
    };
    let half_width = if n > 1 { t975(n - 1) * sd / libm::sqrt(n as f64) } else { 0.0 };
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let q = |p: f64| {
        let pos = p * (n - 1) as f64;
        let lo = libm::floor(pos) as usize;
        let hi = (lo + 1).min(n - 1);
        sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
    };
    let r = |x: f64| round(x, 9);
    Summary {
        n: n as u32,
        mean: r(mean),
        half_width: r(half_width),
        low: r(mean - half_width),
        high: r(mean + half_width),
        sd: r(sd),
        min: r(sorted[0]),
        p5: r(q(0.05)),
        p50: r(q(0.5)),
        p95: r(q(0.95)),
        max: r(sorted[n - 1]),
    }
}

/// The 97.5th percentile of Student's t with `df` degrees of freedom.
fn t975(df: usize) -> f64 {
    crate::special::students_t_quantile(0.975, df as f64)
}

/// The difference `b - a` of paired values (replication by replication), summarized.
pub fn paired(a: &[f64], b: &[f64]) -> Summary {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| y - x).collect();
    summarize(&d)
}

/// Combines the reports of each replication (in replication order) into one: every metric
/// field holds the mean (counts rounded to whole numbers; `stats` keeps the exact mean), `ci`
/// the 95 % interval, `stats` the full summary; expectations are evaluated per `gate`. One
/// replication is returned as it is.
pub fn aggregate(sc: &Scenario, mut runs: Vec<Report>, gate: Gate) -> Report {
    if runs.len() <= 1 {
        return runs.pop().expect("at least one replication");
    }
    let n = runs.len();
    let mut out = runs[0].clone();
    out.replications = n as u32;
    out.window_s = round(runs.iter().map(|r| r.window_s).sum::<f64>() / n as f64, 3);
    for i in 0..out.strategies.len() {
        let reps: Vec<&StrategyReport> = runs.iter().map(|r| &r.strategies[i]).collect();
        let checks: Vec<&Check> = sc.expect.checks.iter().chain(&sc.strategies[i].expect.checks).collect();
        out.strategies[i] = combine(&reps, &checks, gate);
    }
    let reps: Vec<&StrategyReport> = runs.iter().map(|r| &r.baseline).collect();
    let checks: Vec<&Check> = if sc.strategies.is_empty() { sc.expect.checks.iter().collect() } else { Vec::new() };
    out.baseline = combine(&reps, &checks, gate);
    out
}

fn combine(reps: &[&StrategyReport], checks: &[&Check], gate: Gate) -> StrategyReport {
    let mut out = reps[0].clone();
    out.stats.clear();
    out.ci.clear();
    for metric in METRIC_FIELDS.iter().map(|m| m.name) {
        let values: Vec<f64> = reps.iter().filter_map(|s| s.metric(metric)).collect();
        if values.is_empty() {
            continue;
        }
        let s = summarize(&values);
        out.set_metric(metric, s.mean);
        out.ci.insert(metric.to_owned(), [s.low, s.high]);
        out.stats.insert(metric.to_owned(), s);
    }
    if !out.stats.contains_key("rollback_detect_s") {
        out.rollback_detect_s = None;
    }
    out.outcome = mode(reps.iter().map(|s| s.outcome));
    out.stop_reason = reps.iter().find(|s| s.outcome == out.outcome).and_then(|s| s.stop_reason);
    let part = |f: fn(&CostBreakdown) -> f64| {
        round(reps.iter().map(|s| f(&s.cost_breakdown)).sum::<f64>() / reps.len() as f64, 6)
    };
    out.cost_breakdown = CostBreakdown {
        compute: part(|b| b.compute),
        requests: part(|b| b.requests),
        provisioned: part(|b| b.provisioned),
        storage: part(|b| b.storage),
        load_balancer: part(|b| b.load_balancer),
        api_gateway: part(|b| b.api_gateway),
        data_transfer: part(|b| b.data_transfer),
    };
    out.expectations = checks
        .iter()
        .map(|c| c.evaluate_summary(out.metric(c.def.metric), out.stats.get(c.def.metric), gate))
        .collect();
    out
}

/// The most frequent outcome (the earliest replication's among equals).
fn mode(outcomes: impl Iterator<Item = Outcome> + Clone) -> Outcome {
    let all: Vec<Outcome> = outcomes.collect();
    let count = |o: Outcome| all.iter().filter(|&&x| x == o).count();
    let mut best = all[0];
    for &o in &all {
        if count(o) > count(best) {
            best = o;
        }
    }
    best
}

/// The paired comparison of strategies `a` and `b` over the same replications: for each
/// metric, `b - a` with its 95 % interval.
pub fn compare(runs: &[Report], a: usize, b: usize) -> Vec<(&'static str, Summary)> {
    METRIC_FIELDS
        .iter()
        .map(|f| f.name)
        .filter_map(|m| {
            let pairs: Vec<(f64, f64)> =
                runs.iter().filter_map(|r| Some((r.strategies[a].metric(m)?, r.strategies[b].metric(m)?))).collect();
            if pairs.is_empty() {
                return None;
            }
            let (x, y): (Vec<f64>, Vec<f64>) = pairs.into_iter().unzip();
            Some((m, paired(&x, &y)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_of_known_values() {
        let s = summarize(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!((s.mean, s.min, s.p50, s.max, s.n), (3.0, 1.0, 3.0, 5.0, 5));
        // sd = sqrt(2.5); t(0.975, 4) = 2.776445; half = 2.776445 * 1.581139 / 2.236068.
        assert!((s.sd - 2.5f64.sqrt()).abs() < 1e-9);
        assert!((s.half_width - 1.963243).abs() < 1e-5, "{}", s.half_width);
        assert!((s.p5 - 1.2).abs() < 1e-12 && (s.p95 - 4.8).abs() < 1e-12);
        let one = summarize(&[7.0]);
        assert_eq!((one.mean, one.half_width, one.low, one.high), (7.0, 0.0, 7.0, 7.0));
    }

    #[test]
    fn every_metric_field_writes_what_it_reads() {
        let mut report = crate::simulate(
            &crate::Scenario::parse(
                "name = \"m\"\nhorizon = \"5m\"\n[traffic]\nrate = 10\n[service]\nplatform = \"ec2\"\ninstances = 2\n",
                "m.toml",
                &crate::NoFiles,
            )
            .expect("valid"),
        )
        .baseline;
        for (i, m) in METRIC_FIELDS.iter().enumerate() {
            let v = if matches!(m.name, "rolled_back" | "settled") { 1.0 } else { 3.0 + i as f64 };
            (m.set)(&mut report, v);
            assert_eq!((m.get)(&report), Some(v), "{}", m.name);
            assert_eq!(report.metric(m.name), Some(v));
        }
        assert!(METRIC_FIELDS.iter().enumerate().all(|(i, m)| METRIC_FIELDS[..i].iter().all(|o| o.name != m.name)));
    }

    #[test]
    fn paired_differences_cancel_what_both_share() {
        // b = a + 10 exactly: the difference has no spread at all.
        let a = [3.0, 9.0, 1.0, 7.0];
        let b = [13.0, 19.0, 11.0, 17.0];
        let d = paired(&a, &b);
        assert_eq!((d.mean, d.half_width), (10.0, 0.0));
    }
}
