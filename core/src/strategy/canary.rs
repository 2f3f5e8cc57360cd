//! Canary. On `ec2` it is Elastic Beanstalk traffic splitting: a full new fleet in a
//! temporary Auto Scaling group gets `percent` (NewVersionPercent, 1-100) of traffic for
//! `wait` (EvaluationTime, 3-600 minutes), then all of it, and the old fleet is terminated
//! (AWS Elastic Beanstalk Developer Guide, "Deployment policies and settings",
//! <https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/using-features.rolling-version-deploy.html>).
//! On `fargate` and `lambda` it is CodeDeploy's canary configurations (the ECS replacement
//! task set, or the Lambda alias weights; "Working with deployment configurations in
//! CodeDeploy", <https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html>).

use super::{Params, StrategyDef, plan};
use crate::plan::{Count, Group, OnFailure, Plan, Pool, Step, Version};
use crate::scenario::Platform;

pub(super) const DEF: StrategyDef = StrategyDef {
    kind: "canary",
    platforms: &[Platform::Ec2, Platform::Fargate, Platform::Lambda],
    keys: &["percent", "wait", "bake", "config", "ignore_health_check", "termination_wait"],
    summary: "Send `percent` of traffic to the new version for `wait`, then all of it (on fleets, to a full new \
              fleet; the old one is terminated after).",
    trade_offs: "Only the canary share of clients meets a bad version, and rollback is a traffic switch, but both \
                 versions serve traffic for the evaluation time; on fleets two full fleets run meanwhile, on Lambda \
                 the new version's environments start cold in two waves.",
    source: "on ec2, AWS Elastic Beanstalk Developer Guide, \"Deployment policies and settings\" (traffic \
             splitting); on fargate and lambda, AWS CodeDeploy User Guide, \"Working with deployment configurations \
             in CodeDeploy\" (Canary)",
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
        return plan(params, super::with_bake(steps, params), OnFailure::RollBack, Count::All);
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
    let mut steps = super::with_bake(steps, params);
    steps.extend(super::termination_wait(params));
    steps.extend([Step::Retire { version: Version::Old }, Step::WaitDrained]);
    plan(params, steps, OnFailure::RollBack, Count::All)
}
