//! The engine: runs any plan over the fleet, tick by tick, and measures what happens.
//!
//! Each tick `[t, t + tick)`: instance events due by `t` are applied in (time, insertion)
//! order; the deployment starts at its time; the plan advances as far as it can; the
//! original Auto Scaling group is reconciled with its desired count; then the tick's
//! arrivals are routed, served or failed, and counted. Instance transitions (boot done,
//! healthy, drained, deployed) are events at exact microsecond times and take effect at the
//! first tick starting at or after them. Strategies never touch this file: they only build
//! `Plan`s.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::model::fleet::{Fleet, Instance, State};
use crate::model::lambda::{self, Served};
use crate::model::latency::{Histogram, LatencyCounts};
use crate::model::rollback::{Alarm, Sample};
use crate::model::scaling::{self, Decision, Scaler};
use crate::model::traffic::{ArrivalSource, Arrivals, Pattern, expected_in_tick};
use crate::plan::{Amount, Bound, Condition, Group, OnFailure, Plan, Pool, Step, Version};
use crate::rng::{Purpose, Rng};
use crate::sample;
use crate::scenario::{Platform, Scenario};
use crate::units::{SimDuration, SimTime};
use crate::vocab::StopReason;

mod fleet;
mod program;
mod serverless;

/// What happened in one tick, for observers (timelines, charts, conservation tests).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TickSample {
    /// Start of the tick.
    pub t: SimTime,
    /// Mean demand, requests per second.
    pub demand_rps: f64,
    /// Requests that arrived.
    pub arrivals: u64,
    /// Requests served successfully.
    pub served: u64,
    /// Requests that failed.
    pub failed: u64,
    /// Requests routed to the new version.
    pub new_requests: u64,
    /// Healthy capacity reachable by traffic, requests per second, by version `[old, new]`.
    pub capacity_rps: [f64; 2],
    /// Billed instances.
    pub live: u32,
    /// Instances in service, by version.
    pub in_service: [u32; 2],
    /// Instances starting, registering, deploying or restarting (neither in service nor
    /// draining).
    pub pending: u32,
    /// Instances draining before they deploy or terminate.
    pub draining: u32,
    /// Share of traffic sent to the secondary pool.
    pub secondary_share: f64,
    /// Whether the tick is inside the measured window.
    pub measured: bool,
}

/// Receives every tick. `()` ignores them.
pub trait Observer {
    /// Called after each tick is accounted.
    fn on_tick(&mut self, sample: &TickSample);

    /// Whether it needs every tick. An observer that does not lets a Lambda run serve quiet
    /// stretches without the tick loop, calling `on_tick` only for ticks with requests (see
    /// `Engine::run_quiet`); the results are the same.
    fn every_tick(&self) -> bool {
        true
    }
}

impl Observer for () {
    #[inline]
    fn on_tick(&mut self, _: &TickSample) {}

    fn every_tick(&self) -> bool {
        false
    }
}

impl<F: FnMut(&TickSample)> Observer for F {
    fn on_tick(&mut self, sample: &TickSample) {
        self(sample)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum What {
    BootDone,
    Healthy,
    DrainDone,
    DeployDone,
    MarkedUnhealthy,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Event {
    id: usize,
    epoch: u32,
    what: What,
}

#[derive(Clone, Copy, Debug)]
struct GroupState {
    desired: u32,
    launch_version: Version,
    pool: Pool,
}

/// Secondary pool's share of traffic, moving linearly from `from` to `to` over `[start, end)`.
#[derive(Clone, Copy, Debug)]
struct Ramp {
    from: f64,
    to: f64,
    start: f64,
    end: f64,
}

impl Ramp {
    fn at(&self, t: f64) -> f64 {
        if t >= self.end || self.end <= self.start {
            self.to
        } else if t <= self.start {
            self.from
        } else {
            self.from + (self.to - self.from) * (t - self.start) / (self.end - self.start)
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Waiting,
    Forward,
    Rollback,
    Done,
}

/// How often Elastic Beanstalk's health agent reports: every 10 seconds.
const ENHANCED_CHECK: SimDuration = SimDuration::from_secs(10);

/// Offset of rollback step tags, so they never collide with the forward plan's.
const ROLLBACK_TAGS: usize = 1 << 20;

/// Splits whole counts by a probability: binomially for Poisson traffic, and for fluid traffic
/// deterministically with a carried remainder, so fluid runs stay integral and exact.
struct Splitter {
    fluid: bool,
    carry: [f64; 8],
}

impl Splitter {
    #[inline]
    fn split(&mut self, rng: &mut Rng, slot: usize, n: u64, p: f64) -> u64 {
        if n == 0 || p <= 0.0 {
            return 0;
        }
        if p >= 1.0 {
            return n;
        }
        if self.fluid {
            let x = n as f64 * p + self.carry[slot];
            let k = (x.floor().max(0.0) as u64).min(n);
            self.carry[slot] = x - k as f64;
            k
        } else {
            sample::binomial(rng, n, p)
        }
    }
}

/// Raw totals of one run, turned into a `StrategyReport` by `crate::run`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Totals {
    pub(crate) requests: u64,
    pub(crate) served: u64,
    pub(crate) failed: u64,
    pub(crate) new_requests: u64,
    pub(crate) downtime: SimDuration,
    pub(crate) degraded: SimDuration,
    pub(crate) mixed: SimDuration,
    /// Lowest reachable capacity over the capacity at the deployment's start; set when it starts.
    pub(crate) min_capacity_frac: Option<f64>,
    pub(crate) peak_live: u32,
    pub(crate) min_live: Option<u32>,
    pub(crate) first_new_request: Option<SimTime>,
    pub(crate) alarm_at: Option<SimTime>,
    /// Requests and failures while this run's own deployment was under way.
    pub(crate) deploy_requests: u64,
    /// See `deploy_requests`.
    pub(crate) deploy_failed: u64,
    /// Start of the measured window, for `hourly`.
    pub(crate) window_start: SimTime,
    /// Arrivals in each hour of the measured window (what an ALB's LCUs are averaged over).
    pub(crate) hourly: Vec<u64>,
}

/// The Lambda side of a run: the function's environments, its arrival stream and the
/// response-time histogram.
pub(crate) struct LambdaRun {
    pub(crate) pool: lambda::Pool,
    arrivals: Rng,
    pub(crate) latency: Histogram,
    /// Arrival times of the current tick.
    times: Vec<SimTime>,
    /// Provisioned environments allocated to the new version.
    provisioned_new: u32,
    /// Where the Poisson process stands (`None` before the first tick).
    clock: Option<ArrivalClock>,
    /// The alias's share of the new version in the last tick run.
    share: f64,
}

/// The state of a Lambda function's Poisson arrivals between ticks: one standard exponential
/// per arrival, carried across tick boundaries, so that the arrivals do not depend on how the
/// run is cut into ticks (and a run may jump over ticks without any).
#[derive(Clone, Copy, Debug)]
enum ArrivalClock {
    /// A constant rate: the time of the next arrival, seconds.
    Next(f64),
    /// A rate that changes from tick to tick (constant within one): the unit-rate exponential
    /// mass left before the next arrival (the time-change of a Poisson process).
    Left(f64),
}

impl Totals {
    /// Adds one measured tick's requests.
    fn count(&mut self, t: SimTime, arrivals: u64, served: u64, failed: u64, new_requests: u64) {
        self.requests += arrivals;
        let hour = (t.since(self.window_start).0 / 3_600_000_000) as usize;
        if self.hourly.len() <= hour {
            self.hourly.resize(hour + 1, 0);
        }
        self.hourly[hour] += arrivals;
        self.served += served;
        self.failed += failed;
        self.new_requests += new_requests;
        if new_requests > 0 && self.first_new_request.is_none() {
            self.first_new_request = Some(t);
        }
    }
}

/// The start of the measured window: the first tick at or after the warm-up, so that counts
/// taken per tick (fleets) and per request (Lambda) and the time integrals all cover exactly
/// the same window.
pub(crate) fn measured_from(sc: &Scenario) -> SimTime {
    let tick = sc.tick.0.max(1);
    SimTime(sc.warmup.0.div_ceil(tick) * tick)
}

/// One strategy (or the baseline) in one replication.
pub struct Engine<'s> {
    sc: &'s Scenario,
    plan: Plan,
    tick: SimDuration,
    tick_secs: f64,
    now: SimTime,
    pub(crate) window_start: SimTime,
    pub(crate) deploy_start: SimTime,
    pub(crate) fleet: Fleet,
    queue: BinaryHeap<Reverse<(SimTime, u64, Event)>>,
    seq: u64,
    arrivals: ArrivalSource,
    rng_routing: Rng,
    rng_errors: Rng,
    rng_life: Rng,
    splitter: Splitter,
    groups: [GroupState; 2],
    ramp: Ramp,
    phase: Phase,
    program: Vec<Step>,
    tag_base: usize,
    pc: usize,
    step_started: SimTime,
    n0: u32,
    capacity0: f64,
    detach: bool,
    pub(crate) complete_at: Option<SimTime>,
    pub(crate) ended_at: Option<SimTime>,
    pub(crate) outcome: crate::vocab::Outcome,
    /// Why the deployment rolled back or failed.
    pub(crate) stop_reason: Option<crate::vocab::StopReason>,
    alarm: Option<Alarm>,
    scaler: Option<Scaler>,
    next_datapoint: SimTime,
    /// (healthy, old, new) tasks seen by the last round of a rolling replacement.
    replace_seen: Option<(u32, usize, u32)>,
    /// New tasks that failed their health checks and were stopped (ECS's circuit breaker
    /// counts them).
    failed_tasks: u32,
    pub(crate) latency: LatencyCounts,
    pub(crate) totals: Totals,
    /// Present on Lambda, where requests are simulated one by one instead of per tick.
    pub(crate) lambda: Option<LambdaRun>,
    /// The Lambda tally when the deployment started and when its plan ended.
    pub(crate) lambda_marks: (Option<lambda::Tally>, Option<lambda::Tally>),
}

impl<'s> Engine<'s> {
    /// An engine for `plan` in replication `replication`, with the initial fleet in service.
    pub fn new(sc: &'s Scenario, plan: Plan, replication: u32) -> Self {
        let seed = sc.seed;
        let tick = sc.tick;
        let detach = plan.steps.iter().find_map(|s| match s {
            Step::DeployInPlace { detach, .. } => Some(*detach),
            _ => None,
        });
        let alarm = sc.rollback.clone().map(Alarm::new);
        let scaler = sc.service.scaling.clone().map(|p| Scaler::new(p, sc.service.min, sc.service.max));
        let window_start = measured_from(sc);
        let mut engine = Engine {
            sc,
            tick,
            tick_secs: tick.as_secs_f64(),
            now: SimTime::ZERO,
            window_start,
            deploy_start: window_start + sc.deploy_at,
            fleet: Fleet::default(),
            queue: BinaryHeap::new(),
            seq: 0,
            arrivals: ArrivalSource::new(Rng::new(seed, replication, Purpose::Traffic), sc.traffic.arrivals),
            rng_routing: Rng::new(seed, replication, Purpose::Routing),
            rng_errors: Rng::new(seed, replication, Purpose::Errors),
            rng_life: Rng::new(seed, replication, Purpose::Lifecycle),
            splitter: Splitter { fluid: sc.traffic.arrivals == Arrivals::Fluid, carry: [0.0; 8] },
            groups: [
                GroupState { desired: sc.service.instances, launch_version: Version::Old, pool: Pool::Primary },
                GroupState { desired: 0, launch_version: Version::New, pool: Pool::Secondary },
            ],
            ramp: Ramp { from: 0.0, to: 0.0, start: 0.0, end: 0.0 },
            phase: Phase::Waiting,
            program: Vec::new(),
            tag_base: 0,
            pc: 0,
            step_started: SimTime::ZERO,
            n0: sc.service.instances,
            capacity0: 0.0,
            detach: detach.unwrap_or(true),
            complete_at: None,
            ended_at: None,
            outcome: crate::vocab::Outcome::None,
            stop_reason: None,
            alarm,
            scaler,
            next_datapoint: SimTime::ZERO + scaling::PERIOD,
            replace_seen: None,
            failed_tasks: 0,
            lambda: sc.lambda.as_ref().map(|l| LambdaRun {
                pool: lambda::Pool::new(l.function.clone(), SimTime::ZERO, window_start),
                arrivals: Rng::new(seed, replication, Purpose::Traffic),
                latency: Histogram::default(),
                times: Vec::new(),
                provisioned_new: 0,
                clock: None,
                share: 0.0,
            }),
            lambda_marks: (None, None),
            latency: LatencyCounts::default(),
            totals: Totals { window_start, ..Totals::default() },
            plan,
        };
        for _ in 0..sc.service.instances {
            engine.fleet.add(Instance {
                state: State::InService,
                group: Group::Original,
                pool: Pool::Primary,
                version: Version::Old,
                target: Version::Old,
                tag: None,
                from_deploy: false,
                initial: true,
                launched_at: SimTime::ZERO,
                in_service_at: SimTime::ZERO,
                since: SimTime::ZERO,
                terminated_at: None,
                epoch: 0,
            });
        }
        engine
    }

    /// The start of the next tick.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Whether the deployment (if any) is over and the fleet is stable: nothing booting,
    /// draining or deploying, and the group at its desired size.
    pub fn settled(&self) -> bool {
        // On Lambda, the version that no longer gets traffic must also have lost its
        // on-demand environments: until they idle out, both pools are alive (and billed).
        let lambda_settled = self.lambda.as_ref().is_none_or(|l| {
            let idle_version = if self.ramp.to >= 1.0 { 0 } else { 1 };
            self.ramp.to.fract() == 0.0 && l.pool.on_demand(idle_version) == 0
        });
        self.phase == Phase::Done
            && self.queue.is_empty()
            && self.fleet.counts.members[Group::Original.idx()] == self.groups[Group::Original.idx()].desired
            && lambda_settled
    }

    /// Runs whole ticks while the next one starts before `end`; stops early once settled if
    /// `until_settled`.
    pub fn run<O: Observer>(&mut self, end: SimTime, until_settled: bool, obs: &mut O) {
        while self.now < end {
            if until_settled && self.settled() && self.now >= self.deploy_start {
                break;
            }
            // Quiet Lambda ticks without the tick loop (`run_quiet`), unless the observer wants
            // every tick (timelines do).
            if !obs.every_tick() && self.run_quiet(end, until_settled, obs) {
                continue;
            }
            self.step(obs);
        }
    }

    fn schedule(&mut self, at: SimTime, id: usize, what: What) {
        let epoch = self.fleet.instances[id].epoch;
        self.queue.push(Reverse((at, self.seq, Event { id, epoch, what })));
        self.seq += 1;
    }

    fn passes(&self, version: Version) -> bool {
        !(version == Version::New && self.sc.new_version.fails_health_check)
    }

    fn step<O: Observer>(&mut self, obs: &mut O) {
        let t = self.now;
        while let Some(Reverse((at, _, _))) = self.queue.peek() {
            if *at > t {
                break;
            }
            let Reverse((_, _, ev)) = self.queue.pop().expect("peeked");
            self.apply(ev, t);
        }
        if self.phase == Phase::Waiting && t >= self.deploy_start {
            self.start(t);
        }
        if matches!(self.phase, Phase::Forward | Phase::Rollback) {
            self.advance(t);
        }
        self.reconcile(t);
        self.account(t, obs);
        self.now = t + self.tick;
        // A datapoint closes every metric period, whatever the tick length.
        if self.scaler.is_some() && self.now >= self.next_datapoint {
            self.next_datapoint += scaling::PERIOD;
            self.scale(self.now);
        }
    }

    /// Whether the deployment's plan has ended (clean-up, bake and rollback included).
    pub(crate) fn plan_ended(&self) -> bool {
        self.phase == Phase::Done
    }

    /// Counts a tick's requests into the deployment's own totals while it is under way.
    fn count_deployment(&mut self, arrivals: u64, failed: u64) {
        if matches!(self.phase, Phase::Forward | Phase::Rollback) {
            self.totals.deploy_requests += arrivals;
            self.totals.deploy_failed += failed;
        }
    }

    // ----- traffic -----

    fn mid(&self, t: SimTime) -> f64 {
        t.as_secs_f64() + self.tick_secs / 2.0
    }

    /// Ends the run at `end`: Lambda environments still alive are counted until then.
    pub(crate) fn finish(&mut self, end: SimTime) {
        if let Some(l) = self.lambda.as_mut() {
            l.pool.close(end, &mut self.rng_life);
        }
    }

    /// Feeds the tick to the alarm (which counts every tick, as CloudWatch records every
    /// period) and rolls back when the deployment acts on an ALARM. The alarm is watched from
    /// the deployment's start until its plan ends, not during a rollback.
    fn alarm_check(&mut self, t: SimTime, sample: Sample) {
        let end = t + self.tick;
        let Some(alarm) = self.alarm.as_mut() else { return };
        let acted = alarm.observe(t, sample, end);
        if self.phase == Phase::Forward && acted.is_some() {
            self.totals.alarm_at = acted;
            self.roll_back(end, StopReason::Alarm);
        }
    }
}

enum Flow {
    Next,
    Jump(usize),
    Block,
    Fail(StopReason),
}
