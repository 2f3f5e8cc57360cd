//! All at once: the new version goes to every instance in place, at the same time.
//!
//! On EC2, Elastic Beanstalk does not deregister the instances: each restarts while the load
//! balancer still routes to it, so requests fail until it is back or health checks mark it
//! unhealthy (AWS Elastic Beanstalk Developer Guide, "Deployment policies and settings",
//! <https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/using-features.rolling-version-deploy.html>).
//! Fargate tasks cannot be redeployed in place: every old task is stopped and as many new ones
//! started, an ECS rolling update with minimum healthy 0 % and maximum 100 % (Amazon ECS
//! Developer Guide, "Service definition parameters",
//! <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service_definition_parameters.html>).

use super::kit::{About, Params, StrategyDef, plan};
use crate::plan::{Amount, Bound, Count, EcsRules, OnFailure, Plan, Step, Version};
use crate::vocab::Platform;

pub(super) const DEF: StrategyDef = StrategyDef {
    kind: "all_at_once",
    platforms: &[Platform::Ec2, Platform::Fargate],
    keys: &["ignore_health_check", "circuit_breaker"],
    about: &[
        About {
            platforms: &[Platform::Ec2],
            name: "All at once (Elastic Beanstalk)",
            summary: "Deploy the new version to every instance in place at once.",
            trade_offs: "The fastest policy and adds no instances, but every instance is out of service while it restarts: downtime and failed requests. A bad version takes the whole fleet down, and Elastic Beanstalk rolls back only by a manual redeploy of the old version (a [rollback] alarm stands for automation that does it).",
            source: "AWS Elastic Beanstalk Developer Guide, \"Deployment policies and settings\", https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/using-features.rolling-version-deploy.html",
        },
        About {
            platforms: &[Platform::Fargate],
            name: "ECS rolling update with minimum healthy 0 % and maximum 100 % (Kubernetes Recreate)",
            summary: "Stop every task, then start new ones: an ECS rolling update with minimumHealthyPercent 0 and maximumPercent 100, like Kubernetes' Recreate strategy.",
            trade_offs: "Adds no tasks, but the service has no healthy task from the moment the old ones deregister until new ones pass health checks: downtime and failed requests.",
            source: "Amazon ECS Developer Guide, \"Deploy Amazon ECS services by replacing tasks\" (rolling update), https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html",
        },
    ],
    compile,
};

fn compile(params: &Params) -> Plan {
    if params.platform == Platform::Fargate {
        let steps = vec![
            Step::LaunchVersion(Version::New),
            Step::Replace {
                min_healthy: Bound::Of(Amount::PercentUp(0.0)),
                max_total: Bound::Of(Amount::PercentDown(100.0)),
                count_stopping: true,
                version: Version::New,
            },
            Step::Complete,
        ];
        let mut plan = plan(params, steps, OnFailure::Stop, Count::All);
        plan.ecs = Some(EcsRules { circuit_breaker: params.circuit_breaker });
        return plan;
    }
    let steps = vec![
        Step::LaunchVersion(Version::New),
        Step::DeployInPlace { count: Count::All, version: Version::New, detach: false },
        Step::WaitHealthy { step: 1 },
        Step::Complete,
    ];
    plan(params, steps, OnFailure::Stop, Count::All)
}
