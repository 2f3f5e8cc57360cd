//! The fleet side: instance lifecycle events (boot, health, drain, deploy, terminate), the
//! Auto Scaling group's reconciliation and target tracking, and a fleet tick's accounting of
//! requests against the capacity in service.

use super::*;

impl<'s> Engine<'s> {
    pub(super) fn apply(&mut self, ev: Event, t: SimTime) {
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
    pub(super) fn register(&mut self, id: usize, t: SimTime) {
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
    pub(super) fn eb_status(&self, version: Version) -> crate::scenario::EbStatus {
        let rate = if version == Version::New { self.sc.new_version.error_rate } else { 0.0 };
        crate::scenario::EbStatus::of_error_rate(rate)
    }

    /// Whether an instance has passed Elastic Beanstalk's enhanced health gate by `t`: in
    /// service, and 12 consecutive checks of the health agent (every 10 s) at `threshold` or
    /// better since (AWS Elastic Beanstalk Developer Guide, "Deployment policies and settings":
    /// "all instances must pass 12 consecutive health checks with an OK status within two
    /// minutes for web server environments").
    pub(super) fn enhanced_passed(&self, id: usize, threshold: crate::scenario::EbStatus, t: SimTime) -> bool {
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

    pub(super) fn launch(
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
    pub(super) fn deploy(&mut self, id: usize, version: Version, detach: bool, tag: usize, t: SimTime) {
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
    pub(super) fn terminate(&mut self, id: usize, t: SimTime) {
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

    /// Launches or terminates members of the original group to match its desired count.
    pub(super) fn reconcile(&mut self, t: SimTime) {
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

    pub(super) fn scale(&mut self, now: SimTime) {
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

    pub(super) fn account<O: Observer>(&mut self, t: SimTime, obs: &mut O) {
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
