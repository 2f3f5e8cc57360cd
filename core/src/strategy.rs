//! The strategy registry: every deployment kind, what it accepts, and how it compiles to a
//! plan. Each kind lives in one small file under `strategy/`; adding a kind means adding a
//! file and one line to `STRATEGIES`, never touching the engine.

mod all_at_once;
mod all_at_once_shift;
mod blue_green;
mod canary;
pub mod configs;
mod ecs_rolling;
mod immutable;
mod in_place;
mod kit;
mod linear;
mod rolling;
mod rolling_update;
mod rolling_with_additional_batch;

pub use kit::{About, BEANSTALK_KINDS, Params, StrategyDef};

/// Every kind this version simulates, in the order AWS's comparison table lists them.
pub const STRATEGIES: &[&StrategyDef] = &[
    &all_at_once::DEF,
    &rolling::DEF,
    &rolling_with_additional_batch::DEF,
    &immutable::DEF,
    &canary::DEF,
    &linear::DEF,
    &blue_green::DEF,
    &in_place::DEF,
    &ecs_rolling::DEF,
    &rolling_update::DEF,
    &all_at_once_shift::DEF,
];

/// Looks a kind up by name.
pub fn find(kind: &str) -> Option<&'static StrategyDef> {
    STRATEGIES.iter().copied().find(|d| d.kind == kind)
}

#[cfg(test)]
mod tests;
