//! What every strategy file builds with: the parameters a strategy table lowers to
//! ([`Params`]), a kind's definition ([`StrategyDef`], [`About`]), and the steps and plan
//! fields all plans share. The registry (`crate::strategy`) lists the kinds; the kinds import
//! only this, plans and the vocabulary.

use crate::plan::{Amount, Count, Plan};
use crate::units::SimDuration;
use crate::vocab::Platform;

/// The parameters a strategy table may set, with defaults filled in.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// The platform of the scenario (some kinds compile differently on each).
    pub platform: Platform,
    /// Instances per batch (`batch`): a count or a percentage of the fleet.
    pub batch: Count,
    /// Share of traffic per canary or linear step (`percent`), 0 to 100.
    pub percent: f64,
    /// Canary evaluation time (`wait`).
    pub wait: SimDuration,
    /// Time between linear steps (`interval`).
    pub interval: SimDuration,
    /// DNS record TTL for blue/green (`dns_ttl`); zero means a listener swap.
    pub dns_ttl: SimDuration,
    /// How long blue/green keeps the old environment after the swap starts (`keep_old`).
    pub keep_old: SimDuration,
    /// How long the alarm keeps watching after the last traffic shift (`bake`, like ECS's
    /// `bakeTimeInMinutes`); the old fleet stays until it ends.
    pub bake: SimDuration,
    /// Longest wait for instances to become healthy before the deployment fails (`timeout`).
    pub timeout: SimDuration,
    /// ECS `minimumHealthyPercent` (`min_healthy_percent`), rounded up against the desired count.
    pub min_healthy_percent: f64,
    /// ECS `maximumPercent` (`max_percent`), rounded down against the desired count.
    pub max_percent: f64,
    /// Kubernetes `maxSurge` (`max_surge`): a count, or a percentage rounded up.
    pub max_surge: Amount,
    /// Kubernetes `maxUnavailable` (`max_unavailable`): a count, or a percentage rounded down.
    pub max_unavailable: Amount,
    /// CodeDeploy's minimum healthy hosts (`minimum_healthy_hosts`): a host count, or a
    /// percentage of the fleet rounded up; `None` is `CodeDeployDefault.OneAtATime`.
    pub minimum_healthy_hosts: Option<Amount>,
    /// Elastic Beanstalk's enhanced health gate (Beanstalk policies on ec2 with enhanced
    /// reporting): the worst status that passes.
    pub enhanced_health: Option<crate::vocab::EbStatus>,
    /// Elastic Beanstalk's `IgnoreHealthCheck` (`ignore_health_check`).
    pub ignore_health_check: bool,
    /// ECS's deployment circuit breaker (`circuit_breaker = { enable, rollback }`).
    pub circuit_breaker: Option<crate::plan::CircuitBreaker>,
    /// CodeDeploy's ECS blue/green termination wait (`termination_wait`): how long the
    /// original task set stays after the last traffic shift.
    pub termination_wait: SimDuration,
}

/// The kinds that are Elastic Beanstalk deployment policies on ec2 (and so, with enhanced
/// health reporting, wait for its health gate).
pub const BEANSTALK_KINDS: &[&str] =
    &["all_at_once", "rolling", "rolling_with_additional_batch", "immutable", "canary", "blue_green"];

impl Params {
    /// The defaults on `platform`.
    pub fn defaults(platform: Platform) -> Self {
        Params {
            platform,
            // EB's API default is 100 %, which makes rolling the same as all at once; a quarter
            // of the fleet is the common choice and what the EB console suggests for rolling.
            batch: Count::Percent(25.0),
            // EB traffic splitting: NewVersionPercent 10, EvaluationTime 5 min.
            percent: 10.0,
            wait: SimDuration::from_secs(300),
            // CodeDeploy Linear10PercentEvery1Minute.
            interval: SimDuration::from_secs(60),
            // EB's CNAME TTL is not documented; 60 s is a common record TTL. CodeDeploy's ECS
            // blue/green swaps the load balancer listener instead: no DNS.
            dns_ttl: if platform == Platform::Fargate { SimDuration::ZERO } else { SimDuration::from_secs(60) },
            // CodeDeploy's default wait before terminating the original fleet: 1 hour.
            keep_old: SimDuration::from_secs(3_600),
            // EB command timeout 600 s plus the 240 s EB adds internally.
            timeout: SimDuration::from_secs(840),
            // CodeDeploy watches alarms only while a deployment runs: no bake by default.
            bake: SimDuration::ZERO,
            // ECS REPLICA service defaults (Amazon ECS Developer Guide, "Service definition
            // parameters",
            // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service_definition_parameters.html).
            min_healthy_percent: 100.0,
            max_percent: 200.0,
            // Kubernetes Deployment defaults (Kubernetes documentation, "Deployments",
            // https://kubernetes.io/docs/concepts/workloads/controllers/deployment/).
            max_surge: Amount::PercentUp(25.0),
            max_unavailable: Amount::PercentDown(25.0),
            // CodeDeploy's default configuration: CodeDeployDefault.OneAtATime.
            minimum_healthy_hosts: None,
            enhanced_health: None,
            ignore_health_check: false,
            circuit_breaker: None,
            // CodeDeploy's ECS blue/green default: 1 hour after traffic is rerouted.
            termination_wait: SimDuration::from_secs(3_600),
        }
    }
}

impl Default for Params {
    fn default() -> Self {
        Params::defaults(Platform::Ec2)
    }
}

/// One deployment kind.
pub struct StrategyDef {
    /// The `kind` name in scenario files (contract).
    pub kind: &'static str,
    /// Platforms it applies to.
    pub platforms: &'static [Platform],
    /// Strategy-specific keys it accepts, besides `kind`, `label`, `expect` and `timeout`.
    pub keys: &'static [&'static str],
    /// What it is on each platform: the same kind is a different service's mechanism on `ec2`
    /// (Elastic Beanstalk, CodeDeploy), `fargate` (ECS, CodeDeploy, Kubernetes) and `lambda`
    /// (CodeDeploy, alias routing). At least one; the first whose platforms include a platform
    /// describes it there.
    pub about: &'static [About],
    /// Builds the plan.
    pub compile: fn(&Params) -> Plan,
}

impl StrategyDef {
    /// What the kind is on `platform` (the first description if none names it).
    pub fn about(&self, platform: Platform) -> &'static About {
        self.about.iter().find(|a| a.platforms.contains(&platform)).unwrap_or(&self.about[0])
    }
}

/// A kind described for the platforms it is one service's mechanism on. Every claim must agree
/// with what the engine does with the kind's plan (`simulate explain --table` shows it).
pub struct About {
    /// The platforms this description is for.
    pub platforms: &'static [Platform],
    /// The service's own name for it (`Traffic splitting`, `CodeDeploy blue/green on ECS`).
    pub name: &'static str,
    /// One sentence: what it does.
    pub summary: &'static str,
    /// Its trade-offs.
    pub trade_offs: &'static str,
    /// Where the behaviour is documented: title and URL.
    pub source: &'static str,
}

/// Appends the alarm's bake time, if any, after the steps.
pub(super) fn with_bake(mut steps: Vec<crate::plan::Step>, params: &Params) -> Vec<crate::plan::Step> {
    if !params.bake.is_zero() {
        steps.push(crate::plan::Step::Wait(params.bake));
    }
    steps
}

/// CodeDeploy's ECS blue/green keeps the original task set for the deployment group's
/// termination wait after the last traffic shift, whatever the configuration (AWS CodeDeploy
/// API Reference, `BlueInstanceTerminationOption`: "the number of minutes before deleting the
/// original (blue) task set"; default 1 hour in the console). On fargate only.
pub(super) fn termination_wait(params: &Params) -> Option<crate::plan::Step> {
    (params.platform == Platform::Fargate && !params.termination_wait.is_zero())
        .then_some(crate::plan::Step::Wait(params.termination_wait))
}

/// The timeout-and-rollback fields every plan shares.
pub(super) fn plan(
    params: &Params,
    steps: Vec<crate::plan::Step>,
    on_failure: crate::plan::OnFailure,
    rollback_batch: Count,
) -> Plan {
    Plan {
        steps,
        timeout: params.timeout,
        on_failure,
        rollback_batch,
        rollback_ramp: SimDuration::ZERO,
        enhanced_health: params.enhanced_health,
        ignore_health_check: params.ignore_health_check,
        ecs: None,
        environments: false,
    }
}
