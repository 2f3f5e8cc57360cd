//! What a workload is billed for beyond its compute, and the sizes and settings `simulate
//! cost` prices it on: the scenario's `[cost]` table ([`CostOptions`]). A model like the
//! others: runs bill their front door and data transfer with it (`crate::bill`), and
//! `crate::cost` estimates a month with it.

use crate::units::SimDuration;

/// What sits in front of the service and is billed for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Front {
    /// An Application Load Balancer: hours and LCU-hours.
    Alb,
    /// An API Gateway HTTP API: per million requests.
    ApiGatewayHttp,
    /// An API Gateway REST API: per million requests.
    ApiGatewayRest,
    /// Nothing billed (a front priced elsewhere, or direct invocation).
    None,
}

impl Front {
    /// The name used in scenario files and reports.
    pub fn name(self) -> &'static str {
        match self {
            Front::Alb => "alb",
            Front::ApiGatewayHttp => "api_gateway_http",
            Front::ApiGatewayRest => "api_gateway_rest",
            Front::None => "none",
        }
    }
}

/// The EC2 option of a cost estimate.
#[derive(Clone, Debug, PartialEq)]
pub struct Ec2Choice {
    /// Instance type.
    pub instance_type: String,
    /// Its vCPUs (0 when unknown: `capacity_rps` is then required).
    pub vcpu: f64,
    /// On-Demand USD per hour, before discounts.
    pub usd_per_hour: f64,
    /// Requests per second one instance serves at 100 % utilization, when given.
    pub capacity_rps: Option<f64>,
}

/// The Fargate option of a cost estimate.
#[derive(Clone, Debug, PartialEq)]
pub struct FargateChoice {
    /// Task vCPU.
    pub cpu: f64,
    /// Task memory, GB.
    pub memory_gb: f64,
    /// Task ephemeral storage, GB.
    pub ephemeral_gb: f64,
    /// Graviton.
    pub arm: bool,
    /// Requests per second one task serves at 100 % utilization, when given.
    pub capacity_rps: Option<f64>,
}

/// The Lambda option of a cost estimate.
#[derive(Clone, Debug, PartialEq)]
pub struct LambdaChoice {
    /// Memory, MB.
    pub memory_mb: u32,
    /// Graviton.
    pub arm: bool,
    /// Ephemeral storage, MB.
    pub ephemeral_mb: u32,
    /// Provisioned concurrency kept on all month.
    pub provisioned: u32,
    /// Account or function concurrency limit.
    pub concurrency_limit: u32,
}

/// `[cost]`: how a workload is billed beyond its compute, and the options `simulate cost`
/// prices it on.
#[derive(Clone, Debug, PartialEq)]
pub struct CostOptions {
    /// The billing month (730 h, the AWS calculator's convention).
    pub month: SimDuration,
    /// The front door.
    pub front: Front,
    /// Utilization fleets are sized for.
    pub target_utilization: f64,
    /// Availability zones a fleet is spread over (its size is rounded up to a multiple).
    pub zones: u32,
    /// Spare instances or tasks beyond the need (1 = N+1).
    pub spare: u32,
    /// Request size, KB: processed by the front, metered by HTTP APIs in 512 KB steps.
    pub request_kb: f64,
    /// Response size, KB: processed by the front and sent out to the internet.
    pub response_kb: f64,
    /// Requests each client connection carries (HTTP keep-alive).
    pub requests_per_connection: f64,
    /// How long a client connection stays open, seconds.
    pub connection_duration: f64,
    /// Listener rules an ALB evaluates per request (10 are free).
    pub rules: f64,
    /// Requests in flight one vCPU sustains at 100 % utilization: a fleet unit serves
    /// `vCPU × this ÷ mean request time` requests per second unless `capacity_rps` is given.
    pub concurrency_per_vcpu: f64,
    /// Where `concurrency_per_vcpu` comes from, for the estimate's assumptions: the default,
    /// `[cost]`, or a `capacity_rps` written in `[service]`.
    pub concurrency_source: String,
    /// EC2 sizing.
    pub ec2: Ec2Choice,
    /// Fargate sizing.
    pub fargate: FargateChoice,
    /// Lambda configuration.
    pub lambda: LambdaChoice,
}
