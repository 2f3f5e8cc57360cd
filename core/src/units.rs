//! Simulated time as integer microseconds, and the duration syntax of scenario files.
//!
//! Time is an integer so that adding many small steps never drifts and equal times
//! compare equal on every target. One microsecond is fine enough for request
//! latencies and Lambda's 1 ms billing, and `u64` microseconds last 584 000 years.

use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// Microseconds per second.
pub const MICROS_PER_SEC: u64 = 1_000_000;

/// A point in simulated time, in microseconds since the start of the run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(pub u64);

/// A length of simulated time, in microseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimDuration(pub u64);

impl SimTime {
    /// The start of every run.
    pub const ZERO: SimTime = SimTime(0);

    /// Seconds since the start, as a float (for rates and reports only).
    pub fn as_secs_f64(self) -> f64 {
        micros_f64(self.0) / MICROS_PER_SEC as f64
    }

    /// The time elapsed since `earlier`, or zero if `earlier` is later.
    pub fn since(self, earlier: SimTime) -> SimDuration {
        SimDuration(self.0.saturating_sub(earlier.0))
    }
}

impl SimDuration {
    /// No time at all.
    pub const ZERO: SimDuration = SimDuration(0);

    /// A whole number of seconds.
    pub const fn from_secs(secs: u64) -> Self {
        SimDuration(secs * MICROS_PER_SEC)
    }

    /// A whole number of milliseconds.
    pub const fn from_millis(ms: u64) -> Self {
        SimDuration(ms * 1_000)
    }

    /// Rounds a non-negative number of seconds to the nearest microsecond.
    /// Negative and NaN inputs give zero; huge inputs saturate.
    pub fn from_secs_f64(secs: f64) -> Self {
        let micros = secs * MICROS_PER_SEC as f64;
        if micros.is_nan() || micros < 0.5 {
            SimDuration::ZERO
        } else if micros >= u64::MAX as f64 {
            SimDuration(u64::MAX)
        } else if micros < 4_503_599_627_370_496.0 {
            // `f64::round` (half away from zero) without its library call, which is most of
            // the cost of turning a drawn duration into time on the per-request path: below
            // 2^52 the fraction `micros - trunc(micros)` is exact, so this is the same number.
            // Through i64: the same values here, and cheaper conversions than u64's on x86.
            let whole = micros as i64;
            SimDuration(whole as u64 + u64::from(micros - whole as f64 >= 0.5))
        } else {
            // From 2^52 on every f64 is a whole number.
            SimDuration(micros as u64)
        }
    }

    /// Length in seconds, as a float.
    pub fn as_secs_f64(self) -> f64 {
        micros_f64(self.0) / MICROS_PER_SEC as f64
    }

    /// Whether this is zero.
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }
}

impl Add<SimDuration> for SimTime {
    type Output = SimTime;
    fn add(self, rhs: SimDuration) -> SimTime {
        SimTime(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign<SimDuration> for SimTime {
    fn add_assign(&mut self, rhs: SimDuration) {
        *self = *self + rhs;
    }
}

impl Add for SimDuration {
    type Output = SimDuration;
    fn add(self, rhs: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_add(rhs.0))
    }
}

impl Sub for SimDuration {
    type Output = SimDuration;
    fn sub(self, rhs: SimDuration) -> SimDuration {
        SimDuration(self.0.saturating_sub(rhs.0))
    }
}

impl fmt::Display for SimDuration {
    /// The shortest exact rendering in the scenario syntax: `0s`, `250ms`, `90s`, `5m`, `1h30m`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let us = self.0;
        if us == 0 {
            return f.write_str("0s");
        }
        if !us.is_multiple_of(1_000) {
            return write!(f, "{us}us");
        }
        let ms = us / 1_000;
        if !ms.is_multiple_of(1_000) {
            return if ms > 1_000 { write!(f, "{}s", ms as f64 / 1_000.0) } else { write!(f, "{ms}ms") };
        }
        let mut secs = ms / 1_000;
        const UNITS: [(u64, &str); 4] = [(86_400, "d"), (3_600, "h"), (60, "m"), (1, "s")];
        for (size, unit) in UNITS {
            if secs >= size {
                write!(f, "{}{unit}", secs / size)?;
                secs %= size;
            }
        }
        Ok(())
    }
}
/// Digits grouped by threes with a space, as every count in deploysim's text: `1 234 567`.
pub fn grouped(n: u64) -> String {
    group_digits(&n.to_string())
}

/// A string of digits grouped by threes with a space (`"1234567"` → `1 234 567`).
pub fn group_digits(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// An amount of money as deploysim's text shows it everywhere: `$0` for nothing, four
/// decimals below a dollar (`$0.1234`), cents with digits grouped as counts are from a dollar
/// up (`$105 617.30`).
pub fn money(x: f64) -> String {
    if x == 0.0 {
        return "$0".into();
    }
    if x.abs() < 1.0 {
        return format!("${x:.4}");
    }
    let text = format!("{:.2}", x.abs());
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "00"));
    let sign = if x < 0.0 { "-" } else { "" };
    format!("{sign}${}.{cents}", group_digits(whole))
}

/// Why a duration string was rejected; the caller adds the location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DurationError(pub String);

/// Parses `"250ms"`, `"90s"`, `"1.5m"`, `"2h"`, `"3d"`, `"1h30m"`, `"500us"`.
///
/// A bare number is rejected on purpose: `30` could mean seconds or minutes, and the
/// scenario format promises that every duration carries its unit.
pub fn parse_duration(text: &str) -> Result<SimDuration, DurationError> {
    let s = text.trim();
    if s.is_empty() {
        return Err(DurationError("empty duration; write e.g. \"30s\"".into()));
    }
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut total: f64 = 0.0;
    let mut parts = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
            i += 1;
        }
        let number = &s[start..i];
        if number.is_empty() {
            return Err(DurationError(format!(
                "`{s}` is not a duration; write a number followed by a unit, e.g. \"30s\" or \"5m\""
            )));
        }
        let value: f64 = number.parse().map_err(|_| DurationError(format!("`{number}` in `{s}` is not a number")))?;
        let unit_start = i;
        while i < bytes.len() && !bytes[i].is_ascii_digit() && bytes[i] != b'.' {
            i += 1;
        }
        let unit = s[unit_start..i].trim();
        let scale = match unit {
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" | "min" => 60.0,
            "h" => 3_600.0,
            "d" => 86_400.0,
            "" => {
                return Err(DurationError(format!(
                    "`{s}` has no unit; durations need one, e.g. \"{number}s\" (units: us, ms, s, m, h, d)"
                )));
            }
            other => {
                return Err(DurationError(format!("unknown unit `{other}` in `{s}`; use one of us, ms, s, m, h, d")));
            }
        };
        total += value * scale;
        parts += 1;
    }
    if parts == 0 || !total.is_finite() {
        return Err(DurationError(format!("`{s}` is not a duration")));
    }
    if total > 1e12 {
        return Err(DurationError(format!("`{s}` is too long (at most about 31 000 years)")));
    }
    Ok(SimDuration::from_secs_f64(total))
}

/// `n as f64`, through i64 below 2^63 (the same value; a single instruction on x86, where
/// u64's conversion takes several).
#[inline]
fn micros_f64(n: u64) -> f64 {
    if n <= i64::MAX as u64 { n as i64 as f64 } else { n as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The inlined rounding gives what `f64::round` gives, at halves, near 2^52 and beyond.
    #[test]
    fn from_secs_f64_rounds_like_round() {
        let reference = |secs: f64| {
            let m = (secs * MICROS_PER_SEC as f64).round();
            if m.is_nan() || m <= 0.0 {
                0
            } else if m >= u64::MAX as f64 {
                u64::MAX
            } else {
                m as u64
            }
        };
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut cases = vec![
            0.0,
            -1.0,
            f64::NAN,
            f64::INFINITY,
            4.999_999e-7,
            5e-7,
            1.5e-6,
            2.5e-6,
            0.123_456_5,
            4.5e9,
            4.503_599_627_370_495e9,
            4.503_599_627_370_497e9,
            1e13,
            1.8e13,
            1e300,
        ];
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            cases.push(f64::from_bits(x) % 1e7);
            cases.push((x % 10_000_000) as f64 / 2e6);
        }
        for secs in cases {
            assert_eq!(SimDuration::from_secs_f64(secs).0, reference(secs), "{secs:e}");
        }
    }

    #[test]
    fn parses_units_and_compounds() {
        let cases = [
            ("250ms", 250_000),
            ("90s", 90_000_000),
            ("1.5m", 90_000_000),
            ("2h", 7_200_000_000),
            ("3d", 259_200_000_000),
            ("1h30m", 5_400_000_000),
            ("500us", 500),
            ("500µs", 500),
            ("1h 30m", 5_400_000_000),
            (" 0s ", 0),
        ];
        for (text, micros) in cases {
            assert_eq!(parse_duration(text), Ok(SimDuration(micros)), "{text}");
        }
    }

    #[test]
    fn rejects_bare_numbers_and_unknown_units() {
        assert!(parse_duration("30").unwrap_err().0.contains("no unit"));
        assert!(parse_duration("3 weeks").unwrap_err().0.contains("unknown unit `weeks`"));
        assert!(parse_duration("5x").unwrap_err().0.contains("unknown unit `x`"));
        assert!(parse_duration("").is_err());
        assert!(parse_duration("-5s").is_err());
    }

    #[test]
    fn displays_round_trip() {
        for text in ["0s", "250ms", "90s", "5m", "2h", "1h30m", "3d", "1.5s", "7us"] {
            let d = parse_duration(text).unwrap();
            assert_eq!(parse_duration(&d.to_string()), Ok(d), "{text} -> {d}");
        }
        assert_eq!(SimDuration::from_secs(90).to_string(), "1m30s");
    }
}
