//! Target-tracking scaling of the original Auto Scaling group (Amazon EC2 Auto Scaling User
//! Guide, "Target tracking scaling policies for Amazon EC2 Auto Scaling",
//! <https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scaling-target-tracking.html>).
//!
//! The metric is the average utilization of the group's in-service instances over each
//! minute (1-minute detailed monitoring). Scale-out needs 3 consecutive datapoints above the
//! target and sets the desired count to `ceil(n * metric / target)`; scale-in needs 15
//! consecutive datapoints below 90 % of the target, no instance still warming up and the
//! cooldown elapsed since the last scaling action, and never goes below what the same formula
//! asks for. Those datapoint counts are commonly observed, not documented by AWS. Counts are
//! rounded up both ways, which keeps capacity on the safe side.

use crate::units::{SimDuration, SimTime};

/// Target-tracking scaling of the original Auto Scaling group.
#[derive(Clone, Debug, PartialEq)]
pub struct Scaling {
    /// Average utilization the policy aims for, 0 to 1.
    pub target_utilization: f64,
    /// Time after entering service during which an instance blocks scale-in.
    pub warmup: SimDuration,
    /// Minimum time between a scaling action and a scale-in.
    pub cooldown: SimDuration,
}

/// Length of one metric datapoint.
pub const PERIOD: SimDuration = SimDuration::from_secs(60);
const OUT_POINTS: usize = 3;
const IN_POINTS: usize = 15;
const IN_THRESHOLD: f64 = 0.9;

/// A scaling decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Keep the desired count.
    Hold,
    /// Set the desired count.
    Set(u32),
}

/// The policy's state.
#[derive(Clone, Debug)]
pub struct Scaler {
    policy: Scaling,
    min: u32,
    max: u32,
    /// Recent datapoints, newest last (at most `IN_POINTS`).
    points: Vec<f64>,
    last_action: Option<SimTime>,
    load: f64,
    capacity: f64,
}

impl Scaler {
    /// A policy bounded by the group's `min` and `max`.
    pub fn new(policy: Scaling, min: u32, max: u32) -> Self {
        Scaler { policy, min, max, points: Vec::new(), last_action: None, load: 0.0, capacity: 0.0 }
    }

    /// Adds one tick: `busy` instance-seconds of work over `in_service` instance-seconds.
    #[inline]
    pub fn observe(&mut self, busy: f64, in_service: f64) {
        self.load += busy;
        self.capacity += in_service;
    }

    /// Closes a datapoint at `now` and decides. `in_service` is the group's in-service count,
    /// `warming` whether any member is launching or within its warm-up.
    pub fn evaluate(&mut self, now: SimTime, desired: u32, in_service: u32, warming: bool) -> Decision {
        let (load, capacity) = (self.load, self.capacity);
        self.load = 0.0;
        self.capacity = 0.0;
        if capacity <= 0.0 {
            // No in-service instance reported a metric: the alarm has no data and does nothing.
            self.points.clear();
            return Decision::Hold;
        }
        self.points.push(load / capacity);
        if self.points.len() > IN_POINTS {
            self.points.remove(0);
        }
        let target = self.policy.target_utilization;
        let metric = load / capacity;
        let wanted = ((metric * f64::from(in_service) / target) - 1e-9).ceil().max(0.0) as u32;
        let recent =
            |k: usize| self.points.len() >= k && self.points[self.points.len() - k..].iter().all(|&p| p > target);
        if recent(OUT_POINTS) && wanted > desired {
            let next = wanted.min(self.max);
            if next > desired {
                self.last_action = Some(now);
                return Decision::Set(next);
            }
        }
        let low = self.points.len() >= IN_POINTS && self.points.iter().all(|&p| p < IN_THRESHOLD * target);
        let cooled = self.last_action.is_none_or(|t| now.since(t) >= self.policy.cooldown);
        if low && !warming && cooled {
            let next = wanted.max(self.min).max(1);
            if next < desired {
                self.last_action = Some(now);
                self.points.clear();
                return Decision::Set(next);
            }
        }
        Decision::Hold
    }

    /// Warm-up length of the policy.
    pub fn warmup(&self) -> SimDuration {
        self.policy.warmup
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scaler() -> Scaler {
        Scaler::new(
            Scaling {
                target_utilization: 0.6,
                warmup: SimDuration::from_secs(300),
                cooldown: SimDuration::from_secs(300),
            },
            2,
            30,
        )
    }

    #[test]
    fn scales_out_after_three_hot_minutes() {
        let mut s = scaler();
        let mut decisions = Vec::new();
        for minute in 1..=3 {
            s.observe(0.9 * 600.0, 600.0);
            decisions.push(s.evaluate(SimTime(minute * 60_000_000), 10, 10, false));
        }
        assert_eq!(decisions, [Decision::Hold, Decision::Hold, Decision::Set(15)]);
    }

    #[test]
    fn scales_in_only_after_fifteen_cool_minutes_and_respects_min() {
        let mut s = scaler();
        for minute in 1..=15 {
            s.observe(0.1 * 600.0, 600.0);
            let d = s.evaluate(SimTime(minute * 60_000_000), 10, 10, false);
            if minute < 15 {
                assert_eq!(d, Decision::Hold);
            } else {
                assert_eq!(d, Decision::Set(2));
            }
        }
    }

    #[test]
    fn warming_instances_block_scale_in() {
        let mut s = scaler();
        for minute in 1..=15 {
            s.observe(0.1 * 600.0, 600.0);
            assert_eq!(s.evaluate(SimTime(minute * 60_000_000), 10, 10, true), Decision::Hold);
        }
    }
}
