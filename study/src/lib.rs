//! deploysim-study: the simulator as a study aid for AWS certification exams.
//!
//! - [`quiz`]: exam-style multiple-choice questions generated from templates with numbers drawn
//!   per seed. Every question carries the scenario its keyed answer was proven on: running it
//!   with the question's `runs` replications makes the keyed option the unique best under the
//!   question's goal, or the only option equal to the simulated value.
//!
//! Like the core, this crate does no IO, reads no clock and starts no threads, so the CLI and
//! the browser playground ask the same questions for the same seed.

pub mod quiz;
