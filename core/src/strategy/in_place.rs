//! CodeDeploy in-place deployment on EC2 (compute platform `Server`): as many instances at a
//! time as the deployment group's minimum healthy hosts allows, each taken out of the load
//! balancer (`BlockTraffic`), deployed, and put back (`AllowTraffic`) before the next batch.
//!
//! The minimum is a host count, or a percentage of the fleet that CodeDeploy converts to a
//! count by rounding up, at the start of the deployment; it then deploys to as many instances
//! at once as keeps the healthy ones at or above it: `HalfAtATime` (50 %) on 9 instances
//! deploys 4 at a time and keeps 5. `OneAtATime`, CodeDeploy's default, deploys one at a time.
//! Sources: AWS CodeDeploy User Guide, "CodeDeploy instance health" (minimum healthy hosts,
//! rounding), <https://docs.aws.amazon.com/codedeploy/latest/userguide/instances-health.html>,
//! and "Working with deployment configurations in CodeDeploy",
//! <https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html>.

use super::kit::{About, Params, StrategyDef, plan};
use crate::plan::{Condition, Count, OnFailure, Plan, Step, Version};
use crate::vocab::Platform;

pub(super) const DEF: StrategyDef = StrategyDef {
    kind: "in_place",
    platforms: &[Platform::Ec2],
    keys: &["minimum_healthy_hosts", "config"],
    about: &[About {
        platforms: &[Platform::Ec2],
        name: "CodeDeploy in-place (EC2/On-Premises)",
        summary: "Deploy to as many instances at a time as keeps `minimum_healthy_hosts` healthy, each taken out of the load balancer while it deploys.",
        trade_offs: "No extra instances. The minimum decides the trade: OneAtATime keeps all but one instance serving and takes the longest; HalfAtATime halves capacity for half the time; AllAtOnce is fastest and takes everything out at once.",
        source: "AWS CodeDeploy User Guide, \"CodeDeploy instance health\", https://docs.aws.amazon.com/codedeploy/latest/userguide/instances-health.html; AWS CodeDeploy User Guide, \"Working with deployment configurations in CodeDeploy\", https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html",
    }],
    compile,
};

fn compile(params: &Params) -> Plan {
    let count = batch(params);
    let steps = vec![
        Step::LaunchVersion(Version::New),
        Step::DeployInPlace { count, version: Version::New, detach: true },
        Step::WaitHealthy { step: 1 },
        Step::RepeatWhile { condition: Condition::Remaining(Version::New), to: 1 },
        Step::Complete,
    ];
    plan(params, steps, OnFailure::Stop, count)
}

/// How many instances deploy at once.
pub(super) fn batch(params: &Params) -> Count {
    match params.minimum_healthy_hosts {
        // CodeDeployDefault.OneAtATime: "all instances but one are kept in a healthy state".
        None => Count::Fixed(1),
        Some(min) => Count::AboveMinimum(min),
    }
}
