//! Response times from utilization: each instance is an M/M/c queue.
//!
//! An instance that serves `capacity_rps` at 100 % utilization is modelled as `c` parallel
//! workers, `c = max(1, round(capacity_rps * E[S]))` where `S` is the request time, each of
//! rate `capacity_rps / c`, so that full utilization is exactly `capacity_rps`. At utilization
//! `rho` a request waits with the Erlang C probability `C(c, c*rho)`; when it waits, the wait is
//! exponential with rate `capacity_rps * (1 - rho)`. Its response time is its request time
//! (times the new version's `latency_factor`) plus that wait. Utilization is capped at 0.99 in
//! the wait formula: requests beyond capacity fail in the tick instead of queueing forever.
//!
//! The engine only counts served requests per (version, utilization in 0.5 % steps); the
//! percentiles of the mixture over all requests are computed once, at the end, from
//! discretized request-time and wait distributions on a log-spaced histogram. The result is
//! deterministic: it does not depend on sampling.

use crate::dist::Dist;
use crate::plan::Version;

/// Utilization steps per unit (0.5 % resolution).
const RHO_STEPS: usize = 200;

/// Served-request counts by version and utilization bucket.
#[derive(Clone, Debug)]
pub struct LatencyCounts {
    counts: [[f64; RHO_STEPS + 1]; 2],
}

impl Default for LatencyCounts {
    fn default() -> Self {
        LatencyCounts { counts: [[0.0; RHO_STEPS + 1]; 2] }
    }
}

impl LatencyCounts {
    /// Records `served` requests of `version` at utilization `rho` (0 to 1).
    #[inline]
    pub fn add(&mut self, version: Version, rho: f64, served: u64) {
        if served == 0 {
            return;
        }
        let bin = (rho.clamp(0.0, 1.0) * RHO_STEPS as f64).round() as usize;
        self.counts[version.idx()][bin] += served as f64;
    }
}

/// The per-instance queueing model of one scenario.
#[derive(Clone, Debug)]
pub struct LatencyModel {
    servers: u32,
    capacity_rps: f64,
    latency_factor: f64,
    service_atoms: Vec<(f64, f64)>,
    wait_atoms: Vec<(f64, f64)>,
}

/// Probability slices: fine in the tail, where p99 lives.
fn slices() -> Vec<(f64, f64)> {
    let mut bounds: Vec<f64> = (0..=45).map(|i| f64::from(i) * 0.02).collect();
    for k in 1..=20 {
        bounds.push(1.0 - 0.1 * libm::pow(10.0, -3.0 * f64::from(k) / 20.0));
    }
    bounds.push(1.0);
    bounds.windows(2).map(|w| ((w[0] + w[1]) / 2.0, w[1] - w[0])).collect()
}

impl LatencyModel {
    /// The model for instances of `capacity_rps` serving `request_time`, with the new version's
    /// requests `latency_factor` times slower.
    pub fn new(request_time: &Dist, capacity_rps: f64, latency_factor: f64) -> Self {
        let servers = (capacity_rps * request_time.mean()).round().clamp(1.0, 10_000.0) as u32;
        let slices = slices();
        let service_atoms = slices.iter().map(|&(p, w)| (request_time.quantile(p), w)).collect();
        // Unit-rate exponential atoms; scaled by 1/theta per utilization.
        let wait_atoms = slices.iter().map(|&(p, w)| (-libm::log1p(-p), w)).collect();
        LatencyModel { servers, capacity_rps, latency_factor, service_atoms, wait_atoms }
    }

    /// Parallel workers per instance.
    pub fn servers(&self) -> u32 {
        self.servers
    }

    /// Response-time quantiles (seconds) over all counted requests, one per entry of `ps`.
    /// Zero when nothing was served.
    pub fn quantiles(&self, counts: &LatencyCounts, ps: &[f64]) -> Vec<f64> {
        let mut hist = Histogram::default();
        for version in [Version::Old, Version::New] {
            let factor = if version == Version::New { self.latency_factor } else { 1.0 };
            let capacity = self.capacity_rps / factor;
            for (bin, &n) in counts.counts[version.idx()].iter().enumerate() {
                if n == 0.0 {
                    continue;
                }
                let rho = (bin as f64 / RHO_STEPS as f64).min(0.99);
                let wait_prob = erlang_c(self.servers, rho);
                let theta = capacity * (1.0 - rho);
                for &(s, ps) in &self.service_atoms {
                    let base = s * factor;
                    hist.add(base, n * ps * (1.0 - wait_prob));
                    if wait_prob > 0.0 {
                        for &(w, pw) in &self.wait_atoms {
                            hist.add(base + w / theta, n * ps * wait_prob * pw);
                        }
                    }
                }
            }
        }
        ps.iter().map(|&p| hist.quantile(p)).collect()
    }
}

/// Probability that an arrival waits in an M/M/c queue at utilization `rho` (Erlang C),
/// through the stable Erlang B recursion.
pub fn erlang_c(c: u32, rho: f64) -> f64 {
    if rho <= 0.0 {
        return 0.0;
    }
    if rho >= 1.0 {
        return 1.0;
    }
    let a = f64::from(c) * rho;
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (f64::from(k) + a * b);
    }
    b / (1.0 - rho * (1.0 - b))
}

/// Log-spaced bins of 1 % from 1 microsecond, each remembering the mean of what fell in it.
#[derive(Default)]
struct Histogram {
    weight: Vec<f64>,
    weighted_sum: Vec<f64>,
    total: f64,
}

impl Histogram {
    const BINS: usize = 2_400;

    fn add(&mut self, value: f64, weight: f64) {
        if weight <= 0.0 {
            return;
        }
        if self.weight.is_empty() {
            self.weight = vec![0.0; Self::BINS];
            self.weighted_sum = vec![0.0; Self::BINS];
        }
        let bin = if value <= 1e-6 { 0 } else { (libm::log(value / 1e-6) / libm::log(1.01)) as usize };
        let bin = bin.min(Self::BINS - 1);
        self.weight[bin] += weight;
        self.weighted_sum[bin] += weight * value;
        self.total += weight;
    }

    fn quantile(&self, p: f64) -> f64 {
        if self.total <= 0.0 {
            return 0.0;
        }
        let goal = p * self.total;
        let mut seen = 0.0;
        for (w, s) in self.weight.iter().zip(&self.weighted_sum) {
            seen += w;
            if seen >= goal && *w > 0.0 {
                return s / w;
            }
        }
        let last = self.weight.iter().rposition(|w| *w > 0.0).unwrap_or(0);
        self.weighted_sum[last] / self.weight[last]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erlang_c_matches_known_values() {
        // M/M/1: P(wait) = rho.
        assert!((erlang_c(1, 0.7) - 0.7).abs() < 1e-12);
        // c = 2, a = 1 (rho = 0.5): C = 1/3.
        assert!((erlang_c(2, 0.5) - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(erlang_c(4, 0.0), 0.0);
    }

    #[test]
    fn fixed_request_time_at_low_load_is_exact() {
        let m = LatencyModel::new(&Dist::Fixed(0.040), 100.0, 1.0);
        assert_eq!(m.servers(), 4);
        let mut counts = LatencyCounts::default();
        counts.add(Version::Old, 0.0, 1000);
        let q = m.quantiles(&counts, &[0.5, 0.99]);
        assert!((q[0] - 0.040).abs() < 1e-12 && (q[1] - 0.040).abs() < 1e-12, "{q:?}");
    }

    #[test]
    fn load_and_slow_versions_raise_the_tail() {
        let d = Dist::lognormal_from_median_p95(0.040, 0.120);
        let m = LatencyModel::new(&d, 100.0, 2.0);
        let at = |v, rho| {
            let mut c = LatencyCounts::default();
            c.add(v, rho, 1000);
            m.quantiles(&c, &[0.5, 0.99])
        };
        let idle = at(Version::Old, 0.1);
        let busy = at(Version::Old, 0.9);
        let slow = at(Version::New, 0.1);
        assert!((idle[0] - 0.040).abs() < 0.002, "{idle:?}");
        assert!(busy[1] > idle[1] * 1.5, "{busy:?} vs {idle:?}");
        assert!((slow[0] / idle[0] - 2.0).abs() < 0.05, "{slow:?}");
        let d99 = d.quantile(0.99);
        assert!((idle[1] - d99).abs() / d99 < 0.05, "{} vs {d99}", idle[1]);
    }
}
