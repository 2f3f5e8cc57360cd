//! All at once: the new version goes to every instance in place, at the same time.
//!
//! Elastic Beanstalk does not deregister the instances: each restarts while the load balancer
//! still routes to it, so requests fail until it is back or health checks mark it unhealthy
//! (aws-semantics.md §A.3, "All at once").

use super::{Params, StrategyDef, plan};
use crate::plan::{Count, OnFailure, Plan, Step, Version};
use crate::scenario::Platform;

pub(super) const DEF: StrategyDef = StrategyDef {
    kind: "all_at_once",
    platforms: &[Platform::Ec2],
    keys: &[],
    summary: "Deploy the new version to every instance in place at once.",
    trade_offs: "Fastest and adds no instances, but every instance is out of service at the same time: \
                 downtime and failed requests. A bad version takes the whole fleet down; rollback is a manual redeploy.",
    source: "AWS Elastic Beanstalk Developer Guide, \"Deployment policies and settings\"",
    compile,
};

fn compile(params: &Params) -> Plan {
    let steps = vec![
        Step::LaunchVersion(Version::New),
        Step::DeployInPlace { count: Count::All, version: Version::New, detach: false },
        Step::WaitHealthy { step: 1 },
        Step::Complete,
    ];
    plan(params, steps, OnFailure::Stop, Count::All)
}
