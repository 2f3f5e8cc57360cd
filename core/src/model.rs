//! The models the engine advances: fleet, traffic, latency, Auto Scaling, the rollback alarm,
//! Lambda execution environments (`lambda`), prices, and what a workload is billed for beyond
//! its compute (`choices`). Models import only the vocabulary (`crate::vocab`) and the basic
//! modules (units, random numbers, distributions), never plans, scenarios or reports.

pub mod choices;
pub mod fleet;
pub mod lambda;
pub mod latency;
pub mod pricing;
pub mod rollback;
pub mod scaling;
pub mod traffic;
