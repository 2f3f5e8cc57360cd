//! The comparison table's columns, declared once: the terminal table, markdown, sweeps and the
//! browser's table all show these, with the same titles and the same cell text.

use deploysim_core::expect::{Bound, ExpectationResult, Limit};
use deploysim_core::{Report, StrategyReport};

use crate::format;
use crate::format::{count_pm, duration, money, one_decimal, percent3, signed_money, thousands};

/// A column of the comparison table.
pub struct Column {
    /// Header.
    pub title: &'static str,
    /// The report fields whose failed expectations mark this cell.
    pub metrics: &'static [&'static str],
    /// Renders the cell.
    pub cell: fn(&StrategyReport) -> String,
    /// Renders the half-width of the 95 % interval of `metrics[0]` (several replications).
    pub pm: Option<fn(f64) -> String>,
}

impl Column {
    /// The cell's text: the value, and `± half-width` when there are several replications.
    pub fn text(&self, s: &StrategyReport) -> String {
        let value = (self.cell)(s);
        let hw = self.metrics.first().and_then(|m| s.stats.get(*m)).map(|x| x.half_width);
        match (self.pm, hw) {
            // A half-width that shows as zero at the cell's precision is left out.
            (Some(pm), Some(hw)) => {
                // Money's half-width takes the value's precision: `$1.38 ± $0.03`.
                let half = if self.metrics.first().is_some_and(|m| m.ends_with("_usd")) {
                    format::money_like(hw, &value)
                } else {
                    pm(hw)
                };
                if half.chars().any(|c| c.is_ascii_digit() && c != '0') { format!("{value} ± {half}") } else { value }
            }
            _ => value,
        }
    }
}

// Columns both tables show.
const STRATEGY: Column = Column { title: "strategy", metrics: &[], cell: |s| s.label.clone(), pm: None };
const OUTCOME: Column = Column { title: "outcome", metrics: &["rolled_back"], cell: outcome, pm: None };
const DEPLOY: Column = Column {
    title: "deploy",
    metrics: &["deploy_duration_s"],
    cell: |s| duration(s.deploy_duration_s),
    pm: Some(duration),
};
const FAILED: Column = Column {
    title: "failed req",
    metrics: &["failed_requests"],
    cell: |s| thousands(s.failed_requests),
    pm: Some(count_pm),
};
const AVAILABILITY: Column = Column {
    title: "availability",
    metrics: &["availability"],
    cell: |s| percent3(s.availability),
    pm: Some(percent3),
};
const MIXED: Column =
    Column { title: "mixed", metrics: &["mixed_version_s"], cell: |s| duration(s.mixed_version_s), pm: Some(duration) };
const P99: Column = Column {
    title: "p99",
    metrics: &["p99_latency_ms"],
    cell: |s| format!("{} ms", format::grouped(s.p99_latency_ms, 0)),
    pm: Some(|x| format!("{} ms", format::grouped(x, 0))),
};
const COST: Column = Column { title: "cost", metrics: &["cost_usd"], cell: |s| money(s.cost_usd), pm: Some(money) };

/// The columns, in order.
pub const COLUMNS: &[Column] = &[
    STRATEGY,
    OUTCOME,
    DEPLOY,
    Column { title: "downtime", metrics: &["downtime_s"], cell: |s| duration(s.downtime_s), pm: Some(duration) },
    Column { title: "degraded", metrics: &["degraded_s"], cell: |s| duration(s.degraded_s), pm: Some(duration) },
    FAILED,
    AVAILABILITY,
    Column {
        title: "min cap",
        metrics: &["min_capacity_pct"],
        cell: |s| format!("{:.0} %", s.min_capacity_pct),
        pm: Some(|x| format!("{x:.0} %")),
    },
    Column {
        title: "peak inst",
        metrics: &["peak_instances"],
        cell: |s| s.peak_instances.to_string(),
        pm: Some(one_decimal),
    },
    MIXED,
    P99,
    COST,
    Column {
        title: "extra cost",
        metrics: &["extra_cost_usd", "extra_instance_hours"],
        cell: |s| signed_money(s.extra_cost_usd),
        pm: Some(money),
    },
];

/// The columns for a Lambda function: no fleet, but cold starts, throttles and environments.
pub const LAMBDA_COLUMNS: &[Column] = &[
    STRATEGY,
    OUTCOME,
    DEPLOY,
    FAILED,
    AVAILABILITY,
    Column { title: "cold starts", metrics: &["cold_starts"], cell: |s| thousands(s.cold_starts), pm: Some(count_pm) },
    Column {
        title: "cold rate",
        metrics: &["cold_start_rate"],
        cell: |s| percent3(s.cold_start_rate),
        pm: Some(percent3),
    },
    Column { title: "throttled", metrics: &["throttled"], cell: |s| thousands(s.throttled), pm: Some(count_pm) },
    Column {
        title: "envs",
        metrics: &["avg_environments"],
        cell: |s| one_decimal(s.avg_environments),
        pm: Some(one_decimal),
    },
    Column { title: "busy", metrics: &["avg_busy"], cell: |s| one_decimal(s.avg_busy), pm: Some(one_decimal) },
    MIXED,
    P99,
    COST,
    Column {
        title: "extra cost",
        metrics: &["extra_cost_usd"],
        cell: |s| signed_money(s.extra_cost_usd),
        pm: Some(money),
    },
];

/// The columns a sweep shows for a platform: the run's, without the strategy and outcome.
pub fn columns_for(platform: &str) -> Vec<&'static Column> {
    let all = if platform == "lambda" { LAMBDA_COLUMNS } else { COLUMNS };
    all.iter().filter(|c| !matches!(c.title, "strategy" | "outcome" | "mixed")).collect()
}

/// The columns that suit a report's platform.
pub fn columns(report: &Report) -> &'static [Column] {
    if report.platform == "lambda" { LAMBDA_COLUMNS } else { COLUMNS }
}

/// `seed 7, 11m51s measured, deployment at 5m00s` (or `steady state` without strategies).
pub fn run_summary(report: &Report) -> String {
    let when = if report.strategies.is_empty() {
        "steady state, no deployment".to_owned()
    } else {
        format!("deployment at {}", duration(report.deploy_at_s))
    };
    format!("{}, seed {}, {} measured, {when}", report.platform, report.seed, duration(report.window_s))
}

/// Whether a failed expectation reads one of `metrics`.
pub fn failed_on(s: &StrategyReport, metrics: &[&str]) -> bool {
    s.expectations
        .iter()
        .filter(|e| !e.pass)
        .any(|e| deploysim_core::expect::find(&e.check).is_some_and(|def| metrics.contains(&def.metric)))
}

fn outcome(s: &StrategyReport) -> String {
    use deploysim_core::report::{Outcome, StopReason};
    let why = match (s.stop_reason, s.rollback_detect_s) {
        (Some(StopReason::Alarm), Some(d)) => format!(" ({} to detect)", duration(d)),
        (Some(StopReason::Alarm), None) => " (alarm)".into(),
        (Some(StopReason::Timeout), _) => " (timed out)".into(),
        (Some(StopReason::EnhancedHealth), _) => " (EB health)".into(),
        (Some(StopReason::CircuitBreaker), _) => " (circuit breaker)".into(),
        (None, _) => String::new(),
    };
    match s.outcome {
        Outcome::Completed if !s.settled => "done, unsettled".into(),
        Outcome::Completed => "done".into(),
        Outcome::RolledBack => format!("rolled back{why}"),
        Outcome::Failed => format!("FAILED{why}"),
        Outcome::Incomplete => "unfinished".into(),
        Outcome::None => "-".into(),
    }
}

/// The lines listing failed expectations of a report, empty when all passed: each in the
/// units of its check, `rolling 25%: min_availability failed: 97.976 % < 99.9 %`.
pub fn failures(report: &Report) -> Vec<String> {
    let mut lines = Vec::new();
    for s in report.strategies.iter().chain([&report.baseline]) {
        for e in s.expectations.iter().filter(|e| !e.pass) {
            lines.push(format!("{}: {} failed: {}", s.label, e.check, failure_text(e)));
        }
    }
    lines
}

/// `97.976 % < 99.9 %`: a failed check's value against its limit, in the check's unit (more
/// digits where the usual rounding would show the two alike, and then in the interval too),
/// with the interval of the mean when there were several replications.
pub fn failure_text(e: &ExpectationResult) -> String {
    let def = deploysim_core::expect::find(&e.check);
    let metric = def.map_or("", |d| d.metric);
    let op = match def.map(|d| d.bound) {
        Some(Bound::Max) => ">",
        Some(Bound::Min) => "<",
        _ => "≠",
    };
    let mut show: fn(&str, f64) -> String = format::metric;
    let text = match (e.value, e.limit) {
        (None, Limit::Number(l)) => format!("no value (limit {})", format::limit(metric, l)),
        (None, Limit::Bool(l)) => format!("no value (expected {l})"),
        (Some(Limit::Bool(v)), Limit::Bool(l)) => format!("{v}, expected {l}"),
        (Some(Limit::Number(v)), Limit::Number(l)) => {
            let (mut value, mut limit) = (format::metric(metric, v), format::limit(metric, l));
            if strip_zeros(&value) == strip_zeros(&limit) {
                show = format::exact;
                (value, limit) = (show(metric, v), show(metric, l));
            }
            format!("{value} {op} {limit}")
        }
        (Some(v), l) => format!("{v:?}, limit {l:?}"),
    };
    match e.interval {
        Some([lo, hi]) => {
            format!("{text} (95 % interval {} to {})", show(metric, lo), show(metric, hi))
        }
        None => text,
    }
}

/// A number's text without trailing zeros after its decimal point, for comparing two texts.
fn strip_zeros(text: &str) -> String {
    let mut out = String::new();
    let mut pending = String::new();
    let mut in_frac = false;
    for c in text.chars() {
        if c == '.' {
            in_frac = true;
            pending.push(c);
        } else if in_frac && c == '0' {
            pending.push(c);
        } else if in_frac && c.is_ascii_digit() {
            out.push_str(&pending);
            pending.clear();
            out.push(c);
        } else {
            in_frac = false;
            pending.clear();
            out.push(c);
        }
    }
    out
}

/// Notes a reader needs beside the numbers: a strategy whose plan (clean-up included) had not
/// ended when the run did is billed only for the run.
pub fn notes(report: &Report) -> Vec<String> {
    report
        .strategies
        .iter()
        .filter(|s| !s.settled)
        .map(|s| {
            format!(
                "{}: its plan had not ended when the run did ({} measured); its cost and deployment metrics stop there: lengthen `horizon` to include all of it",
                s.label,
                duration(report.window_s)
            )
        })
        .collect()
}

/// How many expectations there are in a report.
pub fn expectation_count(report: &Report) -> usize {
    report.strategies.iter().chain([&report.baseline]).map(|s| s.expectations.len()).sum()
}

/// `all 5 expectations met`, `the 1 expectation met`.
pub fn met_line(total: usize) -> String {
    if total == 1 { "the 1 expectation met".to_owned() } else { format!("all {total} expectations met") }
}

/// Whether a strategy failed requests or ran below demand, with downtime or without: the
/// table marks it `!`, since `downtime` counts only time with no healthy capacity at all.
pub fn short_of_demand(s: &StrategyReport) -> bool {
    s.failed_requests > 0 || s.degraded_s > 0.0
}

/// A line for each strategy the table marks `!`: what it failed, and, without downtime, that
/// `downtime 0s` does not mean nothing failed.
pub fn shortfall(report: &Report) -> Vec<String> {
    let mut marked: Vec<String> = report
        .strategies
        .iter()
        .chain([&report.baseline])
        .filter(|s| short_of_demand(s))
        .map(|s| {
            let mut what = Vec::new();
            if s.failed_requests > 0 {
                let n = s.failed_requests;
                what.push(format!(
                    "{} {} failed ({} available)",
                    thousands(n),
                    if n == 1 { "request" } else { "requests" },
                    percent3(s.availability)
                ));
            }
            if s.degraded_s > 0.0 {
                what.push(format!("capacity below demand for {}", duration(s.degraded_s)));
            }
            let base = report.baseline.p99_latency_ms;
            if s.kind != "baseline" && base > 0.0 && s.p99_latency_ms >= 2.0 * base {
                what.push(format!(
                    "p99 {} ({} without a deployment)",
                    format::metric("p99_latency_ms", s.p99_latency_ms),
                    format::metric("p99_latency_ms", base)
                ));
            }
            let downtime = if s.downtime_s == 0.0 {
                ", 0s of downtime".to_owned()
            } else {
                format!("; for {} no healthy capacity at all (downtime)", duration(s.downtime_s))
            };
            format!("{}: {}{downtime}", s.label, what.join(", "))
        })
        .collect();
    if marked.iter().any(|l| l.ends_with(", 0s of downtime")) {
        marked.push(
            "downtime counts only time with no healthy capacity at all, so requests can fail with 0s of it (--legend explains every column)"
                .to_owned(),
        );
    }
    marked
}

/// What a column of the comparison table (or one of its marks) means, for `--legend`.
pub fn legend(title: &str) -> &'static str {
    match title {
        "strategy" => "the strategy's label; the last row is the same traffic with no deployment",
        "outcome" => "how the deployment ended: done, rolled back (and why), FAILED, unfinished",
        "deploy" => "from the deployment's start until its last step ended",
        "downtime" => "time with demand and no healthy capacity at all (every request failing)",
        "degraded" => "time with healthy capacity below demand (some requests failing)",
        "failed req" => "requests that failed: no healthy target, over capacity, or the new version's errors",
        "availability" => "1 - failed requests / requests, over the measured window",
        "min cap" => "lowest healthy capacity, as a % of the fleet before the deployment",
        "peak inst" => "most instances (or tasks) running at once, old and new",
        "mixed" => "time both versions served traffic",
        "p99" => "99th percentile response time over the window",
        "cost" => "everything billed over the measured window",
        "extra cost" => "cost above running the old fleet unchanged over the same window",
        "cold starts" => "requests that started a new execution environment",
        "cold rate" => "cold starts / all requests",
        "throttled" => "requests refused at the concurrency limit or scale rate",
        "envs" => "time-average of live execution environments, idle ones included",
        "busy" => "time-average of environments serving a request",
        "!" => "the strategy failed requests or ran below demand, even where downtime is 0s",
        "✗" => "the cell's value failed an expectation (listed under the table)",
        _ => "",
    }
}
