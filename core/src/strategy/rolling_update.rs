//! Kubernetes Deployment `RollingUpdate`: at most `max_surge` pods above the replica count
//! (a percentage rounds up) and at most `max_unavailable` below it (rounds down); terminating
//! pods do not count toward the surge (Kubernetes documentation, "Deployments",
//! <https://kubernetes.io/docs/concepts/workloads/controllers/deployment/>). When both round
//! to 0, the controller takes `maxUnavailable = 1` (`ResolveFenceposts` in
//! kubernetes/kubernetes `pkg/controller/deployment/util/deployment_util.go`); only a literal
//! 0/0 is invalid. Modelled on Fargate tasks behind a load balancer, as on EKS with Fargate.

use super::kit::{About, Params, StrategyDef, plan};
use crate::plan::{Bound, Count, OnFailure, Plan, Step, Version};
use crate::vocab::Platform;

pub(super) const DEF: StrategyDef = StrategyDef {
    kind: "rolling_update",
    platforms: &[Platform::Fargate],
    keys: &["max_surge", "max_unavailable"],
    about: &[About {
        platforms: &[Platform::Fargate],
        name: "Kubernetes Deployment RollingUpdate",
        summary: "Replace pods with at most `max_surge` extra and at most `max_unavailable` missing.",
        trade_offs: "max_surge buys speed with extra pods; max_unavailable buys speed with lost capacity. The defaults (25 % each) do both a little.",
        source: "Kubernetes documentation, \"Deployments\" (RollingUpdate), https://kubernetes.io/docs/concepts/workloads/controllers/deployment/",
    }],
    compile,
};

fn compile(params: &Params) -> Plan {
    let steps = vec![
        Step::LaunchVersion(Version::New),
        Step::Replace {
            min_healthy: Bound::KubernetesAvailable {
                max_unavailable: params.max_unavailable,
                max_surge: params.max_surge,
            },
            max_total: Bound::FleetPlus(params.max_surge),
            count_stopping: false,
            version: Version::New,
        },
        Step::Complete,
    ];
    plan(params, steps, OnFailure::Stop, Count::All)
}
