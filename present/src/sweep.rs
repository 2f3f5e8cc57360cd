//! `simulate sweep`: a scenario once per value of one or two keys (every combination for two),
//! a row per setting and strategy, and with a goal the best row; as a table, markdown, JSON or
//! CSV. Hosts run the settings (`Sweep::settings`, `setting_options`) and collect the rows.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, Table};
use deploysim_core::StrategyReport;
use deploysim_core::goal::Goal;
use deploysim_core::scenario::set::Assignment;

use crate::Format;
use crate::columns::{Column, columns_for};
use crate::prepare::Problem;

/// One setting and strategy.
#[derive(Clone, Debug)]
pub struct Row {
    /// The varied keys' values, in `--vary` order.
    pub values: Vec<(String, String)>,
    /// The strategy's aggregated report.
    pub report: StrategyReport,
}

/// Most settings a sweep runs.
pub const MAX_SETTINGS: usize = 400;

/// A key and the values it takes.
pub type Vary = (String, Vec<String>);

/// `--vary KEY=V1,V2,...` arguments (one or two) as keys and values.
pub fn parse_vary(raw: &[String]) -> Result<Vec<Vary>, Problem> {
    let mut keys: Vec<Vary> = Vec::new();
    for v in raw {
        match v.split_once('=') {
            Some((k, vals)) if !k.trim().is_empty() && !vals.trim().is_empty() => {
                keys.push((k.trim().to_owned(), vals.split(',').map(|x| x.trim().to_owned()).collect()));
            }
            _ => {
                return Err(Problem::Usage(format!(
                    "error: --vary {v}: write KEY=V1,V2,... (for example strategies.0.batch=10%,25%,50%)"
                )));
            }
        }
    }
    if keys.len() > 2 {
        return Err(Problem::Usage(format!(
            "error: --vary is given {} times: a sweep varies one or two keys",
            keys.len()
        )));
    }
    if let [(a, _), (b, _)] = &keys[..]
        && a == b
    {
        return Err(Problem::Usage(format!(
            "error: --vary names `{a}` twice: give all its values in one --vary {a}=V1,V2,... (a second key must be another key)"
        )));
    }
    Ok(keys)
}

/// `--goal` parsed, if given.
pub fn parse_goal(goal: Option<&str>) -> Result<Option<Goal>, Problem> {
    goal.map(Goal::parse).transpose().map_err(|why| Problem::Usage(format!("error: --goal {why}")))
}

/// Every setting: one value of each key, every combination, in `--vary` order.
pub fn settings(keys: &[Vary]) -> Result<Vec<Vec<(String, String)>>, Problem> {
    // Counted before any setting is built: 5 000 × 5 000 values would be 25 million.
    let count = keys.iter().fold(1usize, |n, (_, vals)| n.saturating_mul(vals.len()));
    if count > MAX_SETTINGS {
        let sizes: Vec<String> = keys
            .iter()
            .map(|(k, v)| format!("{} value{} of {k}", v.len(), if v.len() == 1 { "" } else { "s" }))
            .collect();
        return Err(Problem::Usage(format!(
            "error: {} = {count} settings is over the limit of {MAX_SETTINGS}; vary fewer values",
            sizes.join(" × ")
        )));
    }
    let mut settings: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for (k, vals) in keys {
        settings = settings
            .iter()
            .flat_map(|s| vals.iter().map(move |v| [s.clone(), vec![(k.clone(), v.clone())]].concat()))
            .collect();
    }
    Ok(settings)
}

/// The `--set` assignments of one setting: the sweep's own, then the setting's values.
pub fn setting_sets(base: &[Assignment], setting: &[(String, String)]) -> Vec<Assignment> {
    let mut all = base.to_vec();
    all.extend(setting.iter().map(|(k, v)| Assignment { key: k.clone(), value: v.clone() }));
    all
}

/// A finished sweep.
#[derive(Clone, Debug)]
pub struct Sweep {
    /// Scenario name.
    pub scenario: String,
    /// Platform (which columns apply).
    pub platform: String,
    /// Replications per setting.
    pub replications: u32,
    /// The varied keys.
    pub keys: Vec<Vary>,
    /// A row per setting and strategy.
    pub rows: Vec<Row>,
    /// The goal, as written.
    pub goal: Option<String>,
    /// The row the goal picks.
    pub best: Option<usize>,
}

impl Sweep {
    /// Picks the best row for `goal`.
    pub fn new(
        scenario: String,
        platform: String,
        replications: u32,
        keys: Vec<Vary>,
        rows: Vec<Row>,
        goal: Option<(&str, &Goal)>,
    ) -> Self {
        let best = goal.and_then(|(_, g)| g.best(&rows, |r, m| r.report.metric(m)));
        Sweep { scenario, platform, replications, keys, rows, goal: goal.map(|(text, _)| text.to_owned()), best }
    }

    /// Whether a goal was given and no row meets it.
    pub fn missed_goal(&self) -> bool {
        self.goal.is_some() && self.best.is_none()
    }

    /// The sweep in `format`.
    pub fn render(&self, format: Format) -> String {
        let cols = columns_for(&self.platform);
        match format {
            Format::Json => {
                json(&self.scenario, &self.keys, self.replications, &self.rows, self.goal.as_deref(), self.best)
            }
            Format::Csv => csv(&self.keys, &self.rows),
            Format::Table | Format::Markdown => table_text(
                &self.scenario,
                &self.keys,
                self.replications,
                &self.rows,
                &cols,
                format == Format::Markdown,
                self.best,
                self.goal.as_deref(),
            ),
        }
    }
}

fn setting_text(values: &[(String, String)]) -> String {
    values.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ")
}

#[allow(clippy::too_many_arguments)]
fn table_text(
    name: &str,
    keys: &[(String, Vec<String>)],
    replications: u32,
    rows: &[Row],
    cols: &[&Column],
    markdown: bool,
    best: Option<usize>,
    goal: Option<&str>,
) -> String {
    let mut header: Vec<String> = keys.iter().map(|(k, _)| k.clone()).collect();
    header.push("strategy".to_owned());
    header.extend(cols.iter().map(|c| c.title.to_owned()));
    let cells = |r: &Row, i: usize| -> Vec<String> {
        let mut v: Vec<String> = r.values.iter().map(|(_, v)| v.clone()).collect();
        v.push(r.report.label.clone());
        v.extend(cols.iter().map(|c| c.text(&r.report)));
        if Some(i) == best {
            v[0] = format!("{} ★", v[0]);
        }
        v
    };
    let runs = if replications > 1 {
        format!("{replications} replications each, mean ± 95 % interval")
    } else {
        "one replication each".to_owned()
    };
    let mut out =
        if markdown { format!("### {name}: sweep\n\n{runs}.\n\n") } else { format!("{name}: sweep ({runs})\n") };
    if markdown {
        out.push_str(&format!("| {} |\n|{}\n", header.join(" | "), "---|".repeat(header.len())));
        for (i, r) in rows.iter().enumerate() {
            out.push_str(&format!("| {} |\n", cells(r, i).join(" | ").replace('\n', " ")));
        }
        out.push('\n');
    } else {
        let mut t = Table::new();
        t.load_style(UTF8_FULL_CONDENSED);
        t.set_header(header.clone());
        for (i, r) in rows.iter().enumerate() {
            t.add_row(cells(r, i));
        }
        for idx in keys.len() + 2..header.len() {
            if let Some(col) = t.column_mut(idx) {
                col.set_cell_alignment(CellAlignment::Right);
            }
        }
        out.push_str(&format!("{t}\n"));
    }
    if let Some(g) = goal {
        match best {
            Some(i) => {
                let r = &rows[i];
                out.push_str(&format!("best for `{g}`: {} with {}\n", setting_text(&r.values), r.report.label));
            }
            None => out.push_str(&format!("✗ no setting meets `{g}`\n")),
        }
    }
    out
}

fn json(
    name: &str,
    keys: &[(String, Vec<String>)],
    replications: u32,
    rows: &[Row],
    goal: Option<&str>,
    best: Option<usize>,
) -> String {
    let row = |r: &Row| {
        let values: serde_json::Map<String, serde_json::Value> =
            r.values.iter().map(|(k, v)| (k.clone(), serde_json::Value::from(v.clone()))).collect();
        serde_json::json!({ "values": values, "strategy": r.report })
    };
    let doc = serde_json::json!({
        "scenario": name,
        "vary": keys.iter().map(|(k, v)| serde_json::json!({ "key": k, "values": v })).collect::<Vec<_>>(),
        "replications": replications,
        "rows": rows.iter().map(row).collect::<Vec<_>>(),
        "goal": goal.map(|g| serde_json::json!({
            "goal": g,
            "best": best.map(|i| serde_json::json!({
                "values": rows[i].values.iter().map(|(k, v)| (k.clone(), serde_json::Value::from(v.clone()))).collect::<serde_json::Map<_, _>>(),
                "strategy": rows[i].report.label,
            })),
        })),
    });
    serde_json::to_string_pretty(&doc).expect("serializes") + "\n"
}

const CSV_METRICS: &[&str] = &[
    "deploy_duration_s",
    "downtime_s",
    "degraded_s",
    "failed_requests",
    "availability",
    "min_capacity_pct",
    "peak_instances",
    "p99_latency_ms",
    "cold_starts",
    "extra_cost_usd",
    "cost_usd",
];

fn csv(keys: &[(String, Vec<String>)], rows: &[Row]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = keys.iter().map(|(k, _)| k.clone()).collect();
    header.push("strategy".into());
    for m in CSV_METRICS {
        header.extend([m.to_string(), format!("{m}_low"), format!("{m}_high")]);
    }
    w.write_record(&header).expect("in memory");
    for r in rows {
        let mut rec: Vec<String> = r.values.iter().map(|(_, v)| v.clone()).collect();
        rec.push(r.report.label.clone());
        for m in CSV_METRICS {
            let v = r.report.metric(m).unwrap_or(f64::NAN);
            let [lo, hi] = r.report.ci.get(*m).copied().unwrap_or([v, v]);
            rec.extend([v.to_string(), lo.to_string(), hi.to_string()]);
        }
        w.write_record(&rec).expect("in memory");
    }
    String::from_utf8(w.into_inner().expect("in memory")).expect("UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usage(p: Problem) -> String {
        match p {
            Problem::Usage(s) => s,
            other => panic!("not a usage problem: {other:?}"),
        }
    }

    #[test]
    fn the_setting_count_is_checked_before_any_setting_is_built() {
        let many: Vec<String> = (0..5_000).map(|i| i.to_string()).collect();
        let keys = vec![("traffic.rate".to_owned(), many.clone()), ("service.instances".to_owned(), many)];
        let err = usage(settings(&keys).unwrap_err());
        let want = "5000 values of traffic.rate × 5000 values of service.instances = 25000000 settings";
        assert!(err.contains(want), "{err}");
        let keys = vec![("traffic.rate".to_owned(), vec!["1".to_owned(); 400])];
        assert_eq!(settings(&keys).unwrap().len(), 400);
    }

    #[test]
    fn the_same_key_twice_is_refused() {
        let raw = ["traffic.rate=100,200".to_owned(), "traffic.rate=300".to_owned()];
        let err = usage(parse_vary(&raw).unwrap_err());
        assert!(err.contains("--vary names `traffic.rate` twice"), "{err}");
        assert!(parse_vary(&["traffic.rate=1".to_owned(), "service.instances=2".to_owned()]).is_ok());
    }

    #[test]
    fn goals_with_nan_or_inf_are_refused() {
        for bad in ["nan", "inf", "1e999"] {
            let err = usage(parse_goal(Some(&format!("min cost_usd where downtime_s == {bad}"))).unwrap_err());
            assert!(err.contains("not a finite number"), "{err}");
        }
    }
}
