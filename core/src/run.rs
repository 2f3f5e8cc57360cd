//! Runs a scenario: every strategy and the baseline over the same traffic, to a common end,
//! and turns the engines' totals into the report.

use std::borrow::Cow;

use crate::bill;
use crate::engine::{Engine, Observer};
use crate::model::latency::LatencyModel;
use crate::model::pricing;
use crate::plan::Plan;
use crate::report::{CostBreakdown, Outcome, Report, StrategyReport, round};
use crate::scenario::{RunUntil, Scenario};
use crate::units::SimTime;

/// Which run a tick belongs to, for observers of a whole scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunId {
    /// The run with no deployment.
    Baseline,
    /// Strategy number `i` in file order.
    Strategy(usize),
}

/// Simulates every strategy of `scenario` and the baseline, in each of its replications one
/// after the other, and aggregates them (means, 95 % intervals, percentiles; expectations
/// checked on the means). The result depends only on the scenario and its seed. Hosts with
/// threads run `Runner::replication` in parallel and call `aggregate` themselves.
pub fn simulate(scenario: &Scenario) -> Report {
    let runner = Runner::new(scenario);
    let runs = (0..scenario.replications).map(|r| runner.replication(r, |_| ())).collect();
    crate::replicate::aggregate(scenario, runs, crate::replicate::Gate::Mean)
}

/// The first replication alone, with an observer per run (for timelines and tests).
pub fn simulate_observed<O: Observer>(scenario: &Scenario, observer: impl FnMut(RunId) -> O) -> Report {
    simulate_replication(scenario, 0, observer)
}

/// One replication: every strategy and the baseline over the replication's own traffic (its
/// random streams are derived from the seed and `replication`), with an observer per run.
/// The report is that replication's alone (`replications` is 1). To run many, share a
/// `Runner`: it computes the latency model once.
pub fn simulate_replication<O: Observer>(
    scenario: &Scenario,
    replication: u32,
    observer: impl FnMut(RunId) -> O,
) -> Report {
    Runner::new(scenario).replication(replication, observer)
}

/// Runs replications of one scenario, sharing what does not depend on the replication (the
/// latency model's distributions, computed on first use). It is `Sync`: hosts may run
/// replications from several threads.
pub struct Runner<'s> {
    scenario: Cow<'s, Scenario>,
    latency: LatencyModel,
}

impl<'s> Runner<'s> {
    /// A runner for `scenario`.
    pub fn new(scenario: &'s Scenario) -> Self {
        Self::with(Cow::Borrowed(scenario))
    }

    /// A runner that owns its scenario, for hosts that keep one between calls (a web
    /// worker's job).
    pub fn owned(scenario: Scenario) -> Runner<'static> {
        Runner::with(Cow::Owned(scenario))
    }

    fn with(scenario: Cow<'s, Scenario>) -> Self {
        let latency = LatencyModel::new(
            &scenario.service.request_time,
            scenario.service.capacity_rps,
            scenario.new_version.latency_factor,
        );
        Runner { scenario, latency }
    }

    /// The scenario it runs.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// Replication `replication`, with an observer per run.
    pub fn replication<O: Observer>(&self, replication: u32, observer: impl FnMut(RunId) -> O) -> Report {
        run_replication(&self.scenario, replication, &self.latency, observer)
    }
}

fn run_replication<O: Observer>(
    scenario: &Scenario,
    replication: u32,
    latency: &LatencyModel,
    mut observer: impl FnMut(RunId) -> O,
) -> Report {
    let horizon_end = SimTime::ZERO + scenario.warmup + scenario.horizon;
    // A steady-state run (no strategies) has nothing to settle: it runs to the horizon.
    let until_settled = scenario.run_until == RunUntil::Settled && !scenario.strategies.is_empty();

    let mut runs: Vec<(RunId, Engine<'_>, O)> = Vec::with_capacity(scenario.strategies.len() + 1);
    runs.push((RunId::Baseline, Engine::new(scenario, Plan::none(), replication), observer(RunId::Baseline)));
    for (i, s) in scenario.strategies.iter().enumerate() {
        runs.push((RunId::Strategy(i), Engine::new(scenario, s.plan(), replication), observer(RunId::Strategy(i))));
    }
    // First to each run's own settling point, then all on to the latest of them, so every
    // metric covers the same window.
    for (_, engine, obs) in &mut runs {
        engine.run(horizon_end, until_settled, obs);
    }
    let end =
        if until_settled { runs.iter().map(|(_, e, _)| e.now()).max().unwrap_or(horizon_end) } else { horizon_end };
    for (_, engine, obs) in &mut runs {
        engine.run(end, false, obs);
    }
    // Runs advance in whole ticks, so the window closes where the last tick ends.
    let end = runs.iter().map(|(_, e, _)| e.now()).max().unwrap_or(end);
    for (_, engine, _) in &mut runs {
        engine.finish(end);
    }

    let mut reports = runs.iter().map(|(id, engine, _)| measure(scenario, *id, engine, end, latency));
    let mut baseline = reports.next().expect("the baseline always runs");
    let mut strategies: Vec<StrategyReport> = reports.collect();
    for s in &mut strategies {
        s.extra_instance_hours = round(s.instance_hours - baseline.instance_hours, 6);
        s.extra_cost_usd = round(s.cost_usd - baseline.cost_usd, 6);
    }
    for (report, strategy) in strategies.iter_mut().zip(&scenario.strategies) {
        let checks = scenario.expect.checks.iter().chain(&strategy.expect.checks);
        report.expectations = checks.map(|c| c.evaluate(report.metric(c.def.metric))).collect();
    }
    baseline.deploy_cost_usd = 0.0;
    if scenario.strategies.is_empty() {
        // With nothing deployed, `[expect]` gates the steady state itself.
        baseline.expectations =
            scenario.expect.checks.iter().map(|c| c.evaluate(baseline.metric(c.def.metric))).collect();
    }
    let window_start = crate::engine::measured_from(scenario);
    Report {
        scenario: scenario.name.clone(),
        platform: scenario.service.platform.name().to_owned(),
        seed: scenario.seed,
        replications: 1,
        window_s: round(end.since(window_start).as_secs_f64(), 3),
        deploy_at_s: round(scenario.deploy_at.as_secs_f64(), 3),
        strategies,
        baseline,
    }
}

fn measure(sc: &Scenario, id: RunId, e: &Engine<'_>, end: SimTime, latency: &LatencyModel) -> StrategyReport {
    let t = &e.totals;
    let (kind, label) = match id {
        RunId::Baseline => ("baseline".to_owned(), "baseline (no deployment)".to_owned()),
        RunId::Strategy(i) => (sc.strategies[i].def.kind.to_owned(), sc.strategies[i].label.clone()),
    };
    // A deployment is complete when the new version serves all traffic; clean-up after that
    // (terminating the old fleet, blue/green's keep_old) costs money but not duration.
    let deploy_end = match e.outcome {
        Outcome::Completed => e.complete_at.unwrap_or(end),
        Outcome::None => e.deploy_start,
        _ => e.ended_at.unwrap_or(end),
    };
    let plan_end = e.ended_at.unwrap_or(end).min(end);

    // Billing: per second, rounded up, with EC2's (and Fargate's) one-minute minimum for units
    // started and stopped inside the window; units running when the window opened pay for
    // their time in it.
    let price = sc.service.price;
    let price_per_sec = price.compute + price.storage;
    let mut billed = 0.0;
    let mut deploy_secs = 0.0;
    for inst in &e.fleet.instances {
        let stop = inst.terminated_at.unwrap_or(end).min(end);
        let start = inst.launched_at.max(e.window_start);
        if stop > start {
            let started_in_window = !inst.initial && inst.launched_at >= e.window_start;
            let terminated_in_window = inst.terminated_at.is_some_and(|x| x <= end);
            billed += pricing::billed_seconds(stop.since(start), started_in_window, terminated_in_window);
        }
        let (ds, de) = (inst.launched_at.max(e.deploy_start), inst.terminated_at.unwrap_or(plan_end).min(plan_end));
        if de > ds {
            deploy_secs += de.since(ds).as_secs_f64();
        }
    }
    // The total is the sum of the rounded parts, so the breakdown always adds up to it.
    let mut breakdown = CostBreakdown {
        compute: round(billed * price.compute, 6),
        storage: round(billed * price.storage, 6),
        ..CostBreakdown::default()
    };
    let mut deploy_cost = round(deploy_secs * price_per_sec, 6);
    let mut quantiles = latency.quantiles(&e.latency, &[0.5, 0.99]);
    let window = end.since(e.window_start).as_secs_f64();
    let mut lambda_metrics = (0, 0.0, 0, 0.0, 0.0);
    if let (Some(run), Some(function)) = (&e.lambda, &sc.lambda) {
        let tally = &run.pool.tally;
        // Throttled requests never ran: Lambda bills invocations, not refusals.
        let invoked = tally.requests - tally.throttled;
        breakdown = bill::lambda(
            &sc.prices,
            function,
            invoked,
            tally.billed_ms,
            tally.billed_ms_provisioned,
            window,
            sc.prices.free_tier,
        );
        if let Some(a) = &e.lambda_marks.0 {
            // A plan still running at the end of the run is costed to the end.
            let b = e.lambda_marks.1.as_ref().unwrap_or(tally);
            let d = bill::lambda(
                &sc.prices,
                function,
                (b.requests - b.throttled) - (a.requests - a.throttled),
                b.billed_ms - a.billed_ms,
                b.billed_ms_provisioned - a.billed_ms_provisioned,
                0.0,
                false,
            );
            deploy_cost = round(d.compute + d.requests + d.storage, 6);
        }
        quantiles = vec![run.latency.quantile(0.5), run.latency.quantile(0.99)];
        let rate = if tally.requests == 0 { 0.0 } else { tally.cold_starts as f64 / tally.requests as f64 };
        let per_window = |x: f64| if window > 0.0 { round(x / window, 6) } else { 0.0 };
        lambda_metrics = (
            tally.cold_starts,
            round(rate, 9),
            tally.throttled,
            per_window(tally.env_seconds),
            per_window(tally.busy_seconds),
        );
    }
    let (load_balancer, api_gateway) =
        bill::front(&sc.cost, &sc.prices, &t.hourly, t.requests, window, e.lambda.is_some());
    breakdown.load_balancer = load_balancer;
    breakdown.api_gateway = api_gateway;
    // Every request gets a response, an error page included: data transfer is the same for
    // every strategy of a replication, so `extra_cost_usd` is what the deployment changes.
    breakdown.data_transfer = bill::transfer(&sc.cost, &sc.prices, t.requests, window);
    let cost = round(breakdown.total(), 6);
    let rolled_back = e.outcome == Outcome::RolledBack;
    let rollback_detect_s = match (t.alarm_at, t.first_new_request) {
        (Some(alarm), Some(first)) => Some(round(alarm.since(first).as_secs_f64(), 3)),
        _ => None,
    };
    StrategyReport {
        kind,
        label,
        outcome: e.outcome,
        stop_reason: e.stop_reason,
        settled: e.plan_ended(),
        deploy_duration_s: round(deploy_end.since(e.deploy_start).as_secs_f64(), 3),
        downtime_s: round(t.downtime.as_secs_f64(), 3),
        degraded_s: round(t.degraded.as_secs_f64(), 3),
        requests: t.requests,
        failed_requests: t.failed,
        availability: if t.requests == 0 { 1.0 } else { round(1.0 - t.failed as f64 / t.requests as f64, 9) },
        deploy_requests: t.deploy_requests,
        deploy_failed_requests: t.deploy_failed,
        deploy_availability: if t.deploy_requests == 0 {
            1.0
        } else {
            round(1.0 - t.deploy_failed as f64 / t.deploy_requests as f64, 9)
        },
        // Fleet metrics do not apply to Lambda (docs/scenarios.md, "Results"): 0 there.
        min_capacity_pct: match t.min_capacity_frac {
            _ if e.lambda.is_some() => 0.0,
            Some(f) if f.is_finite() => round(f * 100.0, 2),
            _ => 100.0,
        },
        peak_instances: t.peak_live,
        min_instances: t.min_live.unwrap_or(0),
        instance_hours: round(billed / 3_600.0, 6),
        extra_instance_hours: 0.0,
        extra_cost_usd: 0.0,
        deploy_cost_usd: deploy_cost,
        mixed_version_s: round(t.mixed.as_secs_f64(), 3),
        p50_latency_ms: round(quantiles[0] * 1_000.0, 3),
        p99_latency_ms: round(quantiles[1] * 1_000.0, 3),
        cold_starts: lambda_metrics.0,
        cold_start_rate: lambda_metrics.1,
        throttled: lambda_metrics.2,
        avg_environments: lambda_metrics.3,
        avg_busy: lambda_metrics.4,
        rolled_back,
        rollback_detect_s,
        bad_version_requests: t.new_requests,
        cost_usd: cost,
        cost_breakdown: breakdown,
        expectations: Vec::new(),
        ci: Default::default(),
        stats: Default::default(),
    }
}
