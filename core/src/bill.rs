//! What one run is billed: the fleet's or function's compute (in `crate::run`), and here the
//! Lambda bill, the front door (`[cost] front`) and data transfer out, from the run's counts.
//!
//! Monthly tiers and free allowances apply per started 31-day month of the measured window, as
//! if the run were the account's only usage (DESIGN §2 `free_tier`).

use crate::cost::{CostOptions, Front};
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

/// What a Lambda function is billed over a window of `window_s` seconds: requests, duration
/// (already rounded up to 1 ms per request) by GB of memory through the monthly tiers,
/// provisioned concurrency for the window rounded up to 5 minutes, and ephemeral storage
/// beyond 512 MB for the duration. With `free_tier`, the monthly allowance comes off on-demand
/// requests and duration; it does not apply to functions with provisioned concurrency
/// (aws-prices.md §G.1).
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
    let months = started_months(window_s);
    let mut request_count = requests as f64;
    let mut gb_seconds = billed_ms as f64 / 1_000.0 * gb;
    let provisioned = f.function.provisioned;
    if free_tier && provisioned == 0 {
        request_count = (request_count - pricing::LAMBDA_FREE_REQUESTS * months).max(0.0);
        gb_seconds = (gb_seconds - pricing::LAMBDA_FREE_GB_SECONDS * months).max(0.0);
    }
    let provisioned_gb_seconds = billed_ms_provisioned as f64 / 1_000.0 * gb;
    let granule = pricing::PROVISIONED_GRANULARITY.as_secs_f64();
    let configured_secs = if window_s > 0.0 { (window_s / granule).ceil() * granule } else { 0.0 };
    let storage_gb = (f64::from(f.ephemeral_mb) - pricing::LAMBDA_FREE_STORAGE_MB).max(0.0) / 1_024.0;
    let duration_secs = (billed_ms + billed_ms_provisioned) as f64 / 1_000.0;
    let compute = p.lambda_duration(f.arm, gb_seconds / months) * months
        + p.lambda_provisioned_duration(f.arm, provisioned_gb_seconds);
    CostBreakdown {
        compute: round(compute, 6),
        requests: round(p.lambda_requests(request_count), 6),
        provisioned: round(p.lambda_provisioned(f.arm, f64::from(provisioned) * gb * configured_secs), 6),
        storage: round(storage_gb * duration_secs * p.lambda_storage_gb_second, 6),
        ..CostBreakdown::default()
    }
}
