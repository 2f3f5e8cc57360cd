//! AWS's published worked pricing examples, each built as a scenario and priced by a run.
//! (aws-prices.md §G.1, §G.2: the Lambda and Fargate pricing pages.)

use deploysim_core::simulate;

use crate::parse;

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
         [pricing]\nfree_tier = true\n",
        3_000_000.0 / f64::from(month)
    );
    let report = simulate(&parse(&text).unwrap());
    let b = &report.baseline;
    assert!((b.requests as i64 - 3_000_000).abs() <= 1, "{}", b.requests);
    assert_eq!(format!("{:.2}", b.cost_breakdown.requests), "0.40");
    assert_eq!(format!("{:.2}", b.cost_breakdown.compute), "2.33");
    assert_eq!(format!("{:.2}", b.cost_usd), "2.73");
}

/// Fargate pricing page, ECS on Linux/x86: 5 tasks running 10 minutes a day for 30 days,
/// 1 vCPU, 2 GB, 30 GB ephemeral storage: $1.26. The same task-seconds as 5 tasks for 5 h.
#[test]
fn fargate_ecs_example_costs_1_26() {
    let text = "name = \"fargate ecs example\"\nhorizon = \"18000s\"\n\
                [traffic]\nrate = 10\narrivals = \"fluid\"\n\
                [service]\nplatform = \"fargate\"\ninstances = 5\ncpu = 1\nmemory_gb = 2\nephemeral_gb = 30\narch = \"x86\"\n";
    let report = simulate(&parse(text).unwrap());
    let b = &report.baseline;
    assert_eq!(b.instance_hours, 25.0);
    assert_eq!(format!("{:.2}", b.cost_usd), "1.26");
    assert!(b.cost_breakdown.storage > 0.0);
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
