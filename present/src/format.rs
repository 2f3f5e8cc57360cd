//! Numbers as people read them: durations (`4m10s`), counts with thin groups (`18 785`),
//! money (`$0.1472`), percentages and request rates. Every front-end uses these, so a cell
//! reads the same in a terminal, a CI summary and the browser.

use deploysim_core::units::group_digits;

/// A count's half-width, rounded to a whole number.
pub fn count_pm(x: f64) -> String {
    thousands(x.round() as u64)
}

/// A ratio as a percentage with three decimals.
pub fn percent3(x: f64) -> String {
    format!("{:.3} %", x * 100.0)
}

/// A number with one decimal.
pub fn one_decimal(x: f64) -> String {
    format!("{x:.1}")
}

/// `0s`, `45s`, `2.5s`, `4m10s`, `1h02m`.
pub fn duration(secs: f64) -> String {
    if secs == 0.0 {
        return "0s".into();
    }
    if secs < 60.0 {
        let s = format!("{secs:.1}");
        return format!("{}s", s.trim_end_matches(".0"));
    }
    let total = secs.round() as u64;
    let (h, m, s) = (total / 3_600, total % 3_600 / 60, total % 60);
    if h > 0 { format!("{h}h{m:02}m") } else { format!("{m}m{s:02}s") }
}

/// `1 234 567`.
pub fn thousands(n: u64) -> String {
    deploysim_core::units::grouped(n)
}

/// `$0.1234` with four decimals below a dollar, `$105 617.30` (cents, digits grouped by
/// threes as counts are) from a dollar up, and `$0` for nothing at all.
pub fn money(x: f64) -> String {
    deploysim_core::units::money(x)
}

/// Money with as many decimals as `like`, another amount's text (a mean beside its
/// half-width: `$1.38 ± $0.03`); as `money` when `like` has none.
pub fn money_like(x: f64, like: &str) -> String {
    let decimals = like.split_once('.').map_or(0, |(_, f)| f.chars().take_while(char::is_ascii_digit).count());
    if decimals == 0 || x == 0.0 {
        return money(x);
    }
    let text = format!("{:.decimals$}", x.abs());
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    let sign = if x < 0.0 { "-" } else { "" };
    format!("{sign}${}.{frac}", group_digits(whole))
}

/// A number with its integer digits grouped and at most `decimals` decimals, trailing zeros
/// dropped: `13 836`, `13 836.4`, `0.75`.
pub fn grouped(x: f64, decimals: usize) -> String {
    let text = format!("{:.decimals$}", x.abs());
    let (whole, frac) = match text.split_once('.') {
        Some((w, f)) => (w, f.trim_end_matches('0')),
        None => (text.as_str(), ""),
    };
    let sign = if x < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{}", group_digits(whole))
    } else {
        format!("{sign}{}.{frac}", group_digits(whole))
    }
}

/// `n` and the noun, singular for one: `1 strategy`, `2 strategies`, `1 expectation`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n as u64), if n == 1 { one } else { many })
}

/// A metric's value in its unit, as the table shows it: durations (`*_s`) as `4m10s`,
/// latencies in ms, ratios as percentages, money, counts grouped, true/false.
pub fn metric(name: &str, v: f64) -> String {
    match unit_of(name) {
        MetricUnit::Seconds => duration(v),
        MetricUnit::Millis => format!("{} ms", grouped(v, if v.abs() < 10.0 { 1 } else { 0 })),
        MetricUnit::Ratio => percent3(v),
        MetricUnit::Percent => format!("{} %", grouped(v, 1)),
        MetricUnit::Money => money(v),
        MetricUnit::Hours => format!("{} instance-hours", grouped(v, 2)),
        MetricUnit::Flag => (v != 0.0).to_string(),
        MetricUnit::Count => grouped(v, 1),
    }
}

/// A limit written by a person, in its metric's unit and without padding zeros:
/// `99.9 %`, `10m00s`, `500 ms`, `$5.00`, `100`.
pub fn limit(name: &str, v: f64) -> String {
    match unit_of(name) {
        MetricUnit::Ratio => format!("{} %", grouped(v * 100.0, 6)),
        MetricUnit::Millis => format!("{} ms", grouped(v, 3)),
        MetricUnit::Percent => format!("{} %", grouped(v, 6)),
        MetricUnit::Hours => format!("{} instance-hours", grouped(v, 6)),
        MetricUnit::Count => grouped(v, 6),
        _ => metric(name, v),
    }
}

/// A value in its metric's unit at full precision, for when the usual rounding would make it
/// read the same as the limit it missed: `414.627s`, `99.89996 %`.
pub fn exact(name: &str, v: f64) -> String {
    match unit_of(name) {
        MetricUnit::Seconds => format!("{}s", grouped(v, 3)),
        MetricUnit::Millis => format!("{} ms", grouped(v, 6)),
        MetricUnit::Ratio => format!("{} %", grouped(v * 100.0, 7)),
        MetricUnit::Money => format!("${}", grouped(v, 6)),
        _ => limit(name, v),
    }
}

/// How a report field reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MetricUnit {
    Seconds,
    Millis,
    Ratio,
    Percent,
    Money,
    Hours,
    Flag,
    Count,
}

fn unit_of(name: &str) -> MetricUnit {
    match name {
        "availability" | "deploy_availability" | "cold_start_rate" => MetricUnit::Ratio,
        "min_capacity_pct" => MetricUnit::Percent,
        "rolled_back" | "settled" => MetricUnit::Flag,
        "instance_hours" | "extra_instance_hours" => MetricUnit::Hours,
        n if n.ends_with("_usd") => MetricUnit::Money,
        n if n.ends_with("_ms") => MetricUnit::Millis,
        n if n.ends_with("_s") => MetricUnit::Seconds,
        _ => MetricUnit::Count,
    }
}

/// `+$0.0352`, `-$1.20`, or `$0` for zero.
pub fn signed_money(x: f64) -> String {
    if x == 0.0 {
        "$0".into()
    } else if x > 0.0 {
        format!("+{}", money(x))
    } else {
        format!("-{}", money(-x))
    }
}

/// A request rate for reading: 0.013, 2.37, 62.04, 2 378.
pub fn rate(x: f64) -> String {
    let s = if x >= 1_000.0 {
        grouped(x, 0)
    } else if x >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    };
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_owned() } else { s }
}

/// 0.00012, 0.01, 1, 250, 12k, 3.5M: a short number for chart labels.
pub fn short(x: f64) -> String {
    let a = x.abs();
    let (v, suffix) = if a >= 1e6 {
        (x / 1e6, "M")
    } else if a >= 1e4 {
        (x / 1e3, "k")
    } else {
        (x, "")
    };
    let s = if v.abs() >= 100.0 || v.fract() == 0.0 {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 {
        format!("{v:.1}")
    } else if v.abs() >= 0.01 {
        format!("{v:.2}")
    } else {
        // Two significant digits for small values (a Lambda deployment's extra cost), counted
        // without logarithms so every target prints the same.
        let mut decimals = 2;
        let mut scaled = v.abs() * 100.0;
        while scaled < 10.0 && decimals < 12 {
            scaled *= 10.0;
            decimals += 1;
        }
        format!("{v:.decimals$}")
    };
    format!("{}{suffix}", s.trim_end_matches(".0"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_numbers_keep_two_significant_digits_below_a_cent() {
        assert_eq!(short(0.000_123_4), "0.00012");
        assert_eq!(short(0.0042), "0.0042");
        assert_eq!(short(0.05), "0.05");
        assert_eq!(short(2.5), "2.5");
        assert_eq!(short(12_500.0), "12.5k");
        assert_eq!(short(0.0), "0");
    }

    #[test]
    fn money_groups_digits_as_counts_do() {
        assert_eq!(money(105_617.3), "$105 617.30");
        assert_eq!(money(1_234.5), "$1 234.50");
        assert_eq!(money(999.999), "$1 000.00");
        assert_eq!(money(12.0), "$12.00");
        assert_eq!(money(0.6332), "$0.6332");
        assert_eq!(money(0.0), "$0");
        assert_eq!(money(-2_500.0), "-$2 500.00");
        assert_eq!(signed_money(1_500.0), "+$1 500.00");
        assert_eq!(thousands(78_840_000), "78 840 000");
        assert_eq!(rate(20_000.0), "20 000");
        assert_eq!(money_like(0.032, "$1.38"), "$0.03");
        assert_eq!(money_like(0.0481, "+$0.0265"), "$0.0481");
        assert_eq!(money_like(0.0481, "$0"), "$0.0481");
        assert_eq!(money_like(1_234.5, "$105 617.30"), "$1 234.50");
        assert_eq!(rate(62.04), "62.04");
    }

    #[test]
    fn metrics_read_in_their_units() {
        assert_eq!(metric("availability", 0.998_361_861), "99.836 %");
        assert_eq!(limit("availability", 0.999), "99.9 %");
        assert_eq!(metric("deploy_duration_s", 750.0), "12m30s");
        assert_eq!(limit("max_deploy_duration_s", 600.0), "10m00s");
        assert_eq!(metric("p99_latency_ms", 3_171.255), "3 171 ms");
        assert_eq!(limit("p99_latency_ms", 500.0), "500 ms");
        assert_eq!(metric("cost_usd", 0.572_927), "$0.5729");
        assert_eq!(metric("failed_requests", 13_836.0), "13 836");
        assert_eq!(metric("failed_requests", 13_836.42), "13 836.4");
        assert_eq!(metric("min_capacity_pct", 75.0), "75 %");
        assert_eq!(metric("rolled_back", 1.0), "true");
        assert_eq!(exact("availability", 0.998_999_6), "99.89996 %");
        assert_eq!(exact("deploy_duration_s", 414.626_587_254), "414.627s");
    }

    #[test]
    fn plurals_agree_with_their_count() {
        assert_eq!(plural(1, "strategy", "strategies"), "1 strategy");
        assert_eq!(plural(3, "strategy", "strategies"), "3 strategies");
        assert_eq!(plural(0, "expectation", "expectations"), "0 expectations");
    }
}
