//! Lambda execution environments, one request at a time (AWS Lambda Developer Guide,
//! "Understanding Lambda function scaling",
//! <https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html>, and "Lambda scaling
//! behavior", <https://docs.aws.amazon.com/lambda/latest/dg/scaling-behavior.html>).
//!
//! Each environment serves one request at a time. A request takes an idle environment of its
//! version if there is one: a provisioned one first, then an on-demand one chosen by the reuse
//! policy (`newest`: the most recently created, `mru`: the most recently used, `random`).
//! Otherwise it starts a new environment, paying a cold start, if the function is under its
//! concurrency limit (busy environments of every version count) and the scaling rate allows
//! (a token bucket of `environments` per `per`, refilled continuously, full at the start);
//! otherwise it is throttled. An on-demand environment is reclaimed `idle_timeout` after the end
//! of its last request; provisioned ones never are.
//!
//! Provisioned concurrency counts against the concurrency limit: on-demand environments may
//! only use what the provisioned ones leave ("Provisioned concurrency counts towards a
//! function's reserved concurrency and Regional quotas", AWS Lambda Developer Guide,
//! "Configuring provisioned concurrency",
//! <https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html>). It belongs to
//! the alias, and so to the versions it points to: "If you change the version that an alias
//! points to, Lambda deallocates the provisioned concurrency from the old version and allocates
//! it to the new version", and allocation starts "after a minute or two of preparation"
//! (same page). For weighted routing AWS says only that the allocation "fluctuates"; deploysim
//! splits the alias's provisioned environments between the two versions in proportion to
//! their weights (rounded), and new allocations become usable after `PREPARATION`.
//!
//! Memory does not grow with the number of requests: environment slots are reused, and the
//! lazily cleaned indexes are compacted whenever stale entries outnumber live ones.

mod queue;

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use queue::Completions;

use crate::dist::Dist;
use crate::rng::Rng;
use crate::units::{SimDuration, SimTime};

/// Which idle environment a request takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reuse {
    /// The most recently created.
    Newest,
    /// The most recently used (the last one to finish a request).
    Mru,
    /// Any, uniformly.
    Random,
}

/// What a cold start costs.
#[derive(Clone, Debug, PartialEq)]
pub enum Cold {
    /// Initialization time added before the request's own service time.
    Init(Dist),
    /// The whole response time of a cold request (SimFaaS's model).
    Response(Dist),
}

/// A function's runtime configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    /// Service time of a warm request.
    pub request_time: Dist,
    /// Cold start cost.
    pub cold: Cold,
    /// Idle time after which an on-demand environment is reclaimed.
    pub idle_timeout: Dist,
    /// Which idle environment a request takes.
    pub reuse: Reuse,
    /// Most environments busy at once, every version together.
    pub concurrency_limit: u32,
    /// Pre-initialized environments that never expire (serving the first version).
    pub provisioned: u32,
    /// New environments allowed per `scale_per` (the burst, too).
    pub scale_environments: f64,
    /// The period of `scale_environments`.
    pub scale_per: SimDuration,
}

/// How long newly allocated provisioned environments take to be ready: "a minute or two of
/// preparation"; deploysim takes 90 s.
pub const PREPARATION: SimDuration = SimDuration::from_secs(90);

/// What happened to one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Served {
    /// An idle environment took it.
    Warm(SimDuration),
    /// A new environment started for it (response time includes the cold start).
    Cold(SimDuration),
    /// No environment could take it.
    Throttled,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum EnvState {
    Idle,
    Busy,
    Dead,
}

#[derive(Clone, Debug)]
struct Env {
    state: EnvState,
    version: u8,
    provisioned: bool,
    /// Creation order, for `Reuse::Newest`.
    created: u64,
    born: SimTime,
    /// Bumped when the slot is reused or the environment leaves the idle state, so index
    /// entries for an earlier idle spell are recognised as stale.
    epoch: u64,
    /// When it is reclaimed if it stays idle (meaningful while idle).
    expires_at: SimTime,
    /// When its current request started (meaningful while busy).
    since: SimTime,
    /// A provisioned environment deallocated while busy: it goes when its request ends.
    retire: bool,
    /// Whether the expiry queue holds an entry for it. Each environment has at most one, so
    /// the queue is as small as the pool, however many idle spells there are.
    queued: bool,
}

/// An index entry, packed into one integer so the heap compares once: the environment's
/// creation number (the sort key), the low 32 bits of the epoch it was idle in, and its slot.
/// An entry is valid while the slot is idle in that epoch; 2^32 idle spells of one slot would
/// be needed for a stale entry to pass, and compaction removes stale entries long before.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Entry(u128);

impl Entry {
    fn new(created: u64, epoch: u64, env: u32) -> Self {
        Entry((u128::from(created) << 64) | (u128::from(epoch as u32) << 32) | u128::from(env))
    }

    fn env(self) -> u32 {
        self.0 as u32
    }

    fn epoch(self) -> u32 {
        (self.0 >> 32) as u32
    }
}

/// Idle environments of one version, indexed for the reuse policy.
#[derive(Debug, Default)]
struct IdleSet {
    /// Newest: the idle environments sorted by creation, exactly (taken from the end, an
    /// expired one removed where it is): idle sets are small and a finished environment is
    /// usually among the newest, so inserting moves few entries. Mru: a stack (pushed in idle
    /// order), with stale entries.
    sorted: Vec<Entry>,
    stack: Vec<Entry>,
    /// Random: exact membership.
    list: Vec<u32>,
    live: usize,
}

/// Time integrals and counts from the start of the measured window.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tally {
    /// Requests that arrived in the window.
    pub requests: u64,
    /// Of those, cold starts.
    pub cold_starts: u64,
    /// Of those, throttled.
    pub throttled: u64,
    /// Environment-seconds of live environments in the window.
    pub env_seconds: f64,
    /// Environment-seconds of busy environments in the window.
    pub busy_seconds: f64,
    /// Billed duration of requests that arrived in the window, each rounded up to 1 ms, on
    /// on-demand environments.
    pub billed_ms: u64,
    /// The same on provisioned environments (billed at the provisioned duration rate).
    pub billed_ms_provisioned: u64,
}

/// The environments of one function (up to two versions behind an alias).
#[derive(Debug)]
pub struct Pool {
    config: Function,
    envs: Vec<Env>,
    free_slots: Vec<u32>,
    idle: [IdleSet; 2],
    provisioned_idle: [Vec<u32>; 2],
    /// (time the request ends, sequence, environment).
    /// Packed as `end << 64 | sequence << 32 | environment` (sequence wrapping at 2^32 only
    /// affects the order of requests ending in the same microsecond): one integer compare.
    completions: Completions,
    /// (time an environment may expire, environment, its creation number).
    expiries: BinaryHeap<Reverse<(SimTime, u32, u64)>>,
    seq: u64,
    busy: u32,
    /// Of the busy environments, provisioned ones.
    busy_provisioned: u32,
    /// Provisioned environments allocated to each version (ready or being prepared).
    provisioned_of: [u32; 2],
    /// Provisioned environments being prepared: (ready at, environment).
    preparing: Vec<(SimTime, u32)>,
    live: u32,
    /// Live on-demand environments by version.
    on_demand: [u32; 2],
    tokens: f64,
    tokens_at: SimTime,
    /// Start of the measured window.
    from: SimTime,
    /// `idle_timeout` as a duration, when it is fixed (the usual case, which draws nothing):
    /// converted once, not on every request that ends.
    fixed_idle: Option<SimDuration>,
    /// Service-time multiplier per version (the new version's `latency_factor`).
    pub factors: [f64; 2],
    /// Counts and integrals from `from` on.
    pub tally: Tally,
}

impl Pool {
    /// A pool with its provisioned environments ready at `start`, measuring from `from`.
    pub fn new(config: Function, start: SimTime, from: SimTime) -> Self {
        let tokens = config.scale_environments;
        let mean = config.request_time.mean();
        let fixed_idle =
            if let Dist::Fixed(v) = config.idle_timeout { Some(SimDuration::from_secs_f64(v)) } else { None };
        let mut pool = Pool {
            config,
            envs: Vec::new(),
            free_slots: Vec::new(),
            idle: [IdleSet::default(), IdleSet::default()],
            provisioned_idle: [Vec::new(), Vec::new()],
            completions: Completions::new(mean),
            expiries: BinaryHeap::new(),
            seq: 0,
            busy: 0,
            busy_provisioned: 0,
            provisioned_of: [0, 0],
            preparing: Vec::new(),
            live: 0,
            on_demand: [0, 0],
            tokens,
            tokens_at: start,
            from,
            fixed_idle,
            factors: [1.0, 1.0],
            tally: Tally::default(),
        };
        for _ in 0..pool.config.provisioned {
            let id = pool.spawn(start, 0, true);
            pool.provisioned_idle[0].push(id);
        }
        pool.provisioned_of[0] = pool.config.provisioned;
        pool
    }

    /// Splits the alias's provisioned environments between the versions: `new` of them to the
    /// new version, the rest to the old. What a version gains is prepared for `PREPARATION`
    /// before it serves; what it loses goes at once (a busy one when its request ends).
    pub fn allocate_provisioned(&mut self, now: SimTime, new: u32) {
        let new = new.min(self.config.provisioned);
        let target = [self.config.provisioned - new, new];
        // Take first, then give, so the environments alive never exceed the allocation by more
        // than what is busy finishing.
        for (v, &want) in target.iter().enumerate() {
            let mut excess = self.provisioned_of[v].saturating_sub(want);
            while excess > 0 {
                let pos = self.preparing.iter().rposition(|&(_, id)| usize::from(self.envs[id as usize].version) == v);
                if let Some(pos) = pos {
                    let (_, id) = self.preparing.remove(pos);
                    self.kill_provisioned(id, now);
                } else if let Some(id) = self.provisioned_idle[v].pop() {
                    self.kill_provisioned(id, now);
                } else if let Some(id) = self.envs.iter().position(|e| {
                    e.state == EnvState::Busy && e.provisioned && !e.retire && usize::from(e.version) == v
                }) {
                    self.envs[id].retire = true;
                } else {
                    break;
                }
                self.provisioned_of[v] -= 1;
                excess -= 1;
            }
        }
        for (v, &want) in target.iter().enumerate() {
            for _ in self.provisioned_of[v]..want {
                let id = self.spawn(now, v as u8, true);
                self.preparing.push((now + PREPARATION, id));
                self.provisioned_of[v] += 1;
            }
        }
    }

    /// Provisioned environments whose preparation is over join their version's idle ones.
    fn ready(&mut self, now: SimTime) {
        if self.preparing.is_empty() {
            return;
        }
        let mut k = 0;
        while k < self.preparing.len() {
            let (at, id) = self.preparing[k];
            if at <= now {
                self.preparing.remove(k);
                let v = usize::from(self.envs[id as usize].version);
                self.provisioned_idle[v].push(id);
            } else {
                k += 1;
            }
        }
    }

    /// Live environments now.
    pub fn live(&self) -> u32 {
        self.live
    }

    /// Busy environments now.
    pub fn busy(&self) -> u32 {
        self.busy
    }

    /// Live on-demand (not provisioned) environments of `version` now.
    pub fn on_demand(&self, version: u8) -> u32 {
        self.on_demand[usize::from(version)]
    }

    /// Applies every completion and expiry due at or before `now`, in time order; `rng` draws
    /// the idle lifetimes of environments that become idle.
    pub fn advance(&mut self, now: SimTime, rng: &mut Rng) {
        self.ready(now);
        loop {
            let next_done = self.completions.peek().map(|k| SimTime((k >> 64) as u64));
            let next_expiry = self.expiries.peek().map(|Reverse((t, _, _))| *t);
            match (next_done, next_expiry) {
                (Some(d), e) if d <= now && e.is_none_or(|e| d <= e) => {
                    let k = self.completions.pop().expect("peeked");
                    let (t, id) = (SimTime((k >> 64) as u64), k as u32);
                    self.finish(id, t, rng);
                }
                (_, Some(e)) if e <= now => {
                    let Reverse((_, id, created)) = self.expiries.pop().expect("peeked");
                    let env = &mut self.envs[id as usize];
                    if env.created != created || env.state == EnvState::Dead {
                        continue;
                    }
                    env.queued = false;
                    if env.state == EnvState::Idle {
                        if env.expires_at <= now {
                            let at = env.expires_at;
                            self.kill(id, at);
                        } else {
                            // Reused and idle again since the entry was queued: requeue.
                            env.queued = true;
                            let at = env.expires_at;
                            self.expiries.push(Reverse((at, id, created)));
                        }
                    }
                    // A busy environment is queued again when it next becomes idle.
                }
                _ => return,
            }
        }
    }

    /// Routes one request of `version` arriving at `now` (call `advance(now, ..)` first).
    pub fn request(&mut self, now: SimTime, version: u8, rng: &mut Rng) -> Served {
        let measured = now >= self.from;
        if measured {
            self.tally.requests += 1;
        }
        let v = usize::from(version);
        // Provisioned environments are the function's reserved share of the limit.
        if let Some(id) = self.provisioned_idle[v].pop() {
            let d = scale(self.config.request_time.sample_duration(rng), self.factors[v]);
            self.start(id, now, d, measured);
            return Served::Warm(d);
        }
        // Every other request needs room under the rest of the limit, warm or cold: the
        // limit counts executions in flight across all versions, and while two versions
        // serve, one of them can have idle environments when the function is at its limit.
        let on_demand_busy = self.busy - self.busy_provisioned;
        let room = on_demand_busy + self.config.provisioned < self.config.concurrency_limit;
        if room && let Some(id) = self.take_idle(v, rng) {
            let d = scale(self.config.request_time.sample_duration(rng), self.factors[v]);
            self.start(id, now, d, measured);
            return Served::Warm(d);
        }
        if !room || !self.take_token(now) {
            if measured {
                self.tally.throttled += 1;
            }
            return Served::Throttled;
        }
        let d = match &self.config.cold {
            Cold::Init(init) => {
                init.sample_duration(rng) + scale(self.config.request_time.sample_duration(rng), self.factors[v])
            }
            Cold::Response(r) => r.sample_duration(rng),
        };
        let id = self.spawn(now, version, false);
        self.start(id, now, d, measured);
        if measured {
            self.tally.cold_starts += 1;
        }
        Served::Cold(d)
    }

    /// Ends the measurement at `end`: environments still alive, and requests still running,
    /// count until then.
    pub fn close(&mut self, end: SimTime, rng: &mut Rng) {
        self.advance(end, rng);
        let from = self.from;
        for env in self.envs.iter().filter(|e| e.state != EnvState::Dead) {
            self.tally.env_seconds += clip(env.born, end, from, end);
            if env.state == EnvState::Busy {
                self.tally.busy_seconds += clip(env.since, end, from, end);
            }
        }
    }

    fn take_token(&mut self, now: SimTime) -> bool {
        let per = self.config.scale_per.as_secs_f64();
        let cap = self.config.scale_environments;
        if per > 0.0 {
            let dt = now.since(self.tokens_at).as_secs_f64();
            self.tokens = (self.tokens + dt * cap / per).min(cap);
        }
        self.tokens_at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    fn spawn(&mut self, now: SimTime, version: u8, provisioned: bool) -> u32 {
        self.seq += 1;
        self.live += 1;
        if !provisioned {
            self.on_demand[usize::from(version)] += 1;
        }
        let env = Env {
            state: EnvState::Idle,
            version,
            provisioned,
            created: self.seq,
            born: now,
            epoch: 0,
            expires_at: now,
            since: now,
            queued: false,
            retire: false,
        };
        match self.free_slots.pop() {
            Some(id) => {
                let epoch = self.envs[id as usize].epoch + 1;
                self.envs[id as usize] = Env { epoch, ..env };
                id
            }
            None => {
                self.envs.push(env);
                (self.envs.len() - 1) as u32
            }
        }
    }

    fn start(&mut self, id: u32, now: SimTime, d: SimDuration, measured: bool) {
        let env = &mut self.envs[id as usize];
        env.state = EnvState::Busy;
        env.epoch += 1;
        env.since = now;
        self.busy += 1;
        if env.provisioned {
            self.busy_provisioned += 1;
        }
        self.seq += 1;
        if measured {
            // Lambda bills duration rounded up to the next millisecond (init included).
            let ms = d.0.div_ceil(1_000);
            if env.provisioned {
                self.tally.billed_ms_provisioned = self.tally.billed_ms_provisioned.saturating_add(ms);
            } else {
                self.tally.billed_ms = self.tally.billed_ms.saturating_add(ms);
            }
        }
        let key = (u128::from((now + d).0) << 64) | (u128::from(self.seq as u32) << 32) | u128::from(id);
        self.completions.push(key);
    }

    fn finish(&mut self, id: u32, t: SimTime, rng: &mut Rng) {
        self.busy -= 1;
        let from = self.from;
        let env = &mut self.envs[id as usize];
        self.tally.busy_seconds += clip(env.since, t, from, t);
        env.state = EnvState::Idle;
        env.epoch += 1;
        let (v, provisioned, created, epoch) = (usize::from(env.version), env.provisioned, env.created, env.epoch);
        if provisioned {
            self.busy_provisioned -= 1;
            if env.retire {
                self.kill_provisioned(id, t);
            } else {
                self.provisioned_idle[v].push(id);
            }
            return;
        }
        let entry = Entry::new(created, epoch, id);
        let set = &mut self.idle[v];
        match self.config.reuse {
            Reuse::Newest => {
                let at = set.sorted.iter().rposition(|e| *e < entry).map_or(0, |p| p + 1);
                set.sorted.insert(at, entry);
            }
            Reuse::Mru => set.stack.push(entry),
            Reuse::Random => set.list.push(id),
        }
        set.live += 1;
        // `idle_timeout` may be a distribution, so expiries are kept in a heap by time.
        let idle = self.fixed_idle.unwrap_or_else(|| self.config.idle_timeout.sample_duration(rng));
        let env = &mut self.envs[id as usize];
        env.expires_at = t + idle;
        if !env.queued {
            env.queued = true;
            self.expiries.push(Reverse((t + idle, id, created)));
        }
    }

    /// Takes an idle on-demand environment of version `v` by the reuse policy.
    fn take_idle(&mut self, v: usize, rng: &mut Rng) -> Option<u32> {
        let envs = &self.envs;
        let valid = |e: &Entry| {
            let env = &envs[e.env() as usize];
            env.state == EnvState::Idle && env.epoch as u32 == e.epoch()
        };
        let set = &mut self.idle[v];
        if set.live == 0 {
            return None;
        }
        let id = match self.config.reuse {
            Reuse::Newest => set.sorted.pop()?.env(),
            Reuse::Mru => loop {
                let e = set.stack.pop()?;
                if valid(&e) {
                    break e.env();
                }
            },
            Reuse::Random => {
                let n = set.list.len() as u64;
                let idx = ((u128::from(rng.next_u64()) * u128::from(n)) >> 64) as usize;
                set.list.swap_remove(idx)
            }
        };
        set.live -= 1;
        Some(id)
    }

    /// Ends a provisioned environment (deallocated).
    fn kill_provisioned(&mut self, id: u32, t: SimTime) {
        let env = &mut self.envs[id as usize];
        let born = env.born;
        env.state = EnvState::Dead;
        env.epoch += 1;
        self.live -= 1;
        self.free_slots.push(id);
        self.tally.env_seconds += clip(born, t, self.from, t);
    }

    fn kill(&mut self, id: u32, t: SimTime) {
        let env = &mut self.envs[id as usize];
        let (v, born, created) = (usize::from(env.version), env.born, env.created);
        env.state = EnvState::Dead;
        env.epoch += 1;
        self.live -= 1;
        self.on_demand[v] -= 1;
        self.free_slots.push(id);
        self.tally.env_seconds += clip(born, t, self.from, t);
        let set = &mut self.idle[v];
        set.live -= 1;
        match self.config.reuse {
            Reuse::Random => {
                if let Some(pos) = set.list.iter().position(|&e| e == id) {
                    set.list.swap_remove(pos);
                }
            }
            Reuse::Newest => {
                // Its one entry, found by its creation number (the sort key).
                let at = set.sorted.partition_point(|e| ((e.0 >> 64) as u64) < created);
                debug_assert_eq!(set.sorted.get(at).map(|e| e.env()), Some(id));
                if set.sorted.get(at).is_some_and(|e| e.env() == id) {
                    set.sorted.remove(at);
                }
            }
            Reuse::Mru => {
                // Stale entries of expired environments sit in the stack until compacted.
                if set.stack.len() > 2 * set.live + 8 {
                    let envs = &self.envs;
                    set.stack.retain(|e| {
                        let env = &envs[e.env() as usize];
                        env.state == EnvState::Idle && env.epoch as u32 == e.epoch()
                    });
                }
            }
        }
    }
}

/// `d` times `factor`, to the microsecond.
fn scale(d: SimDuration, factor: f64) -> SimDuration {
    if factor == 1.0 { d } else { SimDuration::from_secs_f64(d.as_secs_f64() * factor) }
}

/// The length of `[a, b)` inside `[w0, w1)`, in seconds.
fn clip(a: SimTime, b: SimTime, w0: SimTime, w1: SimTime) -> f64 {
    let (lo, hi) = (a.max(w0), b.min(w1));
    if hi > lo { hi.since(lo).as_secs_f64() } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Purpose;
    use crate::sample;

    /// Poisson arrivals at `rate` for `secs` seconds into an empty pool; the window is all of it.
    fn run(function: Function, rate: f64, secs: u64, seed: u64) -> Tally {
        let end = SimTime::ZERO + SimDuration::from_secs(secs);
        let mut pool = Pool::new(function, SimTime::ZERO, SimTime::ZERO);
        let mut arrivals = Rng::new(seed, 0, Purpose::Traffic);
        let mut service = Rng::new(seed, 0, Purpose::Lifecycle);
        let mut t = 0.0;
        loop {
            t += sample::exponential(&mut arrivals, 1.0 / rate);
            let now = SimTime::ZERO + SimDuration::from_secs_f64(t);
            if now >= end {
                break;
            }
            pool.advance(now, &mut service);
            pool.request(now, 0, &mut service);
        }
        pool.close(end, &mut service);
        pool.tally
    }

    fn function(warm: f64, cold: f64, idle: f64, limit: u32) -> Function {
        Function {
            request_time: Dist::Exponential { mean: warm },
            cold: Cold::Response(Dist::Exponential { mean: cold }),
            idle_timeout: Dist::Fixed(idle),
            reuse: Reuse::Newest,
            concurrency_limit: limit,
            provisioned: 0,
            scale_environments: 1_000.0,
            scale_per: SimDuration::from_secs(10),
        }
    }

    fn erlang_b(c: u32, a: f64) -> f64 {
        (1..=c).fold(1.0, |b, k| a * b / (f64::from(k) + a * b))
    }

    #[test]
    fn littles_law_holds() {
        // 50 requests/s of 0.2 s (cold 1 s): busy environments = rate * mean response time.
        let tally = run(function(0.2, 1.0, 600.0, 1_000), 50.0, 10_000, 1);
        let secs = 10_000.0;
        let cold = tally.cold_starts as f64;
        let mean = (0.2 * (tally.requests as f64 - cold) + 1.0 * cold) / tally.requests as f64;
        let avg_busy = tally.busy_seconds / secs;
        let little = tally.requests as f64 / secs * mean;
        assert!((avg_busy / little - 1.0).abs() < 0.01, "{avg_busy} vs {little}");
        assert!(tally.env_seconds / secs >= avg_busy);
    }

    #[test]
    fn throttling_matches_erlang_b_when_environments_never_expire() {
        // Warm and cold times equal and no expiry: an M/M/c/c loss system.
        for (c, a) in [(5u32, 4.0f64), (10, 10.0), (20, 12.0)] {
            let tally = run(function(1.0, 1.0, 1e9, c), a, 60_000, 7);
            let got = tally.throttled as f64 / tally.requests as f64;
            let want = erlang_b(c, a);
            let se = (want * (1.0 - want) / tally.requests as f64).sqrt() * 6.0 + 0.004;
            assert!((got - want).abs() < se, "c {c}, a {a}: {got} vs {want}");
        }
    }

    #[test]
    fn idle_environments_expire_and_come_back_cold() {
        // One request every 100 s with a 60 s idle timeout: every request is cold.
        let end = SimTime::ZERO + SimDuration::from_secs(1_000);
        let mut pool = Pool::new(function(0.1, 0.5, 60.0, 10), SimTime::ZERO, SimTime::ZERO);
        let mut rng = Rng::new(0, 0, Purpose::Lifecycle);
        for k in 0..10 {
            let now = SimTime::ZERO + SimDuration::from_secs(k * 100);
            pool.advance(now, &mut rng);
            assert!(matches!(pool.request(now, 0, &mut rng), Served::Cold(_)));
        }
        pool.close(end, &mut rng);
        assert_eq!((pool.tally.cold_starts, pool.live()), (10, 0));
        // Each environment lived for its request plus 60 s.
        assert!((pool.tally.env_seconds / 10.0 - 60.5).abs() < 1.0, "{}", pool.tally.env_seconds);
    }

    #[test]
    fn provisioned_environments_absorb_cold_starts() {
        let mut f = function(0.1, 1.0, 600.0, 1_000);
        f.provisioned = 20;
        // 50 requests/s of 0.1 s keep about 5 busy: 20 provisioned take them all.
        let tally = run(f, 50.0, 2_000, 3);
        assert_eq!(tally.cold_starts, 0);
        assert!((tally.env_seconds / 2_000.0 - 20.0).abs() < 1e-6);
    }

    #[test]
    fn the_scaling_rate_throttles_a_burst() {
        let mut f = function(10.0, 10.0, 600.0, 100_000);
        f.request_time = Dist::Fixed(10.0);
        f.cold = Cold::Response(Dist::Fixed(10.0));
        f.scale_environments = 100.0;
        f.scale_per = SimDuration::from_secs(10);
        // 1 000 requests in the first second each need a new environment; the bucket holds 100
        // and refills 10 per second.
        let mut pool = Pool::new(f, SimTime::ZERO, SimTime::ZERO);
        let mut rng = Rng::new(0, 0, Purpose::Lifecycle);
        for k in 0..1_000u64 {
            let now = SimTime(k * 1_000);
            pool.advance(now, &mut rng);
            pool.request(now, 0, &mut rng);
        }
        assert!((100..=111).contains(&pool.tally.cold_starts), "{}", pool.tally.cold_starts);
        assert_eq!(pool.tally.cold_starts + pool.tally.throttled, 1_000);
    }

    #[test]
    fn reuse_policies_all_conserve_requests() {
        for reuse in [Reuse::Newest, Reuse::Mru, Reuse::Random] {
            let mut f = function(0.3, 0.8, 30.0, 50);
            f.reuse = reuse;
            let tally = run(f, 40.0, 3_000, 11);
            assert!(tally.requests > 100_000);
            assert!(tally.cold_starts + tally.throttled < tally.requests);
        }
    }
}
