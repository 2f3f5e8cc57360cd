//! Demand: the request rate over time, and how arrivals are drawn from it.
//!
//! A pattern gives the mean rate `rate_at(t)` in requests per second; times in patterns are
//! measured from the start of the run (t = 0, warm-up included). Each tick draws its arrival
//! count from the traffic stream only, so every strategy of a replication sees the same
//! arrivals (common random numbers).

use crate::rng::Rng;
use crate::sample;
use crate::units::SimTime;

/// How arrivals are generated from the mean rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrivals {
    /// Poisson counts per tick.
    Poisson,
    /// Deterministic counts: the running total tracks the expected total, rounded down, so no
    /// fractional requests exist and totals are conserved exactly.
    Fluid,
}

/// The shape of the mean request rate over time.
#[derive(Clone, Debug, PartialEq)]
pub enum Pattern {
    /// The same rate throughout.
    Constant {
        /// Requests per second.
        rate: f64,
    },
    /// A cosine day: `peak` at `peak_at`, `trough` half a period later.
    Diurnal {
        /// Highest rate.
        peak: f64,
        /// Lowest rate.
        trough: f64,
        /// Length of one cycle, seconds.
        period: f64,
        /// Time of the peak, seconds from the start.
        peak_at: f64,
    },
    /// `rate`, multiplied by `factor` during `[at, at + duration)`.
    Spike {
        /// Base rate.
        rate: f64,
        /// Start of the spike, seconds.
        at: f64,
        /// Length of the spike, seconds.
        duration: f64,
        /// Multiplier during the spike.
        factor: f64,
    },
    /// `rate` until the first step, then each step's rate from its time on.
    Steps {
        /// Initial rate.
        rate: f64,
        /// `(at seconds, rate)`, sorted by time.
        steps: Vec<(f64, f64)>,
    },
    /// Rates read from a CSV file, linearly interpolated, held flat before the first and
    /// after the last point.
    Trace {
        /// `(seconds, rate)`, sorted by time.
        points: Vec<(f64, f64)>,
    },
}

impl Pattern {
    /// Mean request rate at `t` seconds.
    pub fn rate_at(&self, t: f64) -> f64 {
        match self {
            Pattern::Constant { rate } => *rate,
            Pattern::Diurnal { peak, trough, period, peak_at } => {
                let phase = 2.0 * std::f64::consts::PI * (t - peak_at) / period;
                trough + (peak - trough) * (1.0 + libm::cos(phase)) / 2.0
            }
            Pattern::Spike { rate, at, duration, factor } => {
                if t >= *at && t < at + duration {
                    rate * factor
                } else {
                    *rate
                }
            }
            Pattern::Steps { rate, steps } => {
                let idx = steps.partition_point(|(at, _)| *at <= t);
                if idx == 0 { *rate } else { steps[idx - 1].1 }
            }
            Pattern::Trace { points } => {
                let idx = points.partition_point(|(at, _)| *at <= t);
                if idx == 0 {
                    points[0].1
                } else if idx == points.len() {
                    points[idx - 1].1
                } else {
                    let (t0, r0) = points[idx - 1];
                    let (t1, r1) = points[idx];
                    r0 + (r1 - r0) * (t - t0) / (t1 - t0)
                }
            }
        }
    }

    /// The same shape with every rate multiplied by `k`.
    pub fn scaled(&self, k: f64) -> Pattern {
        match self {
            Pattern::Constant { rate } => Pattern::Constant { rate: rate * k },
            Pattern::Diurnal { peak, trough, period, peak_at } => {
                Pattern::Diurnal { peak: peak * k, trough: trough * k, period: *period, peak_at: *peak_at }
            }
            Pattern::Spike { rate, at, duration, factor } => {
                Pattern::Spike { rate: rate * k, at: *at, duration: *duration, factor: *factor }
            }
            Pattern::Steps { rate, steps } => {
                Pattern::Steps { rate: rate * k, steps: steps.iter().map(|&(t, r)| (t, r * k)).collect() }
            }
            Pattern::Trace { points } => Pattern::Trace { points: points.iter().map(|&(t, r)| (t, r * k)).collect() },
        }
    }

    /// The mean rate over `[from, to)` seconds, by the midpoint rule on at most 100 000 slices
    /// (exact for constant rates).
    pub fn mean_rate(&self, from: f64, to: f64) -> f64 {
        if let Pattern::Constant { rate } = self {
            return *rate;
        }
        if to <= from {
            return self.rate_at(from).max(0.0);
        }
        let n = ((to - from).ceil() as usize).clamp(1, 100_000);
        let dt = (to - from) / n as f64;
        (0..n).map(|i| self.rate_at(from + (i as f64 + 0.5) * dt).max(0.0)).sum::<f64>() / n as f64
    }

    /// The lowest rate the pattern reaches.
    pub fn low_rate(&self) -> f64 {
        match self {
            Pattern::Constant { rate } => *rate,
            Pattern::Diurnal { trough, .. } => *trough,
            Pattern::Spike { rate, factor, .. } => rate * factor.min(1.0),
            Pattern::Steps { rate, steps } => steps.iter().map(|s| s.1).fold(*rate, f64::min),
            Pattern::Trace { points } => points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min),
        }
    }

    /// The pattern's name in scenario files.
    pub fn name(&self) -> &'static str {
        match self {
            Pattern::Constant { .. } => "constant",
            Pattern::Diurnal { .. } => "diurnal",
            Pattern::Spike { .. } => "spike",
            Pattern::Steps { .. } => "steps",
            Pattern::Trace { .. } => "trace",
        }
    }

    /// The highest rate the pattern reaches (for limits and sizing).
    pub fn peak_rate(&self) -> f64 {
        match self {
            Pattern::Constant { rate } => *rate,
            Pattern::Diurnal { peak, .. } => *peak,
            Pattern::Spike { rate, factor, .. } => rate * factor.max(1.0),
            Pattern::Steps { rate, steps } => steps.iter().map(|s| s.1).fold(*rate, f64::max),
            Pattern::Trace { points } => points.iter().map(|p| p.1).fold(0.0, f64::max),
        }
    }
}

/// Demand for a scenario: a pattern plus an arrival process.
#[derive(Clone, Debug, PartialEq)]
pub struct Traffic {
    /// Mean rate over time.
    pub pattern: Pattern,
    /// How counts are drawn.
    pub arrivals: Arrivals,
}

/// Draws per-tick arrival counts; one per strategy run, all from the same stream.
pub struct ArrivalSource {
    rng: Rng,
    arrivals: Arrivals,
    /// Fluid mode: expected arrivals so far, and whole arrivals already released.
    expected_total: f64,
    released: u64,
}

impl ArrivalSource {
    /// A source drawing from `rng`, which must be the replication's traffic stream.
    pub fn new(rng: Rng, arrivals: Arrivals) -> Self {
        ArrivalSource { rng, arrivals, expected_total: 0.0, released: 0 }
    }

    /// Arrivals in one tick whose expected count is `expected`.
    pub fn draw(&mut self, expected: f64) -> u64 {
        match self.arrivals {
            Arrivals::Poisson => sample::poisson(&mut self.rng, expected),
            Arrivals::Fluid => {
                self.expected_total += expected;
                let due = self.expected_total.floor() as u64;
                let n = due.saturating_sub(self.released);
                self.released += n;
                n
            }
        }
    }
}

/// Expected arrivals in the tick `[start, start + len)`, by the midpoint rule.
pub fn expected_in_tick(pattern: &Pattern, start: SimTime, len_secs: f64) -> (f64, f64) {
    let mid = start.as_secs_f64() + len_secs / 2.0;
    let rate = pattern.rate_at(mid).max(0.0);
    (rate, rate * len_secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Purpose;

    #[test]
    fn patterns_give_expected_rates() {
        let d = Pattern::Diurnal { peak: 1500.0, trough: 300.0, period: 86_400.0, peak_at: 50_400.0 };
        assert!((d.rate_at(50_400.0) - 1500.0).abs() < 1e-9);
        assert!((d.rate_at(50_400.0 - 43_200.0) - 300.0).abs() < 1e-9);
        let s = Pattern::Spike { rate: 100.0, at: 600.0, duration: 120.0, factor: 3.0 };
        assert_eq!(
            (s.rate_at(599.0), s.rate_at(600.0), s.rate_at(719.9), s.rate_at(720.0)),
            (100.0, 300.0, 300.0, 100.0)
        );
        let st = Pattern::Steps { rate: 10.0, steps: vec![(60.0, 20.0), (120.0, 5.0)] };
        assert_eq!((st.rate_at(0.0), st.rate_at(60.0), st.rate_at(150.0)), (10.0, 20.0, 5.0));
        let tr = Pattern::Trace { points: vec![(0.0, 10.0), (10.0, 20.0)] };
        assert_eq!((tr.rate_at(-1.0), tr.rate_at(5.0), tr.rate_at(99.0)), (10.0, 15.0, 20.0));
    }

    #[test]
    fn fluid_arrivals_conserve_the_expected_total() {
        let mut src = ArrivalSource::new(Rng::new(0, 0, Purpose::Traffic), Arrivals::Fluid);
        let total: u64 = (0..1000).map(|_| src.draw(2.5)).sum();
        assert_eq!(total, 2500);
        let mut src = ArrivalSource::new(Rng::new(0, 0, Purpose::Traffic), Arrivals::Fluid);
        let counts: Vec<u64> = (0..4).map(|_| src.draw(0.75)).collect();
        assert_eq!(counts, [0, 1, 1, 1]);
    }
}
