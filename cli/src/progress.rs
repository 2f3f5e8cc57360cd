//! A progress bar for long runs: on a terminal only, never in CI or when stderr is piped, and
//! only once the work has taken half a second (short runs print nothing extra).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Counts finished units of work; safe to share between threads.
pub struct Progress {
    bar: ProgressBar,
    start: Instant,
    allowed: bool,
    shown: AtomicBool,
}

const DELAY: Duration = Duration::from_millis(500);

impl Progress {
    /// A bar for `total` units, labelled `what`.
    #[allow(clippy::disallowed_methods, reason = "the CLI, unlike the core, may read the clock: when to show the bar")]
    pub fn new(total: u64, what: &str) -> Self {
        let allowed = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        let style = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({eta} left)")
            .map(|s| s.progress_chars("=> "))
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_message(what.to_owned());
        Progress { bar, start: Instant::now(), allowed, shown: AtomicBool::new(false) }
    }

    /// One more unit done.
    pub fn tick(&self) {
        self.bar.inc(1);
        if self.allowed && !self.shown.load(Ordering::Relaxed) && self.start.elapsed() >= DELAY {
            self.shown.store(true, Ordering::Relaxed);
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
