//! Canary. On `ec2` it is Elastic Beanstalk traffic splitting: a full new fleet in a
//! temporary Auto Scaling group gets `percent` (NewVersionPercent, 1-100) of traffic for
//! `wait` (EvaluationTime, 3-600 minutes), then all of it, and the old fleet is terminated
//! (AWS Elastic Beanstalk Developer Guide, "Deployment policies and settings",
//! <https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/using-features.rolling-version-deploy.html>).
//! On `fargate` and `lambda` it is CodeDeploy's canary configurations (the ECS replacement
//! task set, or the Lambda alias weights; "Working with deployment configurations in
//! CodeDeploy", <https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html>).

use super::kit::{About, Params, StrategyDef, plan};
use crate::plan::{Count, Group, OnFailure, Plan, Pool, Step, Version};
use crate::vocab::Platform;

pub(super) const DEF: StrategyDef = StrategyDef {
    kind: "canary",
    platforms: &[Platform::Ec2, Platform::Fargate, Platform::Lambda],
    keys: &["percent", "wait", "bake", "config", "ignore_health_check", "termination_wait"],
    about: &[
        About {
            platforms: &[Platform::Ec2],
            name: "Traffic splitting (Elastic Beanstalk)",
            summary: "Launch a full new fleet in a temporary Auto Scaling group, send `percent` of traffic to it for `wait` (the evaluation time), then all of it; the old fleet is terminated after.",
            trade_offs: "Only `percent` of clients meet a bad version, and with enhanced health a new fleet that degrades gets no more traffic: Elastic Beanstalk sends it back to the old fleet. But the fleet doubles for the evaluation time.",
            source: "AWS Elastic Beanstalk Developer Guide, \"Deployment policies and settings\", https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/using-features.rolling-version-deploy.html",
        },
        About {
            platforms: &[Platform::Fargate],
            name: "CodeDeploy canary on ECS (ECSCanary…)",
            summary: "Start a replacement task set behind a second target group, send it `percent` of traffic for `wait`, then all of it; the original task set stays for `termination_wait`.",
            trade_offs: "Only `percent` of clients meet a bad version, and rollback is a listener switch while the original task set lives; but two full task sets run from the start until the termination wait ends.",
            source: "Amazon ECS Developer Guide, \"CodeDeploy blue/green deployments for Amazon ECS\", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-bluegreen.html",
        },
        About {
            platforms: &[Platform::Lambda],
            name: "CodeDeploy canary on Lambda (LambdaCanary…)",
            summary: "Weight the alias: `percent` of invocations to the new version for `wait`, then all of them.",
            trade_offs: "Only `percent` of invocations meet a bad version, and rollback moves the alias back; the new version's environments start cold in two waves (at the canary and at the full shift).",
            source: "AWS CodeDeploy User Guide, \"Working with deployment configurations in CodeDeploy\", https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html; AWS Lambda Developer Guide, \"Create a routing configuration for a Lambda alias\", https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html",
        },
    ],
    compile,
};

fn compile(params: &Params) -> Plan {
    if params.platform == Platform::Lambda {
        // Alias weights: the new version's environments start cold (CodeDeploy LambdaCanary*).
        let steps = vec![
            Step::Route { pool: Pool::Secondary, percent: params.percent, ramp: Default::default() },
            Step::Wait(params.wait),
            Step::Route { pool: Pool::Secondary, percent: 100.0, ramp: Default::default() },
            Step::Complete,
        ];
        return plan(params, super::kit::with_bake(steps, params), OnFailure::RollBack, Count::All);
    }
    let steps = vec![
        Step::Launch { count: Count::Fleet, group: Group::Temporary, pool: Pool::Secondary, version: Version::New },
        Step::WaitHealthy { step: 0 },
        Step::Route { pool: Pool::Secondary, percent: params.percent, ramp: Default::default() },
        Step::Wait(params.wait),
        Step::Route { pool: Pool::Secondary, percent: 100.0, ramp: Default::default() },
        Step::Adopt { pool: Pool::Secondary, version: Version::New },
        Step::Complete,
    ];
    let mut steps = super::kit::with_bake(steps, params);
    steps.extend(super::kit::termination_wait(params));
    steps.extend([Step::Retire { version: Version::Old }, Step::WaitDrained]);
    plan(params, steps, OnFailure::RollBack, Count::All)
}
