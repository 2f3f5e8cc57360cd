//! `simulate sweep FILE --vary KEY=V1,V2,...`: the scenario run once per value (every
//! combination for two keys), each with its replications, one row per setting and strategy,
//! and with `--goal` the best setting.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, Table};
use deploysim_core::StrategyReport;
use deploysim_core::goal::Goal;
use deploysim_core::replicate::{Gate, aggregate};
use deploysim_core::scenario::set::Assignment;

use crate::Exit;
use crate::args::{Format, SweepArgs};
use crate::commands::{assignments, load_with, replicate, set_runs};
use crate::output::{Column, columns_for};
use crate::plot;

/// One setting and strategy.
pub struct Row {
    /// The varied keys' values, in `--vary` order.
    pub values: Vec<(String, String)>,
    /// The strategy's aggregated report.
    pub report: StrategyReport,
}

/// Most settings a sweep runs.
const MAX_SETTINGS: usize = 400;

/// Runs every setting and prints the rows.
pub fn sweep(args: SweepArgs) -> Exit {
    let Some(sets) = assignments(&args.sets) else { return Exit::BadInput };
    let mut keys: Vec<(String, Vec<String>)> = Vec::new();
    for v in &args.vary {
        match v.split_once('=') {
            Some((k, vals)) if !k.trim().is_empty() && !vals.trim().is_empty() => {
                keys.push((k.trim().to_owned(), vals.split(',').map(|x| x.trim().to_owned()).collect()));
            }
            _ => {
                eprintln!("error: --vary {v}: write KEY=V1,V2,... (for example strategies.0.batch=10%,25%,50%)");
                return Exit::BadInput;
            }
        }
    }
    if keys.len() > 2 {
        eprintln!("error: --vary is given {} times: a sweep varies one or two keys", keys.len());
        return Exit::BadInput;
    }
    let goal = match args.goal.as_deref().map(Goal::parse) {
        Some(Err(why)) => {
            eprintln!("error: --goal {why}");
            return Exit::BadInput;
        }
        Some(Ok(g)) => Some(g),
        None => None,
    };
    let mut settings: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for (k, vals) in &keys {
        settings = settings
            .iter()
            .flat_map(|s| vals.iter().map(move |v| [s.clone(), vec![(k.clone(), v.clone())]].concat()))
            .collect();
    }
    if settings.len() > MAX_SETTINGS {
        eprintln!("error: {} settings is over the limit of {MAX_SETTINGS}; vary fewer values", settings.len());
        return Exit::BadInput;
    }
    let gate = if args.monte_carlo.strict { Gate::Pessimistic } else { Gate::Mean };
    let mut rows: Vec<Row> = Vec::new();
    let mut scenario_name = String::new();
    let mut platform = String::new();
    let mut replications = 1;
    for setting in &settings {
        let mut all = sets.clone();
        all.extend(setting.iter().map(|(k, v)| Assignment { key: k.clone(), value: v.clone() }));
        let Some(mut sc) = load_with(&args.file, &all) else { return Exit::BadInput };
        if let Some(seed) = args.seed {
            sc.seed = seed;
        }
        if !set_runs(&mut sc, &args.file.display().to_string(), &args.monte_carlo) {
            return Exit::BadInput;
        }
        let report = aggregate(&sc, replicate(&sc, &args.monte_carlo), gate);
        (scenario_name, platform, replications) =
            (report.scenario.clone(), report.platform.clone(), report.replications);
        let strategies = if report.strategies.is_empty() { vec![report.baseline] } else { report.strategies };
        rows.extend(strategies.into_iter().map(|s| Row { values: setting.clone(), report: s }));
    }
    let best = goal.as_ref().and_then(|g| g.best(&rows, |r, m| r.report.metric(m)));
    let cols = columns_for(&platform);
    let text = match args.format {
        Format::Json => json(&scenario_name, &keys, replications, &rows, args.goal.as_deref(), best),
        Format::Csv => csv(&keys, &rows),
        Format::Table | Format::Markdown => table(
            &scenario_name,
            &keys,
            replications,
            &rows,
            &cols,
            args.format == Format::Markdown,
            best,
            args.goal.as_deref(),
        ),
    };
    print!("{text}");
    if let Some(path) = &args.plot {
        if let Err(why) =
            plot::check_path(path).and_then(|()| plot::sweep(&scenario_name, &keys, &rows, &platform, path))
        {
            eprintln!("error: cannot draw {}: {why}", path.display());
            return Exit::BadInput;
        }
        eprintln!("wrote {}", path.display());
    }
    match (goal, best) {
        (Some(_), None) => Exit::ExpectationFailed,
        _ => Exit::Ok,
    }
}

fn setting_text(values: &[(String, String)]) -> String {
    values.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" ")
}

#[allow(clippy::too_many_arguments)]
fn table(
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
