//! Cost: what a blue/green deployment costs beyond the normal bill, a Lambda function's bill
//! (requests and GB-seconds, 1 ms rounding, x86 or Arm), and where a small long-lived extra
//! batch and a short-lived doubled fleet break even.

use super::eb::{self, Policy};
use super::kit::{self, Attempt, Draw, Head, Opt, Parts, Verdict};
use super::lambda::{self, Function, Shift};
use super::{Ask, Template};

/// EC2 On-Demand prices.
const EC2_PRICES_DOC: &str = "Amazon EC2 On-Demand pricing, https://aws.amazon.com/ec2/pricing/on-demand/";
/// Per-second billing with a one-minute minimum.
const EC2_BILLING_DOC: &str = "Amazon EC2 API Reference, \"StartInstances\", https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_StartInstances.html";
/// Lambda prices.
const LAMBDA_PRICES_DOC: &str = "AWS Lambda pricing, https://aws.amazon.com/lambda/pricing/";

/// Bundled On-Demand prices (us-east-1) of the instance types questions use.
const TYPES: &[(&str, f64)] = &[("m5.large", 0.096), ("c5.large", 0.085), ("t3.medium", 0.0416), ("c6g.large", 0.068)];

/// What keeping the old environment costs.
pub(crate) const BLUE_GREEN_EXTRA: Template = Template {
    id: "cost-blue-green-extra",
    topic: "cost",
    kind: "value",
    summary: "What does a blue/green deployment cost beyond the environment's normal bill, given how long the old environment is kept?",
    randomized: "fleet size (3-12), instance type and price, how long the old environment is kept (10-60 min), boot time and the seed",
    build: blue_green_extra,
};

fn blue_green_extra(d: &mut Draw) -> Attempt<Parts> {
    let n = d.int(3, 12, 6);
    let (itype, price) = d.pick(TYPES, TYPES[0]);
    let keep = d.pick(&[10, 15, 20, 30, 45, 60], 30);
    let boot = d.pick(&[60, 90, 120, 180], 120);
    let runs = 2;
    let horizon = format!("{}m", keep + 25);
    let head = Head::new(
        "What blue/green costs",
        "A blue/green deployment: a second environment, a CNAME swap, the old environment kept a while.",
        d.seed(),
        runs,
    )
    .horizon(&horizon);
    let mut text = head.toml();
    text.push_str(&kit::ec2_fleet(n, n * 50, itype, &format!("\"{boot}s\"")));
    text.push_str(kit::COMPUTE_ONLY);
    let policy = Policy::BlueGreen(keep);
    text.push_str(&policy.toml());
    let report = kit::run(&text)?;
    let label = policy.label();
    let s = kit::strategy(&report, &label)?;
    // Seconds from the launch of the new environment to the swap (the deployment ends one
    // 60 s TTL after the swap starts).
    let build = s.deploy_duration_s - 60.0;
    let hourly = f64::from(n) * price;
    let formula = hourly * (build + f64::from(keep * 60) + 20.0) / 3600.0;
    let dp = 3;
    let key = kit::settle_value(kit::est(s, "extra_cost_usd").ok_or("no cost")?, dp)?;
    if (key - formula).abs() > 0.002 + 0.01 * formula {
        return Err(format!("simulated {key}, the formula gives {formula}"));
    }
    let candidates = vec![
        hourly * f64::from(keep) / 60.0,
        hourly * (build / 3600.0 + 1.0).ceil(),
        2.0 * formula,
        hourly * build / 3600.0,
        formula * 1.5,
    ];
    let others = kit::distinct(key, &candidates, dp, 0.15 * key, 3);
    if others.len() < 3 {
        return Err("not enough distinct distractors".into());
    }
    let mut options = vec![Opt::number(key, kit::usd(key, dp as usize), true)];
    options.extend(others.iter().map(|&v| Opt::number(v, kit::usd(v, dp as usize), false)));
    let stem = format!(
        "An Elastic Beanstalk environment runs {n} {itype} instances at ${price} per instance-hour (On-Demand, billed per second). You deploy by cloning it into a new environment, which takes {} to launch and pass health checks, then swap the CNAMEs and terminate the old environment {keep} minutes after the swap (its instances drain for 20 s). About how much does this deployment add to the bill, compared with not deploying?",
        kit::dur(build)
    );
    let explanation = format!(
        "About {}. Two environments run side by side from the moment the new one launches until the old one is gone: {} instances × (${price} × {n} = ${} an hour) for {} of building, {keep} minutes of keeping the old one and 20 s of draining, {} in all: ${} × {} h = {}. EC2 bills per second (with a one-minute minimum per instance), not per started hour. The simulation measured {} more than the same {}-minute window without a deployment (both runs).\nSources: {}; {EC2_PRICES_DOC}; {EC2_BILLING_DOC}.",
        kit::usd(key, dp as usize),
        n,
        kit::num(hourly, 4),
        kit::dur(build),
        kit::dur(build + f64::from(keep * 60) + 20.0),
        kit::num(hourly, 4),
        kit::num((build + f64::from(keep * 60) + 20.0) / 3600.0, 4),
        kit::usd(formula, 4),
        kit::usd(s.extra_cost_usd, 4),
        kit::num(report.window_s / 60.0, 1),
        eb::BLUE_GREEN_DOC
    );
    Ok(Parts { stem, options, explanation, scenario: text, runs, ask: Ask::value("extra_cost_usd", label) })
}

/// A Lambda function's bill.
pub(crate) const LAMBDA_BILL: Template = Template {
    id: "cost-lambda-bill",
    topic: "cost",
    kind: "value",
    summary: "What does a Lambda function cost for a given rate, duration, memory and architecture (requests plus GB-seconds, 1 ms rounding)?",
    randomized: "request rate (5-20/s), duration (15-900 ms), memory (128-2048 MB), x86 or Arm, and the seed",
    build: lambda_bill,
};

/// Bundled Lambda prices: per request, and per GB-second on x86 and Arm (first tier).
const REQUEST_PRICE: f64 = 0.2 / 1e6;
const GB_S_X86: f64 = 0.000_016_666_7;
const GB_S_ARM: f64 = 0.000_013_333_4;

fn lambda_bill(d: &mut Draw) -> Attempt<Parts> {
    let rate = d.int(5, 20, 10);
    let request_ms = d.pick(&[15, 45, 120, 250, 420, 900], 120);
    let memory = d.pick(&[128, 256, 512, 1024, 1536, 2048], 1024);
    let arm = d.chance(40, false);
    let runs = 2;
    let minutes = 30;
    let head = Head::new(
        "A Lambda function's bill",
        "Half an hour of a Lambda function: requests and GB-seconds.",
        d.seed(),
        runs,
    )
    .horizon("30m")
    .warmup("2m")
    .deploy_at("25m")
    .until_horizon();
    let mut f = Function::fixed(f64::from(rate), request_ms, 100);
    f.memory_mb = memory;
    f.arm = arm;
    let mut text = head.toml();
    text.push_str(&f.toml());
    text.push_str(kit::COMPUTE_ONLY);
    let shift = Shift::AllAtOnce;
    text.push_str(&shift.toml(&[]));
    let report = kit::run(&text)?;
    let label = shift.label();
    let s = kit::strategy(&report, &label)?;
    let requests = f64::from(rate * minutes * 60);
    let gb = f64::from(memory) / 1024.0;
    let price = if arm { GB_S_ARM } else { GB_S_X86 };
    let other = if arm { GB_S_X86 } else { GB_S_ARM };
    let secs = f64::from(request_ms) / 1000.0;
    let bill = |gb_s_price: f64, billed_s: f64, gb: f64, per_request: f64| {
        requests * per_request + requests * billed_s * gb * gb_s_price
    };
    let formula = bill(price, secs, gb, REQUEST_PRICE);
    let dp = if formula < 0.1 { 4 } else { 3 };
    let key = kit::settle_value(kit::est(s, "cost_usd").ok_or("no cost")?, dp)?;
    if (key - formula).abs() > 0.02 * formula {
        return Err(format!("simulated {key}, the formula gives {formula}"));
    }
    let hundred = (secs * 10.0).ceil() / 10.0;
    let candidates = vec![
        bill(price, hundred, gb, REQUEST_PRICE),
        bill(price, secs, gb, 0.0),
        bill(other, secs, gb, REQUEST_PRICE),
        bill(price, secs, f64::from(memory) / 128.0, REQUEST_PRICE),
        requests * REQUEST_PRICE,
        2.0 * formula,
    ];
    let others = kit::distinct(key, &candidates, dp, 0.08 * key, 3);
    if others.len() < 3 {
        return Err("not enough distinct distractors".into());
    }
    let mut options = vec![Opt::number(key, kit::usd(key, dp as usize), true)];
    options.extend(others.iter().map(|&v| Opt::number(v, kit::usd(v, dp as usize), false)));
    let (arch, name) = if arm { ("Arm (Graviton)", "Arm") } else { ("x86", "x86") };
    let stem = format!(
        "A Lambda function with {memory} MB of memory on {arch} handles a steady {rate} requests per second for 30 minutes; each request runs {request_ms} ms. Prices: $0.20 per million requests; $0.0000166667 per GB-second on x86, $0.0000133334 on Arm. Ignoring the free tier, the few cold starts and everything in front of the function, about how much do those 30 minutes cost?"
    );
    let explanation = format!(
        "About {}. Lambda bills each request ({} requests × $0.20 per million = {}) and its duration in GB-seconds, rounded up to the millisecond (not to 100 ms, as before December 2020): {} requests × {} s × {} GB = {} GB-s at the {name} rate = {}. Total {}. The simulation, which also bills the init time of the new version's few cold starts after an all-at-once deployment at minute 25, measured {} (both runs).\nSources: {LAMBDA_PRICES_DOC}; {}.",
        kit::usd(key, dp as usize),
        requests,
        kit::usd(requests * REQUEST_PRICE, 4),
        requests,
        kit::num(secs, 3),
        kit::num(gb, 4),
        kit::num(requests * secs * gb, 2),
        kit::usd(requests * secs * gb * price, 4),
        kit::usd(formula, 4),
        kit::usd(s.cost_usd, 4),
        lambda::CONCURRENCY_DOC
    );
    Ok(Parts { stem, options, explanation, scenario: text, runs, ask: Ask::value("cost_usd", label) })
}

/// A small batch for long, or many instances for a short time.
pub(crate) const CHEAPEST_FULL_CAPACITY: Template = Template {
    id: "cost-break-even-batch",
    topic: "cost",
    kind: "best",
    summary: "Which way of adding instances keeps full capacity most cheaply: a small extra batch for many cycles, a large one for a few, or a doubled fleet for a short time?",
    randomized: "fleet size (6-12), instance type, the two batch sizes, blue/green's keep time, boot time and the seed",
    build: cheapest_full_capacity,
};

fn cheapest_full_capacity(d: &mut Draw) -> Attempt<Parts> {
    let n = d.int(6, 12, 10);
    let (itype, price) = d.pick(TYPES, TYPES[0]);
    let small = d.pick(&[10, 15, 20], 10);
    let large = d.pick(&[34, 50, 60], 50);
    let keep = d.pick(&[5, 10, 20], 10);
    let boot = d.pick(&[60, 120, 180], 120);
    let runs = d.pick(&[4, 5], 4);
    let policies = [Policy::Additional(small), Policy::Additional(large), Policy::Immutable, Policy::BlueGreen(keep)];
    if eb::batch(n, small) == eb::batch(n, large) {
        return Err("the two batches are the same size".into());
    }
    let head = Head::new(
        "Where extra instances break even",
        "Capacity-keeping deployments that add instances in different amounts for different times.",
        d.seed(),
        runs,
    )
    .horizon("1h30m");
    let fleet = kit::ec2_fleet(n, n * 50, itype, &kit::lognormal(boot));
    let text = kit::scenario(&head, &fleet, policies.map(Policy::toml));
    let report = kit::run(&text)?;
    let ranked = kit::rank(&report, "min extra_cost_usd where min_capacity_pct >= 100", policies.map(Policy::label))?;
    let lines = ranked.lines(|i, s, verdict| {
        let verdict = if *verdict == Verdict::Best { "the answer" } else { "dearer" };
        let ex = kit::est(s, "extra_cost_usd").ok_or("no cost")?;
        Ok(format!(
            "- {} ({verdict}): {} extra instance-hours (up to {} instances at once, for {}), {}.",
            policies[i].text(),
            kit::num(s.extra_instance_hours, 3),
            s.peak_instances - n,
            kit::dur(s.deploy_duration_s),
            kit::usd(ex.mean, 4)
        ))
    })?;
    let stem = format!(
        "An Elastic Beanstalk environment runs {n} {itype} instances (${price} per hour, billed per second) and must keep 100 % of its capacity during deployments. New instances take about {} to boot, and each batch also waits two minutes of enhanced health checks. Which option adds the least to the bill?",
        kit::dur(f64::from(boot))
    );
    let explanation = format!(
        "{}. Each option pays for its extra instances times how long they run. A small additional batch adds few instances but keeps them for one cycle per batch, so for the whole, long deployment; a large batch adds more for fewer cycles; immutable doubles the fleet but only for about two cycles; blue/green doubles it until the old environment is terminated. Which wins depends on the fleet size, the batch sizes and the timings, which is why it is worth computing. Simulated (mean of {runs} runs):\n{lines}Sources: {}; {}; {}; {EC2_BILLING_DOC}.",
        policies[ranked.winner].text(),
        eb::POLICIES_DOC,
        eb::IMMUTABLE_DOC,
        eb::BLUE_GREEN_DOC
    );
    Ok(ranked.into_parts(policies.map(Policy::text), stem, explanation, text, runs))
}
