//! deploysim-study: the simulator as a study aid for AWS certification exams.
//!
//! - [`quiz`]: exam-style multiple-choice questions generated from templates with numbers drawn
//!   per seed. Every question carries the scenario its keyed answer was proven on: running it
//!   with the question's `runs` replications makes the keyed option the unique best under the
//!   question's goal, or the only option equal to the simulated value. [`quiz::generate`] asks
//!   them by seed and topic ([`quiz::TOPICS`], [`quiz::TEMPLATES`]); [`quiz::prove`] checks
//!   one again from its own scenario.
//!
//! - [`table`]: AWS's comparison of Elastic Beanstalk deployment methods, every row computed
//!   by simulating a reference scenario (or yours) with a good and with a failing release.
//!
//! - [`names`]: the services' own names for deployment methods (`traffic splitting`,
//!   `CodeDeployDefault.HalfAtATime`, `red/black`) resolved to a kind and keys, with
//!   suggestions for unknown ones.
//!
//! - [`crosswalk`]: the same ideas across Elastic Beanstalk, CodeDeploy, ECS, Kubernetes,
//!   CloudFormation, Argo Rollouts and Spinnaker, each with the deploysim kind and keys.
//!
//! Like the core, this crate does no IO, reads no clock and starts no threads, so the CLI and
//! the browser playground ask the same questions for the same seed.

pub mod crosswalk;
pub mod names;
pub mod quiz;
pub mod table;
