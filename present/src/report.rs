//! A run's reports in every output format: the terminal table (failing cells marked `✗`,
//! strategies that failed requests or ran below demand marked `!`, columns dropped by priority
//! to fit a width), markdown for CI job summaries, the JSON results contract (the JSON contract
//! in docs/scenarios.md, "Results"; one report prints as an object, several as an array) and
//! CSV with one row per strategy and every metric. With a goal (`run --goal`), each format
//! also names the strategy the goal picks and why.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ContentArrangement, Table};
use deploysim_core::Report;
use deploysim_core::goal::{Direction, Goal, Op};
use serde::Serialize;

use crate::Format;
use crate::columns::{
    Column, columns, expectation_count, failed_on, failures, legend, met_line, notes, run_summary, short_of_demand,
    shortfall,
};
use crate::format::{self, plural};

/// What is printed besides the reports themselves.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The terminal table's width in characters: columns are left out by priority (and the
    /// rest wrapped) to fit, and the table says which. `None`: every column, as wide as needed
    /// (`--wide`, output that is not a terminal, the browser).
    pub width: Option<usize>,
    /// Print what each column means under the table and markdown (`--legend`).
    pub legend: bool,
    /// `--goal` as written, and parsed: the strategy it picks is named in every format.
    pub goal: Option<(String, Goal)>,
}

/// The reports in `format`, every column shown.
pub fn render(format: Format, reports: &[Report]) -> String {
    render_with(format, reports, &Options::default())
}

/// The reports in `format` with `options`.
pub fn render_with(format: Format, reports: &[Report], options: &Options) -> String {
    match format {
        Format::Table => table_with(reports, options),
        Format::Markdown => markdown_with(reports, options),
        Format::Json => json_with(reports, options),
        Format::Csv => csv_with(reports, options),
    }
}

/// The order in which columns are left out when a table is too wide: the first goes first.
/// The strategy, its outcome, downtime and failed requests are always shown.
const DROP_ORDER: &[&str] = &[
    "mixed",
    "peak inst",
    "busy",
    "envs",
    "min cap",
    "cost",
    "deploy",
    "cold rate",
    "throttled",
    "availability",
    "extra cost",
    "p99",
    "cold starts",
    "degraded",
];

/// The comparison table of one report with `cols`, wrapped to `width` if given.
fn grid(report: &Report, cols: &[&Column], width: Option<usize>) -> String {
    let mut table = Table::new();
    table.load_style(UTF8_FULL_CONDENSED);
    if let Some(w) = width {
        table.set_content_arrangement(ContentArrangement::Dynamic);
        table.set_width(u16::try_from(w).unwrap_or(u16::MAX));
    }
    table.set_header(cols.iter().map(|c| c.title));
    for s in report.strategies.iter().chain([&report.baseline]) {
        table.add_row(cols.iter().map(|c| {
            let mut text = c.text(s);
            if c.title == "strategy" && short_of_demand(s) {
                text.push_str(" !");
            }
            if failed_on(s, c.metrics) { format!("{text} ✗") } else { text }
        }));
    }
    for idx in 2..cols.len() {
        if let Some(col) = table.column_mut(idx) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    table.to_string()
}

fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// The columns that fit `width` (all without one), the table, and the titles left out.
fn fitted(report: &Report, width: Option<usize>) -> (Vec<&'static Column>, String, Vec<&'static str>) {
    let mut cols: Vec<&'static Column> = columns(report).iter().collect();
    let mut dropped = Vec::new();
    let Some(w) = width else {
        let text = grid(report, &cols, None);
        return (cols, text, dropped);
    };
    loop {
        let text = grid(report, &cols, None);
        if widest(&text) <= w {
            // A narrow column left out before a wide one may fit again: the most needed first.
            for title in dropped.clone().into_iter().rev() {
                let with: Vec<&'static Column> = columns(report)
                    .iter()
                    .filter(|c| c.title == title || cols.iter().any(|k| k.title == c.title))
                    .collect();
                if widest(&grid(report, &with, None)) <= w {
                    cols = with;
                    dropped.retain(|t| *t != title);
                }
            }
            let text = grid(report, &cols, None);
            return (cols, text, dropped);
        }
        let next = DROP_ORDER.iter().find(|t| cols.iter().any(|c| c.title == **t));
        match next {
            Some(title) => {
                cols.retain(|c| c.title != *title);
                dropped.push(*title);
            }
            // Nothing more to leave out: the cells wrap.
            None => {
                let text = grid(report, &cols, Some(w));
                return (cols, text, dropped);
            }
        }
    }
}

/// Every report as a titled table plus its expectation summary, every column shown.
pub fn table(reports: &[Report]) -> String {
    table_with(reports, &Options::default())
}

/// Every report as a titled table fitted to `options.width`, its marks explained, its
/// expectation summary, the goal's pick and (with `options.legend`) what the columns mean.
pub fn table_with(reports: &[Report], options: &Options) -> String {
    let mut out = String::new();
    for (i, report) in reports.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&format!("{} ({})\n", report.scenario, run_summary(report)));
        let (cols, text, dropped) = fitted(report, options.width);
        out.push_str(&text);
        out.push('\n');
        if !dropped.is_empty() {
            out.push_str(&format!(
                "not shown to fit {} characters: {} (--wide shows every column)\n",
                options.width.unwrap_or_default(),
                dropped.join(", ")
            ));
        }
        for line in shortfall(report) {
            out.push_str(&format!("! {line}\n"));
        }
        let failed = failures(report);
        let total = expectation_count(report);
        if total > 0 && failed.is_empty() {
            out.push_str(&format!("✓ {}\n", met_line(total)));
        }
        for line in &failed {
            out.push_str(&format!("✗ {line}\n"));
        }
        for line in notes(report) {
            out.push_str(&format!("note: {line}\n"));
        }
        if let Some((text, goal)) = &options.goal {
            out.push_str(&pick(report, text, goal).line());
            out.push('\n');
        }
        if options.legend {
            out.push_str("columns:\n");
            for c in &cols {
                out.push_str(&format!("  {:<13}{}\n", c.title, legend(c.title)));
            }
            out.push_str(&format!("  {:<13}{}\n", "!", legend("!")));
            out.push_str(&format!("  {:<13}{}\n", "✗", legend("✗")));
        }
    }
    out
}

/// A heading, a table and the expectation results per report.
pub fn markdown(reports: &[Report]) -> String {
    markdown_with(reports, &Options::default())
}

/// A heading, a table (every column: a CI summary scrolls sideways), the marks explained, the
/// expectation results, the goal's pick and (with `options.legend`) the columns' meanings.
pub fn markdown_with(reports: &[Report], options: &Options) -> String {
    let mut out = String::new();
    for report in reports {
        out.push_str(&format!("### {}\n\n", report.scenario));
        out.push_str(&format!("{}.\n\n", run_summary(report)));
        let header: Vec<&str> = columns(report).iter().map(|c| c.title).collect();
        out.push_str(&format!("| {} |\n", header.join(" | ")));
        let align: Vec<&str> = (0..columns(report).len()).map(|i| if i < 2 { ":---" } else { "---:" }).collect();
        out.push_str(&format!("| {} |\n", align.join(" | ")));
        for s in report.strategies.iter().chain([&report.baseline]) {
            let cells: Vec<String> = columns(report)
                .iter()
                .map(|c| {
                    let mut text = c.text(s).replace('|', "\\|");
                    if c.title == "strategy" && short_of_demand(s) {
                        text.push_str(" !");
                    }
                    if failed_on(s, c.metrics) { format!("**{text}** ❌") } else { text }
                })
                .collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        out.push('\n');
        let short = shortfall(report);
        for line in &short {
            out.push_str(&format!("- ! {line}\n"));
        }
        if !short.is_empty() {
            out.push('\n');
        }
        let failed = failures(report);
        let total = expectation_count(report);
        if total > 0 && failed.is_empty() {
            let met = met_line(total);
            out.push_str(&format!("✅ {}{}.\n\n", met[..1].to_uppercase(), &met[1..]));
        }
        for line in &failed {
            out.push_str(&format!("- ❌ {line}\n"));
        }
        if !failed.is_empty() {
            out.push('\n');
        }
        for line in notes(report) {
            out.push_str(&format!("> Note: {line}\n\n"));
        }
        if let Some((text, goal)) = &options.goal {
            out.push_str(&format!("{}\n\n", pick(report, text, goal).line()));
        }
        if options.legend {
            for c in columns(report) {
                out.push_str(&format!("- **{}**: {}\n", c.title, legend(c.title)));
            }
            out.push_str(&format!("- **!**: {}\n- **❌**: {}\n\n", legend("!"), legend("✗")));
        }
    }
    out
}

/// Pretty JSON with a final newline.
pub fn json(reports: &[Report]) -> String {
    let text = match reports {
        [one] => serde_json::to_string_pretty(one),
        many => serde_json::to_string_pretty(many),
    };
    text.map(|t| t + "\n").unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}\n"))
}

/// A report with the goal's pick added as its last field, `goal`.
#[derive(Serialize)]
struct WithPick<'a> {
    #[serde(flatten)]
    report: &'a Report,
    goal: Pick,
}

/// Pretty JSON; with a goal, each report gains a `goal` field (`Pick`): the goal, the strategy
/// it picks and why. Without one, the bytes of `json`.
pub fn json_with(reports: &[Report], options: &Options) -> String {
    let Some((text, goal)) = &options.goal else { return json(reports) };
    let picked: Vec<WithPick> = reports.iter().map(|r| WithPick { report: r, goal: pick(r, text, goal) }).collect();
    let text = match picked.as_slice() {
        [one] => serde_json::to_string_pretty(one),
        many => serde_json::to_string_pretty(many),
    };
    text.map(|t| t + "\n").unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}\n"))
}

/// The metrics a CSV row carries, in column order.
pub const CSV_FIELDS: &[&str] = &[
    "deploy_duration_s",
    "downtime_s",
    "degraded_s",
    "requests",
    "failed_requests",
    "availability",
    "deploy_requests",
    "deploy_failed_requests",
    "deploy_availability",
    "min_capacity_pct",
    "peak_instances",
    "instance_hours",
    "extra_instance_hours",
    "extra_cost_usd",
    "deploy_cost_usd",
    "mixed_version_s",
    "p50_latency_ms",
    "p99_latency_ms",
    "cold_starts",
    "cold_start_rate",
    "throttled",
    "avg_environments",
    "avg_busy",
    "rolled_back",
    "settled",
    "rollback_detect_s",
    "bad_version_requests",
    "cost_usd",
];

/// A header row, then one row per strategy of every report.
pub fn csv(reports: &[Report]) -> String {
    csv_with(reports, &Options::default())
}

/// Like `csv`; with a goal, a last column `goal`: `best` for the strategy it picks, `meets`
/// for the others that meet its conditions, `misses` for the rest (empty for the baseline).
pub fn csv_with(reports: &[Report], options: &Options) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["scenario", "seed", "kind", "label", "outcome"];
    header.extend_from_slice(CSV_FIELDS);
    header.push("expectations_passed");
    if options.goal.is_some() {
        header.push("goal");
    }
    let _ = w.write_record(&header);
    for report in reports {
        let picked = options.goal.as_ref().map(|(text, goal)| pick(report, text, goal));
        for (i, s) in report.strategies.iter().chain([&report.baseline]).enumerate() {
            let outcome =
                serde_json::to_value(s.outcome).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            let mut row =
                vec![report.scenario.clone(), report.seed.to_string(), s.kind.clone(), s.label.clone(), outcome];
            for f in CSV_FIELDS {
                row.push(match (*f, s.metric(f)) {
                    ("rolled_back", _) => s.rolled_back.to_string(),
                    ("settled", _) => s.settled.to_string(),
                    (_, Some(v)) => v.to_string(),
                    (_, None) => String::new(),
                });
            }
            row.push(s.expectations.iter().all(|e| e.pass).to_string());
            if let Some(p) = &picked {
                row.push(match p.strategies.get(i) {
                    Some(_) if p.best.as_ref().is_some_and(|b| b.index == i) => "best".into(),
                    Some(c) if c.meets => "meets".into(),
                    Some(_) => "misses".into(),
                    None => String::new(),
                });
            }
            let _ = w.write_record(&row);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The strategy a goal picks among a run's strategies, and why (`run --goal`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pick {
    /// The goal as written.
    pub goal: String,
    /// The metric it minimizes or maximizes.
    pub metric: String,
    /// The strategy picked; `None` when no strategy meets the goal's conditions.
    pub best: Option<Best>,
    /// Why, in a sentence.
    pub why: String,
    /// Every strategy of the run (not the baseline), in order: its value and the conditions
    /// it misses.
    pub strategies: Vec<Candidate>,
}

/// The picked strategy.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Best {
    /// Its label.
    pub strategy: String,
    /// Its kind.
    pub kind: String,
    /// Its value of the goal's metric.
    pub value: Option<f64>,
    /// Its position among the report's strategies.
    #[serde(skip)]
    pub index: usize,
}

/// A strategy as the goal sees it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Candidate {
    /// Its label.
    pub strategy: String,
    /// Its value of the goal's metric.
    pub value: Option<f64>,
    /// Whether it meets every condition.
    pub meets: bool,
    /// The conditions it misses, each with its value: `downtime_s is 40s, not == 0`.
    pub misses: Vec<String>,
}

fn op_text(op: Op) -> &'static str {
    match op {
        Op::Eq => "==",
        Op::Ne => "!=",
        Op::Le => "<=",
        Op::Ge => ">=",
        Op::Lt => "<",
        Op::Gt => ">",
    }
}

/// The strategy of `report` that `goal` picks (the first among equals), as `sweep --goal`
/// picks a setting: compared on the metrics as reported (the means with several replications).
pub fn pick(report: &Report, text: &str, goal: &Goal) -> Pick {
    let strategies: Vec<Candidate> = report
        .strategies
        .iter()
        .map(|s| {
            let misses: Vec<String> = goal
                .conditions
                .iter()
                .filter(|c| {
                    // `admits` over this condition alone.
                    let one = Goal { direction: goal.direction, metric: goal.metric, conditions: vec![(*c).clone()] };
                    !one.admits(&|m| s.metric(m))
                })
                .map(|c| {
                    let value = s.metric(c.metric).map_or_else(|| "none".to_owned(), |v| format::metric(c.metric, v));
                    format!("{} is {value}, not {} {}", c.metric, op_text(c.op), c.value)
                })
                .collect();
            Candidate { strategy: s.label.clone(), value: s.metric(goal.metric), meets: misses.is_empty(), misses }
        })
        .collect();
    let best = goal.best(&report.strategies, |s, m| s.metric(m)).map(|i| Best {
        strategy: report.strategies[i].label.clone(),
        kind: report.strategies[i].kind.clone(),
        value: report.strategies[i].metric(goal.metric),
        index: i,
    });
    let conditions =
        goal.conditions.iter().map(|c| format!("{} {} {}", c.metric, op_text(c.op), c.value)).collect::<Vec<_>>();
    let missed: Vec<String> =
        strategies.iter().filter(|c| !c.meets).map(|c| format!("{} ({})", c.strategy, c.misses.join("; "))).collect();
    let shown = |v: Option<f64>| v.map_or_else(|| "none".to_owned(), |v| format::metric(goal.metric, v));
    let why = match &best {
        Some(b) => {
            let meeting = strategies.iter().filter(|c| c.meets).count();
            let among = if conditions.is_empty() {
                format!("of {}", plural(meeting, "strategy", "strategies"))
            } else {
                format!("of the {} that meet {}", plural(meeting, "strategy", "strategies"), conditions.join(" and "))
            };
            let most = if goal.direction == Direction::Min { "lowest" } else { "highest" };
            let mut why = format!("{}, with the {most} {} ({}) {among}", b.strategy, goal.metric, shown(b.value));
            let runner_up = strategies
                .iter()
                .enumerate()
                .filter(|(i, c)| c.meets && *i != b.index)
                .filter_map(|(_, c)| c.value.map(|v| (c, v)))
                .reduce(|a, x| match goal.direction {
                    Direction::Min if x.1 < a.1 => x,
                    Direction::Max if x.1 > a.1 => x,
                    _ => a,
                });
            match runner_up {
                Some((c, v)) if Some(v) == b.value => {
                    why.push_str(&format!("; tied with {}, first in file order", c.strategy));
                }
                Some((c, v)) => why.push_str(&format!("; next: {} ({})", c.strategy, format::metric(goal.metric, v))),
                None => {}
            }
            if !missed.is_empty() {
                why.push_str(&format!("; left out: {}", missed.join(", ")));
            }
            why
        }
        None if report.strategies.is_empty() => "the run has no strategies to pick from".to_owned(),
        None => missed.join(", "),
    };
    Pick { goal: text.to_owned(), metric: goal.metric.to_owned(), best, why, strategies }
}

impl Pick {
    /// `best for `GOAL`: WHY` or `✗ no strategy meets `GOAL`: WHY`.
    pub fn line(&self) -> String {
        match &self.best {
            Some(_) => format!("best for `{}`: {}", self.goal, self.why),
            None => format!("✗ no strategy meets `{}`: {}", self.goal, self.why),
        }
    }
}

#[cfg(test)]
mod tests {
    use deploysim_core::NoFiles;
    use deploysim_core::scenario::set::Assignment;

    use super::*;
    use crate::prepare::{RunOptions, prepare};

    const EB: &str = include_str!("../../scenarios/eb-policies.toml");

    /// Elastic Beanstalk's policies at 650 requests/s: rolling never goes down but fails
    /// requests while a batch is out.
    fn busy(extra: &[(&str, &str)]) -> Report {
        let mut sets = vec![Assignment { key: "traffic.rate".into(), value: "650".into() }];
        sets.extend(extra.iter().map(|(k, v)| Assignment { key: (*k).into(), value: (*v).into() }));
        let opts = RunOptions { sets, ..RunOptions::default() };
        let sc = prepare(EB, "eb-policies.toml", &NoFiles, &opts).map_err(|p| p.first_line()).expect("valid");
        deploysim_core::simulate(&sc)
    }

    #[test]
    fn a_strategy_that_failed_requests_is_marked_even_without_downtime() {
        let report = busy(&[]);
        let rolling = report.strategies.iter().find(|s| s.kind == "rolling").expect("rolling");
        assert!(rolling.downtime_s == 0.0 && rolling.failed_requests > 0, "the case this is about");
        let text = table(std::slice::from_ref(&report));
        assert!(text.contains("│ rolling 25% !"), "{text}");
        assert!(text.contains("│ immutable    "), "{text}");
        assert!(
            text.contains(
                "! rolling 25%: 13 836 requests failed (98.591 % available), capacity below demand for 4m30s, p99 2 624 ms (315 ms without a deployment), 0s of downtime\n"
            ) && text.contains(
                "! downtime counts only time with no healthy capacity at all, so requests can fail with 0s of it (--legend explains every column)\n"
            ),
            "{text}"
        );
        let md = markdown(std::slice::from_ref(&report));
        assert!(md.contains("| rolling 25% ! |") && md.contains("- ! rolling 25%: 13 836 requests failed"), "{md}");
        let legend = table_with(std::slice::from_ref(&report), &Options { legend: true, ..Options::default() });
        assert!(legend.contains("  degraded     time with healthy capacity below demand"), "{legend}");
        assert!(legend.contains("  !            the strategy failed requests or ran below demand"), "{legend}");
    }

    #[test]
    fn a_narrow_table_leaves_columns_out_by_priority_and_says_which() {
        let report = busy(&[]);
        let wide = table(std::slice::from_ref(&report));
        assert!(wide.lines().any(|l| l.chars().count() > 150), "every column without a width");
        let narrow = table_with(std::slice::from_ref(&report), &Options { width: Some(100), ..Options::default() });
        let (tables, rest): (Vec<&str>, Vec<&str>) = narrow.lines().partition(|l| l.starts_with(['┌', '│', '╞', '└']));
        assert!(tables.iter().all(|l| l.chars().count() <= 100), "{narrow}");
        assert!(tables[1].contains("failed req") && tables[1].contains("p99") && !tables[1].contains("mixed"));
        assert!(
            rest.contains(
                &"not shown to fit 100 characters: mixed, peak inst, min cap, cost, deploy, availability (--wide shows every column)"
            ),
            "{narrow}"
        );
        // A column left out on the way may come back when a wider one went after it.
        let refilled = table_with(std::slice::from_ref(&report), &Options { width: Some(95), ..Options::default() });
        assert!(
            refilled.contains(
                "not shown to fit 95 characters: mixed, peak inst, min cap, cost, availability, extra cost ("
            ) && refilled.lines().nth(2).is_some_and(|h| h.contains("deploy")),
            "{refilled}"
        );
        // Narrower than the columns that always show: they wrap.
        let tiny = table_with(std::slice::from_ref(&report), &Options { width: Some(50), ..Options::default() });
        assert!(
            tiny.lines().filter(|l| l.starts_with(['┌', '│', '╞', '└'])).all(|l| l.chars().count() <= 50),
            "{tiny}"
        );
    }

    #[test]
    fn failed_checks_read_in_their_units() {
        let report = busy(&[
            ("expect.min_availability", "0.999"),
            ("expect.max_p99_latency", "500ms"),
            ("expect.max_deploy_duration", "10m"),
            ("expect.max_cost_usd", "0.1"),
            ("strategies", "[{ kind = \"rolling\", batch = \"25%\" }]"),
        ]);
        let lines = failures(&report);
        assert_eq!(
            lines,
            [
                "rolling: max_deploy_duration failed: 12m30s > 10m00s",
                "rolling: min_availability failed: 97.976 % < 99.9 %",
                "rolling: max_p99_latency failed: 3 171 ms > 500 ms",
                "rolling: max_cost_usd failed: $0.5729 > $0.1000",
            ],
            "{}",
            table(std::slice::from_ref(&report))
        );
    }

    #[test]
    fn a_value_that_rounds_to_its_limit_shows_more_digits() {
        use deploysim_core::expect::{ExpectationResult, Limit};
        let e = |check: &str, value: f64, limit: f64| ExpectationResult {
            check: check.into(),
            limit: Limit::Number(limit),
            value: Some(Limit::Number(value)),
            pass: false,
            interval: None,
        };
        let text = crate::columns::failure_text;
        assert_eq!(text(&e("min_availability", 0.998_999_6, 0.999)), "99.89996 % < 99.9 %");
        assert_eq!(text(&e("max_deploy_duration", 414.626_587_254, 414.0)), "6m55s > 6m54s");
        assert_eq!(text(&e("max_deploy_duration", 414.4, 414.0)), "414.4s > 414s");
        assert_eq!(text(&e("max_extra_cost_usd", 5.001, 5.0)), "$5.001 > $5");
        let mut strict = e("max_failed_requests", 1_234.5, 1_000.0);
        strict.interval = Some([900.0, 1_234.5]);
        assert_eq!(text(&strict), "1 234.5 > 1 000 (95 % interval 900 to 1 234.5)");
        // The interval then has as many digits as the value: not "5m00s to 5m00s" beside 299.97s.
        let mut close = e("min_mixed_version", 299.97, 300.0);
        close.interval = Some([299.95, 299.99]);
        assert_eq!(text(&close), "299.97s < 300s (95 % interval 299.95s to 299.99s)");
    }

    #[test]
    fn one_expectation_is_not_all_one_expectations() {
        assert_eq!(met_line(1), "the 1 expectation met");
        assert_eq!(met_line(28), "all 28 expectations met");
    }

    #[test]
    fn a_goal_picks_a_strategy_and_says_why_in_every_format() {
        let report = busy(&[]);
        let text = "min extra_cost_usd where downtime_s == 0 and failed_requests <= 100";
        let goal = Goal::parse(text).expect("goal");
        let p = pick(&report, text, &goal);
        assert_eq!(p.best.as_ref().map(|b| b.strategy.as_str()), Some("rolling + batch 25%"));
        assert!(
            p.line().starts_with(&format!("best for `{text}`: rolling + batch 25%, with the lowest extra_cost_usd ($0.0645) of the 5 strategies that meet downtime_s == 0 and failed_requests <= 100; next: immutable ($0.1131); left out: all_at_once (downtime_s is 40s, not == 0; failed_requests is 32 680, not <= 100), rolling 25% (failed_requests is 13 836, not <= 100)")),
            "{}",
            p.line()
        );
        let options = Options { goal: Some((text.to_owned(), goal)), ..Options::default() };
        let one = std::slice::from_ref(&report);
        assert!(table_with(one, &options).contains(&p.line()));
        assert!(markdown_with(one, &options).contains(&p.line()));
        let json: serde_json::Value = serde_json::from_str(&json_with(one, &options)).expect("JSON");
        assert_eq!(json["goal"]["best"]["strategy"], "rolling + batch 25%");
        assert_eq!(json["goal"]["strategies"][1]["misses"][0], "failed_requests is 13 836, not <= 100");
        // Without a goal, the JSON is the contract's, byte for byte.
        assert_eq!(json_with(one, &Options::default()), super::json(one));
        let csv = csv_with(one, &options);
        assert!(csv.lines().next().is_some_and(|h| h.ends_with(",expectations_passed,goal")), "{csv}");
        assert!(csv.contains(",best\n") && csv.contains(",misses\n") && csv.ends_with(",\n"), "{csv}");
        let tie = Goal::parse("min cost_usd").expect("goal");
        assert!(pick(&report, "min cost_usd", &tie).why.contains("; tied with rolling 25%, first in file order"));
        let none = Goal::parse("min cost_usd where downtime_s > 1000").expect("goal");
        let missed = pick(&report, "min cost_usd where downtime_s > 1000", &none);
        assert!(missed.best.is_none());
        assert!(missed.line().starts_with("✗ no strategy meets `min cost_usd where downtime_s > 1000`: all_at_once (downtime_s is 40s, not > 1000)"), "{}", missed.line());
    }
}
