//! Scenarios: the validated form of a scenario file (docs/scenarios.md).
//!
//! `Scenario::parse` reads TOML text, lowers it by hand into these types and reports every
//! problem at once, each located by file, line, column and key. Files the scenario refers to
//! (traffic traces) come from the host through `World`, so the core does no IO.

mod billing;
mod lower;
mod read;
mod schema;
pub mod set;

pub use schema::SCHEMA;

use crate::dist::Dist;
use crate::expect::Expectations;
use crate::model::choices::CostOptions;
use crate::model::fleet::HealthCheck;
use crate::model::pricing::{Prices, UnitPrice};
pub use crate::model::rollback::{AlarmScope, MissingData, Rollback};
pub use crate::model::scaling::Scaling;
use crate::model::traffic::Traffic;
use crate::plan::Plan;
use crate::strategy::{Params, StrategyDef};
use crate::units::SimDuration;
pub use crate::vocab::{EbStatus, Platform};

/// Bounds that keep every run finite and small enough to finish quickly.
pub mod limits {
    /// Most instances in a fleet (desired count and Auto Scaling maximum).
    pub const MAX_INSTANCES: u64 = 10_000;
    /// Most ticks in one run (`(warmup + horizon) / tick`).
    pub const MAX_TICKS: u64 = 10_000_000;
    /// Shortest tick.
    pub const MIN_TICK_MICROS: u64 = 1_000;
    /// Highest request rate, per second.
    pub const MAX_RATE: f64 = 1e9;
    /// Most requests in one run (peak rate times duration).
    pub const MAX_REQUESTS: f64 = 1e15;
    /// Most strategies in one scenario.
    pub const MAX_STRATEGIES: usize = 64;
    /// Most replications.
    pub const MAX_REPLICATIONS: u64 = 100_000;
    /// Most rows in a traffic trace, and samples in an empirical distribution.
    pub const MAX_POINTS: usize = 1_000_000;
    /// Longest horizon.
    pub const MAX_HORIZON_SECS: u64 = 366 * 86_400;
    /// Most fleet ticks over all runs of a scenario (replications × (strategies + 1) × ticks):
    /// a few minutes of one core.
    pub const MAX_TICK_RUNS: f64 = 2e9;
    /// Most Lambda requests over all runs of a scenario (replications × (strategies + 1) ×
    /// requests): a few minutes of one core.
    pub const MAX_REQUEST_RUNS: f64 = 5e9;
    /// Most Lambda requests in one tick (highest rate × tick): a tick's arrival times are held
    /// at once, so this bounds their memory (16 MB).
    pub const MAX_TICK_REQUESTS: f64 = 1e6;
    /// Most traffic shifts in one plan (`linear`: 100 / `percent`), so a plan and its
    /// explanation stay small.
    pub const MAX_SHIFTS: f64 = 1_000.0;
    /// Longest mean request time on a fleet, seconds: an hour (an Application Load
    /// Balancer's idle timeout is at most 4 000 s).
    pub const MAX_REQUEST_SECS: f64 = 3_600.0;
    /// Longest mean request time on Lambda, seconds: the function timeout's maximum, 900 s
    /// (AWS Lambda Developer Guide, "Configure Lambda function timeout",
    /// <https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html>).
    pub const MAX_LAMBDA_REQUEST_SECS: f64 = 900.0;
    /// Most ticks of one fleet simulation in `simulate cost` (a pattern's period at the
    /// scenario's tick); a longer period is simulated with a longer tick.
    pub const MAX_COST_TICKS: f64 = 1e5;
}

/// Supplies files a scenario refers to. The CLI reads them relative to the scenario's folder;
/// the browser has none.
pub trait World {
    /// The text of `path`, or a sentence saying why it cannot be had.
    fn read(&self, path: &str) -> Result<String, String>;
}

/// A world with no files.
pub struct NoFiles;

impl World for NoFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        Err(format!("`{path}` cannot be read here: this host has no files"))
    }
}

/// When a run stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunUntil {
    /// Once every strategy has finished and its fleet is stable (never past the horizon).
    Settled,
    /// Always at the horizon.
    Horizon,
}

/// The service being deployed: a fleet of EC2 instances or of Fargate tasks ("instances" below
/// means either).
#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    /// The platform.
    pub platform: Platform,
    /// Time to serve one request at low load.
    pub request_time: Dist,
    /// Desired instance count before the deployment.
    pub instances: u32,
    /// What one unit is: the EC2 instance type, or the Fargate task size.
    pub unit: String,
    /// What one running instance or task costs (bundled table or `[pricing]`, discount
    /// applied).
    pub price: UnitPrice,
    /// EC2: the instance type's On-Demand USD per hour before discounts (0 on Fargate).
    pub usd_per_hour: f64,
    /// The unit's size (vCPU, memory, storage, architecture) where known.
    pub size: UnitSize,
    /// Requests per second one healthy instance serves at 100 % utilization.
    pub capacity_rps: f64,
    /// Launch until the application listens.
    pub boot_time: Dist,
    /// In-place deploy: stop, install, restart.
    pub deploy_time: Dist,
    /// Load balancer health checks.
    pub health_check: HealthCheck,
    /// Deregistration delay.
    pub drain: SimDuration,
    /// EC2 (Elastic Beanstalk): basic or enhanced health reporting.
    pub health_reporting: HealthReporting,
    /// Fargate (ECS): `healthCheckGracePeriodSeconds`, during which a new task's failing load
    /// balancer health checks are ignored.
    pub health_check_grace_period: SimDuration,
    /// Auto Scaling minimum.
    pub min: u32,
    /// Auto Scaling maximum.
    pub max: u32,
    /// Target tracking, if any.
    pub scaling: Option<Scaling>,
}

/// Elastic Beanstalk's health reporting (`aws:elasticbeanstalk:healthreporting:system`
/// `SystemType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HealthReporting {
    /// Basic: an instance is healthy when the load balancer says so.
    Basic,
    /// Enhanced (the default for environments created in the console or with the EB CLI):
    /// every instance of a batch must also pass 12 consecutive checks over 2 minutes at
    /// `threshold` or better (`HealthCheckSuccessThreshold`).
    Enhanced {
        /// The worst status that still passes.
        threshold: EbStatus,
    },
}

/// Defaults of a fleet service that other modules need too.
pub mod defaults {
    use super::Platform;
    use crate::dist::Dist;
    use crate::model::fleet::HealthCheck;
    use crate::units::SimDuration;

    /// Elastic Beanstalk's load balancer health check defaults (AWS Elastic Beanstalk Developer
    /// Guide, "General options for all environments", `aws:elasticbeanstalk:environment:process:default`):
    /// every 15 s, healthy after 3 passes, unhealthy after 5 failures.
    pub const HEALTH: HealthCheck =
        HealthCheck { interval: SimDuration::from_secs(15), healthy_threshold: 3, unhealthy_threshold: 5 };

    /// Elastic Beanstalk's deregistration delay, 20 s.
    pub const DRAIN: SimDuration = SimDuration::from_secs(20);

    /// An Application Load Balancer target group's defaults, what an ECS service's target
    /// group gets (Elastic Load Balancing, "Health checks for your target groups"): every 30 s,
    /// healthy after 5 passes, unhealthy after 2 failures.
    pub const TARGET_GROUP_HEALTH: HealthCheck =
        HealthCheck { interval: SimDuration::from_secs(30), healthy_threshold: 5, unhealthy_threshold: 2 };

    /// A target group's default deregistration delay, 300 s ("Target groups for your
    /// Application Load Balancers").
    pub const TARGET_GROUP_DRAIN: SimDuration = SimDuration::from_secs(300);

    /// The health check defaults on `platform`: Elastic Beanstalk's on ec2, a target group's on
    /// fargate.
    pub fn health(platform: Platform) -> HealthCheck {
        if platform == Platform::Fargate { TARGET_GROUP_HEALTH } else { HEALTH }
    }

    /// The deregistration delay on `platform`.
    pub fn drain(platform: Platform) -> SimDuration {
        if platform == Platform::Fargate { TARGET_GROUP_DRAIN } else { DRAIN }
    }

    /// Launch until the application listens: an EC2 instance's boot, or a Fargate task's
    /// image pull and start ("30-45 s or more", AWS re:Post answer,
    /// <https://repost.aws/questions/QUjZAzJd27SZWxXM7MgyxOZw>).
    pub fn boot_time(platform: Platform) -> Dist {
        match platform {
            Platform::Fargate => Dist::lognormal_from_median_p95(40.0, 75.0),
            _ => Dist::lognormal_from_median_p95(60.0, 150.0),
        }
    }
}

/// The size of a fleet unit: an EC2 instance type's (from the bundled table) or a Fargate task's.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct UnitSize {
    /// vCPUs (0 when unknown).
    pub vcpu: f64,
    /// Memory, GB.
    pub memory_gb: f64,
    /// Ephemeral storage, GB (Fargate).
    pub ephemeral_gb: f64,
    /// Graviton (Arm).
    pub arm: bool,
}

/// A Lambda function (`platform = "lambda"`): its environments' behaviour and what it is
/// billed on.
#[derive(Clone, Debug, PartialEq)]
pub struct LambdaService {
    /// The environment pool's configuration.
    pub function: crate::model::lambda::Function,
    /// Configured memory, MB (duration is billed per GB-second of it).
    pub memory_mb: u32,
    /// Arm (Graviton) rather than x86.
    pub arm: bool,
    /// Ephemeral storage, MB (512 MB are free).
    pub ephemeral_mb: u32,
}

/// What is wrong with the version being deployed.
#[derive(Clone, Debug, PartialEq)]
pub struct NewVersion {
    /// Fraction of its requests that fail.
    pub error_rate: f64,
    /// It never passes load balancer health checks.
    pub fails_health_check: bool,
    /// Its requests take this many times as long (and its instances serve this many times fewer).
    pub latency_factor: f64,
}

impl Default for NewVersion {
    fn default() -> Self {
        NewVersion { error_rate: 0.0, fails_health_check: false, latency_factor: 1.0 }
    }
}

/// One strategy to compare.
#[derive(Clone)]
pub struct Strategy {
    /// Its kind.
    pub def: &'static StrategyDef,
    /// Display name (the kind unless `label` is given).
    pub label: String,
    /// Its parameters, defaults filled in.
    pub params: Params,
    /// Checks for this strategy only.
    pub expect: Expectations,
}

impl Strategy {
    /// The compiled plan.
    pub fn plan(&self) -> Plan {
        (self.def.compile)(&self.params)
    }
}

impl std::fmt::Debug for Strategy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Strategy")
            .field("kind", &self.def.kind)
            .field("label", &self.label)
            .field("params", &self.params)
            .finish()
    }
}

/// A validated scenario.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Display name.
    pub name: String,
    /// What it teaches or checks.
    pub description: String,
    /// Seed of every random stream.
    pub seed: u64,
    /// Simulated time after the warm-up.
    pub horizon: SimDuration,
    /// Time simulated before metrics count.
    pub warmup: SimDuration,
    /// When the deployment starts, after the warm-up.
    pub deploy_at: SimDuration,
    /// Monte Carlo runs.
    pub replications: u32,
    /// Accounting step of the fleet model.
    pub tick: SimDuration,
    /// When the run stops.
    pub run_until: RunUntil,
    /// Demand.
    pub traffic: Traffic,
    /// The service. On Lambda its fleet fields are empty and `lambda` holds the function.
    pub service: Service,
    /// The function, when `service.platform` is Lambda.
    pub lambda: Option<LambdaService>,
    /// The prices it is billed with: the bundled table, `[pricing]` overrides, discounts and
    /// the free tier.
    pub prices: Prices,
    /// `[cost]`: the front door, request sizes and the options `simulate cost` compares.
    pub cost: CostOptions,
    /// The version being deployed.
    pub new_version: NewVersion,
    /// Automatic rollback, if configured.
    pub rollback: Option<Rollback>,
    /// Strategies to compare, in file order.
    pub strategies: Vec<Strategy>,
    /// Checks for every strategy.
    pub expect: Expectations,
    /// Likely mistakes in valid values (a percentage written as a fraction, a rolling batch
    /// as large as the fleet), located, in file order; hosts print them as warnings.
    pub warnings: Vec<crate::diag::Diagnostic>,
}

impl Scenario {
    /// Why running every replication of this scenario would exceed the work limits, if it
    /// would (checked when the file is read and again after `--runs`).
    pub fn work_limit_error(&self) -> Option<String> {
        let runs = f64::from(self.replications) * (self.strategies.len() + 1) as f64;
        let secs = (self.warmup + self.horizon).as_secs_f64();
        let ticks = secs / self.tick.as_secs_f64().max(1e-6);
        if runs * ticks > limits::MAX_TICK_RUNS {
            return Some(format!(
                "{} replications × {} runs × {ticks:.0} ticks = {:.2e} ticks is over the limit of {:.0e}; use fewer replications, a shorter horizon or a longer tick",
                self.replications,
                self.strategies.len() + 1,
                runs * ticks,
                limits::MAX_TICK_RUNS
            ));
        }
        if self.lambda.is_some() {
            let requests = self.traffic.pattern.peak_rate() * secs * runs;
            if requests > limits::MAX_REQUEST_RUNS {
                return Some(format!(
                    "about {requests:.2e} Lambda requests over {} replications is over the limit of {:.0e}; use fewer replications, a lower rate or a shorter horizon",
                    self.replications,
                    limits::MAX_REQUEST_RUNS
                ));
            }
        }
        None
    }
}
