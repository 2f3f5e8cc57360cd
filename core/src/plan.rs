//! Plans: what a deployment does, as data. Strategies only build plans; the engine runs any plan.
//!
//! A plan is a list of steps with one loop construct. Counts stay symbolic (`25 %` of the
//! fleet) until the deployment starts, because Auto Scaling may have changed the fleet by then.
//! The same plan, rendered with `Plan::explain`, is the step-by-step explanation that
//! `simulate explain` prints.

use std::fmt::Write as _;

use crate::units::SimDuration;
pub use crate::vocab::{Group, Pool, Version};

/// A number of instances, resolved when the deployment starts against the fleet size `N`
/// (the original group's desired count at that moment).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Count {
    /// This many, at least one and at most `N` (Elastic Beanstalk's fixed `BatchSize`).
    Fixed(u32),
    /// This percentage of `N`, rounded up, at least one.
    Percent(f64),
    /// `N`.
    Fleet,
    /// `N` minus this many (at least zero).
    FleetMinus(u32),
    /// `N` minus a minimum that must stay healthy (CodeDeploy's minimum healthy hosts: a host
    /// count, or a percentage of the fleet rounded up).
    AboveMinimum(Amount),
    /// Every instance the step applies to.
    All,
}

impl Count {
    /// The count for a fleet of `n` instances.
    pub fn resolve(self, n: u32) -> u32 {
        match self {
            Count::Fixed(k) => k.clamp(1, n.max(1)),
            Count::Percent(p) => {
                let k = (f64::from(n) * p / 100.0 - 1e-9).ceil();
                (k as u32).clamp(1, n.max(1))
            }
            Count::Fleet | Count::All => n,
            Count::FleetMinus(k) => n.saturating_sub(k),
            Count::AboveMinimum(min) => n.saturating_sub(min.resolve(n)),
        }
    }

    fn describe(self, n: u32) -> String {
        let k = self.resolve(n);
        let noun = if k == 1 { "instance" } else { "instances" };
        match self {
            Count::Fixed(_) => format!("{k} {noun}"),
            Count::Percent(p) => format!("{k} {noun} ({p} % of {n}, rounded up)"),
            Count::Fleet => format!("{k} {noun} (the whole fleet)"),
            Count::FleetMinus(m) => format!("{k} {noun} ({n} - {m})"),
            Count::AboveMinimum(min) => {
                format!("{k} {noun} ({n} - {} that must stay healthy)", min.describe(n))
            }
            Count::All => format!("all {k} {noun}"),
        }
    }
}

/// An amount relative to the fleet size `N`, for rolling replacement bounds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Amount {
    /// A fixed number.
    Count(u32),
    /// `floor(N * p / 100)` (ECS `maximumPercent`, Kubernetes `maxUnavailable`).
    PercentDown(f64),
    /// `ceil(N * p / 100)` (ECS `minimumHealthyPercent`, Kubernetes `maxSurge`).
    PercentUp(f64),
}

impl Amount {
    /// Whether it is written as zero (`0` or `"0%"`), whatever the fleet.
    pub fn is_literal_zero(self) -> bool {
        match self {
            Amount::Count(k) => k == 0,
            Amount::PercentDown(p) | Amount::PercentUp(p) => p == 0.0,
        }
    }

    /// The amount for a fleet of `n`.
    pub fn resolve(self, n: u32) -> u32 {
        // The tiny nudges keep 30 % of 10 at 3 despite binary floating point.
        match self {
            Amount::Count(k) => k,
            Amount::PercentDown(p) => (f64::from(n) * p / 100.0 + 1e-9).floor().max(0.0) as u32,
            Amount::PercentUp(p) => (f64::from(n) * p / 100.0 - 1e-9).ceil().max(0.0) as u32,
        }
    }

    /// Like `describe`, counting hosts: `5 (50 % of 9, rounded up)`, `3 hosts`.
    pub fn describe_hosts(self, n: u32) -> String {
        match self {
            Amount::Count(k) => format!("{k} host{}", if k == 1 { "" } else { "s" }),
            _ => self.describe(n),
        }
    }

    fn describe(self, n: u32) -> String {
        match self {
            Amount::Count(k) => k.to_string(),
            Amount::PercentDown(p) => format!("{} ({p} % of {n}, rounded down)", self.resolve(n)),
            Amount::PercentUp(p) => format!("{} ({p} % of {n}, rounded up)", self.resolve(n)),
        }
    }
}

/// A bound on tasks during a rolling replacement, resolved against the fleet size `N`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Bound {
    /// The amount itself (ECS: `ceil(N * minimumHealthyPercent)`, `floor(N * maximumPercent)`).
    Of(Amount),
    /// `N` minus the amount (Kubernetes: `N - maxUnavailable`).
    FleetMinus(Amount),
    /// `N` plus the amount (Kubernetes: `N + maxSurge`).
    FleetPlus(Amount),
    /// Kubernetes' lower bound, `N - maxUnavailable`, where `maxUnavailable` becomes 1 when it
    /// and `maxSurge` both resolve to 0 (the controller's `ResolveFenceposts`), so that a
    /// Deployment whose percentages round to nothing still progresses.
    KubernetesAvailable {
        /// `maxUnavailable`, rounded down.
        max_unavailable: Amount,
        /// `maxSurge`, rounded up.
        max_surge: Amount,
    },
}

impl Bound {
    /// The bound for a fleet of `n`.
    pub fn resolve(self, n: u32) -> u32 {
        match self {
            Bound::Of(a) => a.resolve(n),
            Bound::FleetMinus(a) => n.saturating_sub(a.resolve(n)),
            Bound::FleetPlus(a) => n.saturating_add(a.resolve(n)),
            Bound::KubernetesAvailable { max_unavailable, max_surge } => {
                n.saturating_sub(kubernetes_unavailable(max_unavailable, max_surge, n))
            }
        }
    }

    fn describe(self, n: u32) -> String {
        match self {
            Bound::Of(a) => a.describe(n),
            Bound::FleetMinus(a) => format!("{} ({n} - {})", self.resolve(n), a.describe(n)),
            Bound::FleetPlus(a) => format!("{} ({n} + {})", self.resolve(n), a.describe(n)),
            Bound::KubernetesAvailable { max_unavailable, max_surge }
                if max_unavailable.resolve(n) == 0 && max_surge.resolve(n) == 0 =>
            {
                format!(
                    "{} ({n} - 1: max_surge and max_unavailable both round to 0 with {n} replicas, so the controller takes max_unavailable = 1)",
                    self.resolve(n)
                )
            }
            Bound::KubernetesAvailable { max_unavailable, .. } => {
                format!("{} ({n} - {})", self.resolve(n), max_unavailable.describe(n))
            }
        }
    }
}

/// Kubernetes' `maxUnavailable` for `n` replicas: rounded down, and 1 when it and `maxSurge`
/// (rounded up) both come to 0 (`ResolveFenceposts` in the Deployment controller).
pub fn kubernetes_unavailable(max_unavailable: Amount, max_surge: Amount, n: u32) -> u32 {
    let (unavailable, surge) = (max_unavailable.resolve(n), max_surge.resolve(n));
    if unavailable == 0 && surge == 0 { 1 } else { unavailable }
}

/// A condition a loop tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Condition {
    /// Some live instance of the original group does not run `version` yet and is not being
    /// deployed.
    Remaining(Version),
}

/// One step of a plan.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Instances the original group launches from now on (scale-out, replacements) run this.
    LaunchVersion(Version),
    /// Launch instances of `version` into `group`, registered in `pool`; the group's desired
    /// count grows by as many. They are tagged with this step's index.
    Launch {
        /// How many.
        count: Count,
        /// Which group they join.
        group: Group,
        /// Which target group they register in.
        pool: Pool,
        /// What they run.
        version: Version,
    },
    /// Take `count` instances of the original group that do not run `version` out of service
    /// and deploy `version` in place. With `detach` they are deregistered and drained first
    /// (rolling); without, the load balancer keeps routing to them while they restart
    /// (all at once) until health checks mark them unhealthy. Tagged with this step's index.
    DeployInPlace {
        /// How many per batch.
        count: Count,
        /// What they will run.
        version: Version,
        /// Deregister and drain first.
        detach: bool,
    },
    /// Wait until every live instance tagged by step `step` is in service, or fail the
    /// deployment after the strategy's timeout.
    WaitHealthy {
        /// The index of the `Launch` or `DeployInPlace` step whose instances to wait for.
        step: usize,
    },
    /// Send `percent` of traffic to `pool` and the rest to the other pool, moving linearly over
    /// `ramp` (a DNS swap: clients move as their cached records expire).
    Route {
        /// Which pool gets `percent`.
        pool: Pool,
        /// Share of traffic, 0 to 100.
        percent: f64,
        /// How long the move takes; zero is a listener or weight change.
        ramp: SimDuration,
    },
    /// Do nothing for a while (canary evaluation, linear interval, keeping the old fleet).
    Wait(SimDuration),
    /// Move every instance of the temporary group into the original group, which from now on
    /// registers in `pool` and launches `version`.
    Adopt {
        /// The pool the original group now uses.
        pool: Pool,
        /// What the original group launches from now on.
        version: Version,
    },
    /// Deregister, drain and terminate the instances tagged by step `step`; their group
    /// shrinks by as many.
    Terminate {
        /// The `Launch` step whose instances go.
        step: usize,
    },
    /// Deregister, drain and terminate every live instance running `version` (the old fleet
    /// after a cut-over); their groups shrink by as many.
    Retire {
        /// Which version goes.
        version: Version,
    },
    /// Replace every task of the original group that does not run `version` by launching new
    /// ones and stopping old ones, keeping at least `min_healthy` tasks healthy and at most
    /// `max_total` tasks running (ECS rolling update, Kubernetes RollingUpdate). Finishes when
    /// every task runs `version` and is in service; fails after the timeout without progress.
    Replace {
        /// Fewest healthy tasks while replacing.
        min_healthy: Bound,
        /// Most tasks at once.
        max_total: Bound,
        /// Whether tasks that are stopping (draining) count toward `max_total`: they do in ECS
        /// (RUNNING, PENDING and STOPPING count), not in Kubernetes (terminating pods do not).
        count_stopping: bool,
        /// What the new tasks run.
        version: Version,
    },
    /// Wait until no instance is draining or shutting down.
    WaitDrained,
    /// Rollback only: terminate the instances the deployment launched that do not run the old
    /// version (with `temporary_only`, only those still in the temporary group), and give the
    /// original group back its pre-deployment size and target group.
    Discard {
        /// Keep the new tasks of the original group (a rolling replacement reverses them).
        temporary_only: bool,
    },
    /// Wait until no instance of the original group is launching, registering, draining or
    /// deploying.
    WaitStable,
    /// The deployment is done: the new version takes all traffic. Steps after this are
    /// clean-up and do not count toward the deployment duration.
    Complete,
    /// Go back to step `to` while `condition` holds.
    RepeatWhile {
        /// What to test.
        condition: Condition,
        /// The step to go back to.
        to: usize,
    },
}

/// What the engine does when a deployment step times out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnFailure {
    /// Stop where it is (Elastic Beanstalk in-place policies: "redeploy manually").
    Stop,
    /// Reverse the deployment (immutable, traffic splitting, blue/green).
    RollBack,
}

/// A compiled strategy.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// Longest wait for instances to become healthy before the deployment fails.
    pub timeout: SimDuration,
    /// What a timed-out step leads to when no `[rollback]` alarm is configured.
    pub on_failure: OnFailure,
    /// Instances per batch when a rollback redeploys in place.
    pub rollback_batch: Count,
    /// How long traffic takes to move back on rollback (the DNS TTL for blue/green).
    pub rollback_ramp: SimDuration,
    /// Elastic Beanstalk's enhanced health gate, when it applies: the worst status a new
    /// instance may have and still pass (`None`: load balancer health checks only).
    pub enhanced_health: Option<crate::vocab::EbStatus>,
    /// Elastic Beanstalk's `IgnoreHealthCheck`: a batch that is not healthy within `timeout`
    /// does not fail the deployment; the next one starts.
    pub ignore_health_check: bool,
    /// Amazon ECS's rolling update rules, when the plan is one: no deployment timeout, failing
    /// tasks replaced, and the deployment circuit breaker.
    pub ecs: Option<EcsRules>,
    /// The second pool is a second Elastic Beanstalk environment (blue/green by CNAME swap):
    /// the plan is explained in environments. The engine runs it like any plan.
    pub environments: bool,
}

/// How an ECS rolling update ends when new tasks keep failing (Amazon ECS Developer Guide,
/// "How the Amazon ECS deployment circuit breaker detects failures",
/// <https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-circuit-breaker.html>).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EcsRules {
    /// The deployment circuit breaker, if enabled.
    pub circuit_breaker: Option<CircuitBreaker>,
}

/// ECS's `deploymentCircuitBreaker`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CircuitBreaker {
    /// Roll back to the last completed deployment when it trips.
    pub rollback: bool,
}

impl CircuitBreaker {
    /// Failed tasks that trip the breaker for a desired count of `n`: half of it, rounded up,
    /// at least 3 and at most 200 (`ServiceDeploymentCircuitBreaker` in the Amazon ECS API
    /// Reference).
    pub fn threshold(n: u32) -> u32 {
        n.div_ceil(2).clamp(3, 200)
    }
}

impl Plan {
    /// The plan of a run with no deployment.
    pub fn none() -> Plan {
        Plan {
            steps: Vec::new(),
            timeout: SimDuration::ZERO,
            on_failure: OnFailure::Stop,
            rollback_batch: Count::All,
            rollback_ramp: SimDuration::ZERO,
            enhanced_health: None,
            ignore_health_check: false,
            ecs: None,
            environments: false,
        }
    }

    /// The plan as numbered sentences in a platform's own words: Fargate runs tasks in an ECS
    /// service, and a blue/green or canary deployment launches a replacement task set; Lambda
    /// moves an alias.
    pub fn explain_on(&self, n: u32, platform: crate::vocab::Platform) -> String {
        let text = self.explain(n);
        if platform == crate::vocab::Platform::Lambda {
            // Lambda plans only move the alias: its weights are the traffic split.
            let text = text.replace("traffic to the second target group", "the alias's traffic to the new version");
            let steps: Vec<&str> = text.lines().filter(|l| !l.starts_with("If instances")).collect();
            return steps.join("\n") + "\nIf a [rollback] alarm fires, the alias goes back to the old version.\n";
        }
        if platform != crate::vocab::Platform::Fargate {
            return text;
        }
        const WORDS: &[(&str, &str)] = &[
            ("the environment's Auto Scaling group", "the ECS service"),
            ("a second Auto Scaling group", "a replacement task set"),
            ("the Auto Scaling group", "the ECS service"),
            ("original group", "service"),
            ("instances", "tasks"),
            ("instance", "task"),
        ];
        WORDS.iter().fold(text, |t, (ec2, fargate)| t.replace(ec2, fargate))
    }

    /// The plan as numbered sentences, for a fleet of `n` instances.
    pub fn explain(&self, n: u32) -> String {
        let mut out = String::new();
        for (i, step) in self.steps.iter().enumerate() {
            let _ = writeln!(out, "{}. {}", i + 1, describe(step, n, self.environments));
        }
        if let Some(threshold) = self.enhanced_health {
            let split = self.steps.iter().any(|s| matches!(s, Step::Route { percent, .. } if *percent < 100.0));
            let _ = writeln!(
                out,
                "Enhanced health: the instances of each step must also pass 12 consecutive checks over 2 minutes with status {} or better before the deployment goes on; an instance whose requests fail often enough to be worse never passes{}.",
                capitalized(threshold.name()),
                if split { ", and while traffic is split such a new fleet fails the deployment at once" } else { "" }
            );
        }
        if let Some(ecs) = self.ecs {
            let end = match ecs.circuit_breaker {
                Some(cb) => format!(
                    "the deployment circuit breaker fails the deployment after {} failed tasks (half of {n}, at least 3, at most 200) and {}",
                    CircuitBreaker::threshold(n),
                    if cb.rollback {
                        "rolls back to the old version"
                    } else {
                        "stops where it is (with a [rollback] alarm configured, the alarm can still roll back)"
                    }
                ),
                None => {
                    "without the deployment circuit breaker the deployment does not end until new tasks pass".to_owned()
                }
            };
            let _ = writeln!(
                out,
                "Any new instance that fails its health checks is stopped and replaced; there is no deployment timeout: {end}."
            );
            return out;
        }
        let failure = match self.on_failure {
            OnFailure::Stop => {
                "the deployment stops where it is (what was already deployed keeps the new version; with a [rollback] alarm configured, it rolls back instead)"
            }
            OnFailure::RollBack => "traffic goes back to the old version and the new instances are terminated",
        };
        if self.ignore_health_check {
            let _ = writeln!(
                out,
                "If instances are not healthy within {} (the deployment timeout), the deployment goes on regardless (ignore_health_check).",
                self.timeout
            );
        } else {
            let _ = writeln!(
                out,
                "If instances are not healthy within {} (the deployment timeout), {failure}.",
                self.timeout
            );
        }
        out
    }
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn version_name(v: Version) -> &'static str {
    match v {
        Version::Old => "the old version",
        Version::New => "the new version",
    }
}

fn pool_name(p: Pool) -> &'static str {
    match p {
        Pool::Primary => "the primary target group",
        Pool::Secondary => "the second target group",
    }
}

fn describe(step: &Step, n: u32, environments: bool) -> String {
    match step {
        Step::Launch { count, group: Group::Temporary, pool: Pool::Secondary, version } if environments => format!(
            "Create a second environment (its own Auto Scaling group and load balancer) with {} running {}; they boot and must pass health checks.",
            count.describe(n),
            version_name(*version)
        ),
        Step::Route { pool: Pool::Secondary, percent, ramp } if environments => format!(
            "Swap the two environments' CNAMEs: clients move to the new environment as their cached DNS records expire, {percent} % after {ramp} (the TTL)."
        ),
        Step::Adopt { .. } if environments => {
            "The new environment is now the production one (Elastic Beanstalk moves no instances between environments; from here on deploysim counts it as the service's fleet).".to_owned()
        }
        Step::Retire { version: Version::Old } if environments => {
            "Terminate the old environment: its instances are deregistered, drained and terminated. Elastic Beanstalk never does this by itself; `keep_old` is when you do.".to_owned()
        }
        Step::LaunchVersion(v) => {
            format!("From now on the Auto Scaling group launches {}.", version_name(*v))
        }
        Step::Launch { count, group, pool, version } => {
            let group = match group {
                Group::Original => "into the environment's Auto Scaling group",
                Group::Temporary => "into a second Auto Scaling group",
            };
            format!(
                "Launch {} {group} running {}; they boot, register in {} and must pass health checks.",
                count.describe(n),
                version_name(*version),
                pool_name(*pool)
            )
        }
        Step::DeployInPlace { count, version, detach } => {
            if *detach {
                format!(
                    "Deregister {} still running the old code from the load balancer, drain them, deploy {} in place and register them again.",
                    count.describe(n),
                    version_name(*version)
                )
            } else {
                format!(
                    "Deploy {} to {} in place without deregistering them: each is out of service while it restarts.",
                    version_name(*version),
                    count.describe(n)
                )
            }
        }
        Step::WaitHealthy { step } => {
            format!("Wait until the instances of step {} pass health checks and are in service.", step + 1)
        }
        Step::Route { pool, percent, ramp } => {
            if ramp.is_zero() {
                format!("Send {percent} % of traffic to {}.", pool_name(*pool))
            } else {
                format!(
                    "Swap DNS: clients move to {} as their cached records expire, {percent} % after {ramp} (the TTL).",
                    pool_name(*pool)
                )
            }
        }
        Step::Wait(d) => format!("Wait {d}."),
        Step::Adopt { .. } => {
            "Move the new instances into the environment's Auto Scaling group; it now launches the new version."
                .to_owned()
        }
        Step::Terminate { step } => {
            format!("Deregister, drain and terminate the instances of step {}.", step + 1)
        }
        Step::Retire { version } => {
            format!("Deregister, drain and terminate every instance running {}.", version_name(*version))
        }
        Step::Replace { min_healthy, max_total, count_stopping, version } => {
            let counted = if *count_stopping {
                "running, starting or stopping"
            } else {
                "running or starting (stopping ones not counted)"
            };
            format!(
                "Replace every task not running {}: start new tasks and stop old ones as they can, keeping at least {} healthy and at most {} {counted}; repeat as new tasks pass health checks.",
                version_name(*version),
                min_healthy.describe(n),
                max_total.describe(n),
            )
        }
        Step::WaitDrained => "Wait until draining instances have shut down.".to_owned(),
        Step::Discard { temporary_only } => {
            let which = if *temporary_only { "in the temporary group" } else { "that the deployment launched" };
            format!("Terminate the new instances {which}; the original group returns to its size.")
        }
        Step::WaitStable => "Wait until every instance of the original group is in service.".to_owned(),
        Step::Complete => "The deployment is complete: the new version serves all traffic.".to_owned(),
        Step::RepeatWhile { condition: Condition::Remaining(v), to } => {
            format!("Repeat from step {} while some instance does not run {} yet.", to + 1, version_name(*v))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_round_as_ecs_and_kubernetes_do() {
        // ECS, desired 4: 50 % minimum healthy -> 2, 200 % maximum -> 8; desired 3 at 125 % -> 3.
        assert_eq!(Bound::Of(Amount::PercentUp(50.0)).resolve(4), 2);
        assert_eq!(Bound::Of(Amount::PercentDown(200.0)).resolve(4), 8);
        assert_eq!(Bound::Of(Amount::PercentDown(125.0)).resolve(3), 3);
        assert_eq!(Bound::Of(Amount::PercentUp(75.0)).resolve(2), 2);
        // Kubernetes, replicas 3 at 25 %/25 %: surge ceil(0.75) = 1, unavailable floor(0.75) = 0.
        assert_eq!(Bound::FleetPlus(Amount::PercentUp(25.0)).resolve(3), 4);
        assert_eq!(Bound::FleetMinus(Amount::PercentDown(25.0)).resolve(3), 3);
        assert_eq!(Bound::FleetMinus(Amount::PercentDown(25.0)).resolve(4), 3);
        assert_eq!(Bound::FleetPlus(Amount::PercentUp(25.0)).resolve(4), 5);
        assert_eq!(Bound::Of(Amount::PercentDown(30.0)).resolve(10), 3);
    }

    #[test]
    fn counts_round_up_and_stay_in_range() {
        assert_eq!(Count::Percent(25.0).resolve(8), 2);
        assert_eq!(Count::Percent(25.0).resolve(10), 3);
        assert_eq!(Count::Percent(30.0).resolve(10), 3);
        assert_eq!(Count::Percent(1.0).resolve(10), 1);
        assert_eq!(Count::Percent(100.0).resolve(10), 10);
        assert_eq!(Count::Fixed(0).resolve(10), 1);
        assert_eq!(Count::Fixed(12).resolve(10), 10);
        assert_eq!(Count::FleetMinus(1).resolve(8), 7);
    }
}
