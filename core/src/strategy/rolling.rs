//! Rolling: in place, one batch at a time; the next batch starts when the previous is healthy.
//!
//! Each batch is deregistered, drained, deployed and registered again, so capacity drops by
//! one batch while it is out (AWS Elastic Beanstalk Developer Guide, "Deployment policies and
//! settings",
//! <https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/using-features.rolling-version-deploy.html>).

use super::kit::{About, Params, StrategyDef, plan};
use crate::plan::{Condition, OnFailure, Plan, Step, Version};
use crate::vocab::Platform;

pub(super) const DEF: StrategyDef = StrategyDef {
    kind: "rolling",
    platforms: &[Platform::Ec2],
    keys: &["batch", "ignore_health_check"],
    about: &[About {
        platforms: &[Platform::Ec2],
        name: "Rolling (Elastic Beanstalk)",
        summary: "Deploy in place one batch at a time, each batch deregistered and drained first.",
        trade_offs: "No downtime and no extra instances, but capacity is one batch short while each batch deploys, and the deployment takes one cycle (deploy, health checks) per batch. Both versions serve traffic meanwhile. If a batch fails, the batches before it keep the new version; Elastic Beanstalk rolls back only by a manual redeploy.",
        source: "AWS Elastic Beanstalk Developer Guide, \"Deployment policies and settings\", https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/using-features.rolling-version-deploy.html",
    }],
    compile,
};

fn compile(params: &Params) -> Plan {
    let steps = vec![
        Step::LaunchVersion(Version::New),
        Step::DeployInPlace { count: params.batch, version: Version::New, detach: true },
        Step::WaitHealthy { step: 1 },
        Step::RepeatWhile { condition: Condition::Remaining(Version::New), to: 1 },
        Step::Complete,
    ];
    plan(params, steps, OnFailure::Stop, params.batch)
}
