//! Lambda concurrency: requests per second times duration, and what a concurrency limit
//! below it throttles.

use super::kit::{self, Attempt, Draw, Head, Parts};
use super::lambda::{self, Function, Shift};
use super::{Ask, Template};

/// The concurrency quota.
const QUOTAS_DOC: &str = "AWS Lambda Developer Guide, \"Lambda quotas\", https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html";

/// Average busy environments.
pub(crate) const BUSY_ENVIRONMENTS: Template = Template {
    id: "lambda-concurrency-needed",
    topic: "lambda_concurrency",
    kind: "value",
    summary: "How many execution environments does a function keep busy (its concurrency) at a given rate and duration?",
    randomized: "request rate (2-40/s), request duration (0.1-3 s), the deployment running meanwhile and the seed",
    build: busy_environments,
};

fn busy_environments(d: &mut Draw) -> Attempt<Parts> {
    let request_ms = d.pick(&[100, 200, 250, 400, 500, 800, 1000, 1500, 2000, 3000], 500);
    // Rates whose concurrency is a whole number: multiples of 1000 / gcd(duration, 1000).
    let step = 1000 / gcd(request_ms, 1000);
    let rate = step * d.int(1, (40 / step).max(1), 24 / step);
    let busy = rate * request_ms / 1000;
    if busy < 2 {
        return Err("too few environments".into());
    }
    let shift = d.pick(&[Shift::Canary(10, 5), Shift::Linear(10, 1), Shift::AllAtOnce], Shift::Canary(10, 5));
    let runs = 2;
    let head = Head::new(
        "Concurrency of a function",
        "Busy execution environments are requests per second times duration, whichever version serves them.",
        d.seed(),
        runs,
    )
    .horizon("8m")
    .warmup("1m")
    .deploy_at("1m")
    .until_horizon();
    let text = kit::scenario(&head, &Function::fixed(f64::from(rate), request_ms, 100).toml(), [shift.toml(&[])]);
    let report = kit::run(&text)?;
    let label = shift.label();
    let s = kit::strategy(&report, &label)?;
    let key = kit::settle_value(kit::est(s, "avg_busy").ok_or("no busy")?, 0)?;
    if key != f64::from(busy) {
        return Err(format!("simulated {key} busy, the rule gives {busy}"));
    }
    let q = f64::from(request_ms) / 1000.0;
    let candidates: Vec<f64> = vec![
        f64::from(rate),
        f64::from(2 * busy),
        f64::from(rate) / q,
        f64::from(busy) / 2.0,
        f64::from(busy + rate),
        f64::from(busy) * 10.0,
    ];
    let text_of = |v: f64| kit::count(v as u32, "environment", "environments");
    let options = kit::value_options(key, &candidates, 0, 2.0, text_of)?;
    let stem = format!(
        "A Lambda function receives a steady {rate} requests per second, and each request runs for {} s. While CodeDeploy moves its alias to a new version ({}), how many execution environments are busy on average, across both versions?",
        kit::num(q, 3),
        shift.text()
    );
    let explanation = format!(
        "{}. An execution environment serves one request at a time, so the function's concurrency is requests per second × average duration: {rate} × {} s = {busy}. Splitting the traffic between two versions does not change it: each version serves its share with its own environments, and the shares add up. The simulation measured an average of {} busy environments (both runs; cold starts add their init time on top, a little).\nSource: {}.",
        text_of(key),
        kit::num(q, 3),
        kit::num(s.avg_busy, 2),
        lambda::CONCURRENCY_DOC
    );
    Ok(Parts { stem, options, explanation, scenario: text, runs, ask: Ask::value("avg_busy", label) })
}

/// Availability under a concurrency limit.
pub(crate) const LIMIT_AVAILABILITY: Template = Template {
    id: "lambda-limit-throttling",
    topic: "lambda_concurrency",
    kind: "value",
    summary: "What share of requests succeeds when the concurrency limit is below the concurrency the traffic needs?",
    randomized: "the concurrency needed (20-50), the limit as a share of it (50-90 %), request duration and the seed",
    build: limit_availability,
};

fn limit_availability(d: &mut Draw) -> Attempt<Parts> {
    let share = d.pick(&[50, 60, 75, 80, 90], 80);
    let loads: Vec<u32> = [20_u32, 25, 30, 40, 50].into_iter().filter(|b| (b * share).is_multiple_of(100)).collect();
    let busy = d.pick(&loads, 25);
    let limit = busy * share / 100;
    let request_ms = d.pick(&[1000, 2000], 1000);
    let rate = busy * 1000 / request_ms;
    let runs = 2;
    let head = Head::new(
        "A concurrency limit below the load",
        "Requests that find no environment within the limit are throttled, not queued.",
        d.seed(),
        runs,
    )
    .horizon("5m")
    .warmup("1m")
    .deploy_at("1m")
    .until_horizon();
    let mut f = Function::fixed(f64::from(rate), request_ms, 200);
    f.limit = limit;
    // All at once: after the shift one version serves everything. While two versions serve,
    // the core lets a request take an idle warm environment of its version even when
    // `concurrency_limit` environments are busy (`Pool::request` checks the limit only before
    // starting a new one), so a canary or linear shift can run above the limit.
    let shift = Shift::AllAtOnce;
    let text = kit::scenario(&head, &f.toml(), [shift.toml(&[])]);
    let report = kit::run(&text)?;
    let label = shift.label();
    let s = kit::strategy(&report, &label)?;
    let key = kit::settle_value(kit::est(s, "availability").ok_or("no availability")?, 2)?;
    let expected = f64::from(share) / 100.0;
    if key != expected {
        return Err(format!("simulated availability {key}, the rule gives {expected}"));
    }
    let candidates =
        vec![1.0, 1.0 - expected, f64::from(limit) / f64::from(busy + limit), expected - 0.1, expected + 0.05];
    let text_of = |v: f64| format!("{} of requests succeed", kit::pct(v * 100.0));
    let options = kit::value_options(key, &candidates, 2, 0.04, text_of)?;
    let q = f64::from(request_ms) / 1000.0;
    let stem = format!(
        "A Lambda function receives a steady {rate} requests per second, evenly spaced, each running {} s. Its reserved concurrency (its concurrency limit) is {limit}. Callers do not retry throttled requests. Over the following minutes, after a new version has been deployed with CodeDeployDefault.LambdaAllAtOnce, what share of requests succeeds?",
        kit::num(q, 3)
    );
    let explanation = format!(
        "{}. The traffic needs {rate} × {} s = {busy} environments at once, but at most {limit} may run. A request that finds all {limit} busy is throttled (HTTP 429) at once: Lambda does not queue synchronous requests. So at most {limit} / {} s = {} requests per second are served out of {rate}: {}. The simulation measured an availability of {} and {} throttled requests (mean of {runs} runs; the new version's cold starts cost a few more).\nSources: {}; {QUOTAS_DOC}.",
        text_of(key),
        kit::num(q, 3),
        kit::num(q, 3),
        kit::num(f64::from(limit) / q, 2),
        kit::pct(expected * 100.0),
        kit::pct(s.availability * 100.0),
        s.throttled,
        lambda::CONCURRENCY_DOC
    );
    Ok(Parts { stem, options, explanation, scenario: text, runs, ask: Ask::value("availability", label) })
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}
