//! The vocabulary every layer shares: which version an instance runs, which target group and
//! Auto Scaling group it belongs to, the platform, Elastic Beanstalk's health statuses, how a
//! deployment ended, and a metric summarized across replications. This module imports nothing
//! from the rest of the core, so models, plans, strategies, the engine and reports can all
//! name these without importing each other (ARCHITECTURE.md, "Layers").

use serde::{Deserialize, Serialize};

/// Which code an instance runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Version {
    /// What runs before the deployment.
    Old,
    /// What is being deployed.
    New,
}

impl Version {
    /// The other version.
    pub fn other(self) -> Version {
        match self {
            Version::Old => Version::New,
            Version::New => Version::Old,
        }
    }

    /// Index for per-version arrays.
    pub fn idx(self) -> usize {
        self as usize
    }
}

/// Which load balancer target group (or, for blue/green, which environment) traffic goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Pool {
    /// The environment's own target group.
    Primary,
    /// A second target group (traffic splitting) or a second environment (blue/green).
    Secondary,
}

impl Pool {
    /// Index for per-pool arrays.
    pub fn idx(self) -> usize {
        self as usize
    }
}

/// Which Auto Scaling group instances belong to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    /// The environment's group, the one Auto Scaling resizes.
    Original,
    /// A temporary group (immutable, traffic splitting) or the green environment's group.
    Temporary,
}

impl Group {
    /// Index for per-group arrays.
    pub fn idx(self) -> usize {
        self as usize
    }
}

/// Which platform the service runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    /// EC2 instances in Auto Scaling groups behind a load balancer.
    Ec2,
    /// Fargate tasks behind a load balancer (ECS).
    Fargate,
    /// A Lambda function behind an alias.
    Lambda,
}

impl Platform {
    /// The name used in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            Platform::Ec2 => "ec2",
            Platform::Fargate => "fargate",
            Platform::Lambda => "lambda",
        }
    }
}

/// An Elastic Beanstalk instance's enhanced health status, best first (AWS Elastic Beanstalk
/// Developer Guide, "Health colors and statuses",
/// <https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/health-enhanced-status.html>).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EbStatus {
    /// Ok (green).
    Ok,
    /// Warning (yellow): "a moderate number of request failures".
    Warning,
    /// Degraded (red): "a high number of request failures".
    Degraded,
    /// Severe (red): "a very high number of request failures".
    Severe,
}

impl EbStatus {
    /// The status of an instance whose requests fail at `rate` (5xx). AWS describes the
    /// statuses in words only ("moderate", "high", "very high"); these cut-offs are our
    /// assumption: Warning from 1 %, Degraded from 10 %, Severe from 25 %.
    pub fn of_error_rate(rate: f64) -> EbStatus {
        if rate >= 0.25 {
            EbStatus::Severe
        } else if rate >= 0.10 {
            EbStatus::Degraded
        } else if rate >= 0.01 {
            EbStatus::Warning
        } else {
            EbStatus::Ok
        }
    }

    /// The name in scenario files.
    pub fn name(self) -> &'static str {
        match self {
            EbStatus::Ok => "ok",
            EbStatus::Warning => "warning",
            EbStatus::Degraded => "degraded",
            EbStatus::Severe => "severe",
        }
    }
}

/// How a deployment ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The new version serves all traffic.
    Completed,
    /// The alarm fired or a step timed out, and the old version was restored.
    RolledBack,
    /// A step timed out and the deployment stopped where it was.
    Failed,
    /// The run ended before the deployment finished.
    Incomplete,
    /// The baseline: no deployment.
    None,
}

/// What stopped a deployment that rolled back or failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// The `[rollback]` CloudWatch alarm went into ALARM.
    Alarm,
    /// Instances or tasks of a step were not healthy before the step's timeout (Elastic
    /// Beanstalk's command timeout, a rolling replacement that stopped making progress).
    Timeout,
    /// Elastic Beanstalk's enhanced health saw the new instances above
    /// `health_check_success_threshold` while traffic was split.
    EnhancedHealth,
    /// The ECS deployment circuit breaker counted enough failed tasks.
    CircuitBreaker,
}

/// A metric across replications.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Replications that have the metric (`rollback_detect_s` only those that rolled back).
    pub n: u32,
    /// Mean.
    pub mean: f64,
    /// Half-width of the 95 % confidence interval of the mean (Student's t; 0 for one value).
    pub half_width: f64,
    /// `mean - half_width`.
    pub low: f64,
    /// `mean + half_width`.
    pub high: f64,
    /// Sample standard deviation.
    pub sd: f64,
    /// Smallest value.
    pub min: f64,
    /// 5th percentile.
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Largest value.
    pub max: f64,
}

/// What an expectation is checked against when there are several replications.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// The mean across replications.
    Mean,
    /// The pessimistic end of the 95 % interval (`--strict`): the high end for a maximum, the
    /// low end for a minimum; a true/false check must hold in every replication.
    Pessimistic,
}
