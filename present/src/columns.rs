//! The comparison table's columns, declared once: the terminal table, markdown, sweeps and the
//! browser's table all show these, with the same titles and the same cell text.

use deploysim_core::{Report, StrategyReport};

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
            (Some(pm), Some(hw)) if pm(hw).chars().any(|c| c.is_ascii_digit() && c != '0') => {
                format!("{value} ± {}", pm(hw))
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
    cell: |s| format!("{:.0} ms", s.p99_latency_ms),
    pm: Some(|x| format!("{x:.0} ms")),
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

/// The lines listing failed expectations of a report, empty when all passed.
pub fn failures(report: &Report) -> Vec<String> {
    let mut lines = Vec::new();
    for s in report.strategies.iter().chain([&report.baseline]) {
        for e in s.expectations.iter().filter(|e| !e.pass) {
            let value = match &e.value {
                Some(v) => serde_json::to_string(v).unwrap_or_default(),
                None => "none".into(),
            };
            let limit = serde_json::to_string(&e.limit).unwrap_or_default();
            lines.push(format!("{}: {} failed: value {value}, limit {limit}", s.label, e.check));
        }
    }
    lines
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
