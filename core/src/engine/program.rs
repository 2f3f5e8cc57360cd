//! The plan interpreter: a deployment's steps run in order (waits, launches, in-place deploys,
//! traffic shifts, replacements), its failure, and its rollback.

use super::*;

impl<'s> Engine<'s> {
    pub(super) fn start(&mut self, t: SimTime) {
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
        self.outcome = crate::vocab::Outcome::Incomplete;
        self.pc = 0;
        self.step_started = t;
    }

    pub(super) fn capacity_of(&self, n_old: u32, n_new: u32) -> f64 {
        let cap = self.sc.service.capacity_rps;
        f64::from(n_old) * cap + f64::from(n_new) * cap / self.sc.new_version.latency_factor
    }

    pub(super) fn advance(&mut self, t: SimTime) {
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

    pub(super) fn finish_program(&mut self, t: SimTime) {
        if self.phase == Phase::Forward && self.complete_at.is_none() {
            self.complete_at = Some(t);
        }
        if self.phase == Phase::Forward {
            self.outcome = crate::vocab::Outcome::Completed;
        }
        self.phase = Phase::Done;
        self.ended_at = Some(t);
        self.lambda_marks.1 = self.lambda.as_ref().map(|l| l.pool.tally.clone());
    }

    pub(super) fn tagged(&self, step: usize) -> impl Iterator<Item = usize> + '_ {
        let tag = self.tag_base + step;
        self.fleet
            .instances
            .iter()
            .enumerate()
            .filter(move |(_, i)| i.tag == Some(tag) && i.is_member())
            .map(|(id, _)| id)
    }

    pub(super) fn remaining(&self, version: Version) -> bool {
        self.fleet.instances.iter().any(|i| i.group == Group::Original && i.is_member() && i.target != version)
    }

    pub(super) fn exec(&mut self, step: &Step, t: SimTime) -> Flow {
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
                    self.outcome = crate::vocab::Outcome::Completed;
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
    pub(super) fn split_unhealthy(&self, t: SimTime) -> bool {
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
    pub(super) fn replace(
        &mut self,
        t: SimTime,
        lower: u32,
        upper: u32,
        count_stopping: bool,
        version: Version,
    ) -> Flow {
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
                self.outcome = crate::vocab::Outcome::Failed;
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
    pub(super) fn retire(&mut self, id: usize, t: SimTime) {
        let g = self.fleet.instances[id].group.idx();
        if !self.fleet.instances[id].is_member() {
            return;
        }
        self.groups[g].desired = self.groups[g].desired.saturating_sub(1);
        self.terminate(id, t);
    }

    pub(super) fn fail(&mut self, t: SimTime, why: StopReason) {
        if self.phase == Phase::Rollback {
            // A rollback that cannot finish leaves the fleet as it is.
            self.phase = Phase::Done;
            self.ended_at = Some(t);
            return;
        }
        if self.sc.rollback.is_some() || self.plan.on_failure == OnFailure::RollBack {
            self.roll_back(t, why);
        } else {
            self.outcome = crate::vocab::Outcome::Failed;
            self.stop_reason = Some(why);
            self.phase = Phase::Done;
            self.ended_at = Some(t);
        }
    }

    /// Reverses the deployment from where it is: traffic back to the old version, new
    /// instances terminated, in-place batches redeployed with the old version.
    pub(super) fn roll_back(&mut self, t: SimTime, why: StopReason) {
        self.outcome = crate::vocab::Outcome::RolledBack;
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
}
