//! Linear. On `fargate` and `lambda` it is CodeDeploy's linear configurations (a replacement
//! task set, or the alias weights, gets `percent` more every `interval`; 10 % every k minutes
//! reaches 100 % after 9k minutes; AWS CodeDeploy User Guide, "Working with deployment
//! configurations in CodeDeploy",
//! <https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html>).
//! On `ec2` neither Elastic Beanstalk nor CodeDeploy shifts traffic linearly: it is what an
//! Application Load Balancer's weighted target groups do when your own automation moves the
//! weights (Elastic Load Balancing, "Listeners for your Application Load Balancers", forward
//! actions with weighted target groups,
//! <https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html>).

use super::{Params, StrategyDef, plan};
use crate::plan::{Count, Group, OnFailure, Plan, Pool, Step, Version};
use crate::scenario::Platform;

pub(super) const DEF: StrategyDef = StrategyDef {
    kind: "linear",
    platforms: &[Platform::Ec2, Platform::Fargate, Platform::Lambda],
    keys: &["percent", "interval", "bake", "config", "termination_wait"],
    summary: "Move `percent` of traffic to the new version every `interval` until it has all of it (on fleets, \
              to a full new fleet launched first).",
    trade_offs: "Exposure to a bad version grows gradually and rollback is a traffic switch; cold starts on Lambda \
                 spread over the steps. But the mixed-version window is the longest, and on fleets two full fleets \
                 run for the whole shift.",
    source: "on fargate and lambda, AWS CodeDeploy User Guide, \"Working with deployment configurations in \
             CodeDeploy\" (Linear); on ec2, Elastic Load Balancing weighted target groups moved by your own \
             automation (\"Listeners for your Application Load Balancers\")",
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
        steps.extend(super::termination_wait(params));
        steps.extend([Step::Retire { version: Version::Old }, Step::WaitDrained]);
    }
    plan(params, steps, OnFailure::RollBack, Count::All)
}
