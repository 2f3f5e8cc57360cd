//! Per-tick series of the first replication, for timelines (CSV) and charts in every host.
//! Long runs are kept to at most `MAX_POINTS` points per strategy: ticks are then grouped into
//! buckets (rates and capacities averaged, counts summed, instance counts at the bucket's end).

use std::cell::RefCell;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::engine::TickSample;
use crate::{Report, RunId, Runner, Scenario};

/// Most points kept per strategy.
const MAX_POINTS: u64 = 20_000;

/// One point: one tick, or one bucket of ticks.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// Start, seconds from the start of the run.
    pub t_s: f64,
    /// Mean demand, requests/s.
    pub demand_rps: f64,
    /// Healthy capacity by version `[old, new]`, requests/s.
    pub capacity_rps: [f64; 2],
    /// Requests that arrived, were served, failed, went to the new version.
    pub arrivals: u64,
    /// See `arrivals`.
    pub served: u64,
    /// See `arrivals`.
    pub failed: u64,
    /// See `arrivals`.
    pub new_requests: u64,
    /// Billed instances (Lambda: live environments).
    pub live: u32,
    /// In service by version.
    pub in_service: [u32; 2],
    /// Starting, registering, deploying or restarting.
    pub pending: u32,
    /// Draining.
    pub draining: u32,
    /// Length of the point, seconds.
    pub len_s: f64,
}

/// One strategy's (or the baseline's) series.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// Strategy label.
    pub label: String,
    /// Points in time order.
    pub points: Vec<Point>,
}

struct Recorder {
    out: Rc<RefCell<Timeline>>,
    per_bucket: u64,
    current: Option<(Point, u64)>,
}

impl Recorder {
    fn flush(&mut self) {
        if let Some((mut p, n)) = self.current.take() {
            let n = n as f64;
            p.demand_rps /= n;
            p.capacity_rps = [p.capacity_rps[0] / n, p.capacity_rps[1] / n];
            self.out.borrow_mut().points.push(p);
        }
    }
}

impl crate::engine::Observer for Recorder {
    fn on_tick(&mut self, s: &TickSample) {
        if !s.measured {
            return;
        }
        let (p, n) = self.current.get_or_insert_with(|| (Point { t_s: s.t.as_secs_f64(), ..Point::default() }, 0));
        p.demand_rps += s.demand_rps;
        p.capacity_rps = [p.capacity_rps[0] + s.capacity_rps[0], p.capacity_rps[1] + s.capacity_rps[1]];
        p.arrivals += s.arrivals;
        p.served += s.served;
        p.failed += s.failed;
        p.new_requests += s.new_requests;
        (p.live, p.in_service, p.pending, p.draining) = (s.live, s.in_service, s.pending, s.draining);
        *n += 1;
        if *n >= self.per_bucket {
            self.flush();
        }
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Runs the first replication and records every run's series.
pub fn record(sc: &Scenario) -> Vec<Timeline> {
    record_first(&Runner::new(sc)).1
}

/// Runs the first replication with a runner and records every run's series: its report
/// (the same as without recording) and the timelines, so a host that runs replications
/// itself need not run the first one twice.
pub fn record_first(runner: &Runner<'_>) -> (Report, Vec<Timeline>) {
    let sc = runner.scenario();
    let tick = sc.tick.as_secs_f64().max(1e-6);
    let ticks = ((sc.warmup + sc.horizon).as_secs_f64() / tick).ceil() as u64;
    let per_bucket = ticks.div_ceil(MAX_POINTS).max(1);
    let slots: Vec<Rc<RefCell<Timeline>>> = std::iter::once("baseline (no deployment)".to_owned())
        .chain(sc.strategies.iter().map(|s| s.label.clone()))
        .map(|label| Rc::new(RefCell::new(Timeline { label, points: Vec::new() })))
        .collect();
    let report = runner.replication(0, |id| {
        let slot = match id {
            RunId::Baseline => 0,
            RunId::Strategy(i) => i + 1,
        };
        Recorder { out: slots[slot].clone(), per_bucket, current: None }
    });
    let tick_len = tick * per_bucket as f64;
    // Strategies first, in file order, then the baseline.
    let mut out: Vec<Timeline> = slots.into_iter().map(|s| s.take()).collect();
    out.rotate_left(1);
    for t in &mut out {
        for p in &mut t.points {
            p.len_s = tick_len;
        }
    }
    (report, out)
}
