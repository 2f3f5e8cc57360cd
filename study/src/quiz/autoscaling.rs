//! Auto Scaling during a deployment: which policy rides out a traffic spike, and batch sizes
//! resolved against the fleet Auto Scaling has grown.

use super::eb::{self, Policy};
use super::kit::{self, Attempt, Draw, Head, Opt, Parts, Verdict};
use super::{Ask, Template};

/// Target tracking.
const TARGET_DOC: &str = "Amazon EC2 Auto Scaling User Guide, \"Target tracking scaling policies for Amazon EC2 Auto Scaling\", https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-target-tracking.html";
/// Warm-up and cooldown.
const WARMUP_DOC: &str = "Amazon EC2 Auto Scaling User Guide, \"Available warm-up and cooldown settings\", https://docs.aws.amazon.com/autoscaling/ec2/userguide/consolidated-view-of-warm-up-and-cooldown-settings.html";

/// The `[service]` Auto Scaling keys appended to an EC2 fleet.
fn scaling(min: u32, max: u32, target_pct: u32) -> String {
    format!(
        "min = {min}\nmax = {max}\nscaling = {{ target_utilization = {}, warmup = \"120s\", cooldown = \"300s\" }}\n",
        kit::num(f64::from(target_pct) / 100.0, 2)
    )
}

/// The policy that fails the fewest requests in a spike.
pub(crate) const SPIKE_POLICY: Template = Template {
    id: "autoscaling-spike-policy",
    topic: "autoscaling",
    kind: "best",
    summary: "Traffic spikes during the deployment and target tracking must catch up: which policy fails the fewest requests?",
    randomized: "fleet size (6-10), spike size (1.5-2x), when it starts and how long it lasts, the two rolling batch sizes, boot time and the seed",
    build: spike_policy,
};

fn spike_policy(d: &mut Draw) -> Attempt<Parts> {
    let n = d.int(6, 10, 8);
    let b = d.pick(&[20, 25, 30, 34], 25);
    let factor = d.pick(&[15, 18, 20], 20);
    let after = d.int(1, 4, 2);
    let lasts = d.int(8, 12, 10);
    let boot = d.pick(&[60, 90, 120], 60);
    let runs = d.pick(&[5, 6], 5);
    let rate = n * 50;
    let small = d.pick(&[10, 15], 10);
    if eb::batch(n, small) == eb::batch(n, b) {
        return Err("the two rolling batches are the same size".into());
    }
    let policies = [Policy::AllAtOnce, Policy::Rolling(b), Policy::Rolling(small), Policy::Additional(b)];
    let head = Head::new(
        "A traffic spike during a deployment",
        "Target tracking at 60 % while a deployment runs and traffic jumps.",
        d.seed(),
        runs,
    )
    .horizon("30m")
    .deploy_at("3m")
    .until_horizon();
    let fleet = kit::ec2_fleet(n, rate, "c5.large", &kit::lognormal(boot));
    let fleet = fleet.replacen(
        &format!("[traffic]\nrate = {rate}\n"),
        &format!(
            "[traffic]\npattern = \"spike\"\nrate = {rate}\nat = \"{}m\"\nduration = \"{lasts}m\"\nfactor = {}\n",
            3 + after,
            kit::num(f64::from(factor) / 10.0, 1)
        ),
        1,
    );
    let tables = format!("{fleet}{}", scaling(n / 2, 3 * n, 60));
    let text = kit::scenario(&head, &tables, policies.map(Policy::toml));
    let report = kit::run(&text)?;
    let ranked = kit::rank(&report, "min failed_requests", policies.map(Policy::label))?;
    let lines = ranked.lines(|i, s, verdict| {
        let verdict = match verdict {
            Verdict::Best => "the answer",
            _ => "more failures",
        };
        Ok(format!(
            "- {} ({verdict}): {} failed requests, lowest capacity {}, {} instances at the peak.",
            policies[i].text(),
            s.failed_requests,
            kit::pct(s.min_capacity_pct),
            s.peak_instances
        ))
    })?;
    let base = &report.baseline;
    let load = f64::from(factor) / 10.0 * 50.0;
    let stem = format!(
        "An Elastic Beanstalk environment of {n} instances runs at 50 % of its capacity, with a target tracking policy on CPU at 60 % (minimum {}, maximum {}). {} minutes into a deployment, traffic jumps to {}x for {lasts} minutes, which would load the original fleet to {} %. New instances take about {} to boot. Which deployment policy fails the fewest requests?",
        n / 2,
        3 * n,
        after,
        kit::num(f64::from(factor) / 10.0, 1),
        kit::num(load, 0),
        kit::dur(f64::from(boot))
    );
    let explanation = format!(
        "{}. Target tracking only adds instances after the metric has been above the target for a few minutes (deploysim: three one-minute data points), and the new instances still have to boot and pass health checks, so for several minutes the fleet the deployment left in service carries the spike alone. Policies that take instances out of service meet the spike with less capacity (all at once with none at first, rolling with one batch less, however small the batch); rolling with an additional batch launches its extra batch first and meets the spike with more. Simulated (mean of {runs} runs; without any deployment the spike alone fails {} requests):\n{lines}Sources: {TARGET_DOC}; {WARMUP_DOC}; {}.",
        policies[ranked.winner].text(),
        base.failed_requests,
        eb::POLICIES_DOC
    );
    Ok(ranked.into_parts(policies.map(Policy::text), stem, explanation, text, runs))
}

/// The batch after a scale-out.
pub(crate) const BATCH_AFTER_SCALE_OUT: Template = Template {
    id: "autoscaling-batch-after-scale-out",
    topic: "autoscaling",
    kind: "value",
    summary: "After Auto Scaling has grown the fleet, how many instances run at the peak of a rolling deployment with an additional batch?",
    randomized: "initial fleet (3-6), the traffic that makes Auto Scaling grow it, batch size (20-50 %) and the seed",
    build: batch_after_scale_out,
};

fn batch_after_scale_out(d: &mut Draw) -> Attempt<Parts> {
    let n0 = d.int(3, 6, 4);
    let grown = d.int(n0 + 2, 2 * n0 + 3, 8);
    let b = d.pick(&[20, 25, 30, 34, 40, 50], 25);
    let runs = 3;
    // Traffic that puts `grown` instances just under the 60 % target (57 %, above the 54 % at
    // which target tracking scales in), up from half of n0's; evenly spaced, so no random
    // minute crosses the target.
    let rate = grown * 57;
    let head = Head::new(
        "A deployment after a scale-out",
        "Auto Scaling grows the group, then a rolling deployment with an additional batch starts.",
        d.seed(),
        runs,
    )
    .deploy_at("20m");
    let mut text = head.toml();
    let fleet = kit::ec2_fleet(n0, rate, "m5.large", "\"60s\"");
    let fleet = fleet.replacen(
        &format!("[traffic]\nrate = {rate}\n"),
        &format!("[traffic]\npattern = \"steps\"\narrivals = \"fluid\"\nrate = {}\n[[traffic.steps]]\nat = \"1m\"\nrate = {rate}\n", n0 * 50),
        1,
    );
    text.push_str(&fleet);
    text.push_str(&scaling(n0, 4 * n0 + 4, 60));
    text.push_str(kit::COMPUTE_ONLY);
    let policy = Policy::Additional(b);
    text.push_str(&policy.toml());
    let report = kit::run(&text)?;
    // The baseline shows the size the group settled at, without a deployment (target
    // tracking may overshoot the traffic's `grown` by an instance: its last data points
    // still saw the overloaded minutes).
    let settled = kit::est(&report.baseline, "peak_instances").ok_or("no baseline")?;
    if settled.low != settled.high || settled.mean < f64::from(n0 + 2) {
        return Err(format!("the group settled at {} instances", settled.mean));
    }
    let grown = settled.mean as u32;
    let label = policy.label();
    let s = kit::strategy(&report, &label)?;
    let key = kit::settle_value(kit::est(s, "peak_instances").ok_or("no peak")?, 0)?;
    let k = eb::batch(grown, b);
    if key != f64::from(grown + k) {
        return Err(format!("simulated peak {key}, the rule gives {}", grown + k));
    }
    let candidates: Vec<f64> =
        [n0 + eb::batch(n0, b), grown, grown + kit::floor_pct(grown, b).max(1), 2 * grown, grown + k + 1, n0 + k]
            .iter()
            .map(|&c| f64::from(c))
            .collect();
    let others = kit::distinct(key, &candidates, 0, 1.0, 3);
    if others.len() < 3 {
        return Err("not enough distinct distractors".into());
    }
    let text_of = |v: f64| kit::count(v as u32, "instance", "instances");
    let mut options = vec![Opt::number(key, text_of(key), true)];
    options.extend(others.iter().map(|&v| Opt::number(v, text_of(v), false)));
    let stem = format!(
        "An Elastic Beanstalk environment was created with {n0} instances and a target tracking scaling policy (minimum {n0}, maximum {}). Traffic has grown, and Auto Scaling has scaled the group out to {grown} instances, where it is stable. You now deploy with \"{}\". At most how many instances run at the same time during the deployment?",
        4 * n0 + 4,
        policy.text()
    );
    let explanation = format!(
        "{}. The batch size is a share of the fleet when the deployment starts, {grown} instances, not of the size the environment was created with: {b} % of {grown} rounded up is {k}, so {grown} + {k} = {} run while the extra batch is in. (Reading it against the original {n0} would give {}.) The simulation counted {} at the peak (all {runs} runs).\nSources: {}; {TARGET_DOC}.",
        text_of(key),
        grown + k,
        n0 + eb::batch(n0, b),
        text_of(f64::from(s.peak_instances)),
        eb::POLICIES_DOC
    );
    Ok(Parts { stem, options, explanation, scenario: text, runs, ask: Ask::value("peak_instances", label) })
}
