//! What one run is billed: the fleet's or function's compute (in `crate::run`), and here the
//! Lambda bill, the front door (`[cost] front`) and data transfer out, from the run's counts.
//!
//! Monthly tiers and free allowances apply per started 31-day month of the measured window, as
//! if the run were the account's only usage (`free_tier` in docs/scenarios.md).

use crate::model::choices::{CostOptions, Front};
use crate::model::pricing::{self, AlbLoad, Prices};
use crate::report::{CostBreakdown, round};
use crate::scenario::LambdaService;

/// Started 31-day months in a window of `window_s` seconds (at least one).
pub(crate) fn started_months(window_s: f64) -> f64 {
    (window_s / (31.0 * 86_400.0)).ceil().max(1.0)
}

/// The ALB load of an hour in which `arrivals` requests came.
pub(crate) fn alb_load(c: &CostOptions, arrivals_per_s: f64, lambda_targets: bool) -> AlbLoad {
    let new_connections_per_s = arrivals_per_s / c.requests_per_connection;
    AlbLoad {
        new_connections_per_s,
        active_connections: new_connections_per_s * c.connection_duration,
        processed_gb_per_hour: arrivals_per_s * 3_600.0 * (c.request_kb + c.response_kb) / pricing::KB_PER_LCU_GB,
        rule_evaluations_per_s: arrivals_per_s * (c.rules - pricing::ALB_FREE_RULES).max(0.0),
        lambda_targets,
    }
}

/// The front door, USD: `(load_balancer, api_gateway)` for `requests` arriving over a window
/// of `window_s` seconds, `hourly` holding the arrivals of each hour of it.
pub(crate) fn front(
    c: &CostOptions,
    p: &Prices,
    hourly: &[u64],
    requests: u64,
    window_s: f64,
    lambda_targets: bool,
) -> (f64, f64) {
    match c.front {
        Front::Alb => {
            let hours = (window_s / 3_600.0).ceil();
            let lcu_hours: f64 = hourly.iter().map(|&n| alb_load(c, n as f64 / 3_600.0, lambda_targets).lcu()).sum();
            (round(p.alb(hours, lcu_hours), 6), 0.0)
        }
        Front::ApiGatewayHttp | Front::ApiGatewayRest => {
            let months = started_months(window_s);
            let rest = c.front == Front::ApiGatewayRest;
            (0.0, round(p.api_gateway(rest, requests as f64 / months, c.request_kb) * months, 6))
        }
        Front::None => (0.0, 0.0),
    }
}

/// Data transfer out for `responses` over a window of `window_s` seconds, USD.
pub(crate) fn transfer(c: &CostOptions, p: &Prices, responses: u64, window_s: f64) -> f64 {
    let gb = responses as f64 * c.response_kb / pricing::KB_PER_TRANSFER_GB;
    round(p.data_transfer_out(gb, started_months(window_s)), 6)
}

/// What a Lambda function used, to be billed.
pub(crate) struct LambdaUsage {
    /// Requests that ran.
    pub requests: f64,
    /// GB-seconds of duration on on-demand environments (each request rounded up to 1 ms).
    pub on_demand_gb_s: f64,
    /// GB-seconds of duration on provisioned environments.
    pub provisioned_gb_s: f64,
    /// GB-seconds of provisioned concurrency configured.
    pub configured_gb_s: f64,
    /// Seconds of billed duration, both kinds (ephemeral storage is billed for it).
    pub duration_s: f64,
    /// Months the usage spans (tiers and free allowances are monthly).
    pub months: f64,
    /// Apply the free allowance (not for functions with provisioned concurrency).
    pub free: bool,
}

/// The Lambda bill (AWS Lambda pricing, <https://aws.amazon.com/lambda/pricing/>): requests;
/// on-demand duration through the monthly tiers after the free allowance; duration on
/// provisioned environments; provisioned concurrency configured; ephemeral storage beyond
/// 512 MB for the billed duration.
pub(crate) fn lambda_bill(p: &Prices, arm: bool, ephemeral_mb: u32, u: &LambdaUsage) -> CostBreakdown {
    let (mut requests, mut gb_s) = (u.requests, u.on_demand_gb_s);
    if u.free {
        requests = (requests - pricing::LAMBDA_FREE_REQUESTS * u.months).max(0.0);
        gb_s = (gb_s - pricing::LAMBDA_FREE_GB_SECONDS * u.months).max(0.0);
    }
    let storage_gb = (f64::from(ephemeral_mb) - pricing::LAMBDA_FREE_STORAGE_MB).max(0.0) / 1_024.0;
    let compute =
        p.lambda_duration(arm, gb_s / u.months) * u.months + p.lambda_provisioned_duration(arm, u.provisioned_gb_s);
    CostBreakdown {
        compute: round(compute, 6),
        requests: round(p.lambda_requests(requests), 6),
        provisioned: round(p.lambda_provisioned(arm, u.configured_gb_s), 6),
        storage: round(storage_gb * u.duration_s * p.lambda_storage_gb_second, 6),
        ..CostBreakdown::default()
    }
}

/// What a Lambda function is billed over a run's window of `window_s` seconds, from the
/// pool's tallies; provisioned concurrency is configured for the window rounded up to 5
/// minutes; the free allowance comes once per started 31-day month.
pub(crate) fn lambda(
    p: &Prices,
    f: &LambdaService,
    requests: u64,
    billed_ms: u64,
    billed_ms_provisioned: u64,
    window_s: f64,
    free_tier: bool,
) -> CostBreakdown {
    let gb = f64::from(f.memory_mb) / 1_024.0;
    let granule = pricing::PROVISIONED_GRANULARITY.as_secs_f64();
    let configured_secs = if window_s > 0.0 { (window_s / granule).ceil() * granule } else { 0.0 };
    let usage = LambdaUsage {
        requests: requests as f64,
        on_demand_gb_s: billed_ms as f64 / 1_000.0 * gb,
        provisioned_gb_s: billed_ms_provisioned as f64 / 1_000.0 * gb,
        configured_gb_s: f64::from(f.function.provisioned) * gb * configured_secs,
        duration_s: (billed_ms + billed_ms_provisioned) as f64 / 1_000.0,
        months: started_months(window_s),
        free: free_tier && f.function.provisioned == 0,
    };
    lambda_bill(p, f.arm, f.ephemeral_mb, &usage)
}
