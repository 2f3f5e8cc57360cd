//! CodeDeploy in-place deployments on EC2: minimum healthy hosts and the predefined
//! configurations.

use super::kit::{self, Attempt, Draw, Head, Parts, Verdict};
use super::{Ask, Template};

/// Minimum healthy hosts and its rounding.
const HEALTH_DOC: &str = "AWS CodeDeploy User Guide, \"CodeDeploy instance health\", https://docs.aws.amazon.com/codedeploy/latest/userguide/instances-health.html";
/// The predefined configurations.
pub(crate) const CONFIGS_DOC: &str = "AWS CodeDeploy User Guide, \"Working with deployment configurations in CodeDeploy\", https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html";

/// An EC2/On-Premises deployment configuration.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Config {
    /// `CodeDeployDefault.OneAtATime`.
    OneAtATime,
    /// `CodeDeployDefault.HalfAtATime`.
    HalfAtATime,
    /// `CodeDeployDefault.AllAtOnce`.
    AllAtOnce,
    /// A custom configuration, minimum healthy hosts as a count (`HOST_COUNT`).
    Hosts(u32),
    /// A custom configuration, minimum healthy hosts as a fleet percentage (`FLEET_PERCENT`).
    Percent(u32),
}

impl Config {
    /// Instances kept healthy on a fleet of `n`.
    fn kept(self, n: u32) -> u32 {
        match self {
            Config::OneAtATime => n - 1,
            Config::HalfAtATime => kit::ceil_pct(n, 50),
            Config::AllAtOnce => 0,
            Config::Hosts(k) => k,
            Config::Percent(p) => kit::ceil_pct(n, p),
        }
    }

    fn label(self) -> String {
        match self {
            Config::OneAtATime => "CodeDeployDefault.OneAtATime".into(),
            Config::HalfAtATime => "CodeDeployDefault.HalfAtATime".into(),
            Config::AllAtOnce => "CodeDeployDefault.AllAtOnce".into(),
            Config::Hosts(k) => format!("custom: {k} healthy hosts"),
            Config::Percent(p) => format!("custom: {p}% healthy"),
        }
    }

    fn toml(self) -> String {
        let keys: Vec<(&str, String)> = match self {
            Config::Hosts(k) => vec![("kind", "\"in_place\"".into()), ("minimum_healthy_hosts", k.to_string())],
            Config::Percent(p) => vec![("kind", "\"in_place\"".into()), ("minimum_healthy_hosts", format!("\"{p}%\""))],
            c => vec![("config", kit::quote(&c.label()))],
        };
        kit::strategy_toml(&self.label(), &keys)
    }

    fn text(self) -> String {
        match self {
            Config::Hosts(k) => {
                format!("A custom deployment configuration with minimum healthy hosts HOST_COUNT = {k}")
            }
            Config::Percent(p) => {
                format!("A custom deployment configuration with minimum healthy hosts FLEET_PERCENT = {p}")
            }
            c => c.label(),
        }
    }

    /// What it means on `n` instances, for the explanation.
    fn rule(self, n: u32) -> String {
        let kept = self.kept(n);
        let at_once = n - kept;
        match self {
            Config::OneAtATime => {
                format!("OneAtATime deploys to one instance at a time, so {} of {n} stay healthy", n - 1)
            }
            Config::HalfAtATime => format!(
                "HalfAtATime keeps at least half healthy, rounded up: 50 % of {n} is {}, so {kept} must stay healthy and {at_once} deploy at a time",
                kit::num(f64::from(n) / 2.0, 1)
            ),
            Config::AllAtOnce => "AllAtOnce deploys to every instance at once: none need stay healthy".into(),
            Config::Hosts(k) => format!(
                "HOST_COUNT = {k} keeps {k} healthy, so {} at a time",
                kit::count(at_once, "instance deploys", "instances deploy")
            ),
            Config::Percent(p) => format!(
                "FLEET_PERCENT = {p} is rounded up: {p} % of {n} is {}, so {kept} stay healthy and {at_once} deploy at a time",
                kit::num(f64::from(n * p) / 100.0, 2)
            ),
        }
    }
}

/// `ec2` fleet with fixed boot and deploy times for exact counts.
fn fleet(n: u32, rate: u32) -> String {
    kit::ec2_fleet(n, rate, "m5.large", &kit::lognormal(90))
}

/// Lowest capacity under a configuration.
pub(crate) const HEALTHY_HOSTS: Template = Template {
    id: "codedeploy-healthy-hosts",
    topic: "codedeploy_ec2",
    kind: "value",
    summary: "How many instances stay in service during an in-place deployment with a given minimum healthy hosts setting?",
    randomized: "fleet size (3-12), configuration (HalfAtATime, OneAtATime, a custom HOST_COUNT or FLEET_PERCENT) and the seed",
    build: healthy_hosts,
};

fn capacity_text(kept: u32, n: u32) -> String {
    format!("{kept} of {n} instances in service ({} of capacity)", kit::pct(100.0 * f64::from(kept) / f64::from(n)))
}

fn healthy_hosts(d: &mut Draw) -> Attempt<Parts> {
    let n = d.int(3, 12, 9);
    let which = d.pick(&[0, 0, 0, 1, 2, 2, 3, 3], 0);
    let config = match which {
        0 => Config::HalfAtATime,
        1 => Config::OneAtATime,
        2 => Config::Percent(d.pick(&[25, 34, 40, 60, 67, 75], 60)),
        _ => Config::Hosts(d.int(1, n - 1, 6)),
    };
    let kept = config.kept(n);
    if kept >= n {
        return Err(format!("{} leaves nothing to deploy on {n}", config.label()));
    }
    let runs = 3;
    let head =
        Head::new("Minimum healthy hosts", "A CodeDeploy in-place deployment behind a load balancer.", d.seed(), runs);
    let text = kit::scenario(&head, &fleet(n, n * 40), [config.toml()]);
    let report = kit::run(&text)?;
    let label = config.label();
    let s = kit::strategy(&report, &label)?;
    let key = kit::settle_value(kit::est(s, "min_capacity_pct").ok_or("no capacity")?, 2)?;
    let of = |k: u32| kit::share_pct(k, n);
    if key != of(kept) {
        return Err(format!("{label}: simulated {key} %, the rule gives {} %", of(kept)));
    }
    let floor = match config {
        Config::HalfAtATime => n / 2,
        Config::Percent(p) => kit::floor_pct(n, p),
        _ => kept,
    };
    let mut counts = vec![floor, n - kept, kept + 1, n - 1, kept.saturating_sub(1), n / 2];
    counts.retain(|&c| c < n);
    // The count of instances a capacity option stands for.
    let back = |v: f64| (v * f64::from(n) / 100.0).round() as u32;
    let candidates: Vec<f64> = counts.iter().map(|&c| of(c)).collect();
    let options = kit::value_options(key, &candidates, 2, 0.5, |v| capacity_text(back(v), n))?;
    let setting = match config {
        Config::Hosts(_) | Config::Percent(_) => config.text().replacen("A custom", "a custom", 1),
        c => format!("the deployment configuration {}", c.label()),
    };
    let stem = format!(
        "CodeDeploy deploys a new revision in place to {n} EC2 instances behind an Application Load Balancer, using {setting}. Each instance is taken out of the load balancer while it is updated. What is the lowest number of instances serving traffic during the deployment?"
    );
    let explanation = format!(
        "{}. {}. CodeDeploy deploys to as many instances at once as it can while keeping the minimum number of healthy hosts, and converts a percentage to a count by rounding up (the user guide's own example: HalfAtATime on 9 instances deploys to 4 and keeps 5). The simulation measured a lowest capacity of {} (all {runs} runs).\nSources: {HEALTH_DOC}; {CONFIGS_DOC}.",
        capacity_text(kept, n),
        config.rule(n),
        kit::pct(s.min_capacity_pct)
    );
    Ok(Parts { stem, options, explanation, scenario: text, runs, ask: Ask::value("min_capacity_pct", label) })
}

/// The fastest configuration that keeps enough hosts.
pub(crate) const FASTEST_CONFIG: Template = Template {
    id: "codedeploy-fastest-config",
    topic: "codedeploy_ec2",
    kind: "best",
    summary: "Which deployment configuration finishes fastest while keeping enough instances in service?",
    randomized: "fleet size (5-12), how many instances must stay in service, the custom configuration offered (HOST_COUNT or FLEET_PERCENT) and the seed",
    build: fastest_config,
};

fn fastest_config(d: &mut Draw) -> Attempt<Parts> {
    let n = d.int(5, 12, 9);
    let need = d.int(2, n - 2, 6);
    // The custom configuration keeps enough instances most of the time (then it races
    // OneAtATime), otherwise too few (a cheap-looking trap).
    let custom_kept = if need <= n - 2 && d.chance(70, true) { d.int(need, n - 2, 6) } else { d.int(1, need, 4) };
    let round: Vec<u32> = [10, 20, 25, 30, 33, 40, 50, 60, 66, 70, 75, 80, 90]
        .into_iter()
        .filter(|&p| kit::ceil_pct(n, p) == custom_kept)
        .collect();
    let custom = if round.is_empty() || d.chance(50, true) {
        Config::Hosts(custom_kept)
    } else {
        Config::Percent(d.pick(&round, round[0]))
    };
    let configs = [Config::OneAtATime, Config::HalfAtATime, Config::AllAtOnce, custom];
    if custom.kept(n) == Config::HalfAtATime.kept(n) || custom.kept(n) >= n - 1 || custom.kept(n) == 0 {
        return Err("the custom configuration repeats a predefined one".into());
    }
    let runs = 4;
    let head = Head::new(
        "The fastest configuration that keeps enough hosts",
        "CodeDeploy in-place configurations on one fleet; the traffic needs a minimum number of instances.",
        d.seed(),
        runs,
    );
    let text = kit::scenario(&head, &fleet(n, need * 80), configs.map(Config::toml));
    let report = kit::run(&text)?;
    // `need` of `n` instances, as a threshold halfway below it so that rounding cannot matter.
    let threshold = kit::round_to(100.0 * (f64::from(need) - 0.5) / f64::from(n), 2);
    let goal = format!("min deploy_duration_s where min_capacity_pct >= {threshold}");
    let ranked = kit::rank(&report, goal, configs.map(Config::label))?;
    let lines = ranked.lines(|i, s, verdict| {
        let c = configs[i];
        let kept = c.kept(n);
        let batches = n.div_ceil(n - kept);
        let verdict = match verdict {
            Verdict::Best => format!("keeps {kept}, enough, and is the fastest that does"),
            Verdict::Fails(_) => format!("keeps only {kept}, too few"),
            Verdict::Worse => format!("keeps {kept}, enough, but is slower"),
        };
        Ok(format!(
            "- {}: {}; {verdict}: {} (each: deregister, drain, install, pass health checks), {} in all.",
            c.text(),
            c.rule(n),
            kit::count(batches, "batch", "batches"),
            kit::dur(s.deploy_duration_s)
        ))
    })?;
    let stem = format!(
        "An application runs on {n} EC2 instances behind an Application Load Balancer, and the traffic needs at least {need} of them in service at all times. You deploy a new revision with CodeDeploy in place. Which deployment configuration finishes the deployment fastest without ever leaving fewer than {need} instances in service?"
    );
    let explanation = format!(
        "{}. Each configuration sets the minimum healthy hosts; CodeDeploy then deploys to as many instances at a time as that minimum allows, rounding a percentage up to whole instances. The fewer instances it must keep, the fewer batches it needs, but it must keep at least {need}. Simulated (mean of {runs} runs):\n{lines}Sources: {HEALTH_DOC}; {CONFIGS_DOC}.",
        configs[ranked.winner].text()
    );
    Ok(ranked.into_parts(configs.map(Config::text), stem, explanation, text, runs))
}
