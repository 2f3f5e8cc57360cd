//! The fleet: instances (EC2) moving through their lifecycle, with counters the engine reads
//! every tick in O(1).
//!
//! Lifecycle: `Booting` (launched, billed, not listening) -> `Registering` (registered with the
//! load balancer, waiting for `healthy_threshold` passing checks) -> `InService` (gets traffic)
//! -> `Draining` (deregistered, no new requests, for the deregistration delay) -> `Terminated`,
//! or -> `Deploying` (in place) -> `Registering`. An all-at-once deploy does not deregister:
//! the instance is `Restarting`, still routed to by the load balancer but failing requests,
//! until its deploy finishes or health checks mark it unhealthy.

use crate::units::{SimDuration, SimTime};
use crate::vocab::{Group, Pool, Version};

/// Where an instance is in its lifecycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// Launched and billed, the application is not listening yet.
    Booting,
    /// Registered with the load balancer, not yet passing enough health checks.
    Registering,
    /// Healthy: receives its share of traffic.
    InService,
    /// Restarting in place while still registered: traffic reaches it and fails.
    Restarting,
    /// Not registered (or marked unhealthy), installing a version.
    Deploying,
    /// Deregistered, finishing in-flight requests; then deploys or terminates.
    Draining {
        /// Whether it terminates (rather than deploys) when draining ends.
        terminate: bool,
    },
    /// Gone; no longer billed.
    Terminated,
}

/// One instance or task.
#[derive(Clone, Debug)]
pub struct Instance {
    /// Lifecycle state.
    pub state: State,
    /// The Auto Scaling group it belongs to.
    pub group: Group,
    /// The target group it registers in.
    pub pool: Pool,
    /// The code it runs now.
    pub version: Version,
    /// The code it is heading to (equal to `version` when no deploy is under way).
    pub target: Version,
    /// The plan step that launched or deployed it, if any.
    pub tag: Option<usize>,
    /// Whether the deployment launched it (as opposed to the fleet it started with, or Auto
    /// Scaling); a rollback terminates these.
    pub from_deploy: bool,
    /// Whether it was part of the fleet at the start of the run (already running and warm).
    pub initial: bool,
    /// When it was launched (billing starts).
    pub launched_at: SimTime,
    /// When it last entered service (Auto Scaling warm-up counts from here).
    pub in_service_at: SimTime,
    /// When it entered its current state.
    pub since: SimTime,
    /// When it terminated.
    pub terminated_at: Option<SimTime>,
    /// Bumped whenever a new chain of events starts for it (launch, deploy, termination), so
    /// that events of an earlier chain are ignored.
    pub epoch: u32,
}

impl Instance {
    /// Whether it is still billed.
    pub fn is_live(&self) -> bool {
        self.state != State::Terminated
    }

    /// Whether it counts as a member of its group (live and not on its way out).
    pub fn is_member(&self) -> bool {
        !matches!(self.state, State::Terminated | State::Draining { terminate: true })
    }

    /// Whether it is between stable states.
    pub fn is_transitional(&self) -> bool {
        !matches!(self.state, State::InService | State::Terminated)
    }
}

/// Live counts by pool, version and group, kept in step with every state change.
#[derive(Clone, Debug, Default)]
pub struct Counters {
    /// In-service instances by `[pool][version]`.
    pub serving: [[u32; 2]; 2],
    /// In-service instances of each group by `[group][pool][version]`.
    pub serving_by_group: [[[u32; 2]; 2]; 2],
    /// Restarting instances (routed to, failing) by `[pool][version]`.
    pub restarting: [[u32; 2]; 2],
    /// Group members by `[group]`.
    pub members: [u32; 2],
    /// Billed instances.
    pub live: u32,
    /// Instances that are neither in service nor terminated.
    pub transitional: u32,
    /// Instances draining or shutting down.
    pub draining: u32,
}

impl Counters {
    fn apply(&mut self, inst: &Instance, sign: i32) {
        let add = |x: &mut u32| *x = x.wrapping_add_signed(sign);
        let (p, v, g) = (inst.pool.idx(), inst.version.idx(), inst.group.idx());
        match inst.state {
            State::InService => {
                add(&mut self.serving[p][v]);
                add(&mut self.serving_by_group[g][p][v]);
            }
            State::Restarting => add(&mut self.restarting[p][v]),
            State::Draining { .. } => add(&mut self.draining),
            _ => {}
        }
        if inst.is_member() {
            add(&mut self.members[g]);
        }
        if inst.is_live() {
            add(&mut self.live);
        }
        if inst.is_transitional() {
            add(&mut self.transitional);
        }
    }
}

/// All instances ever launched in a run, plus counters.
#[derive(Clone, Debug, Default)]
pub struct Fleet {
    /// Indexed by instance id; terminated instances stay for billing.
    pub instances: Vec<Instance>,
    /// Counts derived from `instances`.
    pub counts: Counters,
}

impl Fleet {
    /// Adds an instance and returns its id.
    pub fn add(&mut self, inst: Instance) -> usize {
        self.counts.apply(&inst, 1);
        self.instances.push(inst);
        self.instances.len() - 1
    }

    /// Changes an instance through `f`, keeping the counters right.
    pub fn update(&mut self, id: usize, f: impl FnOnce(&mut Instance)) {
        let inst = &mut self.instances[id];
        self.counts.apply(inst, -1);
        f(inst);
        self.counts.apply(inst, 1);
    }

    /// Moves an instance to `state` at time `now`.
    pub fn set_state(&mut self, id: usize, state: State, now: SimTime) {
        self.update(id, |inst| {
            inst.state = state;
            inst.since = now;
            if state == State::InService {
                inst.in_service_at = now;
            }
            if state == State::Terminated {
                inst.terminated_at = Some(now);
            }
        });
    }
}

/// The load balancer's health-check schedule: checks run every `interval` on a grid that starts
/// at t = 0, so a target registered at `t` is healthy at the `threshold`-th check at or after `t`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HealthCheck {
    /// Time between checks.
    pub interval: SimDuration,
    /// Consecutive passes to become healthy.
    pub healthy_threshold: u32,
    /// Consecutive failures to become unhealthy.
    pub unhealthy_threshold: u32,
}

impl HealthCheck {
    /// When a target registered (or starting to pass) at `t` is marked healthy.
    pub fn healthy_at(&self, t: SimTime) -> SimTime {
        self.nth_check(t, self.healthy_threshold)
    }

    /// When a target that stops answering at `t` is marked unhealthy.
    pub fn unhealthy_at(&self, t: SimTime) -> SimTime {
        self.nth_check(t, self.unhealthy_threshold)
    }

    fn nth_check(&self, t: SimTime, n: u32) -> SimTime {
        let i = self.interval.0.max(1);
        let first = t.0.div_ceil(i) * i;
        SimTime(first + u64::from(n.max(1) - 1) * i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn health_checks_run_on_a_grid() {
        let hc = HealthCheck { interval: SimDuration::from_secs(10), healthy_threshold: 3, unhealthy_threshold: 2 };
        assert_eq!(hc.healthy_at(SimTime(0)), SimTime(20_000_000));
        assert_eq!(hc.healthy_at(SimTime(1)), SimTime(30_000_000));
        assert_eq!(hc.unhealthy_at(SimTime(15_000_000)), SimTime(30_000_000));
    }

    #[test]
    fn counters_follow_state_changes() {
        let mut fleet = Fleet::default();
        let inst = Instance {
            state: State::InService,
            group: Group::Original,
            pool: Pool::Primary,
            version: Version::Old,
            target: Version::Old,
            tag: None,
            from_deploy: false,
            initial: true,
            launched_at: SimTime(0),
            in_service_at: SimTime(0),
            since: SimTime(0),
            terminated_at: None,
            epoch: 0,
        };
        let id = fleet.add(inst);
        assert_eq!(fleet.counts.serving[0][0], 1);
        fleet.set_state(id, State::Draining { terminate: true }, SimTime(5));
        assert_eq!((fleet.counts.serving[0][0], fleet.counts.members[0], fleet.counts.live), (0, 0, 1));
        fleet.set_state(id, State::Terminated, SimTime(9));
        assert_eq!((fleet.counts.live, fleet.counts.transitional), (0, 0));
        assert_eq!(fleet.instances[id].terminated_at, Some(SimTime(9)));
    }
}
