//! Elastic Beanstalk deployment policies on EC2: which policy keeps full capacity most
//! cheaply, how many instances run at the peak, and how far rolling lowers capacity.

use super::kit::{self, Attempt, Draw, Head, Parts, Verdict};
use super::{Ask, Template};

/// The AWS page behind the in-place policies and the batch rules.
pub(crate) const POLICIES_DOC: &str = "AWS Elastic Beanstalk Developer Guide, \"Deployment policies and settings\", https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/using-features.rolling-version-deploy.html";
/// Immutable updates.
pub(crate) const IMMUTABLE_DOC: &str = "AWS Elastic Beanstalk Developer Guide, \"Immutable environment updates\", https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/environmentmgmt-updates-immutable.html";
/// Blue/green with a CNAME swap.
pub(crate) const BLUE_GREEN_DOC: &str = "AWS Elastic Beanstalk Developer Guide, \"Blue/Green deployments with Elastic Beanstalk\", https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/using-features.CNAMESwap.html";

/// A way to deploy to an EC2 fleet, as an exam names it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Policy {
    /// All at once.
    AllAtOnce,
    /// Rolling with this batch (percent of the fleet).
    Rolling(u32),
    /// Rolling with an additional batch of this percent.
    Additional(u32),
    /// Immutable.
    Immutable,
    /// Blue/green, the old environment kept this many minutes.
    BlueGreen(u32),
    /// Traffic splitting: this percent of traffic for this many minutes.
    Splitting(u32, u32),
}

impl Policy {
    /// The strategy label in the scenario.
    pub(crate) fn label(self) -> String {
        match self {
            Policy::AllAtOnce => "all at once".into(),
            Policy::Rolling(b) => format!("rolling {b}%"),
            Policy::Additional(b) => format!("rolling + batch {b}%"),
            Policy::Immutable => "immutable".into(),
            Policy::BlueGreen(k) => format!("blue/green, old kept {k}m"),
            Policy::Splitting(p, w) => format!("traffic splitting {p}% / {w}m"),
        }
    }

    /// The `[[strategies]]` table.
    pub(crate) fn toml(self) -> String {
        let keys: Vec<(&str, String)> = match self {
            Policy::AllAtOnce => vec![("kind", "\"all_at_once\"".into())],
            Policy::Rolling(b) => vec![("kind", "\"rolling\"".into()), ("batch", format!("\"{b}%\""))],
            Policy::Additional(b) => {
                vec![("kind", "\"rolling_with_additional_batch\"".into()), ("batch", format!("\"{b}%\""))]
            }
            Policy::Immutable => vec![("kind", "\"immutable\"".into())],
            Policy::BlueGreen(k) => {
                vec![
                    ("kind", "\"blue_green\"".into()),
                    ("dns_ttl", "\"60s\"".into()),
                    ("keep_old", format!("\"{k}m\"")),
                ]
            }
            Policy::Splitting(p, w) => {
                vec![("kind", "\"canary\"".into()), ("percent", p.to_string()), ("wait", format!("\"{w}m\""))]
            }
        };
        kit::strategy_toml(&self.label(), &keys)
    }

    /// How an exam option names it.
    pub(crate) fn text(self) -> String {
        match self {
            Policy::AllAtOnce => "All at once".into(),
            Policy::Rolling(b) => format!("Rolling, batch size {b} %"),
            Policy::Additional(b) => format!("Rolling with additional batch, batch size {b} %"),
            Policy::Immutable => "Immutable".into(),
            Policy::BlueGreen(k) => {
                format!(
                    "Blue/green: clone the environment, swap CNAMEs, terminate the old environment after {k} minutes"
                )
            }
            Policy::Splitting(p, w) => format!("Traffic splitting, {p} % of traffic for {w} minutes"),
        }
    }

    /// Its short name, to begin a sentence with.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Policy::AllAtOnce => "All at once",
            Policy::Rolling(_) => "Rolling",
            Policy::Additional(_) => "Rolling with an additional batch",
            Policy::Immutable => "Immutable",
            Policy::BlueGreen(_) => "Blue/green",
            Policy::Splitting(..) => "Traffic splitting",
        }
    }

    /// What it does, in one sentence for the explanation.
    pub(crate) fn how(self, n: u32) -> String {
        match self {
            Policy::AllAtOnce => {
                "deploys to every instance at the same time, so all of them are out of service while they restart"
                    .into()
            }
            Policy::Rolling(b) => format!(
                "takes one batch of {} out of service at a time ({b} % of {n}, rounded up) and adds no instances",
                kit::count(batch(n, b), "instance", "instances")
            ),
            Policy::Additional(b) => format!(
                "first launches one extra batch of {} and keeps it for the whole deployment, so capacity never drops",
                kit::count(batch(n, b), "instance", "instances")
            ),
            Policy::Immutable => format!(
                "launches a full second set of {n} instances in a temporary Auto Scaling group and terminates the old ones only when the new ones are healthy, so the fleet doubles for a while"
            ),
            Policy::BlueGreen(k) => format!(
                "builds a whole second environment of {n} instances, swaps the CNAMEs, and pays for both until the old environment is terminated {k} minutes later"
            ),
            Policy::Splitting(p, w) => format!(
                "launches a full new fleet of {n} instances, sends it {p} % of the traffic for the {w}-minute evaluation time, then all of it"
            ),
        }
    }
}

/// Instances per batch: `b` % of `n`, rounded up, at least 1 (Elastic Beanstalk's percentage
/// batch).
pub(crate) fn batch(n: u32, b: u32) -> u32 {
    kit::ceil_pct(n, b).clamp(1, n)
}

/// Keeps 100 % capacity at the lowest extra cost.
pub(crate) const CHEAPEST_FULL_CAPACITY: Template = Template {
    id: "eb-cheapest-full-capacity",
    topic: "eb_policies",
    kind: "best",
    summary: "Which deployment policy keeps 100 % serving capacity at the lowest extra cost?",
    randomized: "fleet size (4-10), instance type, load (40-70 % of capacity), batch size (20-50 %), boot time (1-3 min), which two capacity-keeping approaches are offered (rolling with additional batch, immutable, blue/green with its keep time, traffic splitting) and the seed",
    build: cheapest_full_capacity,
};

fn cheapest_full_capacity(d: &mut Draw) -> Attempt<Parts> {
    let n = d.int(4, 10, 8);
    let b = d.pick(&[20, 25, 30, 34, 40, 50], 25);
    let load = d.pick(&[40, 50, 60, 70], 50);
    let itype = d.pick(&["m5.large", "c5.large", "t3.medium", "m6i.large"], "m5.large");
    let boot = d.pick(&[60, 90, 120, 180], 120);
    let runs = d.pick(&[4, 5, 6], 5);
    let keep = d.pick(&[5, 10, 15], 10);
    let mut full = vec![Policy::Additional(b), Policy::Immutable, Policy::BlueGreen(keep), Policy::Splitting(10, 5)];
    if d.is_fallback() {
        // Blue/green keeping the old environment ten minutes costs far more than one batch.
        full = vec![Policy::BlueGreen(keep), Policy::Additional(b)];
    } else {
        d.shuffle(&mut full);
    }
    // Rolling with an additional batch is the textbook answer: offer it most of the time.
    if d.chance(70, true) && !full[..2].contains(&Policy::Additional(b)) {
        full[1] = Policy::Additional(b);
    }
    let policies = [Policy::AllAtOnce, Policy::Rolling(b), full[0], full[1]];
    let rate = n * 100 * load / 100;
    let head = Head::new(
        "Which policy keeps full capacity most cheaply?",
        "Elastic Beanstalk deployment policies on one fleet; the goal is 100 % capacity at the lowest extra cost.",
        d.seed(),
        runs,
    );
    let fleet = kit::ec2_fleet(n, rate, itype, &kit::lognormal(boot));
    let text = kit::scenario(&head, &fleet, policies.map(Policy::toml));
    let report = kit::run(&text)?;
    let ranked = kit::rank(&report, "min extra_cost_usd where min_capacity_pct >= 100", policies.map(Policy::label))?;
    let lines = ranked.lines(|i, s, verdict| {
        let p = policies[i];
        let ex = kit::est(s, "extra_cost_usd").ok_or("no cost")?;
        let verdict = match verdict {
            Verdict::Best => "the answer",
            Verdict::Fails(_) => "ruled out: capacity drops",
            Verdict::Worse => "full capacity, but dearer",
        };
        Ok(format!(
            "- {} ({verdict}) {}. Simulated: lowest capacity {}, {} instances at the peak ({n} before), extra cost {}, deployment {}.",
            p.name(),
            p.how(n),
            kit::pct(s.min_capacity_pct),
            s.peak_instances,
            kit::usd(ex.mean, 4),
            kit::dur(s.deploy_duration_s)
        ))
    })?;
    let w = policies[ranked.winner];
    let stem = format!(
        "An Elastic Beanstalk web environment runs {n} {itype} instances behind a load balancer at about {load} % of their capacity, with enhanced health reporting. The next application version must be deployed without ever reducing the serving capacity below 100 %, and at the lowest extra cost. Which deployment approach should you choose?"
    );
    let explanation = format!(
        "{}. Policies that take instances out of service to update them in place cannot keep full capacity. The others add instances instead, and what they cost extra is how many instances they add times how long those run (instances are billed per second; with enhanced health each batch also waits 2 minutes of health checks). Mean of {runs} simulated runs:\n{lines}Sources: {POLICIES_DOC}; {IMMUTABLE_DOC}; {BLUE_GREEN_DOC}.",
        w.text()
    );
    Ok(ranked.into_parts(policies.map(Policy::text), stem, explanation, text, runs))
}

/// Most instances at once.
pub(crate) const PEAK_INSTANCES: Template = Template {
    id: "eb-peak-instances",
    topic: "eb_policies",
    kind: "value",
    summary: "How many instances run at most during a rolling, rolling-with-additional-batch or immutable deployment?",
    randomized: "fleet size (3-12), policy, batch size (10-50 %), load, boot time and the seed",
    build: peak_instances,
};

fn peak_instances(d: &mut Draw) -> Attempt<Parts> {
    let n = d.int(3, 12, 10);
    let b = d.pick(&[10, 20, 25, 30, 33, 40, 50], 25);
    let which = d.pick(&[0, 1, 1, 1, 2, 2], 1);
    let policy = [Policy::Rolling(b), Policy::Additional(b), Policy::Immutable][which];
    let boot = d.pick(&[60, 90, 120], 90);
    let runs = 3;
    let k = batch(n, b);
    let head = Head::new(
        "Instances at the peak of a deployment",
        "How many instances an Elastic Beanstalk deployment policy runs at once.",
        d.seed(),
        runs,
    );
    let text = kit::scenario(&head, &kit::ec2_fleet(n, n * 40, "m5.large", &kit::lognormal(boot)), [policy.toml()]);
    let report = kit::run(&text)?;
    let label = policy.label();
    let s = kit::strategy(&report, &label)?;
    let key = kit::settle_value(kit::est(s, "peak_instances").ok_or("no peak")?, 0)?;
    let (expected, candidates, rule) = match policy {
        Policy::Rolling(_) => (
            n,
            vec![n + k, n + 1, n - k, 2 * n],
            format!(
                "Rolling updates the existing instances in place, {k} at a time ({b} % of {n}, rounded up), and launches none, so the count never exceeds {n}."
            ),
        ),
        Policy::Additional(_) => (
            n + k,
            vec![n + kit::floor_pct(n, b).max(1), n, 2 * n, n + k + 1, n + k - 1],
            format!(
                "Rolling with an additional batch first launches one batch of new instances, {b} % of {n} rounded up = {k}, keeps them through the whole deployment and terminates them at the end: {n} + {k} = {}.",
                n + k
            ),
        ),
        _ => (
            2 * n,
            vec![n + 1, n, 2 * n - 1, 2 * n + 1, n + k],
            format!(
                "Immutable launches one new instance first, then the other {} in a temporary Auto Scaling group; the old instances are terminated only after all new ones pass health checks, so {n} old + {n} new = {} run together.",
                n - 1,
                2 * n
            ),
        ),
    };
    if key != f64::from(expected) {
        return Err(format!("{label}: simulated peak {key}, the rule gives {expected}"));
    }
    let options =
        kit::value_options(key, &kit::floats(&candidates), 0, 1.0, |v| kit::count(v as u32, "instance", "instances"))?;
    let stem = format!(
        "An Elastic Beanstalk environment has {n} instances (Auto Scaling minimum and maximum {n}). You deploy a new version with the policy \"{}\". At most how many EC2 instances are running, and billed, at the same time during the deployment?",
        policy.text()
    );
    let explanation = format!(
        "{}. {rule} The simulation counted {} at the peak (all {runs} runs). The count matters for account limits and for cost: every instance is billed per second while it runs.\nSource: {}.",
        kit::count(expected, "instance", "instances"),
        kit::count(key as u32, "instance", "instances"),
        if policy == Policy::Immutable { IMMUTABLE_DOC } else { POLICIES_DOC }
    );
    Ok(Parts { stem, options, explanation, scenario: text, runs, ask: Ask::value("peak_instances", label) })
}

/// Lowest capacity during a rolling deployment.
pub(crate) const MIN_CAPACITY: Template = Template {
    id: "eb-min-capacity",
    topic: "eb_policies",
    kind: "value",
    summary: "How low does serving capacity fall during a rolling (or rolling with additional batch) deployment?",
    randomized: "fleet size (3-12), batch size (10-50 %), policy (rolling most of the time) and the seed",
    build: min_capacity,
};

/// A capacity as an option reads: `75 % (6 of 8 instances in service)`.
fn capacity_text(v: f64, n: u32) -> String {
    let k = v * f64::from(n) / 100.0;
    if (k - k.round()).abs() < 0.01 {
        format!("{} ({} of {n} instances in service)", kit::pct(v), k.round() as u32)
    } else {
        kit::pct(v)
    }
}

fn min_capacity(d: &mut Draw) -> Attempt<Parts> {
    let n = d.int(3, 12, 8);
    let b = d.pick(&[10, 20, 25, 30, 33, 40, 50], 30);
    let additional = d.chance(20, false);
    let policy = if additional { Policy::Additional(b) } else { Policy::Rolling(b) };
    let runs = 3;
    let k = batch(n, b);
    let head = Head::new(
        "Capacity during a rolling deployment",
        "How far an Elastic Beanstalk rolling deployment lowers the healthy capacity.",
        d.seed(),
        runs,
    );
    let text = kit::scenario(&head, &kit::ec2_fleet(n, n * 40, "m5.large", &kit::lognormal(90)), [policy.toml()]);
    let report = kit::run(&text)?;
    let label = policy.label();
    let s = kit::strategy(&report, &label)?;
    let key = kit::settle_value(kit::est(s, "min_capacity_pct").ok_or("no capacity")?, 2)?;
    let of = |kept: u32| kit::share_pct(kept, n);
    let floor_batch = kit::floor_pct(n, b).max(1);
    let expected = if additional { 100.0 } else { of(n - k) };
    if key != expected {
        return Err(format!("{label}: simulated minimum {key} %, the rule gives {expected} %"));
    }
    let candidates = if additional {
        vec![of(n - k), f64::from(100 - b), of(n.saturating_sub(k + 1)), of(n - floor_batch)]
    } else {
        vec![of(n - floor_batch), f64::from(100 - b), 100.0, of(n - 1), of(n.saturating_sub(k + 1)), 50.0]
    };
    let options = kit::value_options(key, &candidates, 2, 3.0, |v| capacity_text(v, n))?;
    let stem = format!(
        "An Elastic Beanstalk environment runs {n} identical instances behind a load balancer. You deploy with the policy \"{}\". What is the lowest serving capacity during the deployment, as a share of the capacity before it started?",
        policy.text()
    );
    let rule = if additional {
        format!(
            "Rolling with an additional batch first launches {} with the new version ({b} % of {n}, rounded up) and only then takes batches of {k} out of service, so the number of healthy instances never falls below {n}: capacity stays at 100 %.",
            kit::count(k, "new instance", "new instances")
        )
    } else {
        format!(
            "A percentage batch size is converted to a count by rounding up: {b} % of {n} is {}, so {} at a time {} out of service and {} of {n} keep serving: {}.",
            kit::num(f64::from(n * b) / 100.0, 2),
            kit::count(k, "instance", "instances"),
            if k == 1 { "is" } else { "are" },
            n - k,
            kit::pct(expected)
        )
    };
    let explanation = format!(
        "{}. {rule} The simulation measured a lowest capacity of {} (all {runs} runs).\nSource: {POLICIES_DOC}.",
        capacity_text(key, n),
        kit::pct(s.min_capacity_pct)
    );
    Ok(Parts { stem, options, explanation, scenario: text, runs, ask: Ask::value("min_capacity_pct", label) })
}
