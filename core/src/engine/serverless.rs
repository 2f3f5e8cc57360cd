//! The Lambda side of a tick: each request picks a version by the alias weights and takes,
//! starts or is refused an environment; and the jump over ticks where nothing happens.

use super::*;

impl<'s> Engine<'s> {
    /// Runs a Lambda function's quiet ticks without the tick loop: before the deployment
    /// starts (without an alarm to feed) or after it is over, with no event due and the alias
    /// weights constant. At a constant rate it serves each tick's requests as they come (the
    /// same calls in the same order as `account_lambda`, so every random stream is drawn
    /// alike) and jumps over ticks without one; at a changing rate it only jumps. A tick
    /// without a request changes no environment (the pool advances only when a request
    /// arrives), no count but the hour it falls in, and no random stream: the arrivals are a
    /// Poisson process carried across ticks (`ArrivalClock`). So the results are exactly those
    /// of running every tick; only the time taken differs. Stops at the first tick boundary
    /// where the run would stop (`until_settled`). Returns whether time moved.
    pub(super) fn run_quiet<O: Observer>(&mut self, end: SimTime, until_settled: bool, obs: &mut O) -> bool {
        let quiet = match self.phase {
            Phase::Done => true,
            Phase::Waiting => self.alarm.is_none(),
            Phase::Forward | Phase::Rollback => false,
        };
        if !quiet || !self.queue.is_empty() || self.scaler.is_some() || self.sc.traffic.arrivals != Arrivals::Poisson {
            return false;
        }
        let Some((Some(clock), share)) = self.lambda.as_ref().map(|l| (l.clock, l.share)) else { return false };
        let (ramp, half) = (self.ramp, self.tick_secs / 2.0);
        let share_at = |t: SimTime| ramp.at(t.as_secs_f64() + half);
        let limit = if self.phase == Phase::Waiting { end.min(self.deploy_start) } else { end };
        let tick = self.tick;
        let start = self.now;
        if start >= limit {
            return false;
        }
        // The ticks that start before `limit`; the weights must be the same in all of them.
        let last = start + SimDuration(tick.0 * ((limit.0 - 1 - start.0) / tick.0));
        if share_at(start) != share || share_at(last) != share {
            return false;
        }
        let stop = last + tick;
        let mut t = start;
        match clock {
            ArrivalClock::Next(mut next) => {
                let (rate, _) = expected_in_tick(&self.sc.traffic.pattern, start, self.tick_secs);
                while t < stop {
                    let arrival = SimTime::ZERO + SimDuration::from_secs_f64(next);
                    // The tick the next request arrives in, by the same test the tick applies.
                    let at = if arrival >= t { t + SimDuration(tick.0 * (arrival.since(t).0 / tick.0)) } else { t };
                    if at >= stop {
                        t = stop;
                        break;
                    }
                    t = at;
                    let tick_end = t + tick;
                    let measured = t >= self.window_start;
                    let mut counts = TickCounts::default();
                    let mut now = arrival;
                    while now < tick_end {
                        counts.add(self.lambda_request(now, share, measured));
                        let lam = self.lambda.as_mut().expect("a Lambda run");
                        next += sample::exponential(&mut lam.arrivals, 1.0) / rate;
                        now = SimTime::ZERO + SimDuration::from_secs_f64(next);
                    }
                    self.close_lambda_tick(t, rate, share, &counts, obs);
                    t = tick_end;
                    if until_settled && self.settled() && t >= self.deploy_start {
                        break;
                    }
                }
                if let Some(lam) = self.lambda.as_mut() {
                    lam.clock = Some(ArrivalClock::Next(next));
                }
            }
            ArrivalClock::Left(mut left) => {
                while t < stop {
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
                }
                if let Some(lam) = self.lambda.as_mut() {
                    lam.clock = Some(ArrivalClock::Left(left));
                }
            }
        }
        if t == start {
            return false;
        }
        let last = SimTime(t.0 - tick.0);
        if last >= self.window_start {
            // The measured hours reach the last tick, as they do when every tick runs.
            self.totals.count(last, 0, 0, 0, 0);
        }
        self.now = t;
        true
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
        let measured = t >= self.window_start;
        let mut counts = TickCounts::default();
        for &now in &times {
            counts.add(self.lambda_request(now, share2, measured));
        }
        if let Some(l) = self.lambda.as_mut() {
            l.times = times;
            l.share = share2;
        }
        self.close_lambda_tick(t, rate, share2, &counts, obs);
    }

    /// One request arriving at `now`: a version by the alias weights (`share2` to the new
    /// one), then an environment, and whether the request fails. Returns (new version, ok).
    #[inline]
    fn lambda_request(&mut self, now: SimTime, share2: f64, measured: bool) -> (bool, bool) {
        let new = self.splitter.split(&mut self.rng_routing, 0, 1, share2) == 1;
        let lam = self.lambda.as_mut().expect("a Lambda run");
        lam.pool.advance(now, &mut self.rng_life);
        let ok = match lam.pool.request(now, u8::from(new), &mut self.rng_life) {
            Served::Throttled => false,
            Served::Warm(d) | Served::Cold(d) => {
                let error = new && self.splitter.split(&mut self.rng_errors, 3, 1, self.sc.new_version.error_rate) == 1;
                if !error && measured {
                    lam.latency.add(d.as_secs_f64(), 1.0);
                }
                !error
            }
        };
        (new, ok)
    }

    /// What ends every Lambda tick: its counts into the totals, the deployment's counts and
    /// the alarm, and the observer's sample.
    fn close_lambda_tick<O: Observer>(&mut self, t: SimTime, rate: f64, share2: f64, c: &TickCounts, obs: &mut O) {
        let measured = t >= self.window_start;
        if measured {
            let tt = &mut self.totals;
            tt.count(t, c.arrivals, c.served_ok, c.failed, c.new_requests);
            if c.versions_served[0] && c.versions_served[1] {
                tt.mixed = tt.mixed + self.tick;
            }
        }
        self.count_deployment(c.arrivals, c.failed);
        let sample =
            Sample { new_requests: c.new_requests, new_failed: c.new_failed, requests: c.arrivals, failed: c.failed };
        self.alarm_check(t, sample);
        let live = self.lambda.as_ref().map_or(0, |l| l.pool.live());
        obs.on_tick(&TickSample {
            t,
            demand_rps: rate,
            arrivals: c.arrivals,
            served: c.served_ok,
            failed: c.failed,
            new_requests: c.new_requests,
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

/// A Lambda tick's requests as they are served.
#[derive(Default)]
struct TickCounts {
    arrivals: u64,
    served_ok: u64,
    failed: u64,
    new_requests: u64,
    new_failed: u64,
    /// Whether each version served a request without error.
    versions_served: [bool; 2],
}

impl TickCounts {
    #[inline]
    fn add(&mut self, (new, ok): (bool, bool)) {
        self.arrivals += 1;
        if ok {
            self.served_ok += 1;
        } else {
            self.failed += 1;
        }
        self.versions_served[usize::from(new)] |= ok;
        if new {
            self.new_requests += 1;
            self.new_failed += u64::from(!ok);
        }
    }
}
