//! AWS's published worked pricing examples, each built as a scenario and priced by the tool:
//! by a run where the example is a run (a fleet for some hours, a function for a month), by
//! `simulate cost`'s monthly estimate where it is a monthly volume. Sources and verbatim texts:
//! the Lambda, Fargate and API Gateway pricing pages (https://aws.amazon.com/lambda/pricing/,
//! <https://aws.amazon.com/fargate/pricing/>, <https://aws.amazon.com/api-gateway/pricing/>; the
//! examples' inputs and line items are quoted in docs/pricing.md). AWS rounds each line to the cent and adds the
//! rounded lines; the tests compare each line and the total to the cent.
//!
//! Every example leaves out what it does not mention: `[cost] front = "none"` and
//! `response_kb = 0` unless it prices a front door or data transfer.

use deploysim_core::cost::{Estimate, estimate};
use deploysim_core::simulate;

use crate::parse;

const NO_EXTRAS: &str = "[cost]\nfront = \"none\"\nresponse_kb = 0\n";

fn cents(x: f64) -> String {
    format!("{x:.2}")
}

/// Lambda pricing page, "mobile application backend": 3 million requests a month of 120 ms
/// at 1 536 MB on x86, with the free tier: $2.73 (requests $0.40 + compute $2.33).
#[test]
fn lambda_mobile_backend_costs_2_73_a_month() {
    let month = 30 * 86_400;
    let text = format!(
        "name = \"lambda mobile backend\"\nhorizon = \"{month}s\"\ntick = \"60s\"\n\
         [traffic]\nrate = {}\narrivals = \"fluid\"\n\
         [service]\nplatform = \"lambda\"\nmemory_mb = 1536\narch = \"x86\"\n\
         request_time = \"120ms\"\ncold_start = \"0ms\"\nidle_timeout = \"10m\"\n\
         [pricing]\nfree_tier = true\n{NO_EXTRAS}",
        3_000_000.0 / f64::from(month)
    );
    let report = simulate(&parse(&text).unwrap());
    let b = &report.baseline;
    assert!((b.requests as i64 - 3_000_000).abs() <= 1, "{}", b.requests);
    assert_eq!(cents(b.cost_breakdown.requests), "0.40");
    assert_eq!(cents(b.cost_breakdown.compute), "2.33");
    assert_eq!(cents(b.cost_usd), "2.73");
}

/// A fleet of `tasks` Fargate tasks for `hours`, priced by a run (the examples' task-seconds:
/// N tasks × d seconds a day × 30 days is N tasks for 30·d seconds).
fn fargate_run(tasks: u32, seconds: u64, size: &str) -> deploysim_core::StrategyReport {
    let text = format!(
        "name = \"fargate example\"\nhorizon = \"{seconds}s\"\n[traffic]\nrate = 10\narrivals = \"fluid\"\n\
         [service]\nplatform = \"fargate\"\ninstances = {tasks}\n{size}\n{NO_EXTRAS}"
    );
    simulate(&parse(&text).unwrap()).baseline
}

/// Fargate pricing page, example 1, ECS on Linux/x86: 5 tasks running 10 minutes a day for 30
/// days, 1 vCPU, 2 GB, 30 GB ephemeral storage: $1.01 + $0.22 + $0.03 = $1.26.
#[test]
fn fargate_ecs_example_costs_1_26() {
    let b = fargate_run(5, 30 * 600, "cpu = 1\nmemory_gb = 2\nephemeral_gb = 30\narch = \"x86\"");
    assert_eq!(b.instance_hours, 25.0);
    assert_eq!(cents(b.cost_breakdown.compute), cents(1.01 + 0.22));
    assert_eq!(cents(b.cost_breakdown.storage), "0.03");
    assert_eq!(cents(b.cost_usd), "1.26");
}

/// Fargate pricing page, example 2, the same on Linux/Arm (Graviton2): $0.81 + $0.18 + $0.03 =
/// $1.02.
#[test]
fn fargate_arm_example_costs_1_02() {
    let b = fargate_run(5, 30 * 600, "cpu = 1\nmemory_gb = 2\nephemeral_gb = 30\narch = \"arm\"");
    assert_eq!(cents(b.cost_breakdown.compute), cents(0.81 + 0.18));
    assert_eq!(cents(b.cost_breakdown.storage), "0.03");
    assert_eq!(cents(b.cost_usd), "1.02");
}

/// Fargate pricing page, example 3, Amazon EKS pods on Fargate: 10 pods running an hour a day
/// for 30 days, 0.25 vCPU and 1 GB each: $3.04 (vCPU) + $1.33 (memory) = $4.37.
#[test]
fn eks_pods_on_fargate_example_costs_4_37() {
    let b = fargate_run(10, 30 * 3_600, "cpu = 0.25\nmemory_gb = 1");
    assert_eq!(b.instance_hours, 300.0);
    assert_eq!(cents(b.cost_usd), "4.37");
    assert_eq!(b.cost_breakdown.storage, 0.0);
}

/// Lambda pricing page, provisioned concurrency example 2 ("Cyber Monday"): 2 million requests
/// of 280 ms at 4 096 MB in the 24 hours provisioned concurrency 7 is on, no free tier:
/// $10.08 (provisioned) + $21.78 (duration on it) + $0.40 (requests) = $32.26. Requests arrive
/// evenly (6.5 busy on average), so all of them find a provisioned environment.
#[test]
fn lambda_provisioned_cyber_monday_costs_32_26() {
    let text = format!(
        "name = \"cyber monday\"\nhorizon = \"24h\"\ntick = \"10s\"\n\
         [traffic]\nrate = {}\narrivals = \"fluid\"\n\
         [service]\nplatform = \"lambda\"\nmemory_mb = 4096\nrequest_time = \"280ms\"\ncold_start = \"0ms\"\n\
         provisioned_concurrency = 7\n{NO_EXTRAS}",
        2_000_000.0 / 86_400.0
    );
    let b = simulate(&parse(&text).unwrap()).baseline;
    assert!((b.requests as i64 - 2_000_000).abs() <= 1, "{}", b.requests);
    assert_eq!(b.cold_starts, 0);
    assert_eq!(cents(b.cost_breakdown.provisioned), "10.08");
    assert_eq!(cents(b.cost_breakdown.compute), "21.78");
    assert_eq!(cents(b.cost_breakdown.requests), "0.40");
    assert_eq!(cents(b.cost_usd), "32.26");
}

/// The monthly estimate of a constant workload; `extra` holds more TOML (its own `[cost]`).
fn monthly(platform_and_more: &str, rate: f64, request_time: &str, extra: &str) -> Vec<Estimate> {
    let text = format!(
        "name = \"monthly\"\n[traffic]\nrate = {rate}\n[service]\n{platform_and_more}\nrequest_time = \"{request_time}\"\n{extra}"
    );
    estimate(&parse(&text).unwrap()).options
}

fn option<'a>(options: &'a [Estimate], platform: &str) -> &'a Estimate {
    options.iter().find(|e| e.platform == platform).unwrap()
}

/// Lambda pricing page, example 2 (streaming telemetry): 10 000 vehicles × 24 × 31 messages =
/// 7.44 M requests of 2 s at 1 024 MB, no free tier: $1.49 + $248.00 = $249.49, over a 31-day
/// month.
#[test]
fn lambda_telemetry_example_costs_249_49() {
    let rate = 7_440_000.0 / (31.0 * 86_400.0);
    let options = monthly(
        "platform = \"lambda\"\nmemory_mb = 1024",
        rate,
        "2s",
        "[cost]\nmonth = \"31d\"\nfront = \"none\"\nresponse_kb = 0\n",
    );
    let l = option(&options, "lambda");
    assert_eq!(cents(l.breakdown.requests), "1.49");
    assert_eq!(cents(l.breakdown.compute), "248.00");
    assert_eq!(cents(l.monthly_usd), "249.49");
}

/// Lambda pricing page, example 3 (machine learning on support tickets): 6 M requests of 280 ms
/// at 4 096 MB with 2 048 MB of ephemeral storage, free tier: $105.33 + $1 + $0.08 = $106.41.
#[test]
fn lambda_ephemeral_storage_example_costs_106_41() {
    let rate = 6_000_000.0 / (30.0 * 86_400.0);
    let options = monthly(
        "platform = \"lambda\"\nmemory_mb = 4096\nephemeral_mb = 2048",
        rate,
        "280ms",
        "[pricing]\nfree_tier = true\n[cost]\nmonth = \"30d\"\nfront = \"none\"\nresponse_kb = 0\n",
    );
    let l = option(&options, "lambda");
    assert_eq!(cents(l.breakdown.compute), "105.33");
    assert_eq!(cents(l.breakdown.requests), "1.00");
    assert_eq!(cents(l.breakdown.storage), "0.08");
    assert_eq!(cents(l.monthly_usd), "106.41");
}

/// API Gateway pricing page, HTTP API example 1: 10 000 page loads a minute for 30 days = 432 M
/// requests of 12 KB: 300 M × $1.00 + 132 M × $0.90 = $418.80.
#[test]
fn http_api_example_costs_418_80() {
    let options = monthly(
        "platform = \"lambda\"",
        10_000.0 / 60.0,
        "50ms",
        "[cost]\nmonth = \"30d\"\nfront = \"api_gateway_http\"\nrequest_kb = 12\nresponse_kb = 0\n",
    );
    for e in &options {
        assert_eq!(cents(e.breakdown.api_gateway), "418.80", "{}", e.platform);
    }
}

/// API Gateway pricing page, HTTP API example 2: 25 uploads a minute for 30 days of 4.5 MB
/// each, metered in 512 KB steps: 9.72 M requests × $1.00 = $9.72.
#[test]
fn http_api_metering_example_costs_9_72() {
    let options = monthly(
        "platform = \"lambda\"",
        25.0 / 60.0,
        "50ms",
        "[cost]\nmonth = \"30d\"\nfront = \"api_gateway_http\"\nrequest_kb = 4608\nresponse_kb = 0\n",
    );
    assert_eq!(cents(option(&options, "lambda").breakdown.api_gateway), "9.72");
}

/// API Gateway pricing page, REST API: 5 M calls a month returning 3 KB each: $17.50 for the
/// calls + 14.3 GB × $0.09 = $1.29 of data transfer = $18.79.
#[test]
fn rest_api_example_costs_18_79() {
    let options = monthly(
        "platform = \"lambda\"",
        5_000_000.0 / (30.0 * 86_400.0),
        "50ms",
        "[cost]\nmonth = \"30d\"\nfront = \"api_gateway_rest\"\nresponse_kb = 3\n",
    );
    let l = option(&options, "lambda");
    assert_eq!(cents(l.breakdown.api_gateway), "17.50");
    assert_eq!(cents(l.breakdown.data_transfer), "1.29");
    assert_eq!(cents(l.breakdown.api_gateway + l.breakdown.data_transfer), "18.79");
}

/// API Gateway pricing page, REST API at volume: 15 B calls through the tiers = $36 353.10, and
/// 57 220.46 GB of 4 KB responses at $0.09 = $5 149.84: $41 502.94. The example prices all of
/// the data at the first tier's $0.09, so the scenario overrides the later tiers to match;
/// with the bundled tiers the same transfer costs less.
#[test]
fn rest_api_tiers_example_costs_41_502_94() {
    let flat = "[pricing.data_transfer]\nout_gb_tier2 = 0.09\nout_gb_tier3 = 0.09\nout_gb_tier4 = 0.09\n";
    let cost = "[cost]\nmonth = \"30d\"\nfront = \"api_gateway_rest\"\nresponse_kb = 4\n";
    let rate = 15e9 / (30.0 * 86_400.0);
    let options = monthly("platform = \"lambda\"", rate, "50ms", &format!("{flat}{cost}"));
    let l = option(&options, "lambda");
    assert_eq!(cents(l.breakdown.api_gateway), "36353.10");
    assert_eq!(cents(l.breakdown.data_transfer), "5149.84");
    assert_eq!(cents(l.breakdown.api_gateway + l.breakdown.data_transfer), "41502.94");
    let tiered = monthly("platform = \"lambda\"", rate, "50ms", cost);
    assert!(option(&tiered, "lambda").breakdown.data_transfer < 5_000.0);
}

/// A warm-up that does not end on a tick boundary: the measured window starts at the next
/// tick for every count, so the requests reported are exactly the requests billed.
#[test]
fn billed_requests_are_the_reported_requests_whatever_the_warmup() {
    let text = "name = \"w\"\nwarmup = \"90.5s\"\nhorizon = \"600s\"\n[traffic]\nrate = 20\narrivals = \"fluid\"\n\
                [service]\nplatform = \"lambda\"\nrequest_time = \"50ms\"\ncold_start = \"0ms\"\n";
    let report = simulate(&parse(text).unwrap());
    let b = &report.baseline;
    // Ticks from 91 s (the first after the warm-up) to 691 s (the end of the tick holding 690.5 s).
    assert_eq!(report.window_s, 600.0);
    assert_eq!(b.requests as f64, 20.0 * report.window_s);
    assert!((b.cost_breakdown.requests - b.requests as f64 * 0.000_000_2).abs() < 1e-6);
}
