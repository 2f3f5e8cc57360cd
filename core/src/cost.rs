//! Money questions beyond one run: what a workload costs per month on Lambda, Fargate and EC2
//! with the chosen front door, how each is sized, and at which request rates they cross.
//!
//! Options come from the scenario's `[cost]` table ([`CostOptions`]); prices from
//! [`crate::model::pricing::Prices`]. The same options tell a run how to bill its front door
//! and data transfer (`crate::run`).

mod estimate;

pub use crate::model::choices::{CostOptions, Ec2Choice, FargateChoice, Front, LambdaChoice};

pub use estimate::{
    BreakEven, Capacity, CostReport, Estimate, MonthlyBreakdown, Rivalry, SweepPoint, Workload, estimate,
};
