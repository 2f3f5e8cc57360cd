//! All-at-once alias shift: the Lambda alias moves to the new version in one step
//! (CodeDeploy `LambdaAllAtOnce`: AWS CodeDeploy User Guide, "Working with deployment
//! configurations in CodeDeploy",
//! <https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html>; AWS
//! Lambda Developer Guide, "Lambda function aliases",
//! <https://docs.aws.amazon.com/lambda/latest/dg/configuration-aliases.html>). The new version
//! starts with no warm environments, so the shift is a cold-start storm of the order of its
//! concurrency.

use super::kit::{About, Params, StrategyDef, plan};
use crate::plan::{Count, OnFailure, Plan, Pool, Step};
use crate::vocab::Platform;

pub(super) const DEF: StrategyDef = StrategyDef {
    kind: "all_at_once_shift",
    platforms: &[Platform::Lambda],
    keys: &["bake", "config"],
    about: &[About {
        platforms: &[Platform::Lambda],
        name: "CodeDeploy all at once on Lambda (LambdaAllAtOnce)",
        summary: "Point the alias at the new version in one step.",
        trade_offs: "Fastest, but every client meets the new version at once, and its environments all start cold together: a burst of cold starts (and throttling, if the scaling rate is exceeded).",
        source: "AWS CodeDeploy User Guide, \"Working with deployment configurations in CodeDeploy\", https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html; AWS Lambda Developer Guide, \"Create a routing configuration for a Lambda alias\", https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html",
    }],
    compile,
};

fn compile(params: &Params) -> Plan {
    // Without a bake the shift is over the moment it starts, so no alarm can reverse it
    // (as with CodeDeploy, which watches alarms only while a deployment runs).
    let steps = vec![Step::Route { pool: Pool::Secondary, percent: 100.0, ramp: Default::default() }, Step::Complete];
    plan(params, super::kit::with_bake(steps, params), OnFailure::RollBack, Count::All)
}
