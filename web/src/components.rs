//! The views, one per file; each renders part of the app's state and sends `Msg`s back.

pub mod chart;
pub mod compare;
pub mod cost;
pub mod editor;
pub mod inputs;
pub mod plans;
pub mod results;
pub mod study;
