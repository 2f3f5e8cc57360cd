//! Rolling with additional batch: launch one extra batch of new instances first, then roll
//! over the existing ones; the extra batch is terminated at the end, so capacity never drops
//! (AWS Elastic Beanstalk Developer Guide, "Deployment policies and settings",
//! <https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/using-features.rolling-version-deploy.html>).
//! Which instances EB terminates at the end is not documented; this model terminates the
//! additional batch itself.

use super::kit::{About, Params, StrategyDef, plan};
use crate::plan::{Condition, Group, OnFailure, Plan, Pool, Step, Version};
use crate::vocab::Platform;

pub(super) const DEF: StrategyDef = StrategyDef {
    kind: "rolling_with_additional_batch",
    platforms: &[Platform::Ec2],
    keys: &["batch", "ignore_health_check"],
    about: &[About {
        platforms: &[Platform::Ec2],
        name: "Rolling with additional batch (Elastic Beanstalk)",
        summary: "Launch one extra batch with the new version, roll over the existing instances, then terminate the extra batch.",
        trade_offs: "Full capacity throughout, at the price of one batch of extra instances for the length of the deployment. The extra batch adds a launch and a health gate to rolling's cycles, so it is slower than rolling; with small batches it is also slower than immutable, whose health gates do not grow with the number of batches.",
        source: "AWS Elastic Beanstalk Developer Guide, \"Deployment policies and settings\", https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/using-features.rolling-version-deploy.html",
    }],
    compile,
};

fn compile(params: &Params) -> Plan {
    let steps = vec![
        Step::LaunchVersion(Version::New),
        Step::Launch { count: params.batch, group: Group::Original, pool: Pool::Primary, version: Version::New },
        Step::WaitHealthy { step: 1 },
        Step::DeployInPlace { count: params.batch, version: Version::New, detach: true },
        Step::WaitHealthy { step: 3 },
        Step::RepeatWhile { condition: Condition::Remaining(Version::New), to: 3 },
        Step::Complete,
        Step::Terminate { step: 1 },
        Step::WaitDrained,
    ];
    plan(params, steps, OnFailure::Stop, params.batch)
}
