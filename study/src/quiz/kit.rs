//! What every template uses: drawing numbers, writing scenario text, running it, reading a
//! metric with its 95 % interval, deciding whether an answer holds by a safe margin, and
//! assembling the question (options shuffled, keyed `A`, `B`, ...).

use std::fmt::Write as _;

use deploysim_core::goal::{Condition, Direction, Goal, Op};
use deploysim_core::{NoFiles, Report, Scenario, StrategyReport, simulate};
use rand::{RngExt as _, SeedableRng as _};
use rand_chacha::ChaCha8Rng;

use super::{Ask, Choice, Question};

/// Numbers for one attempt at a question. In fallback mode every draw returns the value the
/// template names as known to work, so the last attempt cannot fail on unlucky numbers; the
/// order of the options is still shuffled.
pub(crate) struct Draw {
    rng: ChaCha8Rng,
    fallback: bool,
}

impl Draw {
    /// A draw from `rng`'s stream; `fallback` returns the templates' fixed numbers instead.
    pub(crate) fn new(rng: ChaCha8Rng, fallback: bool) -> Draw {
        Draw { rng, fallback }
    }

    /// Switches fallback mode on or off.
    pub(crate) fn set_fallback(&mut self, on: bool) {
        self.fallback = on;
    }

    /// Whether this draw returns the fixed, known-good numbers.
    pub(crate) fn is_fallback(&self) -> bool {
        self.fallback
    }

    /// A whole number in `lo..=hi`, or `fb` in fallback mode.
    pub(crate) fn int(&mut self, lo: u32, hi: u32, fb: u32) -> u32 {
        if self.fallback { fb } else { self.rng.random_range(lo..=hi) }
    }

    /// One of `xs`, or `fb` in fallback mode.
    pub(crate) fn pick<T: Copy>(&mut self, xs: &[T], fb: T) -> T {
        if self.fallback { fb } else { xs[self.index(xs.len())] }
    }

    /// True with probability `percent` %, or `fb` in fallback mode.
    pub(crate) fn chance(&mut self, percent: u32, fb: bool) -> bool {
        if self.fallback { fb } else { self.rng.random_range(0..100u32) < percent }
    }

    /// The scenario's `seed`.
    pub(crate) fn seed(&mut self) -> u64 {
        if self.fallback { 7 } else { u64::from(self.rng.random_range(1..=9_999u32)) }
    }

    /// A uniform index below `n` (also in fallback mode: used for shuffling).
    fn index(&mut self, n: usize) -> usize {
        let n = u32::try_from(n).expect("short lists");
        self.rng.random_range(0..n) as usize
    }

    /// Shuffles `xs` (Fisher-Yates), in fallback mode too.
    pub(crate) fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.index(i + 1);
            xs.swap(i, j);
        }
    }
}

/// Why an attempt was not turned into a question (numbers redrawn).
pub(crate) type Attempt<T> = Result<T, String>;

/// Parses and runs a scenario text: every replication, aggregated on the mean.
pub(crate) fn run(text: &str) -> Attempt<Report> {
    let sc = Scenario::parse(text, "question.toml", &NoFiles).map_err(|e| format!("scenario does not parse: {e}"))?;
    Ok(simulate(&sc))
}

/// The strategy labelled `label` in `report`.
pub(crate) fn strategy<'a>(report: &'a Report, label: &str) -> Attempt<&'a StrategyReport> {
    report.strategies.iter().find(|s| s.label == label).ok_or_else(|| format!("no strategy labelled `{label}`"))
}

/// A metric across replications: the exact mean and its 95 % interval (the interval is the
/// mean itself with one replication).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Est {
    /// Mean over the replications (not rounded, even for counts).
    pub mean: f64,
    /// Low end of the 95 % interval.
    pub low: f64,
    /// High end of the 95 % interval.
    pub high: f64,
}

/// `metric` of `s` with its interval; `None` when it is null in every replication.
pub(crate) fn est(s: &StrategyReport, metric: &str) -> Option<Est> {
    match s.stats.get(metric) {
        Some(st) => Some(Est { mean: st.mean, low: st.low.min(st.mean), high: st.high.max(st.mean) }),
        None => s.metric(metric).map(|v| Est { mean: v, low: v, high: v }),
    }
}

/// The smallest difference worth telling apart in `metric`, in its unit: what the learner
/// could not see in a table, and what a re-run could blur.
pub(crate) fn resolution(metric: &str) -> f64 {
    match metric {
        m if m.ends_with("_usd") => 0.0002,
        "availability" | "deploy_availability" | "cold_start_rate" => 0.0001,
        "min_capacity_pct" => 0.5,
        "avg_environments" | "avg_busy" => 0.2,
        m if m.ends_with("_ms") => 2.0,
        _ => 1.0,
    }
}

fn holds(op: Op, v: f64, limit: f64) -> bool {
    match op {
        Op::Eq => v == limit,
        Op::Ne => v != limit,
        Op::Le => v <= limit,
        Op::Ge => v >= limit,
        Op::Lt => v < limit,
        Op::Gt => v > limit,
    }
}

/// Whether a condition holds for the whole interval (`Some(true)`), fails for the whole of it
/// (`Some(false)`), or depends on the draw (`None`).
fn robust(c: &Condition, e: Est) -> Option<bool> {
    let all = [e.low, e.mean, e.high].map(|v| holds(c.op, v, c.value));
    if all.iter().all(|&h| h) {
        return Some(true);
    }
    let inside = e.low <= c.value && c.value <= e.high;
    let fails = all.iter().all(|&h| !h) && !(c.op == Op::Eq && inside);
    if fails { Some(false) } else { None }
}

/// How one option of a `best` question fares.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Verdict {
    /// The keyed answer.
    Best,
    /// Fails the condition (index into the goal's conditions).
    Fails(usize),
    /// Meets every condition, with a worse metric.
    Worse,
}

/// The keyed option of a `best` question among `labels` (strategies of `report`), with the
/// verdict on every option, if the answer holds by a safe margin: the winner meets every
/// condition over its whole 95 % interval, and every other option either fails a condition
/// over its whole interval or has a metric whose interval is worse than the winner's, by at
/// least the metric's resolution.
pub(crate) fn settle_best(report: &Report, goal: &Goal, labels: &[String]) -> Attempt<(usize, Vec<Verdict>)> {
    let rows = labels.iter().map(|l| strategy(report, l)).collect::<Attempt<Vec<_>>>()?;
    let winner = goal.best(&rows, |r, m| r.metric(m)).ok_or("no option meets the goal's conditions")?;
    let get = |i: usize, m: &str| est(rows[i], m).ok_or_else(|| format!("{m} is null for {}", labels[i]));
    for c in &goal.conditions {
        if robust(c, get(winner, c.metric)?) != Some(true) {
            return Err(format!("the winner {} meets `{}` only on some draws", labels[winner], c.metric));
        }
    }
    let w = get(winner, goal.metric)?;
    let mut verdicts = Vec::new();
    for i in 0..rows.len() {
        if i == winner {
            verdicts.push(Verdict::Best);
            continue;
        }
        let mut fails = None;
        for (k, c) in goal.conditions.iter().enumerate() {
            match robust(c, get(i, c.metric)?) {
                Some(true) => {}
                Some(false) => {
                    fails.get_or_insert(k);
                }
                None => return Err(format!("{} meets `{}` only on some draws", labels[i], c.metric)),
            }
        }
        if let Some(k) = fails {
            verdicts.push(Verdict::Fails(k));
            continue;
        }
        let e = get(i, goal.metric)?;
        let gap = match goal.direction {
            Direction::Min => e.low - w.high,
            Direction::Max => w.low - e.high,
        };
        let mean_gap = match goal.direction {
            Direction::Min => e.mean - w.mean,
            Direction::Max => w.mean - e.mean,
        };
        if gap <= 0.0 || mean_gap < 2.0 * resolution(goal.metric) {
            return Err(format!("{} and {} are too close on {}", labels[i], labels[winner], goal.metric));
        }
        verdicts.push(Verdict::Worse);
    }
    Ok((winner, verdicts))
}

/// A `best` question settled on a report: its goal, its options' strategy labels, the keyed
/// winner and the verdict on every option.
pub(crate) struct Ranked<'r> {
    /// The report the strategies ran in.
    report: &'r Report,
    /// The goal as the question states it.
    goal: String,
    /// The options' strategy labels, in option order.
    labels: Vec<String>,
    /// The index of the keyed option.
    pub winner: usize,
    /// The verdict on every option, in option order.
    verdicts: Vec<Verdict>,
}

/// Parses `goal` and settles the best of the strategies `labels` of `report` under it, as
/// [`settle_best`] does.
pub(crate) fn rank(
    report: &Report,
    goal: impl Into<String>,
    labels: impl IntoIterator<Item = String>,
) -> Attempt<Ranked<'_>> {
    let goal = goal.into();
    let labels: Vec<String> = labels.into_iter().collect();
    let (winner, verdicts) = settle_best(report, &Goal::parse(&goal)?, &labels)?;
    Ok(Ranked { report, goal, labels, winner, verdicts })
}

impl Ranked<'_> {
    /// The explanation's list of options, a line each: `line` writes it from the option's
    /// index, its strategy's results and its verdict.
    pub(crate) fn lines(
        &self,
        mut line: impl FnMut(usize, &StrategyReport, &Verdict) -> Attempt<String>,
    ) -> Attempt<String> {
        let mut lines = String::new();
        for (i, label) in self.labels.iter().enumerate() {
            let s = strategy(self.report, label)?;
            let _ = writeln!(lines, "{}", line(i, s, &self.verdicts[i])?);
        }
        Ok(lines)
    }

    /// The question: an option per strategy, written as `texts` gives them in option order, the
    /// winner keyed, asking for the best under the goal.
    pub(crate) fn into_parts(
        self,
        texts: impl IntoIterator<Item = String>,
        stem: String,
        explanation: String,
        scenario: String,
        runs: u32,
    ) -> Parts {
        let options = texts
            .into_iter()
            .enumerate()
            .map(|(i, text)| Opt::strategy(&self.labels[i], text, i == self.winner))
            .collect();
        Parts { stem, options, explanation, scenario, runs, ask: Ask::Best { goal: self.goal } }
    }
}

/// 10^d for the small `d` options are written with.
fn scale(d: u32) -> f64 {
    (0..d).fold(1.0, |s, _| s * 10.0)
}

/// `x` rounded to `d` decimals (half away from zero).
pub(crate) fn round_to(x: f64, d: u32) -> f64 {
    let s = scale(d);
    let r = (x * s).round() / s;
    if r == 0.0 { 0.0 } else { r }
}

/// The fewest decimals (up to 6) that write `x` exactly.
pub(crate) fn decimals(x: f64) -> u32 {
    (0..=6).find(|&d| (round_to(x, d) - x).abs() <= 1e-9 * x.abs().max(1.0)).unwrap_or(6)
}

/// The precision a set of option values is written with: the most decimals any of them needs.
pub(crate) fn precision(values: &[f64]) -> u32 {
    values.iter().map(|&v| decimals(v)).max().unwrap_or(0)
}

/// The keyed value of a `value` question, `est` rounded to `d` decimals, if the whole 95 %
/// interval rounds to it with room to spare: the interval at least 5 % of a unit inside the
/// rounding boundaries, and a mean that varies across replications no closer than 15 % of a
/// unit to them. (A mean with no variance is the same in every replication, on every target.)
pub(crate) fn settle_value(e: Est, d: u32) -> Attempt<f64> {
    let key = round_to(e.mean, d);
    let unit = 1.0 / scale(d);
    let slack = if e.low == e.high { 0.45 } else { 0.35 } * unit;
    if (e.mean - key).abs() > slack || e.low < key - 0.45 * unit || e.high > key + 0.45 * unit {
        return Err(format!("{} ± {} does not round safely to {key}", e.mean, (e.high - e.low) / 2.0));
    }
    Ok(key)
}

/// An option before it is keyed: what the learner reads, and the strategy label or number it
/// stands for.
#[derive(Clone, Debug)]
pub(crate) struct Opt {
    /// Text.
    pub text: String,
    /// Strategy label (`best`).
    pub label: Option<String>,
    /// Number (`value`).
    pub value: Option<f64>,
    /// Whether it is the keyed answer.
    pub right: bool,
}

impl Opt {
    /// An option naming a strategy.
    pub(crate) fn strategy(label: &str, text: impl Into<String>, right: bool) -> Opt {
        Opt { text: text.into(), label: Some(label.to_string()), value: None, right }
    }

    /// An option standing for a number.
    pub(crate) fn number(value: f64, text: impl Into<String>, right: bool) -> Opt {
        Opt { text: text.into(), label: None, value: Some(value), right }
    }
}

/// What a template hands over to become a question.
pub(crate) struct Parts {
    /// Stem.
    pub stem: String,
    /// The options (order does not matter: they are shuffled).
    pub options: Vec<Opt>,
    /// Explanation.
    pub explanation: String,
    /// Scenario text.
    pub scenario: String,
    /// Replications.
    pub runs: u32,
    /// What is asked.
    pub ask: Ask,
}

/// Keys the options `A`, `B`, ... in a shuffled order and fills in the question.
pub(crate) fn assemble(d: &mut Draw, id: String, topic: &str, template: &str, parts: Parts) -> Attempt<Question> {
    let Parts { stem, mut options, explanation, scenario, runs, ask } = parts;
    if options.iter().filter(|o| o.right).count() != 1 {
        return Err("exactly one option must be right".into());
    }
    d.shuffle(&mut options);
    let mut answer = String::new();
    let choices = options
        .into_iter()
        .enumerate()
        .map(|(i, o)| {
            let key = char::from(b'A' + u8::try_from(i).expect("few options")).to_string();
            if o.right {
                answer.clone_from(&key);
            }
            Choice { key, text: o.text, label: o.label, value: o.value }
        })
        .collect();
    Ok(Question {
        id,
        topic: topic.to_string(),
        template: template.to_string(),
        stem,
        options: choices,
        answer,
        explanation,
        scenario,
        runs,
        ask,
    })
}

/// Picks the first `n` values of `candidates`, rounded to `d` decimals, that are not negative
/// and differ from `key` and from each other by at least `gap` (and at `d` decimals), in order.
pub(crate) fn distinct(key: f64, candidates: &[f64], d: u32, gap: f64, n: usize) -> Vec<f64> {
    let mut out: Vec<f64> = Vec::new();
    let gap = gap.max(0.5 / scale(d));
    for &c in candidates {
        let c = round_to(c, d);
        if c < 0.0 || (c - key).abs() < gap || out.iter().any(|o| (o - c).abs() < gap) {
            continue;
        }
        out.push(c);
        if out.len() == n {
            break;
        }
    }
    out
}

/// The options of a `value` question: the keyed `key`, written `text(key)`, and three
/// distractors picked from `candidates` as [`distinct`] picks them (`dp` decimals, at least
/// `gap` apart), each written `text(value)`.
pub(crate) fn value_options(
    key: f64,
    candidates: &[f64],
    dp: u32,
    gap: f64,
    text: impl Fn(f64) -> String,
) -> Attempt<Vec<Opt>> {
    let others = distinct(key, candidates, dp, gap, 3);
    if others.len() < 3 {
        return Err("not enough distinct distractors".into());
    }
    let mut options = vec![Opt::number(key, text(key), true)];
    options.extend(others.iter().map(|&v| Opt::number(v, text(v), false)));
    Ok(options)
}

/// Whole numbers (counts, seconds) as the values of a `value` question's options.
pub(crate) fn floats(xs: &[u32]) -> Vec<f64> {
    xs.iter().map(|&x| f64::from(x)).collect()
}

/// `k` of `n` as a percentage, rounded to two decimals: how capacity options are written.
pub(crate) fn share_pct(k: u32, n: u32) -> f64 {
    round_to(100.0 * f64::from(k) / f64::from(n), 2)
}

/// The top of a scenario file: name, description and the run's settings.
pub(crate) struct Head<'a> {
    /// `name`.
    name: &'a str,
    /// `description`.
    description: &'a str,
    /// `seed`.
    seed: u64,
    /// `replications`.
    runs: u32,
    /// `horizon`.
    horizon: &'a str,
    /// `warmup`, if any.
    warmup: Option<&'a str>,
    /// `deploy_at`.
    deploy_at: &'a str,
    /// `run_until = "horizon"` instead of settled.
    to_horizon: bool,
}

impl<'a> Head<'a> {
    /// `runs` replications over an hour with the deployment at 2 minutes, no warm-up, run until
    /// the deployment settles; the methods below change what a question needs otherwise.
    pub(crate) fn new(name: &'a str, description: &'a str, seed: u64, runs: u32) -> Head<'a> {
        Head { name, description, seed, runs, horizon: "1h", warmup: None, deploy_at: "2m", to_horizon: false }
    }

    /// With this `horizon`.
    pub(crate) fn horizon(self, horizon: &'a str) -> Head<'a> {
        Head { horizon, ..self }
    }

    /// With this `warmup`.
    pub(crate) fn warmup(self, warmup: &'a str) -> Head<'a> {
        Head { warmup: Some(warmup), ..self }
    }

    /// With the deployment at `deploy_at`.
    pub(crate) fn deploy_at(self, deploy_at: &'a str) -> Head<'a> {
        Head { deploy_at, ..self }
    }

    /// Run to the horizon (`run_until = "horizon"`) instead of until the deployment settles.
    pub(crate) fn until_horizon(self) -> Head<'a> {
        Head { to_horizon: true, ..self }
    }

    /// The top-level keys as TOML.
    pub(crate) fn toml(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "name = {}", quote(self.name));
        let _ = writeln!(s, "description = {}", quote(self.description));
        let _ = writeln!(s, "seed = {}", self.seed);
        let _ = writeln!(s, "replications = {}", self.runs);
        let _ = writeln!(s, "horizon = \"{}\"", self.horizon);
        if let Some(w) = self.warmup {
            let _ = writeln!(s, "warmup = \"{w}\"");
        }
        let _ = writeln!(s, "deploy_at = \"{}\"", self.deploy_at);
        if self.to_horizon {
            let _ = writeln!(s, "run_until = \"horizon\"");
        }
        s
    }
}

/// A TOML basic string.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One `[[strategies]]` table: `label` and the other keys, already written as TOML values.
pub(crate) fn strategy_toml(label: &str, keys: &[(&str, String)]) -> String {
    let mut s = String::from("\n[[strategies]]\n");
    for (k, v) in keys {
        let _ = writeln!(s, "{k} = {v}");
    }
    let _ = writeln!(s, "label = {}", quote(label));
    s
}

/// A whole scenario file: `head`, then `tables` (the `[traffic]` and `[service]` tables and any
/// others the question needs), the [`COMPUTE_ONLY`] `[cost]` table, and the `[[strategies]]`
/// tables.
pub(crate) fn scenario(head: &Head, tables: &str, strategies: impl IntoIterator<Item = String>) -> String {
    let mut text = head.toml();
    text.push_str(tables);
    text.push_str(COMPUTE_ONLY);
    for s in strategies {
        text.push_str(&s);
    }
    text
}

/// The `[cost]` table that bills compute alone (no load balancer, no data transfer), so
/// costs in questions are the instances, tasks or function only.
pub(crate) const COMPUTE_ONLY: &str = "\n[cost]\nfront = \"none\"\nresponse_kb = 0\n";

/// The `[traffic]` and `[service]` tables of an EC2 fleet behind a load balancer:
/// `n` instances of `itype` at 100 requests/s each, `rate` requests/s, `boot` as a TOML
/// distribution, Elastic Beanstalk's 20 s deregistration delay and 10 s checks (3 to pass).
pub(crate) fn ec2_fleet(n: u32, rate: u32, itype: &str, boot: &str) -> String {
    format!(
        "\n[traffic]\nrate = {rate}\n\n[service]\nplatform = \"ec2\"\ninstances = {n}\ninstance_type = \"{itype}\"\ncapacity_rps = 100\nboot_time = {boot}\ndeploy_time = {{ dist = \"normal\", mean = \"25s\", sd = \"5s\" }}\nhealth_check = {{ interval = \"10s\", healthy_threshold = 3, unhealthy_threshold = 2 }}\ndrain = \"20s\"\n"
    )
}

/// The `[traffic]` and `[service]` tables of a Fargate service behind a load balancer: `n`
/// tasks of 1 vCPU and 2 GB at 100 requests/s each, `rate` requests/s, tasks that start in
/// about 40 s, 10 s checks (3 to pass) and a `drain_s` deregistration delay.
pub(crate) fn fargate_service(n: u32, rate: u32, drain_s: u32) -> String {
    format!(
        "\n[traffic]\nrate = {rate}\n\n[service]\nplatform = \"fargate\"\ninstances = {n}\ncpu = 1\nmemory_gb = 2\ncapacity_rps = 100\nboot_time = {{ dist = \"lognormal\", median = \"40s\", p95 = \"75s\" }}\nhealth_check = {{ interval = \"10s\", healthy_threshold = 3, unhealthy_threshold = 2 }}\ndrain = \"{drain_s}s\"\n"
    )
}

/// A lognormal boot time with this median and a p95 of 1.7 times it, as TOML.
pub(crate) fn lognormal(median_s: u32) -> String {
    format!("{{ dist = \"lognormal\", median = \"{median_s}s\", p95 = \"{}s\" }}", median_s * 17 / 10)
}

/// Seconds as the learner reads them: `45 s`, `2 min`, `2 min 30 s`, `1 h 5 min`.
pub(crate) fn dur(secs: f64) -> String {
    let s = secs.round() as i64;
    let (h, m, r) = (s / 3600, (s % 3600) / 60, s % 60);
    match (h, m, r) {
        (0, 0, r) => format!("{r} s"),
        (0, m, 0) => format!("{m} min"),
        (0, m, r) => format!("{m} min {r} s"),
        (h, 0, 0) => format!("{h} h"),
        (h, m, 0) => format!("{h} h {m} min"),
        (h, m, r) => format!("{h} h {m} min {r} s"),
    }
}

/// US dollars with `d` decimals: `$0.0512`.
pub(crate) fn usd(x: f64, d: usize) -> String {
    if x < 0.0 { format!("-${:.d$}", -x) } else { format!("${x:.d$}") }
}

/// A percentage with at most two decimals, trailing zeros dropped: `75 %`, `55.56 %`.
pub(crate) fn pct(x: f64) -> String {
    let s = format!("{:.2}", round_to(x, 2));
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s} %")
}

/// A number with at most `d` decimals, trailing zeros dropped.
pub(crate) fn num(x: f64, d: usize) -> String {
    let s = format!("{x:.d$}");
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

/// `1st`, `2nd`, `3rd`, `4th`, ...
pub(crate) fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, r) if r != 11 => "st",
        (2, r) if r != 12 => "nd",
        (3, r) if r != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// `n` followed by the singular or plural noun.
pub(crate) fn count(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `ceil(n × p / 100)` in whole numbers (no float rounding at exact products).
pub(crate) fn ceil_pct(n: u32, p: u32) -> u32 {
    (n * p).div_ceil(100)
}

/// `floor(n × p / 100)` in whole numbers.
pub(crate) fn floor_pct(n: u32, p: u32) -> u32 {
    n * p / 100
}

/// A fresh ChaCha8 stream for question `n` of template number `t` under `seed`.
pub(crate) fn stream(seed: u64, t: usize, n: usize) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(((t as u64) << 32) | n as u64);
    rng
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_half_away_from_zero_at_any_precision() {
        assert_eq!(round_to(55.555_555, 2), 55.56);
        assert_eq!(round_to(2.5, 0), 3.0);
        assert_eq!(round_to(0.004_999, 2), 0.0);
        assert_eq!(round_to(-0.000_1, 2), 0.0, "no negative zero");
        assert_eq!(round_to(0.125, 2), 0.13);
    }

    #[test]
    fn precision_is_the_most_decimals_an_option_needs() {
        assert_eq!(decimals(12.0), 0);
        assert_eq!(decimals(0.05), 2);
        assert_eq!(decimals(55.56), 2);
        assert_eq!(decimals(0.0512), 4);
        assert_eq!(precision(&[75.0, 55.56, 100.0]), 2);
        assert_eq!(precision(&[]), 0);
    }

    #[test]
    fn fleet_rounding_in_whole_numbers() {
        // HalfAtATime on 9 keeps 5 (50 % rounded up); ECS 150 % of 5 is 7 (rounded down).
        assert_eq!(ceil_pct(9, 50), 5);
        assert_eq!(floor_pct(5, 150), 7);
        assert_eq!(ceil_pct(10, 25), 3);
        assert_eq!(floor_pct(10, 25), 2);
        assert_eq!(ceil_pct(8, 25), 2);
        assert_eq!(floor_pct(8, 25), 2);
    }

    #[test]
    fn values_settle_only_away_from_rounding_boundaries() {
        let e = |mean: f64, hw: f64| Est { mean, low: mean - hw, high: mean + hw };
        assert_eq!(settle_value(e(179.999, 0.0), 0), Ok(180.0));
        assert!(settle_value(e(179.5, 0.0), 0).is_err());
        assert_eq!(settle_value(e(179.6, 0.0), 0), Ok(180.0), "no variance: any side of the boundary");
        assert!(settle_value(e(179.6, 0.01), 0).is_err(), "variance: keep away from the boundary");
        assert!(settle_value(e(180.1, 0.4), 0).is_err(), "the interval reaches the next unit");
        assert_eq!(settle_value(e(0.0512, 0.00001), 4), Ok(0.0512));
    }

    #[test]
    fn distractors_differ_from_the_key_and_each_other() {
        assert_eq!(distinct(5.0, &[5.0, 4.0, 4.0, 6.0, -1.0, 7.0, 8.0], 0, 0.0, 3), vec![4.0, 6.0, 7.0]);
        assert_eq!(distinct(55.56, &[55.555, 44.44, 44.444], 2, 0.0, 3), vec![44.44]);
        assert_eq!(distinct(66.67, &[67.0, 77.78, 100.0, 78.0], 2, 2.0, 3), vec![77.78, 100.0]);
    }

    #[test]
    fn durations_money_and_percentages_read_naturally() {
        assert_eq!(dur(45.0), "45 s");
        assert_eq!(dur(120.0), "2 min");
        assert_eq!(dur(150.0), "2 min 30 s");
        assert_eq!(dur(3900.0), "1 h 5 min");
        assert_eq!(usd(0.05123, 4), "$0.0512");
        assert_eq!(pct(75.0), "75 %");
        assert_eq!(pct(55.555), "55.56 %");
        assert_eq!(pct(66.7), "66.7 %");
        assert_eq!(num(12.50, 2), "12.5");
        assert_eq!(count(1, "task", "tasks"), "1 task");
        assert_eq!(
            [1, 2, 3, 4, 11, 12, 13, 21].map(ordinal),
            ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st"]
        );
        assert_eq!(quote("a \"b\"\n"), "\"a \\\"b\\\"\\n\"");
    }

    #[test]
    fn conditions_are_robust_only_over_the_whole_interval() {
        let c = Condition { metric: "min_capacity_pct", op: Op::Ge, value: 100.0 };
        let e = |low: f64, mean: f64, high: f64| Est { mean, low, high };
        assert_eq!(robust(&c, e(100.0, 100.0, 100.0)), Some(true));
        assert_eq!(robust(&c, e(75.0, 75.0, 75.0)), Some(false));
        assert_eq!(robust(&c, e(98.0, 99.5, 101.0)), None);
        let z = Condition { metric: "downtime_s", op: Op::Eq, value: 0.0 };
        assert_eq!(robust(&z, e(-1.0, 2.0, 5.0)), None, "some draws may have had none");
        assert_eq!(robust(&z, e(3.0, 4.0, 5.0)), Some(false));
    }
}
