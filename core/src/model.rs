//! The models the engine advances: fleet, traffic, latency, scaling, the rollback alarm and
//! prices; and Lambda execution environments (`lambda`), which are simulated and tested here
//! but not yet reachable from scenario files.

pub mod fleet;
pub mod lambda;
pub mod latency;
pub mod pricing;
pub mod rollback;
pub mod scaling;
pub mod traffic;
