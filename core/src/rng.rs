//! Temporary: replaced by the full module.
use rand::{Rng as _, SeedableRng};
use rand_chacha::ChaCha8Rng;
/// Purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// t
    Traffic,
    /// r
    Routing,
    /// e
    Errors,
    /// l
    Lifecycle,
    /// l
    Latency,
    /// s
    Scenario,
}
/// Rng.
pub struct Rng(ChaCha8Rng);
impl Rng {
    /// new
    pub fn new(seed: u64, replication: u32, purpose: Purpose) -> Self {
        let mut r = ChaCha8Rng::seed_from_u64(seed);
        r.set_stream(u64::from(replication) * 64 + purpose as u64);
        Rng(r)
    }
    /// u64
    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }
    /// f64
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
    /// open
    pub fn next_open01(&mut self) -> f64 {
        ((self.next_u64() >> 12) as f64 + 0.5) * (1.0 / (1u64 << 52) as f64)
    }
}
