//! Immutable: a temporary Auto Scaling group behind the same load balancer gets one new
//! instance, then the rest; when all are healthy they move into the original group and the
//! old instances are terminated (AWS Elastic Beanstalk Developer Guide, "Immutable environment
//! updates",
//! <https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/environmentmgmt-updates-immutable.html>).

use super::kit::{About, Params, StrategyDef, plan};
use crate::plan::{Count, Group, OnFailure, Plan, Pool, Step, Version};
use crate::vocab::Platform;

pub(super) const DEF: StrategyDef = StrategyDef {
    kind: "immutable",
    platforms: &[Platform::Ec2],
    keys: &["ignore_health_check"],
    about: &[About {
        platforms: &[Platform::Ec2],
        name: "Immutable (Elastic Beanstalk)",
        summary: "Launch a full new fleet in a temporary Auto Scaling group (one instance first, then the rest), move it in, terminate the old fleet.",
        trade_offs: "Full capacity and the safest rollback (terminate the new instances; the old ones are never touched), but the fleet doubles while the new instances launch and pass health checks. It passes two health gates whatever the fleet size, so it is slower than rolling with large batches and can be faster than rolling with small ones.",
        source: "AWS Elastic Beanstalk Developer Guide, \"Immutable environment updates\", https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/environmentmgmt-updates-immutable.html",
    }],
    compile,
};

fn compile(params: &Params) -> Plan {
    let steps = vec![
        Step::Launch { count: Count::Fixed(1), group: Group::Temporary, pool: Pool::Primary, version: Version::New },
        Step::WaitHealthy { step: 0 },
        Step::Launch {
            count: Count::FleetMinus(1),
            group: Group::Temporary,
            pool: Pool::Primary,
            version: Version::New,
        },
        Step::WaitHealthy { step: 2 },
        Step::Adopt { pool: Pool::Primary, version: Version::New },
        Step::Retire { version: Version::Old },
        Step::Complete,
        Step::WaitDrained,
    ];
    plan(params, steps, OnFailure::RollBack, Count::All)
}
