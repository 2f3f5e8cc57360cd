//! Linear: CodeDeploy's Linear configurations on a fleet. A full new fleet in a second target
//! group gets `percent` more of the traffic every `interval` until it has all of it
//! (aws-semantics.md §C.2: 10 % every k minutes reaches 100 % after 9k minutes).

use super::{Params, StrategyDef, plan};
use crate::plan::{Count, Group, OnFailure, Plan, Pool, Step, Version};
use crate::scenario::Platform;

pub(super) const DEF: StrategyDef = StrategyDef {
    kind: "linear",
    platforms: &[Platform::Ec2, Platform::Fargate, Platform::Lambda],
    keys: &["percent", "interval", "bake"],
    summary: "Move `percent` of traffic to the new version every `interval` until it has all of it (on fleets, \
              to a full new fleet launched first).",
    trade_offs: "Exposure to a bad version grows gradually and rollback is a traffic switch; cold starts on Lambda \
                 spread over the steps. But the mixed-version window is the longest, and on fleets two full fleets \
                 run for the whole shift.",
    source: "AWS CodeDeploy User Guide, \"Deployment configurations\"",
    compile,
};

fn compile(params: &Params) -> Plan {
    let lambda = params.platform == Platform::Lambda;
    // On Lambda the alias weights move; on fleets a full new fleet comes first.
    let mut steps = if lambda {
        Vec::new()
    } else {
        vec![
            Step::Launch { count: Count::Fleet, group: Group::Temporary, pool: Pool::Secondary, version: Version::New },
            Step::WaitHealthy { step: 0 },
        ]
    };
    let n_steps = (100.0 / params.percent - 1e-9).ceil().max(1.0) as u32;
    for k in 1..=n_steps {
        let percent = (f64::from(k) * params.percent).min(100.0);
        steps.push(Step::Route { pool: Pool::Secondary, percent, ramp: Default::default() });
        if k < n_steps {
            steps.push(Step::Wait(params.interval));
        }
    }
    if !lambda {
        steps.push(Step::Adopt { pool: Pool::Secondary, version: Version::New });
    }
    steps.push(Step::Complete);
    let mut steps = super::with_bake(steps, params);
    if !lambda {
        steps.extend([Step::Retire { version: Version::Old }, Step::WaitDrained]);
    }
    plan(params, steps, OnFailure::RollBack, Count::All)
}
