//! Numbers as people read them: durations (`4m10s`), counts with thin groups (`18 785`),
//! money (`$0.1472`), percentages and request rates. Every front-end uses these, so a cell
//! reads the same in a terminal, a CI summary and the browser.

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
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// `$0.1234` with four decimals below a dollar, two above.
pub fn money(x: f64) -> String {
    if x.abs() < 1.0 { format!("${x:.4}") } else { format!("${x:.2}") }
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

/// A request rate for reading: 0.013, 2.37, 62.04, 2378.
pub fn rate(x: f64) -> String {
    let s = if x >= 1_000.0 {
        format!("{x:.0}")
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
}
