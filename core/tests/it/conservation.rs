//! Conservation laws, as property tests over random scenarios: in every tick of every run,
//! each arriving request is either served or failed, never both and never lost; totals add
//! up; a run always ends.
//!
//! `PROPTEST_CASES=1000 cargo test -p deploysim-core --test it conservation` runs more cases.

use std::cell::RefCell;

use deploysim_core::engine::TickSample;
use deploysim_core::{RunId, simulate_observed};
use proptest::prelude::*;

use crate::parse;

const KINDS: &[&str] =
    &["all_at_once", "rolling", "rolling_with_additional_batch", "immutable", "canary", "linear", "blue_green"];
const FARGATE_KINDS: &[&str] = &["all_at_once", "ecs_rolling", "rolling_update", "canary", "linear", "blue_green"];
const LAMBDA_KINDS: &[&str] = &["all_at_once_shift", "canary", "linear"];

#[derive(Debug, Clone)]
struct Case {
    fargate: bool,
    lambda: bool,
    instances: u32,
    rate: f64,
    kind: usize,
    batch: u32,
    fluid: bool,
    error_rate: f64,
    fails_health_check: bool,
    latency_factor: f64,
    rollback: bool,
    scaling: bool,
    spike: bool,
    seed: u64,
}

fn scenario_text(c: &Case) -> String {
    let mut s = format!(
        "name = \"prop\"\nseed = {}\nhorizon = \"40m\"\ndeploy_at = \"2m\"\n[traffic]\nrate = {}\narrivals = \"{}\"\n",
        c.seed,
        c.rate,
        if c.fluid { "fluid" } else { "poisson" }
    );
    if c.spike {
        s += "pattern = \"spike\"\nat = \"4m\"\nduration = \"3m\"\nfactor = 3\n";
    }
    if c.lambda {
        // Per-request simulation: keep the rates small enough for a debug build.
        s = s.replace(&format!("rate = {}\n", c.rate), &format!("rate = {}\n", (c.rate / 20.0).round()));
        s += &format!(
            "[service]\nplatform = \"lambda\"\nconcurrency_limit = {}\nprovisioned_concurrency = {}\nidle_timeout = \"{}s\"\nreuse = \"{}\"\nscale_rate = {{ environments = {}, per = \"10s\" }}\n",
            c.instances * 3,
            c.batch % 3,
            30 * c.batch,
            ["newest", "mru", "random"][c.kind % 3],
            5 * c.instances,
        );
        s += &format!("[new_version]\nerror_rate = {}\nlatency_factor = {}\n", c.error_rate, c.latency_factor);
        if c.rollback {
            s += "[rollback]\nerror_rate = 0.05\nwindow = \"30s\"\n";
        }
        let kind = LAMBDA_KINDS[c.kind % LAMBDA_KINDS.len()];
        s += &format!("[[strategies]]\nkind = \"{kind}\"\n");
        if kind == "linear" {
            s += "percent = 34\ninterval = \"30s\"\n";
        } else if kind == "canary" {
            s += "wait = \"2m\"\n";
        }
        return s;
    }
    s += &format!(
        "[service]\nplatform = \"{}\"\ninstances = {}\ncapacity_rps = 50\nboot_time = {{ dist = \"uniform\", min = \"20s\", max = \"90s\" }}\nhealth_check = {{ interval = \"5s\", healthy_threshold = 2 }}\ndrain = \"10s\"\n",
        if c.fargate { "fargate" } else { "ec2" },
        c.instances
    );
    if c.scaling {
        s += &format!(
            "min = 1\nmax = {}\nscaling = {{ target_utilization = 0.5, warmup = \"60s\" }}\n",
            c.instances * 3
        );
    }
    s += &format!(
        "[new_version]\nerror_rate = {}\nfails_health_check = {}\nlatency_factor = {}\n",
        c.error_rate, c.fails_health_check, c.latency_factor
    );
    if c.rollback {
        s += "[rollback]\nerror_rate = 0.05\nwindow = \"30s\"\n";
    }
    let kind = if c.fargate { FARGATE_KINDS[c.kind % FARGATE_KINDS.len()] } else { KINDS[c.kind] };
    s += &format!("[[strategies]]\nkind = \"{kind}\"\ntimeout = \"5m\"\n");
    match kind {
        "rolling" | "rolling_with_additional_batch" => s += &format!("batch = {}\n", c.batch.min(c.instances)),
        // Elastic Beanstalk's shortest evaluation time on ec2 is 3 minutes.
        "canary" => s += "wait = \"3m\"\n",
        "linear" => s += "percent = 34\ninterval = \"30s\"\n",
        "blue_green" => s += "dns_ttl = \"60s\"\nkeep_old = \"30s\"\n",
        "ecs_rolling" => {
            s += &format!("min_healthy_percent = {}\nmax_percent = {}\n", 25 * (c.batch % 4), 100 + 50 * (c.batch % 3))
        }
        "rolling_update" => {
            s += &format!("max_surge = {}\nmax_unavailable = \"{}%\"\n", c.batch % 3, 25 * (c.batch % 2) + 25)
        }
        _ => {}
    }
    s
}

fn cases() -> impl Strategy<Value = Case> {
    (
        (1u32..12, 0.0..1_200.0f64, 0..KINDS.len(), 1u32..5, any::<bool>()),
        (prop_oneof![Just(0.0), 0.0..1.0f64], prop::bool::weighted(0.15), prop_oneof![Just(1.0), 0.5..3.0f64]),
        (any::<bool>(), any::<bool>(), any::<bool>(), 0u64..1_000, any::<bool>(), prop::bool::weighted(0.25)),
    )
        .prop_map(
            |(
                (instances, rate, kind, batch, fluid),
                (error_rate, fails, factor),
                (rollback, scaling, spike, seed, fargate, lambda),
            )| {
                Case {
                    fargate,
                    lambda,
                    instances,
                    rate: (rate * 10.0).round() / 10.0,
                    kind,
                    batch,
                    fluid,
                    error_rate: (error_rate * 100.0).round() / 100.0,
                    fails_health_check: fails,
                    latency_factor: (factor * 10.0).round() / 10.0,
                    rollback,
                    scaling,
                    spike,
                    seed,
                }
            },
        )
}

proptest! {
    // 48 cases by default; PROPTEST_CASES raises it.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48),
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_request_is_served_or_failed(case in cases()) {
        let text = scenario_text(&case);
        let scenario = match parse(&text) {
            Ok(s) => s,
            // Some random bounds cannot replace anything on a small fleet; the parser rightly
            // refuses them (tests/bad/stuck-rolling-update.toml).
            Err(e)
                if e.to_string().contains("this rolling update is stuck")
                    || e.to_string().contains("may not both be 0") =>
            {
                return Ok(());
            }
            Err(e) => return Err(TestCaseError::fail(format!("{e}\n{text}"))),
        };
        let ticks: RefCell<Vec<(RunId, TickSample)>> = RefCell::new(Vec::new());
        let report = simulate_observed(&scenario, |id| {
            let ticks = &ticks;
            move |t: &TickSample| ticks.borrow_mut().push((id, t.clone()))
        });
        let ticks = ticks.into_inner();
        let mut totals = [(0u64, 0u64); 2];
        for (id, t) in &ticks {
            prop_assert_eq!(t.served + t.failed, t.arrivals, "tick {:?} of {:?}", t.t, id);
            prop_assert!(t.new_requests <= t.arrivals);
            if t.measured {
                let slot = usize::from(*id != RunId::Baseline);
                totals[slot].0 += t.arrivals;
                totals[slot].1 += t.failed;
            }
        }
        let s = &report.strategies[0];
        prop_assert_eq!((s.requests, s.failed_requests), totals[1]);
        prop_assert_eq!((report.baseline.requests, report.baseline.failed_requests), totals[0]);
        // Common random numbers: both runs saw the same arrivals.
        prop_assert_eq!(s.requests, report.baseline.requests);
        prop_assert!((0.0..=1.0).contains(&s.availability));
        prop_assert!(s.bad_version_requests <= s.requests);
        prop_assert!(s.downtime_s <= s.degraded_s + 1e-9, "downtime {} > degraded {}", s.downtime_s, s.degraded_s);
        let b = &s.cost_breakdown;
        let parts =
            b.compute + b.requests + b.provisioned + b.storage + b.load_balancer + b.api_gateway + b.data_transfer;
        prop_assert!(s.cost_usd >= 0.0 && (parts - s.cost_usd).abs() < 1e-9, "{} vs {:?}", s.cost_usd, b);
        if case.fluid && case.error_rate == 0.0 && case.latency_factor == 1.0 && !case.fails_health_check {
            prop_assert!(!s.rolled_back || case.rollback);
        }
    }
}
