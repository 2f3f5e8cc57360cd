//! Expectations: the CI gate. `[expect]` applies to every strategy, a strategy's own `expect`
//! to it alone; a failed check makes `simulate` exit with code 1.
//!
//! Checks are data: each names the report field it reads, whether the limit is a maximum,
//! a minimum or an exact value, and the unit its limit is written in.

use serde::{Deserialize, Serialize};

use crate::vocab::{Gate, Summary};

/// How a limit compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    /// The value must not exceed the limit.
    Max,
    /// The value must reach at least the limit.
    Min,
    /// The value must equal the limit.
    Equal,
}

/// How a limit is written in the scenario file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A duration string, compared in seconds.
    Seconds,
    /// A duration string, compared in milliseconds.
    Millis,
    /// A plain number.
    Number,
    /// A fraction from 0 to 1.
    Ratio,
    /// true or false.
    Bool,
}

/// One kind of check.
#[derive(Debug)]
pub struct CheckDef {
    /// Key in `[expect]`.
    pub key: &'static str,
    /// Report field it reads.
    pub metric: &'static str,
    /// How it compares.
    pub bound: Bound,
    /// How its limit is written.
    pub unit: Unit,
}

const fn def(key: &'static str, metric: &'static str, bound: Bound, unit: Unit) -> CheckDef {
    CheckDef { key, metric, bound, unit }
}

/// Every check an `[expect]` table may contain.
pub const CHECKS: &[CheckDef] = &[
    def("max_downtime", "downtime_s", Bound::Max, Unit::Seconds),
    def("min_downtime", "downtime_s", Bound::Min, Unit::Seconds),
    def("max_degraded", "degraded_s", Bound::Max, Unit::Seconds),
    def("min_availability", "availability", Bound::Min, Unit::Ratio),
    def("max_failed_requests", "failed_requests", Bound::Max, Unit::Number),
    def("max_deploy_failed_requests", "deploy_failed_requests", Bound::Max, Unit::Number),
    def("min_deploy_availability", "deploy_availability", Bound::Min, Unit::Ratio),
    def("settled", "settled", Bound::Equal, Unit::Bool),
    def("min_failed_requests", "failed_requests", Bound::Min, Unit::Number),
    def("max_deploy_duration", "deploy_duration_s", Bound::Max, Unit::Seconds),
    def("min_deploy_duration", "deploy_duration_s", Bound::Min, Unit::Seconds),
    def("max_extra_cost_usd", "extra_cost_usd", Bound::Max, Unit::Number),
    def("max_cost_usd", "cost_usd", Bound::Max, Unit::Number),
    def("max_deploy_cost_usd", "deploy_cost_usd", Bound::Max, Unit::Number),
    def("max_extra_instance_hours", "extra_instance_hours", Bound::Max, Unit::Number),
    def("max_p50_latency", "p50_latency_ms", Bound::Max, Unit::Millis),
    def("max_p99_latency", "p99_latency_ms", Bound::Max, Unit::Millis),
    def("max_cold_start_rate", "cold_start_rate", Bound::Max, Unit::Ratio),
    def("max_throttled", "throttled", Bound::Max, Unit::Number),
    def("min_capacity_pct", "min_capacity_pct", Bound::Min, Unit::Number),
    def("max_peak_instances", "peak_instances", Bound::Max, Unit::Number),
    def("min_peak_instances", "peak_instances", Bound::Min, Unit::Number),
    def("min_mixed_version", "mixed_version_s", Bound::Min, Unit::Seconds),
    def("max_mixed_version", "mixed_version_s", Bound::Max, Unit::Seconds),
    def("max_bad_version_requests", "bad_version_requests", Bound::Max, Unit::Number),
    def("max_rollback_detect", "rollback_detect_s", Bound::Max, Unit::Seconds),
    def("rolled_back", "rolled_back", Bound::Equal, Unit::Bool),
];

/// Looks a check up by its key.
pub fn find(key: &str) -> Option<&'static CheckDef> {
    CHECKS.iter().find(|c| c.key == key)
}

/// A limit, in the unit of the metric it is compared with.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Limit {
    /// A number (durations in seconds, latencies in milliseconds).
    Number(f64),
    /// A boolean.
    Bool(bool),
}

/// One configured check.
#[derive(Clone, Debug)]
pub struct Check {
    /// What it checks.
    pub def: &'static CheckDef,
    /// Its limit.
    pub limit: Limit,
}

/// The checks of one table, in file order.
#[derive(Clone, Debug, Default)]
pub struct Expectations {
    /// The checks.
    pub checks: Vec<Check>,
}

/// The result of one check, as reported (docs/scenarios.md, "Results").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExpectationResult {
    /// The check's key, e.g. `max_downtime`.
    pub check: String,
    /// Its limit.
    pub limit: Limit,
    /// The value it was compared with; null when the metric has no value (e.g. no rollback).
    pub value: Option<Limit>,
    /// Whether it passed.
    pub pass: bool,
    /// With several replications: the 95 % interval of the metric's mean.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<[f64; 2]>,
}

impl Check {
    /// Checks a metric from several replications (`value`, the report's mean, and its
    /// `summary`): against the mean, or with `Gate::Pessimistic` against the end of its 95 %
    /// interval that is worse for this check (every replication for a true/false check).
    pub fn evaluate_summary(&self, value: Option<f64>, summary: Option<&Summary>, gate: Gate) -> ExpectationResult {
        let Some(s) = summary else { return self.evaluate(value) };
        let value = match (gate, self.limit, self.def.bound) {
            (Gate::Mean, Limit::Bool(_), _) => {
                if s.mean >= 0.5 {
                    1.0
                } else {
                    0.0
                }
            }
            (Gate::Mean, _, _) => s.mean,
            (Gate::Pessimistic, Limit::Bool(want), _) => {
                if want {
                    s.min
                } else {
                    s.max
                }
            }
            (Gate::Pessimistic, _, Bound::Max) => s.high,
            (Gate::Pessimistic, _, Bound::Min) => s.low,
            (Gate::Pessimistic, _, Bound::Equal) => s.mean,
        };
        let mut result = self.judge(Some(value));
        result.interval = Some([s.low, s.high]);
        result
    }

    /// Compares the limit with a report's value of the check's metric (`def.metric`, read with
    /// `StrategyReport::metric`; `None` when the report has none, e.g. no rollback).
    pub fn evaluate(&self, value: Option<f64>) -> ExpectationResult {
        self.judge(value)
    }

    fn judge(&self, value: Option<f64>) -> ExpectationResult {
        let (value, pass) = match (self.limit, value) {
            (Limit::Bool(want), Some(v)) => {
                let got = v != 0.0;
                (Some(Limit::Bool(got)), got == want)
            }
            (Limit::Number(limit), Some(v)) => {
                let pass = match self.def.bound {
                    Bound::Max => v <= limit,
                    Bound::Min => v >= limit,
                    Bound::Equal => v == limit,
                };
                (Some(Limit::Number(v)), pass)
            }
            (_, None) => (None, false),
        };
        ExpectationResult { check: self.def.key.to_owned(), limit: self.limit, value, pass, interval: None }
    }
}
