//! The rollback alarm, as a CloudWatch metric alarm that a deployment service watches.
//!
//! Requests are counted into data points of `period`, aligned to the clock as CloudWatch
//! aligns them (period `k` covers `[k × period, (k + 1) × period)`). A period's data point is
//! the error rate of the requests it saw (the new version's, or all of them); a period without
//! requests has no data point, and `missing_data` says how that counts. When a period ends,
//! the alarm looks at the last `evaluation_periods` data points and is in ALARM when
//! `datapoints_to_alarm` of them breach (error rate above the threshold; "M out of N"). The
//! deployment acts on it `delay` after the period ended, at the alarm's next evaluation (every
//! minute, or every 10 s for periods under a minute). Sources: Amazon CloudWatch User Guide,
//! "Using Amazon CloudWatch alarms" (evaluation, M out of N, missing data),
//! <https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html>,
//! and the `PutMetricAlarm` API (periods of 10, 20, 30 s or multiples of 60 s),
//! <https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html>.
//! AWS documents no publication or polling latency; `delay` is the scenario's assumption.
//!
//! The alarm cannot fire before the new version has served a request (a deployment service
//! watches its alarms from the deployment's start, and there is nothing new to judge before).

use std::collections::VecDeque;

use crate::units::{SimDuration, SimTime};

/// Which requests the rollback alarm watches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlarmScope {
    /// Requests the new version handled.
    NewVersion,
    /// All requests, old and new.
    All,
}

/// How an alarm treats a period without data (CloudWatch's `TreatMissingData`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MissingData {
    /// `missing` (CloudWatch's default): the period is skipped; it never breaches.
    Missing,
    /// `notBreaching`: the period counts as within the threshold.
    NotBreaching,
    /// `breaching`: the period counts as breaching.
    Breaching,
    /// `ignore`: the alarm keeps its state; for entering ALARM, like `missing`.
    Ignore,
}

/// Automatic rollback on an error-rate alarm, modelled as a CloudWatch metric alarm the
/// deployment service watches: one data point per `period` (aligned to the clock), ALARM when
/// `datapoints_to_alarm` of the last `evaluation_periods` data points breach, acted on `delay`
/// after the period that completes them ends.
#[derive(Clone, Debug, PartialEq)]
pub struct Rollback {
    /// Alarm threshold: a period whose error rate is above this breaches.
    pub error_rate: f64,
    /// Which requests count.
    pub scope: AlarmScope,
    /// Length of a data point: 10, 20 or 30 s (high-resolution metrics) or a multiple of 60 s.
    pub period: SimDuration,
    /// Data points the alarm looks at (`EvaluationPeriods`, N).
    pub evaluation_periods: u32,
    /// Of those, how many must breach (`DatapointsToAlarm`, M).
    pub datapoints_to_alarm: u32,
    /// Periods without requests.
    pub missing_data: MissingData,
    /// From the end of a period until the deployment service acts on the alarm: the metric's
    /// publication, the alarm's evaluation and the service's poll.
    pub delay: SimDuration,
}

impl Rollback {
    /// Whether `period` is one CloudWatch accepts for an alarm: 10, 20 or 30 s, or any
    /// multiple of 60 s.
    pub fn valid_period(period: SimDuration) -> bool {
        let us = period.0;
        matches!(us, 10_000_000 | 20_000_000 | 30_000_000) || (us > 0 && us.is_multiple_of(60_000_000))
    }

    /// How often CloudWatch evaluates the alarm: every 10 s for periods under a minute, every
    /// minute otherwise.
    pub fn evaluation_interval(&self) -> SimDuration {
        if self.period.0 < 60_000_000 { SimDuration::from_secs(10) } else { SimDuration::from_secs(60) }
    }
}

/// Per-tick counts the alarm watches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sample {
    /// Requests routed to the new version.
    pub new_requests: u64,
    /// Of those, failed.
    pub new_failed: u64,
    /// All requests.
    pub requests: u64,
    /// All failed requests.
    pub failed: u64,
}

/// What a completed period says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Point {
    Breaching,
    Fine,
    Missing,
}

/// A CloudWatch-style error-rate alarm.
#[derive(Clone, Debug)]
pub struct Alarm {
    config: Rollback,
    /// The period being counted, and its counts.
    current: Option<(u64, Sample)>,
    /// The last `evaluation_periods` completed periods, oldest first.
    points: VecDeque<Point>,
    /// Whether any new-version request has been seen.
    new_seen: bool,
    /// When the deployment will act on an ALARM already decided.
    pending: Option<SimTime>,
}

impl Alarm {
    /// An alarm with these settings.
    pub fn new(config: Rollback) -> Self {
        Alarm { config, current: None, points: VecDeque::new(), new_seen: false, pending: None }
    }

    /// Adds the counts of the tick starting at `t`. Returns the time the deployment acts on the
    /// alarm, once it is in ALARM and that time has come by `now` (the end of the tick).
    pub fn observe(&mut self, t: SimTime, s: Sample, now: SimTime) -> Option<SimTime> {
        let period = self.config.period.0.max(1);
        let k = t.0 / period;
        self.new_seen |= s.new_requests > 0;
        match self.current.as_mut() {
            Some((index, sum)) if *index == k => add(sum, s),
            _ => {
                // Periods between the last one counted and this one saw no ticks at all (a tick
                // longer than a period): they are empty data points.
                if let Some((index, sum)) = self.current.take() {
                    self.close(index, sum);
                    for gap in index + 1..k {
                        self.close(gap, Sample::default());
                    }
                }
                self.current = Some((k, s));
            }
        }
        // The period ends with this tick when the next tick starts in another one.
        if let Some((index, sum)) = self.current
            && now.0 / period != index
        {
            self.current = None;
            self.close(index, sum);
        }
        match self.pending {
            Some(at) if at <= now => Some(at),
            _ => None,
        }
    }

    fn close(&mut self, index: u64, sum: Sample) {
        let (failed, total) = match self.config.scope {
            AlarmScope::NewVersion => (sum.new_failed, sum.new_requests),
            AlarmScope::All => (sum.failed, sum.requests),
        };
        let point = if total == 0 {
            Point::Missing
        } else if failed as f64 / total as f64 > self.config.error_rate {
            Point::Breaching
        } else {
            Point::Fine
        };
        self.points.push_back(point);
        while self.points.len() > self.config.evaluation_periods as usize {
            self.points.pop_front();
        }
        if self.pending.is_some() || !self.new_seen {
            return;
        }
        let breaching = self
            .points
            .iter()
            .filter(|p| match p {
                Point::Breaching => true,
                Point::Missing => self.config.missing_data == MissingData::Breaching,
                Point::Fine => false,
            })
            .count();
        if breaching >= self.config.datapoints_to_alarm as usize {
            let end = SimTime((index + 1) * self.config.period.0.max(1));
            self.pending = Some(act_at(end + self.config.delay, self.config.evaluation_interval()));
        }
    }
}

/// The first evaluation of the alarm at or after `t`.
fn act_at(t: SimTime, every: SimDuration) -> SimTime {
    let every = every.0.max(1);
    SimTime(t.0.div_ceil(every) * every)
}

fn add(sum: &mut Sample, s: Sample) {
    sum.new_requests += s.new_requests;
    sum.new_failed += s.new_failed;
    sum.requests += s.requests;
    sum.failed += s.failed;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SimTime {
        SimTime(secs * 1_000_000)
    }

    fn alarm(period: u64, n: u32, m: u32, missing: MissingData, delay: u64, scope: AlarmScope) -> Alarm {
        Alarm::new(Rollback {
            error_rate: 0.05,
            scope,
            period: SimDuration::from_secs(period),
            evaluation_periods: n,
            datapoints_to_alarm: m,
            missing_data: missing,
            delay: SimDuration::from_secs(delay),
        })
    }

    /// Feeds one-second ticks from `from` to `to` (seconds) with `s`, returning when the
    /// deployment acts, if it does.
    fn feed(a: &mut Alarm, from: u64, to: u64, s: Sample) -> Option<SimTime> {
        (from..to).find_map(|t| a.observe(at(t), s, at(t + 1)))
    }

    const BAD: Sample = Sample { new_requests: 10, new_failed: 3, requests: 100, failed: 3 };
    const GOOD: Sample = Sample { new_requests: 10, new_failed: 0, requests: 100, failed: 0 };

    #[test]
    fn a_breaching_minute_is_acted_on_a_delay_after_it_ends() {
        // Errors from 125 s: the period [120, 180) breaches; the deployment acts at 180 + 60.
        let mut a = alarm(60, 1, 1, MissingData::Missing, 60, AlarmScope::NewVersion);
        assert_eq!(feed(&mut a, 0, 125, Sample { requests: 100, ..Sample::default() }), None);
        assert_eq!(feed(&mut a, 125, 400, BAD), Some(at(240)));
    }

    #[test]
    fn m_out_of_n_needs_m_breaching_points() {
        // 2 of 3: one bad minute is not enough, the second one is.
        let mut a = alarm(60, 3, 2, MissingData::Missing, 0, AlarmScope::NewVersion);
        assert_eq!(feed(&mut a, 0, 60, BAD), None);
        assert_eq!(feed(&mut a, 60, 120, GOOD), None);
        assert_eq!(feed(&mut a, 120, 300, BAD), Some(at(180)));
    }

    #[test]
    fn missing_data_does_not_breach_unless_told_to() {
        // The new version served one bad minute, then nothing: 2 of 2 needs another point.
        let quiet = Sample { requests: 100, ..Sample::default() };
        let mut a = alarm(60, 2, 2, MissingData::Missing, 0, AlarmScope::NewVersion);
        assert_eq!(feed(&mut a, 0, 60, BAD), None);
        assert_eq!(feed(&mut a, 60, 300, quiet), None);
        let mut b = alarm(60, 2, 2, MissingData::Breaching, 0, AlarmScope::NewVersion);
        assert_eq!(feed(&mut b, 0, 60, BAD), None);
        assert_eq!(feed(&mut b, 60, 300, quiet), Some(at(120)));
    }

    #[test]
    fn old_version_failures_alone_never_fire_a_new_version_alarm() {
        let mut a = alarm(60, 1, 1, MissingData::Missing, 0, AlarmScope::NewVersion);
        let old_failing = Sample { requests: 100, failed: 100, ..Sample::default() };
        assert_eq!(feed(&mut a, 0, 600, old_failing), None);
        // Scope `all` counts them, but only once the new version has served something.
        let mut b = alarm(60, 1, 1, MissingData::Missing, 0, AlarmScope::All);
        assert_eq!(feed(&mut b, 0, 600, old_failing), None);
        assert_eq!(feed(&mut b, 600, 700, Sample { new_requests: 1, ..old_failing }), Some(at(660)));
    }

    #[test]
    fn short_periods_are_evaluated_every_ten_seconds() {
        let mut a = alarm(10, 1, 1, MissingData::Missing, 5, AlarmScope::NewVersion);
        // [0, 10) breaches; 10 + 5 = 15 waits for the evaluation at 20.
        assert_eq!(feed(&mut a, 0, 60, BAD), Some(at(20)));
        assert!(Rollback::valid_period(SimDuration::from_secs(20)));
        assert!(Rollback::valid_period(SimDuration::from_secs(300)));
        assert!(!Rollback::valid_period(SimDuration::from_secs(45)));
    }
}
