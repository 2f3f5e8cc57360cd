//! The models the engine advances: fleet, traffic, latency, scaling, the rollback alarm and
//! prices.

pub mod fleet;
pub mod latency;
pub mod pricing;
pub mod rollback;
pub mod scaling;
pub mod traffic;
