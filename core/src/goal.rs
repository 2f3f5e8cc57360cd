//! Sweep goals: `min extra_cost_usd where downtime_s == 0 and failed_requests <= 100` picks,
//! among the rows of a sweep, the one that optimizes a metric while meeting every condition.
//! Metrics are report field names (`crate::report::METRIC_FIELDS`); rows are compared on means.

use crate::report::METRIC_FIELDS;

/// Minimize or maximize.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Smallest value.
    Min,
    /// Largest value.
    Max,
}

/// A comparison in a condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<=`
    Le,
    /// `>=`
    Ge,
    /// `<`
    Lt,
    /// `>`
    Gt,
}

/// `metric op number`.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// Report field.
    pub metric: &'static str,
    /// Comparison.
    pub op: Op,
    /// Right-hand side.
    pub value: f64,
}

/// A parsed goal.
#[derive(Clone, Debug, PartialEq)]
pub struct Goal {
    /// Minimize or maximize.
    pub direction: Direction,
    /// What.
    pub metric: &'static str,
    /// Conditions every candidate must meet.
    pub conditions: Vec<Condition>,
}

fn metric(name: &str) -> Result<&'static str, String> {
    let names = || METRIC_FIELDS.iter().map(|m| m.name);
    names().find(|m| *m == name).ok_or_else(|| {
        let hint = crate::diag::did_you_mean(name, names()).map_or_else(
            || format!("metrics: {}", names().collect::<Vec<_>>().join(", ")),
            |b| format!("did you mean `{b}`?"),
        );
        format!("unknown metric `{name}`; {hint}")
    })
}

impl Goal {
    /// Parses `min|max METRIC [where METRIC OP NUMBER [and ...]]`.
    pub fn parse(text: &str) -> Result<Goal, String> {
        let usage = "write a goal as `min METRIC` or `max METRIC`, optionally followed by `where METRIC OP NUMBER [and ...]` with OP one of == != <= >= < >, e.g. `min extra_cost_usd where downtime_s == 0`";
        let (head, tail) = match text.split_once(" where ") {
            Some((h, t)) => (h, Some(t)),
            None => (text, None),
        };
        let words: Vec<&str> = head.split_whitespace().collect();
        let direction = match words.first() {
            Some(&"min") => Direction::Min,
            Some(&"max") => Direction::Max,
            _ => return Err(format!("`{text}`: {usage}")),
        };
        let [_, m] = words[..] else { return Err(format!("`{text}`: {usage}")) };
        let mut conditions = Vec::new();
        for part in tail.map(|t| t.split(" and ").collect::<Vec<_>>()).unwrap_or_default() {
            let ops = [("==", Op::Eq), ("!=", Op::Ne), ("<=", Op::Le), (">=", Op::Ge), ("<", Op::Lt), (">", Op::Gt)];
            let Some((sym, op)) = ops.iter().find(|(s, _)| part.contains(s)) else {
                return Err(format!("`{part}`: {usage}"));
            };
            let (l, r) = part.split_once(sym).expect("found");
            let value: f64 = r.trim().parse().map_err(|_| format!("`{}` in `{part}` is not a number", r.trim()))?;
            if !value.is_finite() {
                return Err(format!(
                    "`{}` in `{part}` is not a finite number (nan, inf and values beyond 1.8e308 compare with nothing as meant); write an ordinary number, e.g. `{} {sym} 0`",
                    r.trim(),
                    l.trim()
                ));
            }
            conditions.push(Condition { metric: metric(l.trim())?, op: *op, value });
        }
        Ok(Goal { direction, metric: metric(m)?, conditions })
    }

    /// Whether a row whose metrics `get` returns meets every condition.
    pub fn admits(&self, get: &dyn Fn(&str) -> Option<f64>) -> bool {
        self.conditions.iter().all(|c| {
            get(c.metric).is_some_and(|v| match c.op {
                Op::Eq => v == c.value,
                Op::Ne => v != c.value,
                Op::Le => v <= c.value,
                Op::Ge => v >= c.value,
                Op::Lt => v < c.value,
                Op::Gt => v > c.value,
            })
        })
    }

    /// The index of the best admitted row (the first among equals), if any.
    pub fn best<R>(&self, rows: &[R], get: impl Fn(&R, &str) -> Option<f64>) -> Option<usize> {
        let mut best: Option<(usize, f64)> = None;
        for (i, r) in rows.iter().enumerate() {
            if !self.admits(&|m| get(r, m)) {
                continue;
            }
            let Some(v) = get(r, self.metric) else { continue };
            let better = match (best, self.direction) {
                (None, _) => true,
                (Some((_, b)), Direction::Min) => v < b,
                (Some((_, b)), Direction::Max) => v > b,
            };
            if better {
                best = Some((i, v));
            }
        }
        best.map(|(i, _)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_picks() {
        let g = Goal::parse("min extra_cost_usd where downtime_s == 0 and failed_requests <= 10").unwrap();
        assert_eq!((g.direction, g.metric, g.conditions.len()), (Direction::Min, "extra_cost_usd", 2));
        let rows = [(0.5, 10.0, 0.0), (0.1, 5.0, 0.0), (0.05, 0.0, 20.0), (0.2, 0.0, 3.0)];
        let get = |r: &(f64, f64, f64), m: &str| match m {
            "extra_cost_usd" => Some(r.0),
            "downtime_s" => Some(r.1),
            "failed_requests" => Some(r.2),
            _ => None,
        };
        assert_eq!(g.best(&rows, get), Some(3));
        let g = Goal::parse("max extra_cost_usd").unwrap();
        assert_eq!(g.best(&rows, get), Some(0));
        let none = Goal::parse("min extra_cost_usd where downtime_s > 100").unwrap();
        assert_eq!(none.best(&rows, get), None);
    }

    #[test]
    fn bad_goals_say_how_to_write_one() {
        assert!(Goal::parse("cheapest").unwrap_err().contains("write a goal"));
        assert!(Goal::parse("min extra_cost").unwrap_err().contains("did you mean `extra_cost_usd`"));
        assert!(Goal::parse("min cost_usd where downtime_s = 0").unwrap_err().contains("write a goal"));
        assert!(Goal::parse("min cost_usd where downtime_s == zero").unwrap_err().contains("not a number"));
        for bad in ["nan", "inf", "-inf", "1e999", "NaN"] {
            let err = Goal::parse(&format!("min cost_usd where downtime_s == {bad}")).unwrap_err();
            assert!(err.contains("not a finite number"), "{bad}: {err}");
        }
    }
}
