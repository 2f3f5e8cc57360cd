//! The rollback alarm: the error rate over a trailing window, evaluated every tick while a
//! deployment is under way. It needs at least one request of the new version in the window,
//! so it cannot fire before the new version has served anything.

use std::collections::VecDeque;

use crate::scenario::{AlarmScope, Rollback};

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

/// A trailing-window error-rate alarm.
#[derive(Clone, Debug)]
pub struct Alarm {
    config: Rollback,
    len: usize,
    window: VecDeque<Sample>,
    sum: Sample,
}

impl Alarm {
    /// An alarm whose window spans `ticks` ticks.
    pub fn new(config: Rollback, ticks: usize) -> Self {
        Alarm { config, len: ticks.max(1), window: VecDeque::new(), sum: Sample::default() }
    }

    /// Adds a tick and says whether the alarm is in the ALARM state.
    pub fn observe(&mut self, s: Sample) -> bool {
        self.window.push_back(s);
        add(&mut self.sum, s, true);
        if self.window.len() > self.len {
            let old = self.window.pop_front().expect("window is not empty");
            add(&mut self.sum, old, false);
        }
        if self.sum.new_requests == 0 {
            return false;
        }
        let (failed, total) = match self.config.scope {
            AlarmScope::NewVersion => (self.sum.new_failed, self.sum.new_requests),
            AlarmScope::All => (self.sum.failed, self.sum.requests),
        };
        total > 0 && failed as f64 / total as f64 > self.config.error_rate
    }
}

fn add(sum: &mut Sample, s: Sample, plus: bool) {
    let f = |a: &mut u64, b: u64| *a = if plus { *a + b } else { *a - b };
    f(&mut sum.new_requests, s.new_requests);
    f(&mut sum.new_failed, s.new_failed);
    f(&mut sum.requests, s.requests);
    f(&mut sum.failed, s.failed);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::SimDuration;

    #[test]
    fn fires_on_the_new_versions_error_rate_only_with_new_requests() {
        let config = Rollback { error_rate: 0.05, window: SimDuration::from_secs(60), scope: AlarmScope::NewVersion };
        let mut alarm = Alarm::new(config, 3);
        // Old-version failures alone never fire a new_version alarm.
        assert!(!alarm.observe(Sample { requests: 100, failed: 100, ..Sample::default() }));
        assert!(!alarm.observe(Sample { new_requests: 100, new_failed: 4, requests: 100, failed: 4 }));
        assert!(alarm.observe(Sample { new_requests: 100, new_failed: 30, requests: 100, failed: 30 }));
    }

    #[test]
    fn the_window_forgets_old_ticks() {
        let config = Rollback { error_rate: 0.05, window: SimDuration::from_secs(2), scope: AlarmScope::All };
        let mut alarm = Alarm::new(config, 2);
        assert!(alarm.observe(Sample { new_requests: 10, new_failed: 0, requests: 10, failed: 10 }));
        alarm.observe(Sample { new_requests: 10, ..Sample::default() });
        alarm.observe(Sample { new_requests: 10, requests: 10, ..Sample::default() });
        assert!(!alarm.observe(Sample { new_requests: 10, requests: 10, ..Sample::default() }));
    }
}
