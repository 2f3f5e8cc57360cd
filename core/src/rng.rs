//! The simulation's only source of randomness: counter-based ChaCha streams keyed by the seed.
//!
//! ChaCha8 is used because its output is specified bit for bit by the cipher (no floating point,
//! no platform-dependent code paths), so the same seed gives the same numbers on x86_64 and on
//! wasm32; eight rounds are plenty for simulation quality and make it fast. ChaCha also has a
//! 64-bit stream number beside its key, which gives every (replication, purpose) pair its own
//! independent sequence without any hashing of ours:
//!
//! * the key is `ChaCha8Rng::seed_from_u64(seed)` (rand_core's PCG32-based seed expansion);
//! * the stream number is `replication * 64 + purpose number`, where the purpose numbers are
//!   fixed in [`Purpose`]'s documentation. Purpose numbers are below 64 and `replication` is a
//!   `u32`, so the mapping is injective and cannot overflow.
//!
//! Nothing else in the core may produce random numbers: no OS entropy, no thread-local
//! generator, no hashing of addresses. Changing anything here (the generator, the seed
//! expansion, the stream mapping or the float conversions) changes every report, so the tests
//! pin the first outputs as literals.

use rand::{Rng as _, SeedableRng as _};
use rand_chacha::ChaCha8Rng;

/// What a random stream is used for. Each purpose gets its own independent ChaCha stream so that
/// drawing more of one (e.g. instance boot times) never shifts another (e.g. traffic): this is how
/// every strategy of a replication sees the same traffic (common random numbers).
///
/// Each purpose has a fixed stream number (listed on the variants); these numbers are part of
/// the reproducibility contract, so a new purpose takes the next free number and existing
/// numbers never change, whatever the order of the variants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Request arrivals. Stream number 0.
    Traffic,
    /// Which instance or version a request is sent to. Stream number 1.
    Routing,
    /// Whether a request fails. Stream number 2.
    Errors,
    /// Instance boot, health-check and shutdown times. Stream number 3.
    Lifecycle,
    /// Request latencies. Stream number 4.
    Latency,
    /// Anything drawn while building a scenario. Stream number 5.
    Scenario,
}

impl Purpose {
    /// The fixed stream number of this purpose; spelled out so that reordering the variants
    /// cannot silently change every stream.
    const fn number(self) -> u64 {
        match self {
            Purpose::Traffic => 0,
            Purpose::Routing => 1,
            Purpose::Errors => 2,
            Purpose::Lifecycle => 3,
            Purpose::Latency => 4,
            Purpose::Scenario => 5,
        }
    }
}

/// How many stream numbers each replication reserves: purpose numbers must stay below this.
const PURPOSES_PER_REPLICATION: u64 = 64;

/// 2^-53: the spacing of the 53-bit grid that [`Rng::next_f64`] draws from.
const TWO_POW_MINUS_53: f64 = 1.0 / (1u64 << 53) as f64;

/// 2^-52: the spacing of the 52-bit grid that [`Rng::next_open01`] draws from.
const TWO_POW_MINUS_52: f64 = 1.0 / (1u64 << 52) as f64;

/// A deterministic random stream for one (seed, replication, purpose): a ChaCha8 generator.
#[derive(Clone, Debug)]
pub struct Rng {
    inner: ChaCha8Rng,
}

impl Rng {
    /// The stream for (`seed`, `replication`, `purpose`): ChaCha8 keyed by
    /// `seed_from_u64(seed)`, on stream number `replication * 64 + purpose number`.
    ///
    /// Two calls with the same arguments give the same sequence on every target; any two
    /// different argument triples give independent sequences.
    pub fn new(seed: u64, replication: u32, purpose: Purpose) -> Self {
        let mut inner = ChaCha8Rng::seed_from_u64(seed);
        inner.set_stream(u64::from(replication) * PURPOSES_PER_REPLICATION + purpose.number());
        Rng { inner }
    }

    /// The next 64 uniformly random bits (two consecutive 32-bit ChaCha words, low word first).
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }

    /// Uniform in [0, 1) with 53 random bits: `(x >> 11) as f64 * 2^-53`.
    ///
    /// Every value is a multiple of 2^-53, so the conversion is exact and the same everywhere.
    #[inline]
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * TWO_POW_MINUS_53
    }

    /// Uniform in (0, 1): never 0 (safe for log) and never 1.
    ///
    /// Takes 52 random bits `m` and returns `(m + 0.5) * 2^-52`, the midpoints of a 52-bit grid:
    /// exact, symmetric about 1/2, smallest value 2^-53 and largest 1 - 2^-53.
    #[inline]
    pub fn next_open01(&mut self) -> f64 {
        ((self.next_u64() >> 12) as f64 + 0.5) * TWO_POW_MINUS_52
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Purpose; 6] =
        [Purpose::Traffic, Purpose::Routing, Purpose::Errors, Purpose::Lifecycle, Purpose::Latency, Purpose::Scenario];

    fn first(seed: u64, replication: u32, purpose: Purpose, n: usize) -> Vec<u64> {
        let mut rng = Rng::new(seed, replication, purpose);
        (0..n).map(|_| rng.next_u64()).collect()
    }

    #[test]
    fn streams_are_reproducible() {
        for purpose in ALL {
            assert_eq!(first(42, 3, purpose, 100), first(42, 3, purpose, 100));
        }
        // A clone continues exactly where the original is.
        let mut a = Rng::new(9, 1, Purpose::Latency);
        a.next_u64();
        let mut b = a.clone();
        assert_eq!(a.next_u64(), b.next_u64());
    }

    #[test]
    fn streams_differ_across_purposes_replications_and_seeds() {
        let mut seen = Vec::new();
        for seed in [0, 1, 42] {
            for replication in [0, 1, 2, 63, 64, u32::MAX] {
                for purpose in ALL {
                    seen.push(first(seed, replication, purpose, 4));
                }
            }
        }
        let n = seen.len();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), n, "two (seed, replication, purpose) triples share a stream");
    }

    #[test]
    fn stream_numbers_are_as_documented() {
        // The mapping is part of the contract: replication 2, Errors is stream 2 * 64 + 2.
        let mut raw = ChaCha8Rng::seed_from_u64(7);
        raw.set_stream(130);
        let mut rng = Rng::new(7, 2, Purpose::Errors);
        for _ in 0..10 {
            assert_eq!(rng.next_u64(), raw.next_u64());
        }
    }

    #[test]
    fn first_outputs_are_pinned() {
        // Seed 42, replication 0, Traffic. A change here changes every simulation result.
        assert_eq!(
            first(42, 0, Purpose::Traffic, 4),
            [
                12_578_764_544_318_200_737,
                17_529_487_244_874_322_312,
                7_886_285_670_807_131_020,
                11_572_758_976_476_374_866
            ]
        );
        let mut rng = Rng::new(42, 1, Purpose::Latency);
        let f: Vec<u64> = (0..3).map(|_| rng.next_f64().to_bits()).collect();
        let o: Vec<u64> = (0..3).map(|_| rng.next_open01().to_bits()).collect();
        // 0.025953874517986808, 0.1412718156243391, 0.9674475268227307
        assert_eq!(f, [4_583_137_916_423_337_600, 4_594_257_873_860_165_240, 4_606_889_212_187_875_132]);
        // 0.7228624512406431, 0.3684864808912657, 0.3846373501610395
        assert_eq!(o, [4_604_686_185_677_371_383, 4_600_309_682_230_037_798, 4_600_600_630_425_338_050]);
    }

    #[test]
    fn float_ranges() {
        let mut rng = Rng::new(5, 0, Purpose::Scenario);
        let (mut sum_f, mut sum_o) = (0.0, 0.0);
        let n = 20_000;
        for _ in 0..n {
            let f = rng.next_f64();
            let o = rng.next_open01();
            assert!((0.0..1.0).contains(&f));
            assert!(o > 0.0 && o < 1.0);
            sum_f += f;
            sum_o += o;
        }
        // The standard error of a uniform mean is sqrt(1/12/n) ≈ 0.002; allow six of them.
        let tol = 6.0 * f64::sqrt(1.0 / 12.0 / f64::from(n));
        assert!((sum_f / f64::from(n) - 0.5).abs() < tol);
        assert!((sum_o / f64::from(n) - 0.5).abs() < tol);
    }

    #[test]
    fn float_extremes() {
        // The conversions map the extreme bit patterns to the documented ends of the ranges.
        assert_eq!((u64::MAX >> 11) as f64 * TWO_POW_MINUS_53, 1.0 - TWO_POW_MINUS_53);
        assert_eq!((0u64 >> 12) as f64 * TWO_POW_MINUS_52 + 0.5 * TWO_POW_MINUS_52, TWO_POW_MINUS_53);
        assert_eq!(((u64::MAX >> 12) as f64 + 0.5) * TWO_POW_MINUS_52, 1.0 - TWO_POW_MINUS_53);
    }
}
