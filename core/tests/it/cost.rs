//! `simulate cost`: the monthly estimate, its sizing, the break-even rates, and the front door
//! and data transfer a run bills.

use deploysim_core::cost::{CostReport, estimate};
use deploysim_core::simulate;

use crate::{bundled, parse};

fn workload(rate: f64, extra: &str) -> CostReport {
    let text = format!(
        "name = \"100 ms at 512 MB\"\n[traffic]\nrate = {rate}\n\
         [service]\nplatform = \"lambda\"\nmemory_mb = 512\nrequest_time = \"100ms\"\n{extra}"
    );
    estimate(&parse(&text).unwrap())
}

fn monthly(r: &CostReport, platform: &str) -> f64 {
    r.options.iter().find(|e| e.platform == platform).unwrap().monthly_usd
}

/// Issue 4's acceptance: a request of 100 ms at 512 MB has a Lambda/Fargate and a Lambda/EC2
/// crossover, and the monthly totals just either side of every reported crossover rank as it
/// says.
#[test]
fn break_even_rates_rank_the_totals_either_side() {
    let report = workload(20.0, "");
    let find = |a: &str, b: &str| {
        report
            .break_even
            .iter()
            .find(|x| (x.cheaper_below == a && x.cheaper_above == b) || (x.cheaper_below == b && x.cheaper_above == a))
    };
    let lf = find("lambda", "fargate").expect("a Lambda/Fargate crossover");
    let le = find("lambda", "ec2").expect("a Lambda/EC2 crossover");
    // Lambda is the cheap option at low rates and loses to a fleet at high ones.
    assert_eq!((lf.cheaper_below.as_str(), le.cheaper_below.as_str()), ("lambda", "lambda"));
    assert!(lf.rate_rps > 1.0 && lf.rate_rps < le.rate_rps, "{lf:?} {le:?}");
    for b in &report.break_even {
        let below = workload(b.rate_rps * 0.999, "");
        let above = workload(b.rate_rps * 1.001, "");
        assert!(monthly(&below, &b.cheaper_below) < monthly(&below, &b.cheaper_above), "below {b:?}");
        assert!(monthly(&above, &b.cheaper_above) < monthly(&above, &b.cheaper_below), "above {b:?}");
    }
    // The sweep's points are the estimates at those rates.
    let p = &report.sweep[30];
    let at = workload(p.rate_rps, "");
    assert_eq!((p.lambda, p.fargate, p.ec2), (monthly(&at, "lambda"), monthly(&at, "fargate"), monthly(&at, "ec2")));
}

/// Every number can be traced: the parts add up to the total, and each option says how it was
/// sized.
#[test]
fn breakdowns_add_up_and_capacity_is_explained() {
    let stems =
        ["rolling", "eb-policies", "fargate-ecs-rolling", "lambda-steady", "lambda-provisioned", "spike-during-deploy"];
    for stem in stems {
        let r = estimate(&bundled(stem));
        assert_eq!(r.options.len(), 3, "{stem}");
        for e in &r.options {
            let sum = e.breakdown.total();
            assert!((sum - e.monthly_usd).abs() < 1e-5, "{stem} {}: {sum} vs {}", e.platform, e.monthly_usd);
            assert!(e.capacity.lines.len() >= 3, "{stem} {}: {:?}", e.platform, e.capacity.lines);
            assert!(e.monthly_usd > 0.0);
            let per_million = e.monthly_usd / (r.workload.monthly_requests / 1e6);
            assert!((per_million - e.cost_per_million_requests).abs() < 1e-3 * per_million.max(1.0));
        }
        assert!(r.options.windows(2).all(|w| w[0].monthly_usd <= w[1].monthly_usd), "cheapest first");
    }
}

/// Constant traffic: fleets sized at the target utilization, plus one spare, balanced over two
/// zones; Lambda's concurrency by Little's law.
#[test]
fn sizing_follows_the_rules_it_prints() {
    let r = workload(1_000.0, "[cost]\ntarget_utilization = 0.5\n");
    let ec2 = r.options.iter().find(|e| e.platform == "ec2").unwrap();
    // m5.large: 2 vCPU × 2.5 in flight ÷ 0.1 s = 50/s; 1 000 ÷ (50 × 0.5) = 40; + 1 = 41; → 42.
    assert_eq!(ec2.capacity.unit_capacity_rps, Some(50.0));
    assert_eq!(ec2.capacity.instances, Some(42.0));
    assert!((ec2.breakdown.compute - 42.0 * 0.096 * 730.0).abs() < 1e-6);
    let fargate = r.options.iter().find(|e| e.platform == "fargate").unwrap();
    // 0.5 vCPU: 12.5/s; 1 000 ÷ 6.25 = 160; + 1 = 161; → 162.
    assert_eq!(fargate.capacity.instances, Some(162.0));
    let lambda = r.options.iter().find(|e| e.platform == "lambda").unwrap();
    assert_eq!(lambda.capacity.concurrency_avg, Some(100.0));
    let p99 = lambda.capacity.concurrency_p99.unwrap();
    assert!((120..=126).contains(&p99), "Poisson(100) p99 is 124: {p99}");
    // A 50 % EC2 discount halves EC2 compute and nothing else.
    let d = workload(1_000.0, "[cost]\ntarget_utilization = 0.5\n[pricing.discount]\nec2 = 0.5\n");
    let ec2_d = d.options.iter().find(|e| e.platform == "ec2").unwrap();
    assert!((ec2_d.breakdown.compute * 2.0 - ec2.breakdown.compute).abs() < 1e-6);
    assert_eq!(ec2_d.breakdown.load_balancer, ec2.breakdown.load_balancer);
    assert_eq!(monthly(&d, "lambda"), monthly(&r, "lambda"));
}

/// Diurnal traffic is priced as simulated: the autoscaled fleet costs more than one sized for
/// the trough and less than one sized for the peak, and Lambda pays for the mean.
#[test]
fn diurnal_traffic_is_priced_as_simulated() {
    let diurnal = "name = \"d\"\n[traffic]\nrate = 500\npattern = \"diurnal\"\npeak = 800\ntrough = 200\nperiod = \"24h\"\n\
                   [service]\nplatform = \"ec2\"\nscaling = { target_utilization = 0.6 }\n";
    let r = estimate(&parse(diurnal).unwrap());
    assert_eq!(r.workload.simulated_s, 86_400.0);
    assert!((r.workload.mean_rps - 500.0).abs() < 0.01, "{}", r.workload.mean_rps);
    let fixed = |rate: f64| {
        let t = format!(
            "name = \"c\"\n[traffic]\nrate = {rate}\n[service]\nplatform = \"ec2\"\nscaling = {{ target_utilization = 0.6 }}\n"
        );
        estimate(&parse(&t).unwrap())
    };
    let compute = |r: &CostReport, p: &str| r.options.iter().find(|e| e.platform == p).unwrap().breakdown.compute;
    for p in ["ec2", "fargate"] {
        let (trough, peak, curve) = (compute(&fixed(200.0), p), compute(&fixed(800.0), p), compute(&r, p));
        assert!(trough < curve && curve < peak, "{p}: {trough} < {curve} < {peak}");
        let cap = r.options.iter().find(|e| e.platform == p).unwrap();
        assert!(cap.capacity.min_instances < cap.capacity.max_instances, "{p} followed the curve");
    }
    let mean = fixed(500.0);
    let lambda = |r: &CostReport| r.options.iter().find(|e| e.platform == "lambda").unwrap().breakdown.compute;
    assert!((lambda(&r) - lambda(&mean)).abs() < 1e-6 * lambda(&mean));
}

/// A run bills its ALB by started hour and LCU-hour, and its responses as data transfer out.
#[test]
fn a_run_bills_its_load_balancer_and_data_transfer() {
    let text = "name = \"alb\"\nhorizon = \"2h\"\n[traffic]\nrate = 100\narrivals = \"fluid\"\n\
                [service]\nplatform = \"ec2\"\ninstances = 2\n";
    let b = simulate(&parse(text).unwrap()).baseline;
    // Each hour: 360 000 requests of 1 + 5 KB = 2.16 GB processed = 2.16 LCU (the largest of
    // 10 new connections/s ÷ 25 = 0.4 and 600 active ÷ 3 000 = 0.2).
    let alb = 2.0 * 0.0225 + 2.0 * 2.16 * 0.008;
    assert!((b.cost_breakdown.load_balancer - alb).abs() < 1e-6, "{}", b.cost_breakdown.load_balancer);
    let gb = 720_000.0 * 5.0 / (1_024.0 * 1_024.0);
    assert!((b.cost_breakdown.data_transfer - gb * 0.09).abs() < 1e-6, "{}", b.cost_breakdown.data_transfer);
    let none = format!("{text}[cost]\nfront = \"api_gateway_http\"\nresponse_kb = 0\n");
    let b = simulate(&parse(&none).unwrap()).baseline;
    assert_eq!(b.cost_breakdown.load_balancer, 0.0);
    assert!((b.cost_breakdown.api_gateway - 0.72).abs() < 1e-9);
    assert_eq!(b.cost_breakdown.data_transfer, 0.0);
}

/// A simulated fleet runs at most the engine's instance limit: rates whose peak would need
/// more are left out of the sweep, and an estimate that hits the limit says it is a lower bound.
#[test]
fn simulated_fleets_stay_within_the_instance_limit() {
    let text = "name = \"big\"\n[traffic]\nrate = 50000\npattern = \"diurnal\"\npeak = 80000\ntrough = 20000\nperiod = \"24h\"\n\
                [service]\nplatform = \"ec2\"\nscaling = { target_utilization = 0.6 }\n";
    let r = estimate(&parse(text).unwrap());
    let fargate = r.options.iter().find(|e| e.platform == "fargate").unwrap();
    assert!(fargate.capacity.lines.iter().any(|l| l.contains("lower bound")), "{:?}", fargate.capacity.lines);
    // Fargate at 0.5 vCPU serves 25/s: twice a peak of 1.6 × the mean at 60 % fits 10 000 tasks
    // up to a mean of about 47 000/s.
    let top = r.sweep.last().unwrap().rate_rps;
    assert!(top < 47_000.0 && top > 5_000.0, "{top}");
}
