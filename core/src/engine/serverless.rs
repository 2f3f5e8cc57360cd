//! The Lambda side of a tick: each request picks a version by the alias weights and takes,
//! starts or is refused an environment; and the jump over ticks where nothing happens.

use super::*;

impl<'s> Engine<'s> {
    /// Jumps a Lambda run over the ticks that would do nothing: before the deployment starts
    /// (without an alarm to feed) or after it is over, with no event due and no request
    /// arriving in them. A tick without a request changes no environment (the pool advances
    /// only when a request arrives), no count but the hour it falls in, and no random stream:
    /// the arrivals are a Poisson process carried across ticks (`ArrivalClock`). So the
    /// results are exactly those of running every tick; only the time taken differs.
    pub(super) fn skip_quiet(&mut self, end: SimTime) {
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

    /// One tick of a Lambda function: each request in turn picks a version by the alias
    /// weights and takes, starts or is refused an environment.
    pub(super) fn account_lambda<O: Observer>(&mut self, t: SimTime, obs: &mut O) {
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
}
