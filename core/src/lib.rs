//! deploysim-core: a deterministic simulator of deployment strategies.
//!
//! The pipeline on one page: scenario text (TOML) is read and validated into a
//! [`Scenario`]; each strategy compiles into a [`plan::Plan`]; one [`engine::Engine`] per
//! strategy, plus one for the baseline with no deployment, advances integer simulated time
//! over the fleet and traffic models, all fed the same random traffic; the totals become a
//! [`Report`], whose JSON field names are the product's contract.
//!
//! ```
//! use deploysim_core::{NoFiles, Scenario, simulate};
//!
//! let text = r#"
//!     name = "two instances, rolling one at a time"
//!     [traffic]
//!     rate = 50
//!     [service]
//!     platform = "ec2"
//!     instances = 2
//!     [[strategies]]
//!     kind = "rolling"
//!     batch = 1
//! "#;
//! let scenario = Scenario::parse(text, "example.toml", &NoFiles)?;
//! let report = simulate(&scenario);
//! assert_eq!(report.strategies[0].kind, "rolling");
//! assert_eq!(report.strategies[0].downtime_s, 0.0);
//! # Ok::<(), deploysim_core::ScenarioError>(())
//! ```
//!
//! The core does no IO, reads no clock, starts no threads and uses no OS randomness: hosts
//! (the CLI, the browser) supply text and files through [`World`] and decide what to do with
//! the report. The same scenario and seed give the same report, bit for bit, on every target.

#![warn(
    clippy::disallowed_methods,
    clippy::disallowed_types,
    reason = "the core must be deterministic on every target"
)]

mod bill;
pub mod cost;
pub mod diag;
pub mod dist;
pub mod engine;
pub mod expect;
pub mod goal;
pub mod model;
pub mod plan;
pub mod replicate;
pub mod report;
pub mod rng;
pub(crate) mod run;
pub mod sample;
pub mod scenario;
pub mod special;
pub mod strategy;
pub mod timeline;
pub mod units;
pub mod vocab;

pub use diag::{Diagnostic, ScenarioError};
pub use report::{Report, StrategyReport};
pub use run::{RunId, Runner, simulate, simulate_observed, simulate_replication};
pub use scenario::{NoFiles, Scenario, World};
