//! Blue/green: a full new environment behind its own load balancer, then a DNS swap. Clients
//! move as their cached records expire, linearly over `dns_ttl`; the old environment is
//! terminated `keep_old` after the swap starts. Terminating it before the TTL has passed fails
//! the requests of clients still resolving to it (AWS Elastic Beanstalk Developer Guide,
//! "Blue/Green deployments with Elastic Beanstalk",
//! <https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/using-features.CNAMESwap.html>).

use super::kit::{About, Params, StrategyDef, plan};
use crate::plan::{Count, Group, OnFailure, Plan, Pool, Step, Version};
use crate::units::SimDuration;
use crate::vocab::Platform;

pub(super) const DEF: StrategyDef = StrategyDef {
    kind: "blue_green",
    platforms: &[Platform::Ec2, Platform::Fargate],
    keys: &["dns_ttl", "keep_old", "config", "ignore_health_check", "termination_wait"],
    about: &[
        About {
            platforms: &[Platform::Ec2],
            name: "Blue/green (Elastic Beanstalk, swap environment URLs)",
            summary: "Clone the environment with the new version, then swap the two environments' CNAMEs; the old environment keeps running until you terminate it (`keep_old` after the swap).",
            trade_offs: "No capacity loss and a quick way back (swap the CNAMEs again) while the old environment lives; but two full environments run until you terminate the old one, and DNS caching spreads the cut-over over `dns_ttl`. The only method that changes DNS.",
            source: "AWS Elastic Beanstalk Developer Guide, \"Blue/Green deployments with Elastic Beanstalk\", https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/using-features.CNAMESwap.html",
        },
        About {
            platforms: &[Platform::Fargate],
            name: "CodeDeploy blue/green on ECS, all at once (ECSAllAtOnce)",
            summary: "Start a replacement task set behind a second target group and switch the listener to it in one step; the original task set stays for `termination_wait`.",
            trade_offs: "No capacity loss, no DNS change, and rollback is a listener switch while the original task set lives; but two full task sets run until the termination wait ends, and every client meets the new version at once.",
            source: "Amazon ECS Developer Guide, \"CodeDeploy blue/green deployments for Amazon ECS\", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-bluegreen.html; AWS CodeDeploy User Guide, \"Working with deployment configurations in CodeDeploy\", https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html",
        },
    ],
    compile,
};

fn compile(params: &Params) -> Plan {
    let mut steps = vec![
        Step::Launch { count: Count::Fleet, group: Group::Temporary, pool: Pool::Secondary, version: Version::New },
        Step::WaitHealthy { step: 0 },
        Step::Route { pool: Pool::Secondary, percent: 100.0, ramp: params.dns_ttl },
    ];
    let cut_over = [Step::Adopt { pool: Pool::Secondary, version: Version::New }, Step::Complete];
    let retire = [Step::Retire { version: Version::Old }, Step::WaitDrained];
    // Zero-length waits (a listener swap has no TTL) are left out of the plan.
    let wait = |d: SimDuration| (!d.is_zero()).then_some(Step::Wait(d));
    if params.keep_old >= params.dns_ttl {
        steps.extend(wait(params.dns_ttl));
        steps.extend(cut_over);
        steps.extend(wait(params.keep_old - params.dns_ttl));
        steps.extend(retire);
    } else {
        // The old environment goes while clients still resolve to it: their requests fail.
        steps.extend(wait(params.keep_old));
        steps.extend(retire);
        steps.extend(wait(params.dns_ttl - params.keep_old));
        steps.extend(cut_over);
    }
    let mut plan = plan(params, steps, OnFailure::RollBack, Count::All);
    plan.rollback_ramp = params.dns_ttl;
    plan.environments = params.platform == Platform::Ec2 && !params.dns_ttl.is_zero();
    plan
}
