//! ECS rolling updates: minimumHealthyPercent (rounded up) and maximumPercent (rounded down).

use super::kit::{self, Attempt, Draw, Head, Parts, Verdict};
use super::{Ask, Template};

/// The rolling update.
const ROLLING_DOC: &str = "Amazon ECS Developer Guide, \"Rolling update\", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html";
/// The two parameters and their rounding.
const PARAMS_DOC: &str = "Amazon ECS Developer Guide, \"Service definition parameters\", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service_definition_parameters.html";

/// A (minimumHealthyPercent, maximumPercent) pair.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Pair(u32, u32);

impl Pair {
    fn label(self) -> String {
        format!("ecs {}/{}", self.0, self.1)
    }

    fn toml(self) -> String {
        kit::strategy_toml(
            &self.label(),
            &[
                ("kind", "\"ecs_rolling\"".into()),
                ("min_healthy_percent", self.0.to_string()),
                ("max_percent", self.1.to_string()),
            ],
        )
    }

    fn text(self) -> String {
        format!("minimumHealthyPercent = {}, maximumPercent = {}", self.0, self.1)
    }

    /// Fewest healthy tasks, rounded up.
    fn low(self, n: u32) -> u32 {
        kit::ceil_pct(n, self.0)
    }

    /// Most tasks running, starting or stopping, rounded down.
    fn high(self, n: u32) -> u32 {
        kit::floor_pct(n, self.1)
    }

    /// Whether ECS could neither stop nor start a task.
    fn stuck(self, n: u32) -> bool {
        self.low(n) >= n && self.high(n) <= n
    }

    fn rule(self, n: u32) -> String {
        format!(
            "at least {} healthy ({} % of {n} = {}, rounded up) and at most {} running, starting or stopping ({} % of {n} = {}, rounded down)",
            self.low(n),
            self.0,
            kit::num(f64::from(n * self.0) / 100.0, 2),
            self.high(n),
            self.1,
            kit::num(f64::from(n * self.1) / 100.0, 2)
        )
    }
}

/// A 40-minute run with the deployment at 1 minute.
fn head<'a>(name: &'a str, description: &'a str, seed: u64, runs: u32) -> Head<'a> {
    Head::new(name, description, seed, runs).horizon("40m").deploy_at("1m")
}

/// Tasks at the peak.
pub(crate) const PEAK_TASKS: Template = Template {
    id: "ecs-peak-tasks",
    topic: "ecs_rolling",
    kind: "value",
    summary: "How many tasks run at most during an ECS rolling update with given minimumHealthyPercent and maximumPercent?",
    randomized: "desired count (2-10), minimumHealthyPercent (0-100), maximumPercent (100-200) and the seed",
    build: peak_tasks,
};

fn peak_tasks(d: &mut Draw) -> Attempt<Parts> {
    let n = d.int(2, 10, 5);
    let pair = Pair(d.pick(&[0, 25, 50, 60, 75, 100], 50), d.pick(&[100, 110, 120, 125, 150, 175, 200], 150));
    if pair.stuck(n) {
        return Err("stuck".into());
    }
    let runs = 3;
    let head = head("Tasks at the peak of an ECS rolling update", "An ECS service on Fargate.", d.seed(), runs);
    let text = kit::scenario(&head, &kit::fargate_service(n, n * 40, 30), [pair.toml()]);
    let report = kit::run(&text)?;
    let label = pair.label();
    let s = kit::strategy(&report, &label)?;
    let key = kit::settle_value(kit::est(s, "peak_instances").ok_or("no peak")?, 0)?;
    let expected = pair.high(n).min(2 * n).max(n);
    if key != f64::from(expected) {
        return Err(format!("{label} on {n}: simulated peak {key}, the rule gives {expected}"));
    }
    let candidates =
        kit::floats(&[kit::ceil_pct(n, pair.1), n, 2 * n, expected + 1, n + n - pair.low(n), expected - 1]);
    let text_of = |v: f64| kit::count(v as u32, "task", "tasks");
    let options = kit::value_options(key, &candidates, 0, 1.0, text_of)?;
    let stem = format!(
        "An Amazon ECS service on Fargate has a desired count of {n} tasks behind an Application Load Balancer and uses the rolling update deployment type with {}. While a new task definition is deployed, what is the largest number of tasks that exist at the same time (starting, running or stopping, and billed)?",
        pair.text()
    );
    let why = if pair.high(n) >= 2 * n {
        format!(
            "The maximum allows {}, but ECS starts only {n} new tasks, so {n} old + {n} new = {} is the most.",
            pair.high(n),
            2 * n
        )
    } else if pair.high(n) <= n {
        format!(
            "The maximum is {n} itself, so ECS must stop old tasks before it starts new ones; the count never exceeds {n}."
        )
    } else {
        format!(
            "ECS starts new tasks until the total reaches the maximum, {}; stopping tasks count toward it until they have drained, so the total never exceeds {}.",
            pair.high(n),
            pair.high(n)
        )
    };
    let explanation = format!(
        "{}. With a desired count of {n}, ECS keeps {}. {why} The simulation counted {} at the peak (all {runs} runs).{}\nSources: {ROLLING_DOC}; {PARAMS_DOC}.",
        text_of(key),
        pair.rule(n),
        text_of(f64::from(s.peak_instances)),
        if kit::ceil_pct(n, pair.1) == pair.high(n) {
            String::new()
        } else {
            format!(" Rounding maximumPercent up instead of down would wrongly give {}.", kit::ceil_pct(n, pair.1))
        }
    );
    Ok(Parts { stem, options, explanation, scenario: text, runs, ask: Ask::value("peak_instances", label) })
}

/// The fastest pair under a task cap that keeps full capacity.
pub(crate) const FASTEST_WITHIN_LIMITS: Template = Template {
    id: "ecs-fastest-within-limits",
    topic: "ecs_rolling",
    kind: "best",
    summary: "Which minimumHealthyPercent/maximumPercent pair deploys fastest while keeping every task's capacity and staying under a cap on tasks?",
    randomized: "desired count (4-10), the cap on tasks, the maximumPercent values offered and the seed",
    build: fastest_within_limits,
};

fn fastest_within_limits(d: &mut Draw) -> Attempt<Parts> {
    let n = d.int(4, 10, 6);
    let big = d.pick(&[125, 150, 175], 150);
    let small = d.pick(&[110, 120, 125, 134], 120);
    if small >= big {
        return Err("the two maximums are not ordered".into());
    }
    let cap = kit::floor_pct(n, big);
    let low = d.pick(&[0, 50, 75], 50);
    let pairs = [Pair(100, 200), Pair(100, big), Pair(100, small), Pair(low, 200)];
    if pairs.iter().any(|p| p.stuck(n)) || Pair(100, small).high(n) >= cap || cap >= 2 * n {
        return Err("the pairs do not separate on this desired count".into());
    }
    let runs = 4;
    let head = head(
        "The fastest ECS rolling update under a cap",
        "ECS rolling updates with several minimum healthy and maximum percentages.",
        d.seed(),
        runs,
    );
    let text = kit::scenario(&head, &kit::fargate_service(n, n * 60, 30), pairs.map(Pair::toml));
    let report = kit::run(&text)?;
    let goal = format!("min deploy_duration_s where min_capacity_pct >= 100 and peak_instances <= {cap}");
    let ranked = kit::rank(&report, goal, pairs.map(Pair::label))?;
    let lines = ranked.lines(|i, s, verdict| {
        let p = pairs[i];
        let verdict = match verdict {
            Verdict::Best => "the answer".to_string(),
            Verdict::Fails(0) => "capacity drops".to_string(),
            Verdict::Fails(_) => format!("more than {cap} tasks"),
            Verdict::Worse => "within the limits, but slower".to_string(),
        };
        Ok(format!(
            "- {} ({verdict}): {}; lowest capacity {}, {} at the peak, done in {}.",
            p.text(),
            p.rule(n),
            kit::pct(s.min_capacity_pct),
            kit::count(s.peak_instances, "task", "tasks"),
            kit::dur(s.deploy_duration_s)
        ))
    })?;
    let stem = format!(
        "An Amazon ECS service on Fargate runs {n} tasks, all needed to carry the traffic, so the deployment must never have fewer than {n} healthy tasks. A quota allows at most {cap} tasks for the service at any moment, including tasks that are starting or stopping. Which rolling update settings deploy a new task definition fastest within these limits?"
    );
    let explanation = format!(
        "{}. minimumHealthyPercent must stay at 100 to keep {n} healthy tasks; maximumPercent then decides how many new tasks start at once: the higher it is, the fewer rounds of start, pass health checks, stop old tasks, as long as the total stays within {cap}. Simulated (mean of {runs} runs):\n{lines}Sources: {ROLLING_DOC}; {PARAMS_DOC}.",
        pairs[ranked.winner].text()
    );
    Ok(ranked.into_parts(pairs.map(Pair::text), stem, explanation, text, runs))
}
