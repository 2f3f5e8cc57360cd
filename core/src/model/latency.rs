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

use std::sync::OnceLock;

use crate::dist::Dist;
use crate::vocab::Version;

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

/// The response-time distribution of one (version, utilization) group for a single request:
/// `(histogram bin, probability, probability-weighted sum of seconds)`, sorted by bin.
type Unit = Vec<(u32, f64, f64)>;

/// The per-instance queueing model of one scenario. Each group's distribution is computed
/// once, on first use, and shared by every run of the scenario.
#[derive(Debug)]
pub struct LatencyModel {
    servers: u32,
    capacity_rps: f64,
    latency_factor: f64,
    service_atoms: Vec<(f64, f64)>,
    wait_atoms: Vec<(f64, f64)>,
    units: Vec<OnceLock<Unit>>,
}

/// Probability slices: `body` equal slices up to 0.9, then `tail` slices whose width shrinks
/// tenfold every third of the way to 0.9999, then the last 0.0001: fine where p99 lives.
fn slices(body: u32, tail: u32) -> Vec<(f64, f64)> {
    let mut bounds: Vec<f64> = (0..=body).map(|i| 0.9 * f64::from(i) / f64::from(body)).collect();
    for k in 1..=tail {
        bounds.push(1.0 - 0.1 * libm::pow(10.0, -3.0 * f64::from(k) / f64::from(tail)));
    }
    bounds.push(1.0);
    bounds.windows(2).map(|w| ((w[0] + w[1]) / 2.0, w[1] - w[0])).collect()
}

impl LatencyModel {
    /// The model for instances of `capacity_rps` serving `request_time`, with the new version's
    /// requests `latency_factor` times slower.
    pub fn new(request_time: &Dist, capacity_rps: f64, latency_factor: f64) -> Self {
        let servers = (capacity_rps * request_time.mean()).round().clamp(1.0, 10_000.0) as u32;
        let service_atoms = slices(45, 20).iter().map(|&(p, w)| (request_time.quantile(p), w)).collect();
        // Unit-rate exponential atoms; scaled by 1/theta per utilization.
        let wait_atoms = slices(18, 12).iter().map(|&(p, w)| (-libm::log1p(-p), w)).collect();
        let units = (0..2 * (RHO_STEPS + 1)).map(|_| OnceLock::new()).collect();
        LatencyModel { servers, capacity_rps, latency_factor, service_atoms, wait_atoms, units }
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
            for (bin, &n) in counts.counts[version.idx()].iter().enumerate() {
                if n > 0.0 {
                    for &(b, w, ws) in self.unit(version, bin) {
                        hist.add_weighted(b, n * w, n * ws);
                    }
                }
            }
        }
        ps.iter().map(|&p| hist.quantile(p)).collect()
    }

    fn unit(&self, version: Version, bin: usize) -> &Unit {
        self.units[version.idx() * (RHO_STEPS + 1) + bin].get_or_init(|| {
            let factor = if version == Version::New { self.latency_factor } else { 1.0 };
            let capacity = self.capacity_rps / factor;
            let rho = (bin as f64 / RHO_STEPS as f64).min(0.99);
            let wait_prob = erlang_c(self.servers, rho);
            let theta = capacity * (1.0 - rho);
            let mut hist = Histogram::default();
            for &(s, ps) in &self.service_atoms {
                let base = s * factor;
                hist.add(base, ps * (1.0 - wait_prob));
                if wait_prob > 0.0 {
                    for &(w, pw) in &self.wait_atoms {
                        hist.add(base + w / theta, ps * wait_prob * pw);
                    }
                }
            }
            hist.sparse()
        })
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

/// Log-spaced bins of 1 % from 1 microsecond to about 6.5 hours, each remembering the mean of
/// what fell in it: constant memory, however many values are added. Quantiles are accurate to
/// within a bin (1 %), and exact when every value in the bin is the same.
#[derive(Clone, Debug, Default)]
pub struct Histogram {
    /// Per bin: the weight and the weighted sum of values, side by side, so adding one value
    /// touches one cache line.
    bins: Vec<[f64; 2]>,
    total: f64,
}

impl Histogram {
    const BINS: usize = 2_400;

    /// The bin of `value`: `log_1.01(value / 1 µs)`, by [`fast_ln`]. The per-request path uses
    /// [`BinTable`] instead, which gives the same bin without the logarithm.
    fn bin_by_log(value: f64) -> u32 {
        if value <= 1e-6 {
            return 0;
        }
        let b = (fast_ln(value * 1e6) / LN_1_01) as u32;
        b.min(Self::BINS as u32 - 1)
    }

    fn bin(value: f64) -> u32 {
        BinTable::get().bin(value)
    }

    /// Adds `value` (seconds) with `weight`.
    pub fn add(&mut self, value: f64, weight: f64) {
        if weight > 0.0 {
            self.add_weighted(Self::bin(value), weight, weight * value);
        }
    }

    fn add_weighted(&mut self, bin: u32, weight: f64, weighted_sum: f64) {
        if self.bins.is_empty() {
            self.bins = vec![[0.0; 2]; Self::BINS];
        }
        let b = &mut self.bins[bin as usize];
        b[0] += weight;
        b[1] += weighted_sum;
        self.total += weight;
    }

    fn sparse(&self) -> Unit {
        let bins = self.bins.iter().enumerate();
        bins.filter(|(_, [w, _])| *w > 0.0).map(|(b, [w, s])| (b as u32, *w, *s)).collect()
    }

    /// The `p`-quantile of what was added, or zero when nothing was.
    pub fn quantile(&self, p: f64) -> f64 {
        if self.total <= 0.0 {
            return 0.0;
        }
        let goal = p * self.total;
        let mut seen = 0.0;
        for [w, s] in &self.bins {
            seen += w;
            if seen >= goal && *w > 0.0 {
                return s / w;
            }
        }
        let last = self.bins.iter().rposition(|[w, _]| *w > 0.0).unwrap_or(0);
        self.bins[last][1] / self.bins[last][0]
    }
}

/// [`Histogram::bin_by_log`] without the logarithm. The bin is a non-decreasing function of
/// the value (`fast_ln` is increasing: its series has positive terms, and it stays below the
/// true log at the top of each binade, so it does not step down at the next), so each bin
/// starts at a threshold, found once by bisection over the bits of positive floats. A value's
/// top bits (exponent and 8 bits of mantissa: slices 0.4 % wide, narrower than a 1 % bin) give
/// the bin its slice starts in, and at most a step or two along the thresholds finds its own.
/// Exactly the same bins; a tenth of the work per value.
struct BinTable {
    /// `thresholds[b]`: the smallest positive value in bin `b` or above.
    thresholds: Vec<f64>,
    /// The top bits (`bits >> SHIFT`) of the first slice in the table.
    first: u64,
    /// The bin each slice starts in.
    start: Vec<u16>,
}

impl BinTable {
    const SHIFT: u32 = 44;

    fn get() -> &'static BinTable {
        static TABLE: OnceLock<BinTable> = OnceLock::new();
        TABLE.get_or_init(BinTable::build)
    }

    fn build() -> BinTable {
        let bins = Histogram::BINS;
        let mut thresholds = vec![0.0; bins];
        let low = 1e-6f64.to_bits();
        for (b, t) in thresholds.iter_mut().enumerate().skip(1) {
            // The smallest bits with a bin of at least `b` (positive floats order like their bits).
            let (mut lo, mut hi) = (low, f64::MAX.to_bits());
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                if Histogram::bin_by_log(f64::from_bits(mid)) as usize >= b {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            *t = f64::from_bits(lo);
        }
        let first = low >> Self::SHIFT;
        let last = thresholds[bins - 1].to_bits() >> Self::SHIFT;
        let start =
            (first..=last).map(|key| Histogram::bin_by_log(f64::from_bits(key << Self::SHIFT)) as u16).collect();
        BinTable { thresholds, first, start }
    }

    #[inline]
    fn bin(&self, value: f64) -> u32 {
        // (NaN goes past the last slice to the last bin, as it does by the logarithm.)
        if value <= 1e-6 {
            return 0;
        }
        let key = value.to_bits() >> Self::SHIFT;
        let Some(&start) = self.start.get((key - self.first) as usize) else {
            // Beyond the last slice: at or above the last bin's threshold.
            return Histogram::BINS as u32 - 1;
        };
        let mut b = usize::from(start);
        // A slice is narrower than a bin, so a value is in its slice's first bin or the next:
        // one step without a branch (which half the values would mispredict), and the loop
        // for safety (never taken).
        if b + 1 < Histogram::BINS {
            b += usize::from(value >= self.thresholds[b + 1]);
        }
        while b + 1 < Histogram::BINS && value >= self.thresholds[b + 1] {
            b += 1;
        }
        b as u32
    }
}

/// `ln(1.01)`: the width of a histogram bin in log space.
const LN_1_01: f64 = 0.009_950_330_853_168_083;

/// Natural log of a positive normal number to about 1e-7, from its exponent bits and an
/// atanh series on the mantissa: plain arithmetic, so the same on every target, and cheaper
/// than `libm::log` on this hot path. Only used to pick 1 %-wide histogram bins.
fn fast_ln(x: f64) -> f64 {
    let bits = x.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mantissa = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    let t = (mantissa - 1.0) / (mantissa + 1.0);
    let t2 = t * t;
    let series =
        1.0 + t2 * (1.0 / 3.0 + t2 * (1.0 / 5.0 + t2 * (1.0 / 7.0 + t2 * (1.0 / 9.0 + t2 * (1.0 / 11.0 + t2 / 13.0)))));
    exponent as f64 * std::f64::consts::LN_2 + 2.0 * t * series
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table's bins are the logarithm's, everywhere: at and around every threshold, at
    /// every slice boundary, and for a million values spread over the whole range.
    #[test]
    fn the_bin_table_gives_the_logarithms_bins() {
        let table = BinTable::get();
        let check = |v: f64| assert_eq!(table.bin(v), Histogram::bin_by_log(v), "{v:e}");
        for &t in &table.thresholds {
            let bits = t.to_bits();
            for d in 0..3 {
                check(f64::from_bits(bits + d));
                check(f64::from_bits(bits.saturating_sub(d)));
            }
        }
        for key in table.first..table.first + table.start.len() as u64 + 2 {
            check(f64::from_bits(key << BinTable::SHIFT));
            check(f64::from_bits((key << BinTable::SHIFT) - 1));
        }
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..1_000_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Log-uniform from 1e-7 to 1e5 seconds.
            check(libm::pow(10.0, -7.0 + 12.0 * (x >> 11) as f64 / (1u64 << 53) as f64));
        }
        for v in [0.0, -1.0, 1e-6, 1.000_000_1e-6, 23_400.0, 1e9, f64::MAX, f64::INFINITY, f64::NAN] {
            check(v);
        }
    }

    #[test]
    fn fast_ln_is_close_to_libm() {
        for x in [1e-6, 0.04, 1.0, 1.5, 2.0, 3.999, 1e6, 123_456.789] {
            assert!((fast_ln(x) - libm::log(x)).abs() < 1e-7, "{x}");
        }
    }

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
