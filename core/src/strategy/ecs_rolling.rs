//! ECS rolling update (deployment controller `ECS`): the scheduler replaces tasks keeping at
//! least `ceil(desired × min_healthy_percent / 100)` healthy and at most
//! `floor(desired × max_percent / 100)` running, pending or stopping (Amazon ECS Developer
//! Guide, "Rolling update",
//! <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html>, and
//! "Service definition parameters",
//! <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service_definition_parameters.html>;
//! AWS's example: desired 4, 50 % / 200 % → stop 2 old first, start 4 new, never more than 8).

use super::kit::{About, Params, StrategyDef, plan};
use crate::plan::{Amount, Bound, Count, EcsRules, OnFailure, Plan, Step, Version};
use crate::vocab::Platform;

pub(super) const DEF: StrategyDef = StrategyDef {
    kind: "ecs_rolling",
    platforms: &[Platform::Fargate],
    keys: &["min_healthy_percent", "max_percent", "circuit_breaker"],
    about: &[About {
        platforms: &[Platform::Fargate],
        name: "ECS rolling update",
        summary: "Replace tasks in the service, keeping `min_healthy_percent` healthy and at most `max_percent` running.",
        trade_offs: "The two percentages trade capacity against cost and speed: a lower minimum stops old tasks early (capacity dips), a higher maximum starts new ones early (more tasks billed at once). No second target group, so no traffic-shifting rollback.",
        source: "Amazon ECS Developer Guide, \"Deploy Amazon ECS services by replacing tasks\" (rolling update), https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html; Amazon ECS Developer Guide, \"Service definition parameters\", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service_definition_parameters.html",
    }],
    compile,
};

fn compile(params: &Params) -> Plan {
    let steps = vec![
        Step::LaunchVersion(Version::New),
        Step::Replace {
            min_healthy: Bound::Of(Amount::PercentUp(params.min_healthy_percent)),
            max_total: Bound::Of(Amount::PercentDown(params.max_percent)),
            count_stopping: true,
            version: Version::New,
        },
        Step::Complete,
    ];
    let mut plan = plan(params, steps, OnFailure::Stop, Count::All);
    plan.ecs = Some(EcsRules { circuit_breaker: params.circuit_breaker });
    plan
}
