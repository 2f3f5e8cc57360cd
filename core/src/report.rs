//! The results contract (docs/scenarios.md, "Results"): what `simulate --format json` prints, field for field.
//!
//! Field names are a contract: add fields freely, never rename or remove one. Numbers are
//! rounded when the report is built (durations to the millisecond, money to a millionth of a
//! dollar) so golden files stay readable and equal on every target.

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;

use crate::expect::ExpectationResult;
use crate::vocab::Summary;
pub use crate::vocab::{Outcome, StopReason};

/// The report for one scenario.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Report {
    /// Scenario name.
    pub scenario: String,
    /// `ec2`, `fargate` or `lambda`.
    pub platform: String,
    /// Seed used.
    pub seed: u64,
    /// Monte Carlo runs.
    pub replications: u32,
    /// Length of the measured window, seconds (from the end of warm-up to the end of the run).
    pub window_s: f64,
    /// When the deployment started, seconds after the warm-up.
    pub deploy_at_s: f64,
    /// One entry per strategy, in file order.
    pub strategies: Vec<StrategyReport>,
    /// The same metrics with no deployment.
    pub baseline: StrategyReport,
}

impl Report {
    /// Whether every expectation passed (the baseline has some only in steady-state runs).
    pub fn passed(&self) -> bool {
        self.strategies.iter().chain([&self.baseline]).all(|s| s.expectations.iter().all(|e| e.pass))
    }
}

/// Cost by what is billed; the parts sum to `cost_usd`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CostBreakdown {
    /// Instances, tasks or function duration.
    pub compute: f64,
    /// Per-request charges.
    pub requests: f64,
    /// Provisioned concurrency.
    pub provisioned: f64,
    /// Storage beyond the free allowance.
    pub storage: f64,
    /// Load balancer hours and capacity units.
    pub load_balancer: f64,
    /// API Gateway requests.
    pub api_gateway: f64,
    /// Data transfer out to the internet.
    pub data_transfer: f64,
}

impl CostBreakdown {
    /// The sum of the parts.
    pub fn total(&self) -> f64 {
        self.compute
            + self.requests
            + self.provisioned
            + self.storage
            + self.load_balancer
            + self.api_gateway
            + self.data_transfer
    }
}

/// Metrics of one strategy (or the baseline) over the measured window.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StrategyReport {
    /// Strategy kind, or `baseline`.
    pub kind: String,
    /// Display name.
    pub label: String,
    /// How the deployment ended.
    pub outcome: Outcome,
    /// Why it rolled back or failed; absent when it did neither.
    #[serde(default)]
    pub stop_reason: Option<StopReason>,
    /// Whether its plan, clean-up included (blue/green's `keep_old`, a bake, a rollback), had
    /// ended when the run did; if not, its cost covers only the run.
    #[serde(default = "yes")]
    pub settled: bool,
    /// Deployment start until the new version served all traffic (or the rollback finished).
    pub deploy_duration_s: f64,
    /// Time with demand and no healthy capacity.
    pub downtime_s: f64,
    /// Time when, at the mean demand, routing would fail requests (capacity below demand).
    pub degraded_s: f64,
    /// Requests that arrived.
    pub requests: u64,
    /// Requests that failed (no capacity, no target, or the new version's errors).
    pub failed_requests: u64,
    /// `1 - failed_requests / requests`.
    pub availability: f64,
    /// Requests that arrived during this strategy's own deployment: from its start until its
    /// plan ended (bake, clean-up and rollback included), or the end of the run. Unlike
    /// `requests`, it does not depend on the other strategies of the file.
    #[serde(default)]
    pub deploy_requests: u64,
    /// Of those, failed.
    #[serde(default)]
    pub deploy_failed_requests: u64,
    /// `1 - deploy_failed_requests / deploy_requests` (1 without requests).
    #[serde(default = "one")]
    pub deploy_availability: f64,
    /// Lowest healthy capacity reachable by traffic after the deployment started, as a
    /// percentage of the healthy capacity when it started.
    pub min_capacity_pct: f64,
    /// Most instances billed at once.
    pub peak_instances: u32,
    /// Fewest live instances or tasks in any measured tick.
    pub min_instances: u32,
    /// Instance-hours billed.
    pub instance_hours: f64,
    /// Instance-hours above the baseline.
    pub extra_instance_hours: f64,
    /// Cost above the baseline.
    pub extra_cost_usd: f64,
    /// Cost of the fleet from the deployment's start until its plan ended.
    pub deploy_cost_usd: f64,
    /// Time when both versions served traffic.
    pub mixed_version_s: f64,
    /// Median response time of served requests.
    pub p50_latency_ms: f64,
    /// 99th-percentile response time of served requests.
    pub p99_latency_ms: f64,
    /// Lambda cold starts (0 for fleets).
    pub cold_starts: u64,
    /// Cold starts per request (0 for fleets).
    pub cold_start_rate: f64,
    /// Throttled requests (0 for fleets).
    pub throttled: u64,
    /// Time-average of live Lambda environments (0 for fleets).
    pub avg_environments: f64,
    /// Time-average of busy Lambda environments (0 for fleets).
    pub avg_busy: f64,
    /// Whether the deployment was reversed.
    pub rolled_back: bool,
    /// From the new version's first request to the alarm, seconds; null unless the alarm fired.
    pub rollback_detect_s: Option<f64>,
    /// Requests the new version handled.
    pub bad_version_requests: u64,
    /// Everything billed over the window.
    pub cost_usd: f64,
    /// `cost_usd` by what is billed.
    pub cost_breakdown: CostBreakdown,
    /// Results of `[expect]` and the strategy's own `expect` (on the baseline: `[expect]`,
    /// in runs without strategies).
    pub expectations: Vec<ExpectationResult>,
    /// With several replications: the 95 % confidence interval of each metric's mean.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub ci: BTreeMap<String, [f64; 2]>,
    /// With several replications: each metric across them (mean, interval, percentiles).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub stats: BTreeMap<String, Summary>,
}

/// One numeric metric of a strategy report: its JSON field name, and how to read and write it
/// as a number (counts and booleans too). Replications aggregate, expectations check and
/// goals optimize these, so the list is the one place a metric is named.
pub struct MetricField {
    /// JSON field name.
    pub name: &'static str,
    /// The value; `None` for a null (`rollback_detect_s` without a rollback).
    pub get: fn(&StrategyReport) -> Option<f64>,
    /// Sets it: counts are rounded to whole numbers, booleans are true from 0.5.
    pub set: fn(&mut StrategyReport, f64),
}

fn yes() -> bool {
    true
}

fn one() -> f64 {
    1.0
}

fn count(v: f64) -> u64 {
    libm::round(v.max(0.0)) as u64
}

macro_rules! metric_fields {
    ($($name:ident: $kind:ident),* $(,)?) => {
        /// Every numeric metric, in report order.
        pub const METRIC_FIELDS: &[MetricField] = &[
            $( MetricField { name: stringify!($name), get: |s| metric_fields!(@get $kind, s.$name), set: |s, v| metric_fields!(@set $kind, s.$name, v) }, )*
        ];
    };
    (@get float, $e:expr) => { Some($e) };
    (@get count, $e:expr) => { Some($e as f64) };
    (@get count32, $e:expr) => { Some(f64::from($e)) };
    (@get flag, $e:expr) => { Some(f64::from(u8::from($e))) };
    (@get maybe, $e:expr) => { $e };
    (@set float, $e:expr, $v:expr) => { $e = $v };
    (@set count, $e:expr, $v:expr) => { $e = count($v) };
    (@set count32, $e:expr, $v:expr) => { $e = count($v) as u32 };
    (@set flag, $e:expr, $v:expr) => { $e = $v >= 0.5 };
    (@set maybe, $e:expr, $v:expr) => { $e = Some($v) };
}

metric_fields! {
    deploy_duration_s: float,
    downtime_s: float,
    degraded_s: float,
    requests: count,
    failed_requests: count,
    availability: float,
    deploy_requests: count,
    deploy_failed_requests: count,
    deploy_availability: float,
    min_capacity_pct: float,
    peak_instances: count32,
    min_instances: count32,
    instance_hours: float,
    extra_instance_hours: float,
    extra_cost_usd: float,
    deploy_cost_usd: float,
    mixed_version_s: float,
    p50_latency_ms: float,
    p99_latency_ms: float,
    cold_starts: count,
    cold_start_rate: float,
    throttled: count,
    avg_environments: float,
    avg_busy: float,
    rolled_back: flag,
    settled: flag,
    rollback_detect_s: maybe,
    bad_version_requests: count,
    cost_usd: float,
}

impl StrategyReport {
    /// A metric by its JSON field name, as a number (booleans are 0 or 1). `None` for unknown
    /// names and for null values.
    pub fn metric(&self, field: &str) -> Option<f64> {
        METRIC_FIELDS.iter().find(|m| m.name == field).and_then(|m| (m.get)(self))
    }

    /// Sets a metric by its JSON field name (counts are rounded to whole numbers, booleans
    /// are true from 0.5); unknown names are ignored.
    pub fn set_metric(&mut self, field: &str, v: f64) {
        if let Some(m) = METRIC_FIELDS.iter().find(|m| m.name == field) {
            (m.set)(self, v);
        }
    }
}

/// Rounds to `decimals` places, so reports do not carry float noise.
pub fn round(x: f64, decimals: i32) -> f64 {
    let scale = libm::pow(10.0, f64::from(decimals));
    let r = (x * scale).round() / scale;
    if r == 0.0 { 0.0 } else { r }
}
