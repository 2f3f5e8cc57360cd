//! Distributions of durations (boot, deploy, request times), validated and in seconds.
//!
//! Sampling goes through `sample.rs`, whose maths is `libm`, so native and wasm draw the same
//! bits. Means and quantiles feed the latency model; they are computed once per scenario.

use crate::rng::Rng;
use crate::sample;
use crate::units::SimDuration;

/// A distribution of non-negative durations, in seconds.
#[derive(Clone, Debug, PartialEq)]
pub enum Dist {
    /// Always the same value.
    Fixed(f64),
    /// Uniform on `[min, max]`.
    Uniform {
        /// Lower bound, seconds.
        min: f64,
        /// Upper bound, seconds.
        max: f64,
    },
    /// Normal, truncated at zero by resampling (`mean >= 0` is checked when the scenario is read,
    /// so at least half of the draws are accepted).
    Normal {
        /// Mean before truncation, seconds.
        mean: f64,
        /// Standard deviation, seconds.
        sd: f64,
    },
    /// `exp(mu + sigma * Z)`, with `mu` and `sigma` in log-seconds.
    LogNormal {
        /// Mean of the log.
        mu: f64,
        /// Standard deviation of the log.
        sigma: f64,
    },
    /// Exponential with the given mean, seconds.
    Exponential {
        /// Mean, seconds.
        mean: f64,
    },
    /// Gamma with shape `k` and scale `theta`.
    Gamma {
        /// Shape.
        shape: f64,
        /// Scale, seconds.
        scale: f64,
    },
    /// Uniform choice among measured samples (sorted ascending), seconds.
    Empirical(Vec<f64>),
}

/// The 95th percentile of the standard normal, used to turn `median` + `p95` into `sigma`.
pub fn z95() -> f64 {
    crate::special::normal_quantile(0.95)
}

impl Dist {
    /// A lognormal with the given median and 95th percentile (`p95 >= median > 0`).
    pub fn lognormal_from_median_p95(median: f64, p95: f64) -> Dist {
        let mu = libm::log(median);
        let sigma = (libm::log(p95) - mu) / z95();
        Dist::LogNormal { mu, sigma }
    }

    /// One draw, in seconds.
    pub fn sample(&self, rng: &mut Rng) -> f64 {
        match self {
            Dist::Fixed(v) => *v,
            Dist::Uniform { min, max } => min + (max - min) * rng.next_f64(),
            Dist::Normal { mean, sd } => {
                // Resample negatives: with mean >= 0 each try succeeds with probability >= 1/2,
                // so 64 failures in a row has probability 2^-64; clamp rather than loop forever.
                for _ in 0..64 {
                    let x = mean + sd * sample::standard_normal(rng);
                    if x >= 0.0 {
                        return x;
                    }
                }
                0.0
            }
            Dist::LogNormal { mu, sigma } => libm::exp(mu + sigma * sample::standard_normal(rng)),
            Dist::Exponential { mean } => sample::exponential(rng, *mean),
            Dist::Gamma { shape, scale } => sample::gamma(rng, *shape, *scale),
            Dist::Empirical(values) => {
                // Widening multiply maps 64 random bits onto 0..n without modulo bias worth noting.
                let n = values.len() as u64;
                let idx = ((u128::from(rng.next_u64()) * u128::from(n)) >> 64) as usize;
                values[idx]
            }
        }
    }

    /// One draw as a simulated duration.
    pub fn sample_duration(&self, rng: &mut Rng) -> SimDuration {
        SimDuration::from_secs_f64(self.sample(rng))
    }

    /// The mean, in seconds.
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Fixed(v) => *v,
            Dist::Uniform { min, max } => (min + max) / 2.0,
            Dist::Normal { mean, sd } => {
                if *sd == 0.0 {
                    return *mean;
                }
                // Mean of a normal truncated below at zero: mean + sd * phi(a) / (1 - Phi(a)).
                let a = -mean / sd;
                mean + sd * crate::special::normal_pdf(a) / crate::special::normal_cdf(-a)
            }
            Dist::LogNormal { mu, sigma } => libm::exp(mu + sigma * sigma / 2.0),
            Dist::Exponential { mean } => *mean,
            Dist::Gamma { shape, scale } => shape * scale,
            Dist::Empirical(values) => values.iter().sum::<f64>() / values.len() as f64,
        }
    }

    /// The `p`-quantile, in seconds, for `p` in `[0, 1]`. Gamma uses the Wilson–Hilferty
    /// approximation, which is within about 1 % for shapes above 1.
    pub fn quantile(&self, p: f64) -> f64 {
        let p = p.clamp(0.0, 1.0);
        let z = |p: f64| crate::special::normal_quantile(p.clamp(1e-12, 1.0 - 1e-12));
        match self {
            Dist::Fixed(v) => *v,
            Dist::Uniform { min, max } => min + (max - min) * p,
            Dist::Normal { mean, sd } => {
                if *sd == 0.0 {
                    return *mean;
                }
                let lo = crate::special::normal_cdf(-mean / sd);
                (mean + sd * z(lo + p * (1.0 - lo))).max(0.0)
            }
            Dist::LogNormal { mu, sigma } => libm::exp(mu + sigma * z(p)),
            Dist::Exponential { mean } => -mean * libm::log1p(-p.min(1.0 - 1e-12)),
            Dist::Gamma { shape, scale } => {
                let k = *shape;
                let c = 1.0 / (9.0 * k);
                let base = 1.0 - c + z(p) * libm::sqrt(c);
                (k * scale * base * base * base).max(0.0)
            }
            Dist::Empirical(values) => {
                let n = values.len();
                let pos = p * (n - 1) as f64;
                let lo = pos.floor() as usize;
                let hi = (lo + 1).min(n - 1);
                values[lo] + (values[hi] - values[lo]) * (pos - lo as f64)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Purpose, Rng};

    #[test]
    fn z95_is_the_textbook_value() {
        assert!((z95() - 1.644_853_626_951_472_2).abs() < 1e-15);
    }

    #[test]
    fn lognormal_from_median_and_p95_hits_both() {
        let d = Dist::lognormal_from_median_p95(0.040, 0.120);
        assert!((d.quantile(0.5) - 0.040).abs() < 1e-12);
        assert!((d.quantile(0.95) - 0.120).abs() < 1e-12);
        let mut rng = Rng::new(1, 0, Purpose::Scenario);
        let mut below = 0;
        for _ in 0..20_000 {
            if d.sample(&mut rng) <= 0.120 {
                below += 1;
            }
        }
        let frac = f64::from(below) / 20_000.0;
        assert!((frac - 0.95).abs() < 0.008, "{frac}");
    }

    #[test]
    fn means_match_samples() {
        let dists = [
            Dist::Fixed(2.0),
            Dist::Uniform { min: 1.0, max: 3.0 },
            Dist::Normal { mean: 25.0, sd: 5.0 },
            Dist::Normal { mean: 0.5, sd: 1.0 },
            Dist::lognormal_from_median_p95(60.0, 150.0),
            Dist::Exponential { mean: 3.0 },
            Dist::Gamma { shape: 4.0, scale: 0.5 },
            Dist::Empirical(vec![1.0, 2.0, 6.0]),
        ];
        let mut rng = Rng::new(7, 0, Purpose::Scenario);
        for d in dists {
            let n = 40_000;
            let m: f64 = (0..n).map(|_| d.sample(&mut rng)).sum::<f64>() / f64::from(n);
            assert!((m - d.mean()).abs() < 0.02 * d.mean().max(0.1), "{d:?}: {m} vs {}", d.mean());
        }
    }

    #[test]
    fn quantiles_are_monotone() {
        let d = Dist::Gamma { shape: 2.0, scale: 1.0 };
        let mut last = -1.0;
        for i in 0..=100 {
            let q = d.quantile(f64::from(i) / 100.0);
            assert!(q >= last);
            last = q;
        }
    }
}
