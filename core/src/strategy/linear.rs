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

use super::kit::{About, Params, StrategyDef, plan};
use crate::plan::{Count, Group, OnFailure, Plan, Pool, Step, Version};
use crate::vocab::Platform;

pub(super) const DEF: StrategyDef = StrategyDef {
    kind: "linear",
    platforms: &[Platform::Ec2, Platform::Fargate, Platform::Lambda],
    keys: &["percent", "interval", "bake", "config", "termination_wait"],
    about: &[
        About {
            platforms: &[Platform::Ec2],
            name: "Weighted target groups (Application Load Balancer)",
            summary: "Launch a full new fleet behind a second target group, then move `percent` of traffic to it every `interval` by listener weights until it has all of it.",
            trade_offs: "Exposure to a bad version grows gradually and rollback is a weight change; but the mixed-version window is the longest and two full fleets run for the whole shift. Elastic Beanstalk has no such policy: this is your own automation on ALB weighted target groups.",
            source: "Elastic Load Balancing User Guide, \"Listeners for your Application Load Balancers\" (weighted target groups), https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html",
        },
        About {
            platforms: &[Platform::Fargate],
            name: "CodeDeploy linear on ECS (ECSLinear…)",
            summary: "Start a replacement task set behind a second target group, then move `percent` of traffic to it every `interval`; the original task set stays for `termination_wait`.",
            trade_offs: "Exposure to a bad version grows gradually and rollback is a listener switch; but the mixed-version window is the longest and two full task sets run for the whole shift and the termination wait.",
            source: "Amazon ECS Developer Guide, \"CodeDeploy blue/green deployments for Amazon ECS\", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-bluegreen.html",
        },
        About {
            platforms: &[Platform::Lambda],
            name: "CodeDeploy linear on Lambda (LambdaLinear…)",
            summary: "Move `percent` of the alias's invocations to the new version every `interval` until it has all of them.",
            trade_offs: "Exposure to a bad version grows gradually and rollback moves the alias back; cold starts spread over the steps. The mixed-version window is the longest.",
            source: "AWS CodeDeploy User Guide, \"Working with deployment configurations in CodeDeploy\", https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html; AWS Lambda Developer Guide, \"Create a routing configuration for a Lambda alias\", https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html",
        },
    ],
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
    let mut steps = super::kit::with_bake(steps, params);
    if !lambda {
        steps.extend(super::kit::termination_wait(params));
        steps.extend([Step::Retire { version: Version::Old }, Step::WaitDrained]);
    }
    plan(params, steps, OnFailure::RollBack, Count::All)
}
