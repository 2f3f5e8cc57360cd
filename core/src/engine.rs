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
use crate::report::StopReason;
use crate::rng::{Purpose, Rng};
use crate::sample;
use crate::scenario::{Platform, Scenario};
use crate::units::{SimDuration, SimTime};

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

    /// Whether it needs every tick. An observer that does not lets a Lambda run jump over
    /// stretches where nothing happens (see `Engine::skip_quiet`); the results are the same.
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
    pub(crate) outcome: crate::report::Outcome,
    /// Why the deployment rolled back or failed.
    pub(crate) stop_reason: Option<crate::report::StopReason>,
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
            outcome: crate::report::Outcome::None,
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
            if !obs.every_tick() {
                // Nothing a skipped tick does can change `settled`: see `skip_quiet`.
                self.skip_quiet(end);
                if self.now >= end {
                    break;
                }
            }
            self.step(obs);
        }
    }

    /// Jumps a Lambda run over the ticks that would do nothing: before the deployment starts
    /// (without an alarm to feed) or after it is over, with no event due and no request
    /// arriving in them. A tick without a request changes no environment (the pool advances
    /// only when a request arrives), no count but the hour it falls in, and no random stream:
    /// the arrivals are a Poisson process carried across ticks (`ArrivalClock`). So the
    /// results are exactly those of running every tick; only the time taken differs.
    fn skip_quiet(&mut self, end: SimTime) {
        let quiet = match self.phase {
            Phase::Done => true,
            Phase::Waiting => self.alarm.is_none(),
            Phase::Forward | Phase::Rollback => false,
        };
        if !quiet || !self.queue.is_empty() || self.scaler.is_some() || self.sc.traffic.arrivals != Arrivals::Poisson {
            return;
        }
        let Some((Some(clock), share)) = self.lambda.as_ref().map(|l| (l.clock, l.share)) else { return };
        let (ramp, half) = (self.ramp, self.tick_secs / 2.0);
        let share_at = |t: SimTime| ramp.at(t.as_secs_f64() + half);
        let limit = if self.phase == Phase::Waiting { end.min(self.deploy_start) } else { end };
        let tick = self.tick;
        let mut t = self.now;
        let mut skipped = false;
        match clock {
            ArrivalClock::Next(next) => {
                // The tick the next request arrives in, by the same test the tick applies.
                let arrival = SimTime::ZERO + SimDuration::from_secs_f64(next);
                let ticks = arrival.since(t).0 / tick.0;
                let last = SimTime(limit.0.saturating_sub(1));
                let room = if last >= t { last.since(t).0 / tick.0 + 1 } else { 0 };
                let n = ticks.min(room);
                if n > 0 {
                    if share_at(t + SimDuration(tick.0 * (n - 1))) != share || share_at(t) != share {
                        return;
                    }
                    t += SimDuration(tick.0 * n);
                    skipped = true;
                }
            }
            ArrivalClock::Left(mut left) => {
                while t < limit {
                    let (rate, _) = expected_in_tick(&self.sc.traffic.pattern, t, self.tick_secs);
                    let tick_end = t + tick;
                    if rate > 0.0
                        && SimTime::ZERO + SimDuration::from_secs_f64(t.as_secs_f64() + left / rate) < tick_end
                    {
                        break;
                    }
                    if share_at(t) != share {
                        break;
                    }
                    left -= (tick_end.as_secs_f64() - t.as_secs_f64()) * rate;
                    t = tick_end;
                    skipped = true;
                }
                if let Some(lam) = self.lambda.as_mut() {
                    lam.clock = Some(ArrivalClock::Left(left));
                }
            }
        }
        if skipped {
            let last = SimTime(t.0 - tick.0);
            if last >= self.window_start {
                // The measured hours reach the last tick, as they do when every tick runs.
                self.totals.count(last, 0, 0, 0, 0);
            }
            self.now = t;
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

    // ----- instance lifecycle -----

    fn apply(&mut self, ev: Event, t: SimTime) {
        let inst = &self.fleet.instances[ev.id];
        if inst.epoch != ev.epoch {
            return;
        }
        let (state, version, target) = (inst.state, inst.version, inst.target);
        match (ev.what, state) {
            (What::BootDone, State::Booting) => self.register(ev.id, t),
            (What::Healthy, State::Registering) => self.fleet.set_state(ev.id, State::InService, t),
            (What::DrainDone, State::Draining { terminate: true }) => self.fleet.set_state(ev.id, State::Terminated, t),
            (What::DrainDone, State::Draining { terminate: false }) => {
                if version == target {
                    // A rollback reversed this deploy before it began: nothing to install.
                    self.register(ev.id, t);
                } else {
                    self.fleet.set_state(ev.id, State::Deploying, t);
                    let d = self.sc.service.deploy_time.sample_duration(&mut self.rng_life);
                    self.schedule(t + d, ev.id, What::DeployDone);
                }
            }
            (What::DeployDone, State::Deploying) => {
                self.fleet.update(ev.id, |i| i.version = target);
                self.register(ev.id, t);
            }
            (What::DeployDone, State::Restarting) => {
                self.fleet.update(ev.id, |i| i.version = target);
                if self.passes(target) {
                    // Back before the load balancer noticed: it never left service.
                    self.fleet.set_state(ev.id, State::InService, t);
                }
            }
            (What::MarkedUnhealthy, State::Registering) => {
                // ECS stops a task whose load balancer health checks fail (after the grace
                // period) and starts another; the circuit breaker counts it.
                self.failed_tasks += 1;
                self.retire(ev.id, t);
            }
            (What::MarkedUnhealthy, State::Restarting) => {
                if version == target {
                    // Deployed but failing its health checks: registered, never healthy.
                    self.fleet.set_state(ev.id, State::Registering, t);
                } else {
                    self.fleet.set_state(ev.id, State::Deploying, t);
                }
            }
            _ => {}
        }
    }

    /// Registers an instance with the load balancer; it becomes healthy after its checks pass.
    fn register(&mut self, id: usize, t: SimTime) {
        self.fleet.set_state(id, State::Registering, t);
        if self.passes(self.fleet.instances[id].version) {
            let at = self.sc.service.health_check.healthy_at(t);
            self.schedule(at, id, What::Healthy);
        } else if self.plan.ecs.is_some() {
            // The target group marks it unhealthy after its failing checks, but not before the
            // service's health check grace period is over.
            let checks = self.sc.service.health_check.unhealthy_at(t);
            let at = checks.max(t + self.sc.service.health_check_grace_period);
            self.schedule(at, id, What::MarkedUnhealthy);
        }
    }

    /// Elastic Beanstalk's enhanced health status of an instance running `version`: from the
    /// share of its requests that fail.
    fn eb_status(&self, version: Version) -> crate::scenario::EbStatus {
        let rate = if version == Version::New { self.sc.new_version.error_rate } else { 0.0 };
        crate::scenario::EbStatus::of_error_rate(rate)
    }

    /// Whether an instance has passed Elastic Beanstalk's enhanced health gate by `t`: in
    /// service, and 12 consecutive checks of the health agent (every 10 s) at `threshold` or
    /// better since (AWS Elastic Beanstalk Developer Guide, "Deployment policies and settings":
    /// "all instances must pass 12 consecutive health checks with an OK status within two
    /// minutes for web server environments").
    fn enhanced_passed(&self, id: usize, threshold: crate::scenario::EbStatus, t: SimTime) -> bool {
        let i = &self.fleet.instances[id];
        // An instance that gets no traffic (a traffic-splitting fleet before the split) fails
        // no requests: its status is Ok.
        let share = self.ramp.at(self.mid(t));
        let gets_traffic = if i.pool == Pool::Secondary { share > 0.0 } else { share < 1.0 };
        if i.state != State::InService || (gets_traffic && self.eb_status(i.version) > threshold) {
            return false;
        }
        let every = ENHANCED_CHECK.0;
        let first = i.in_service_at.0.div_ceil(every) * every;
        t.0 >= first + 11 * every
    }

    fn launch(
        &mut self,
        t: SimTime,
        group: Group,
        pool: Pool,
        version: Version,
        tag: Option<usize>,
        from_deploy: bool,
    ) {
        let id = self.fleet.add(Instance {
            state: State::Booting,
            group,
            pool,
            version,
            target: version,
            tag,
            from_deploy,
            initial: false,
            launched_at: t,
            in_service_at: t,
            since: t,
            terminated_at: None,
            epoch: 0,
        });
        let boot = self.sc.service.boot_time.sample_duration(&mut self.rng_life);
        self.schedule(t + boot, id, What::BootDone);
    }

    /// Starts an in-place deploy of `version` on an instance.
    fn deploy(&mut self, id: usize, version: Version, detach: bool, tag: usize, t: SimTime) {
        let state = self.fleet.instances[id].state;
        self.fleet.update(id, |i| {
            i.target = version;
            i.tag = Some(tag);
            i.epoch = i.epoch.wrapping_add(1);
        });
        match (state, detach) {
            (State::InService, true) => {
                self.fleet.set_state(id, State::Draining { terminate: false }, t);
                self.schedule(t + self.sc.service.drain, id, What::DrainDone);
            }
            (State::InService, false) => {
                self.fleet.set_state(id, State::Restarting, t);
                let d = self.sc.service.deploy_time.sample_duration(&mut self.rng_life);
                self.schedule(t + d, id, What::DeployDone);
                let unhealthy = self.sc.service.health_check.unhealthy_at(t);
                self.schedule(unhealthy, id, What::MarkedUnhealthy);
            }
            _ => {
                // Registering (not yet healthy): nothing to drain.
                self.fleet.set_state(id, State::Deploying, t);
                let d = self.sc.service.deploy_time.sample_duration(&mut self.rng_life);
                self.schedule(t + d, id, What::DeployDone);
            }
        }
    }

    /// Takes an instance out for good: deregister and drain if it gets traffic, then terminate.
    fn terminate(&mut self, id: usize, t: SimTime) {
        let state = self.fleet.instances[id].state;
        self.fleet.update(id, |i| i.epoch = i.epoch.wrapping_add(1));
        match state {
            State::InService | State::Restarting => {
                self.fleet.set_state(id, State::Draining { terminate: true }, t);
                self.schedule(t + self.sc.service.drain, id, What::DrainDone);
            }
            State::Terminated | State::Draining { terminate: true } => {}
            _ => self.fleet.set_state(id, State::Terminated, t),
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

    // ----- the plan interpreter -----

    fn start(&mut self, t: SimTime) {
        self.lambda_marks.0 = self.lambda.as_ref().map(|l| l.pool.tally.clone());
        self.n0 = self.groups[Group::Original.idx()].desired;
        let c = &self.fleet.counts;
        self.capacity0 = self.capacity_of(c.serving[0][0] + c.serving[1][0], c.serving[0][1] + c.serving[1][1]);
        self.totals.min_capacity_frac = Some(f64::INFINITY);
        if self.plan.steps.is_empty() {
            self.phase = Phase::Done;
            self.ended_at = Some(t);
            return;
        }
        self.program = self.plan.steps.clone();
        self.phase = Phase::Forward;
        self.outcome = crate::report::Outcome::Incomplete;
        self.pc = 0;
        self.step_started = t;
    }

    fn capacity_of(&self, n_old: u32, n_new: u32) -> f64 {
        let cap = self.sc.service.capacity_rps;
        f64::from(n_old) * cap + f64::from(n_new) * cap / self.sc.new_version.latency_factor
    }

    fn advance(&mut self, t: SimTime) {
        // Every step either finishes, blocks, or jumps back to a step that deploys or blocks;
        // the budget is a guard against a plan that loops without either.
        for _ in 0..100_000 {
            let Some(step) = self.program.get(self.pc).cloned() else {
                self.finish_program(t);
                return;
            };
            match self.exec(&step, t) {
                Flow::Next => {
                    self.pc += 1;
                    self.step_started = t;
                }
                Flow::Jump(to) => {
                    self.pc = to;
                    self.step_started = t;
                }
                Flow::Block => return,
                Flow::Fail(why) => {
                    self.fail(t, why);
                    return;
                }
            }
        }
    }

    fn finish_program(&mut self, t: SimTime) {
        if self.phase == Phase::Forward && self.complete_at.is_none() {
            self.complete_at = Some(t);
        }
        if self.phase == Phase::Forward {
            self.outcome = crate::report::Outcome::Completed;
        }
        self.phase = Phase::Done;
        self.ended_at = Some(t);
        self.lambda_marks.1 = self.lambda.as_ref().map(|l| l.pool.tally.clone());
    }

    fn tagged(&self, step: usize) -> impl Iterator<Item = usize> + '_ {
        let tag = self.tag_base + step;
        self.fleet
            .instances
            .iter()
            .enumerate()
            .filter(move |(_, i)| i.tag == Some(tag) && i.is_member())
            .map(|(id, _)| id)
    }

    fn remaining(&self, version: Version) -> bool {
        self.fleet.instances.iter().any(|i| i.group == Group::Original && i.is_member() && i.target != version)
    }

    fn exec(&mut self, step: &Step, t: SimTime) -> Flow {
        match *step {
            Step::LaunchVersion(v) => {
                self.groups[Group::Original.idx()].launch_version = v;
                Flow::Next
            }
            Step::Launch { count, group, pool, version } => {
                let k = count.resolve(self.n0);
                let tag = Some(self.tag_base + self.pc);
                for _ in 0..k {
                    self.launch(t, group, pool, version, tag, true);
                }
                let g = &mut self.groups[group.idx()];
                g.desired += k;
                if group == Group::Temporary {
                    g.pool = pool;
                    g.launch_version = version;
                }
                Flow::Next
            }
            Step::DeployInPlace { count, version, detach } => {
                let k = count.resolve(self.n0) as usize;
                let mut picked: Vec<usize> = self
                    .fleet
                    .instances
                    .iter()
                    .enumerate()
                    .filter(|(_, i)| {
                        i.group == Group::Original
                            && i.target != version
                            && matches!(i.state, State::InService | State::Registering)
                    })
                    .map(|(id, _)| id)
                    .collect();
                // In-service instances first (they are the ones holding the old code live), then by id.
                picked.sort_by_key(|&id| (self.fleet.instances[id].state != State::InService, id));
                picked.truncate(k);
                if picked.is_empty() {
                    return if self.remaining(version) { Flow::Block } else { Flow::Next };
                }
                let tag = self.tag_base + self.pc;
                for id in picked {
                    self.deploy(id, version, detach, tag, t);
                }
                Flow::Next
            }
            Step::WaitHealthy { step } => {
                let all = match self.plan.enhanced_health {
                    None => self.tagged(step).all(|id| self.fleet.instances[id].state == State::InService),
                    Some(threshold) => self.tagged(step).all(|id| self.enhanced_passed(id, threshold, t)),
                };
                if all {
                    Flow::Next
                } else if t.since(self.step_started) >= self.plan.timeout {
                    // IgnoreHealthCheck: the batch keeps what it has and the deployment goes on.
                    if self.plan.ignore_health_check { Flow::Next } else { Flow::Fail(StopReason::Timeout) }
                } else {
                    Flow::Block
                }
            }
            Step::Route { pool, percent, ramp } => {
                let mid = self.mid(t);
                let share = if pool == Pool::Secondary { percent / 100.0 } else { 1.0 - percent / 100.0 };
                let start = t.as_secs_f64();
                self.ramp = Ramp { from: self.ramp.at(mid), to: share, start, end: start + ramp.as_secs_f64() };
                Flow::Next
            }
            Step::Wait(d) => {
                if self.split_unhealthy(t) {
                    return Flow::Fail(StopReason::EnhancedHealth);
                }
                if t.since(self.step_started) >= d { Flow::Next } else { Flow::Block }
            }
            Step::Adopt { pool, version } => {
                let temp: Vec<usize> = (0..self.fleet.instances.len())
                    .filter(|&id| {
                        self.fleet.instances[id].group == Group::Temporary && self.fleet.instances[id].is_member()
                    })
                    .collect();
                for id in temp {
                    self.fleet.update(id, |i| i.group = Group::Original);
                }
                let moved = std::mem::take(&mut self.groups[Group::Temporary.idx()].desired);
                let g = &mut self.groups[Group::Original.idx()];
                g.desired += moved;
                g.pool = pool;
                g.launch_version = version;
                Flow::Next
            }
            Step::Terminate { step } => {
                let ids: Vec<usize> = self.tagged(step).collect();
                for id in ids {
                    self.retire(id, t);
                }
                Flow::Next
            }
            Step::Retire { version } => {
                let ids: Vec<usize> = (0..self.fleet.instances.len())
                    .filter(|&id| {
                        let i = &self.fleet.instances[id];
                        i.is_member() && i.version == version && i.target == version
                    })
                    .collect();
                for id in ids {
                    self.retire(id, t);
                }
                Flow::Next
            }
            Step::Replace { min_healthy, max_total, count_stopping, version } => {
                self.replace(t, min_healthy.resolve(self.n0), max_total.resolve(self.n0), count_stopping, version)
            }
            Step::WaitDrained => {
                if self.fleet.counts.draining == 0 {
                    Flow::Next
                } else {
                    Flow::Block
                }
            }
            Step::Discard { temporary_only } => {
                let ids: Vec<usize> = (0..self.fleet.instances.len())
                    .filter(|&id| {
                        let i = &self.fleet.instances[id];
                        i.is_member()
                            && i.from_deploy
                            && (i.version != Version::Old || i.target != Version::Old)
                            && (!temporary_only || i.group == Group::Temporary)
                    })
                    .collect();
                for id in ids {
                    self.retire(id, t);
                }
                self.groups[Group::Temporary.idx()].desired = 0;
                let members = self.fleet.counts.members[Group::Original.idx()];
                let g = &mut self.groups[Group::Original.idx()];
                g.pool = Pool::Primary;
                g.desired = members.max(self.n0);
                Flow::Next
            }
            Step::WaitStable => {
                let busy = self
                    .fleet
                    .instances
                    .iter()
                    .any(|i| i.group == Group::Original && i.is_live() && i.is_transitional());
                if !busy && self.fleet.counts.members[0] == self.groups[0].desired { Flow::Next } else { Flow::Block }
            }
            Step::Complete => {
                if self.phase == Phase::Forward {
                    self.complete_at = Some(t);
                    self.outcome = crate::report::Outcome::Completed;
                }
                Flow::Next
            }
            Step::RepeatWhile { condition: Condition::Remaining(v), to } => {
                if self.remaining(v) {
                    Flow::Jump(to)
                } else {
                    Flow::Next
                }
            }
        }
    }

    /// Elastic Beanstalk traffic splitting watches the new instances' health while they take
    /// their share ("for a configured amount of time, Elastic Beanstalk tracks the health of the
    /// new set of instances"): with enhanced health, a new version whose status is worse than
    /// the threshold fails the deployment at the health agent's first report after traffic
    /// reaches it.
    fn split_unhealthy(&self, t: SimTime) -> bool {
        let Some(threshold) = self.plan.enhanced_health else { return false };
        let share = self.ramp.at(self.mid(t));
        self.phase == Phase::Forward
            && self.complete_at.is_none()
            && share > 0.0
            && self.ramp.to < 1.0
            && self.eb_status(Version::New) > threshold
            && self.fleet.counts.serving[Pool::Secondary.idx()][Version::New.idx()] > 0
            && t.since(self.step_started) >= ENHANCED_CHECK
    }

    /// One round of a rolling replacement (ECS rolling update, Kubernetes RollingUpdate): stop
    /// old tasks while at least `lower` stay healthy, start new ones while at most `upper` run,
    /// and finish when every task runs `version` and is in service. The timeout counts from
    /// the last progress (a task started, stopped or became healthy).
    fn replace(&mut self, t: SimTime, lower: u32, upper: u32, count_stopping: bool, version: Version) -> Flow {
        let mut healthy = 0u32;
        let mut total = 0u32;
        let mut fresh = 0u32;
        let mut settling = false;
        let mut old: Vec<usize> = Vec::new();
        for (id, i) in self.fleet.instances.iter().enumerate() {
            if i.group != Group::Original {
                continue;
            }
            if i.is_member() {
                total += 1;
                healthy += u32::from(i.state == State::InService);
                if i.target == version {
                    fresh += 1;
                    settling |= i.state != State::InService;
                } else {
                    old.push(id);
                }
            } else if count_stopping && matches!(i.state, State::Draining { terminate: true }) {
                total += 1;
            }
        }
        if old.is_empty() && !settling && fresh >= self.n0 {
            return Flow::Next;
        }
        if let Some(cb) = self.plan.ecs.and_then(|e| e.circuit_breaker)
            && self.failed_tasks >= crate::plan::CircuitBreaker::threshold(self.n0)
            && self.phase == Phase::Forward
        {
            // The deployment is FAILED; with rollback on, ECS goes back to the last completed
            // deployment.
            if cb.rollback {
                self.roll_back(t, StopReason::CircuitBreaker);
            } else {
                self.outcome = crate::report::Outcome::Failed;
                self.stop_reason = Some(StopReason::CircuitBreaker);
                self.phase = Phase::Done;
                self.ended_at = Some(t);
            }
            return Flow::Block;
        }
        let before = (healthy, old.len(), fresh);
        // Old tasks that serve nothing go first; then healthy ones, while enough stay healthy.
        old.sort_by_key(|&id| (self.fleet.instances[id].state == State::InService, id));
        for id in old.iter().copied() {
            let serving = self.fleet.instances[id].state == State::InService;
            if serving && healthy <= lower {
                break;
            }
            healthy -= u32::from(serving);
            if !count_stopping || !serving {
                total -= 1;
            }
            self.retire(id, t);
        }
        let needed = self.n0.saturating_sub(fresh);
        let room = upper.saturating_sub(total);
        let tag = Some(self.tag_base + self.pc);
        let pool = self.groups[Group::Original.idx()].pool;
        for _ in 0..needed.min(room) {
            self.launch(t, Group::Original, pool, version, tag, true);
        }
        self.groups[Group::Original.idx()].desired += needed.min(room);
        let progressed =
            needed.min(room) > 0 || (healthy, old.len(), fresh) != before || self.replace_seen != Some(before);
        self.replace_seen = Some(before);
        if progressed {
            self.step_started = t;
        } else if self.plan.ecs.is_none() && t.since(self.step_started) >= self.plan.timeout {
            // ECS has no deployment timeout: it keeps replacing tasks.
            return Flow::Fail(StopReason::Timeout);
        }
        Flow::Block
    }

    /// Terminates a member and shrinks its group.
    fn retire(&mut self, id: usize, t: SimTime) {
        let g = self.fleet.instances[id].group.idx();
        if !self.fleet.instances[id].is_member() {
            return;
        }
        self.groups[g].desired = self.groups[g].desired.saturating_sub(1);
        self.terminate(id, t);
    }

    fn fail(&mut self, t: SimTime, why: StopReason) {
        if self.phase == Phase::Rollback {
            // A rollback that cannot finish leaves the fleet as it is.
            self.phase = Phase::Done;
            self.ended_at = Some(t);
            return;
        }
        if self.sc.rollback.is_some() || self.plan.on_failure == OnFailure::RollBack {
            self.roll_back(t, why);
        } else {
            self.outcome = crate::report::Outcome::Failed;
            self.stop_reason = Some(why);
            self.phase = Phase::Done;
            self.ended_at = Some(t);
        }
    }

    /// Reverses the deployment from where it is: traffic back to the old version, new
    /// instances terminated, in-place batches redeployed with the old version.
    fn roll_back(&mut self, t: SimTime, why: StopReason) {
        self.outcome = crate::report::Outcome::RolledBack;
        self.stop_reason = Some(why);
        for id in 0..self.fleet.instances.len() {
            let i = &self.fleet.instances[id];
            let in_flight =
                matches!(i.state, State::Draining { terminate: false } | State::Deploying | State::Restarting);
            if i.group == Group::Original && !i.from_deploy && in_flight && i.target == Version::New {
                self.fleet.update(id, |i| i.target = Version::Old);
            }
        }
        let ramp = self.plan.rollback_ramp;
        let mut steps =
            vec![Step::Route { pool: Pool::Primary, percent: 100.0, ramp }, Step::LaunchVersion(Version::Old)];
        if !ramp.is_zero() {
            steps.push(Step::Wait(ramp));
        }
        let replace = self.plan.steps.iter().find_map(|s| match s {
            Step::Replace { min_healthy, max_total, count_stopping, .. } => {
                Some((*min_healthy, *max_total, *count_stopping))
            }
            _ => None,
        });
        if self.sc.service.platform == Platform::Lambda {
            // The alias goes back to the old version; nothing else was changed.
        } else if self.sc.service.platform == Platform::Fargate {
            // Tasks cannot be redeployed in place: a replacement task set is discarded, and new
            // tasks in the service are replaced by old ones with the plan's own rolling bounds
            // (or ECS's defaults, 100 % / 200 %).
            let (min_healthy, max_total, count_stopping) =
                replace.unwrap_or((Bound::Of(Amount::PercentUp(100.0)), Bound::Of(Amount::PercentDown(200.0)), true));
            steps.extend([
                Step::Discard { temporary_only: true },
                Step::Replace { min_healthy, max_total, count_stopping, version: Version::Old },
            ]);
        } else {
            let redeploy = steps.len() + 1;
            steps.extend([
                Step::Discard { temporary_only: false },
                Step::DeployInPlace { count: self.plan.rollback_batch, version: Version::Old, detach: self.detach },
                Step::WaitHealthy { step: redeploy },
                Step::RepeatWhile { condition: Condition::Remaining(Version::Old), to: redeploy },
            ]);
        }
        steps.extend([Step::WaitStable, Step::Complete]);
        self.program = steps;
        self.tag_base = ROLLBACK_TAGS;
        self.pc = 0;
        self.step_started = t;
        self.phase = Phase::Rollback;
    }

    // ----- Auto Scaling -----

    /// Launches or terminates members of the original group to match its desired count.
    fn reconcile(&mut self, t: SimTime) {
        let g = self.groups[Group::Original.idx()];
        let members = self.fleet.counts.members[Group::Original.idx()];
        if members < g.desired {
            for _ in members..g.desired {
                self.launch(t, Group::Original, g.pool, g.launch_version, None, false);
            }
        } else if members > g.desired {
            let mut victims: Vec<usize> = (0..self.fleet.instances.len())
                .filter(|&id| {
                    let i = &self.fleet.instances[id];
                    i.group == Group::Original
                        && i.is_member()
                        && matches!(i.state, State::InService | State::Booting | State::Registering)
                })
                .collect();
            // Oldest launch configuration first (instances not running what the group launches
            // now), then the most recently launched.
            victims.sort_by_key(|&id| {
                let i = &self.fleet.instances[id];
                (i.target == g.launch_version, Reverse(i.launched_at), Reverse(id))
            });
            for id in victims.into_iter().take((members - g.desired) as usize) {
                self.terminate(id, t);
            }
        }
    }

    fn scale(&mut self, now: SimTime) {
        let Some(scaler) = self.scaler.as_mut() else { return };
        let warmup = scaler.warmup();
        let in_service: u32 = self.fleet.counts.serving_by_group[0].iter().flatten().sum();
        let warming = self.fleet.instances.iter().any(|i| {
            i.group == Group::Original
                && i.is_member()
                && (matches!(i.state, State::Booting | State::Registering)
                    || (i.state == State::InService && !i.initial && now.since(i.in_service_at) < warmup))
        });
        let desired = self.groups[0].desired;
        if let Decision::Set(n) = scaler.evaluate(now, desired, in_service, warming) {
            self.groups[0].desired = n;
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

    /// One tick of a Lambda function: each request in turn picks a version by the alias
    /// weights and takes, starts or is refused an environment.
    fn account_lambda<O: Observer>(&mut self, t: SimTime, obs: &mut O) {
        let (rate, expected) = expected_in_tick(&self.sc.traffic.pattern, t, self.tick_secs);
        let share2 = self.ramp.at(self.mid(t));
        let end = t + self.tick;
        let provisioned = self.sc.lambda.as_ref().map_or(0, |l| l.function.provisioned);
        let lam = self.lambda.as_mut().expect("a Lambda run");
        // The alias's provisioned concurrency follows its weights (see `lambda::Pool`).
        let provisioned_new = libm::round(f64::from(provisioned) * share2) as u32;
        if provisioned_new != lam.provisioned_new {
            lam.pool.allocate_provisioned(t, provisioned_new);
            lam.provisioned_new = provisioned_new;
        }
        // The buffer is reused from tick to tick: sparse traffic should not allocate per tick.
        let mut times = std::mem::take(&mut lam.times);
        times.clear();
        match self.sc.traffic.arrivals {
            // A Poisson process: one standard exponential per arrival. At a constant rate the
            // next arrival is a time; otherwise the rate is constant within a tick, and the
            // exponential mass left carries over (the time-change of a Poisson process).
            Arrivals::Poisson => {
                let constant = matches!(self.sc.traffic.pattern, Pattern::Constant { .. });
                let clock = lam.clock.unwrap_or_else(|| {
                    let e = sample::exponential(&mut lam.arrivals, 1.0);
                    if constant && rate > 0.0 { ArrivalClock::Next(e / rate) } else { ArrivalClock::Left(e) }
                });
                lam.clock = Some(match clock {
                    ArrivalClock::Next(mut next) => {
                        loop {
                            let now = SimTime::ZERO + SimDuration::from_secs_f64(next);
                            if now >= end {
                                break;
                            }
                            times.push(now);
                            next += sample::exponential(&mut lam.arrivals, 1.0) / rate;
                        }
                        ArrivalClock::Next(next)
                    }
                    ArrivalClock::Left(mut left) => {
                        let mut at = t.as_secs_f64();
                        if rate > 0.0 {
                            loop {
                                let next = at + left / rate;
                                let now = SimTime::ZERO + SimDuration::from_secs_f64(next);
                                if now >= end {
                                    break;
                                }
                                times.push(now);
                                at = next;
                                left = sample::exponential(&mut lam.arrivals, 1.0);
                            }
                        }
                        left -= (end.as_secs_f64() - at) * rate;
                        ArrivalClock::Left(left)
                    }
                });
            }
            Arrivals::Fluid => {
                let n = self.arrivals.draw(expected);
                for i in 0..n {
                    let offset = (i as f64 + 0.5) / n as f64 * self.tick_secs;
                    times.push(t + SimDuration::from_secs_f64(offset));
                }
            }
        }
        let error_rate = self.sc.new_version.error_rate;
        let measured = t >= self.window_start;
        let (mut served_ok, mut failed, mut new_requests, mut new_failed) = (0u64, 0u64, 0u64, 0u64);
        let mut versions_served = [false; 2];
        for &now in &times {
            let new = self.splitter.split(&mut self.rng_routing, 0, 1, share2) == 1;
            let lam = self.lambda.as_mut().expect("a Lambda run");
            lam.pool.advance(now, &mut self.rng_life);
            let outcome = lam.pool.request(now, u8::from(new), &mut self.rng_life);
            let ok = match outcome {
                Served::Throttled => false,
                Served::Warm(d) | Served::Cold(d) => {
                    let error = new && self.splitter.split(&mut self.rng_errors, 3, 1, error_rate) == 1;
                    if !error && measured {
                        lam.latency.add(d.as_secs_f64(), 1.0);
                    }
                    versions_served[usize::from(new)] |= !error;
                    !error
                }
            };
            if ok {
                served_ok += 1;
            } else {
                failed += 1;
            }
            if new {
                new_requests += 1;
                new_failed += u64::from(!ok);
            }
        }
        let arrivals = times.len() as u64;
        if let Some(l) = self.lambda.as_mut() {
            l.times = times;
            l.share = share2;
        }
        if measured {
            let tt = &mut self.totals;
            tt.count(t, arrivals, served_ok, failed, new_requests);
            if versions_served[0] && versions_served[1] {
                tt.mixed = tt.mixed + self.tick;
            }
        }
        self.count_deployment(arrivals, failed);
        self.alarm_check(t, Sample { new_requests, new_failed, requests: arrivals, failed });
        let live = self.lambda.as_ref().map_or(0, |l| l.pool.live());
        obs.on_tick(&TickSample {
            t,
            demand_rps: rate,
            arrivals,
            served: served_ok,
            failed,
            new_requests,
            capacity_rps: [0.0; 2],
            live,
            in_service: [0; 2],
            pending: 0,
            draining: 0,
            secondary_share: share2,
            measured,
        });
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

    fn account<O: Observer>(&mut self, t: SimTime, obs: &mut O) {
        if self.lambda.is_some() {
            return self.account_lambda(t, obs);
        }
        let (rate, expected) = expected_in_tick(&self.sc.traffic.pattern, t, self.tick_secs);
        let arrivals = self.arrivals.draw(expected);
        let share2 = self.ramp.at(self.mid(t));
        let a2 = self.splitter.split(&mut self.rng_routing, 0, arrivals, share2);
        let shares = [1.0 - share2, share2];
        let pool_arrivals = [arrivals - a2, a2];
        let cap = self.sc.service.capacity_rps;
        let factor = self.sc.new_version.latency_factor;
        let caps = [cap, cap / factor];
        let counts = self.fleet.counts.clone();

        let mut served_ok = 0u64;
        let mut failed = 0u64;
        let mut new_requests = 0u64;
        let mut new_failed = 0u64;
        let mut reachable = [0.0f64; 2];
        let mut degraded = false;
        let mut util = [[0.0f64; 2]; 2];
        for p in 0..2 {
            let serving = counts.serving[p];
            let restarting = counts.restarting[p][0] + counts.restarting[p][1];
            let n = serving[0] + serving[1] + restarting;
            if shares[p] > 0.0 {
                for v in 0..2 {
                    reachable[v] += f64::from(serving[v]) * caps[v];
                }
                let demand = rate * shares[p];
                if demand > 0.0 {
                    let nf = f64::from(n.max(1));
                    degraded |= n == 0
                        || restarting > 0
                        || (0..2).any(|v| {
                            demand * f64::from(serving[v]) / nf > f64::from(serving[v]) * caps[v] * (1.0 + 1e-12)
                        });
                }
            }
            let a = pool_arrivals[p];
            if a == 0 {
                continue;
            }
            if n == 0 {
                // No registered healthy target: the load balancer answers 503.
                failed += a;
                continue;
            }
            let slot = 1 + 3 * p;
            let a_rs = self.splitter.split(&mut self.rng_routing, slot, a, f64::from(restarting) / f64::from(n));
            failed += a_rs;
            let rest = a - a_rs;
            let n_serving = serving[0] + serving[1];
            let a_new = if n_serving == 0 {
                0
            } else {
                self.splitter.split(&mut self.rng_routing, slot + 1, rest, f64::from(serving[1]) / f64::from(n_serving))
            };
            let a_old = rest - a_new;
            for (v, a_v) in [(0, a_old), (1, a_new)] {
                if a_v == 0 {
                    continue;
                }
                let capacity = f64::from(serving[v]) * caps[v] * self.tick_secs;
                let served = a_v.min(capacity.floor() as u64);
                let overload = a_v - served;
                let errors = if v == 1 {
                    self.splitter.split(&mut self.rng_errors, slot + 2, served, self.sc.new_version.error_rate)
                } else {
                    0
                };
                failed += overload + errors;
                served_ok += served - errors;
                let rho = if capacity > 0.0 { served as f64 / capacity } else { 1.0 };
                util[p][v] = rho;
                let version = if v == 0 { Version::Old } else { Version::New };
                if t >= self.window_start {
                    self.latency.add(version, rho, served - errors);
                }
                if v == 1 {
                    new_requests += a_v;
                    new_failed += overload + errors;
                }
            }
        }

        if let Some(scaler) = self.scaler.as_mut() {
            let by_group = &counts.serving_by_group[0];
            let mut busy = 0.0;
            let mut n = 0.0;
            for p in 0..2 {
                for v in 0..2 {
                    busy += f64::from(by_group[p][v]) * util[p][v];
                    n += f64::from(by_group[p][v]);
                }
            }
            scaler.observe(busy * self.tick_secs, n * self.tick_secs);
        }

        let measured = t >= self.window_start;
        if measured {
            let tt = &mut self.totals;
            tt.count(t, arrivals, served_ok, failed, new_requests);
            let total_reachable = reachable[0] + reachable[1];
            if rate > 0.0 && total_reachable <= 0.0 {
                tt.downtime = tt.downtime + self.tick;
            }
            if rate > 0.0 && degraded {
                tt.degraded = tt.degraded + self.tick;
            }
            if reachable[0] > 0.0 && reachable[1] > 0.0 {
                tt.mixed = tt.mixed + self.tick;
            }
            if let Some(min) = tt.min_capacity_frac.as_mut()
                && self.capacity0 > 0.0
            {
                *min = min.min(total_reachable / self.capacity0);
            }
            tt.peak_live = tt.peak_live.max(counts.live);
            tt.min_live = Some(tt.min_live.map_or(counts.live, |m| m.min(counts.live)));
        }

        self.count_deployment(arrivals, failed);
        self.alarm_check(t, Sample { new_requests, new_failed, requests: arrivals, failed });

        obs.on_tick(&TickSample {
            t,
            demand_rps: rate,
            arrivals,
            served: served_ok,
            failed,
            new_requests,
            capacity_rps: reachable,
            live: counts.live,
            in_service: [counts.serving[0][0] + counts.serving[1][0], counts.serving[0][1] + counts.serving[1][1]],
            pending: counts.transitional.saturating_sub(counts.draining),
            draining: counts.draining,
            secondary_share: share2,
            measured,
        });
    }
}

enum Flow {
    Next,
    Jump(usize),
    Block,
    Fail(StopReason),
}
