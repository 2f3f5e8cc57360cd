//! deploysim for JavaScript: the `simulate` CLI's commands as functions, JSON in and JSON out,
//! for browsers and Node (`wasm-bindgen --target web` or `--target nodejs`).
//!
//! Every function returns exactly what the CLI prints for the same input: `simulate(toml,
//! {seed: 7, runs: 20})` is the text of `simulate run FILE --seed 7 --runs 20 --format json`,
//! byte for byte, because both call the same core and the same `deploysim_present` renderers,
//! and the core gives the same bits on every target. Bad input throws a JS `Error` whose
//! message is the CLI's first diagnostic line (`scenario.toml:3:8: error: `traffic.rate`: ...`);
//! `validate` returns every diagnostic instead.
//!
//! Options (an object or its JSON text; every key optional):
//! `name` (the file name diagnostics use, default `scenario.toml`), `seed` (a number or a
//! decimal string, for seeds beyond 2^53), `runs`, `strategies` (kinds or labels), `set`
//! (`["traffic.rate=900"]` or `{"traffic.rate": 900}`), `strict`, `format` (`json`, `table`,
//! `csv`, `markdown`), `files` (`{"trace.csv": "..."}`, the files the scenario names).
//!
//! Replications run one after the other here; the playground (`deploysim-web`) spreads them
//! over web workers and gets the same bytes.

use std::collections::BTreeMap;

use deploysim_core::replicate::{Gate, aggregate};
use deploysim_core::scenario::set::Assignment;
use deploysim_core::{Runner, Scenario, strategy};
use deploysim_present::compare::{self, Comparison};
use deploysim_present::prepare::{self, MemoryFiles, Problem, RunOptions};
use deploysim_present::sweep::{self, Row, Sweep};
use deploysim_present::{Format, explain, presets, prices};
use serde_json::{Value, json};
use wasm_bindgen::prelude::*;

/// The version of deploysim, as `simulate --version` prints it after the name.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Every bundled scenario: `[{"name", "title", "description", "text"}]`, in file-name order.
#[wasm_bindgen]
pub fn presets() -> String {
    serde_json::to_string(&presets::all()).expect("presets serialize")
}

/// The price table, as `simulate prices --format json` prints it.
#[wasm_bindgen]
pub fn prices() -> String {
    prices::render(Format::Json)
}

/// Runs a scenario: the text `simulate run --format json` prints (or the `format` option's).
#[wasm_bindgen]
pub fn simulate(toml: &str, options: JsValue) -> Result<String, JsError> {
    set_panic_hook();
    let opts = Options::read(&options)?;
    let scenario = prepare::prepare(toml, &opts.name, &opts.files, &opts.run).map_err(into_error)?;
    let gate = if opts.strict { Gate::Pessimistic } else { Gate::Mean };
    let runner = Runner::new(&scenario);
    let runs = (0..scenario.replications).map(|r| runner.replication(r, |_| ())).collect();
    let report = aggregate(&scenario, runs, gate);
    Ok(deploysim_present::report::render(opts.format, &[report]))
}

/// The chart of a run as SVG: the file `simulate run --plot OUT.svg` writes, byte for byte
/// (options as for `simulate`).
#[wasm_bindgen]
pub fn chart(toml: &str, options: JsValue) -> Result<String, JsError> {
    set_panic_hook();
    let opts = Options::read(&options)?;
    let scenario = prepare::prepare(toml, &opts.name, &opts.files, &opts.run).map_err(into_error)?;
    let gate = if opts.strict { Gate::Pessimistic } else { Gate::Mean };
    let report = aggregate(&scenario, replications(&scenario), gate);
    let timelines = deploysim_core::timeline::record(&scenario);
    let deploy_at_s = (scenario.warmup + scenario.deploy_at).as_secs_f64();
    let (svg, _) = deploysim_present::chart::run_svg(&report, &timelines, deploy_at_s).map_err(|e| JsError::new(&e))?;
    Ok(svg)
}

/// The break-even chart as SVG: the file `simulate cost --plot OUT.svg` writes.
#[wasm_bindgen]
pub fn cost_chart(toml: &str, options: JsValue) -> Result<String, JsError> {
    set_panic_hook();
    let opts = Options::read(&options)?;
    let scenario = prepare::parse(toml, &opts.name, &opts.files, &opts.run.sets).map_err(into_error)?;
    deploysim_present::chart::break_even_svg(&deploysim_core::cost::estimate(&scenario)).map_err(|e| JsError::new(&e))
}

/// Every problem of a scenario: `{"ok", "diagnostics": [{"file", "line", "column",
/// "end_line", "end_column", "key", "message", "help", "text"}]}`, `text` being the CLI's
/// line. Options as for `simulate` (`set`, `runs`, `strategies` are checked too).
#[wasm_bindgen]
pub fn validate(toml: &str, options: JsValue) -> Result<String, JsError> {
    set_panic_hook();
    let opts = Options::read(&options)?;
    let located = |source: &str, d: &deploysim_core::Diagnostic, text: String| {
        let (end_line, end_column) = deploysim_core::diag::line_column(source, d.span.end);
        json!({
            "file": d.file, "line": d.line, "column": d.column,
            "end_line": end_line, "end_column": end_column,
            "key": d.key, "message": d.message, "help": d.help,
            "text": text,
        })
    };
    let mut warnings = Vec::new();
    let diagnostics = match prepare::prepare(toml, &opts.name, &opts.files, &opts.run) {
        Ok(scenario) => {
            // Likely mistakes in a file that reads, as the CLI prints them (`warning:`).
            warnings = scenario.warnings.iter().map(|d| located(toml, d, format!("warning: {d}"))).collect();
            Vec::new()
        }
        Err(Problem::Scenario { source, error, .. }) => {
            error.diagnostics.iter().map(|d| located(&source, d, prepare::diagnostic_line(d))).collect()
        }
        Err(problem @ Problem::Usage(_)) => vec![json!({
            "file": opts.name, "line": 0, "column": 0, "end_line": 0, "end_column": 0,
            "key": "", "message": problem.first_line(), "help": Value::Null, "text": problem.first_line(),
        })],
    };
    let doc = json!({ "ok": diagnostics.is_empty(), "diagnostics": diagnostics, "warnings": warnings });
    Ok(serde_json::to_string_pretty(&doc).expect("serializes") + "\n")
}

/// The workload's monthly cost on Lambda, Fargate and EC2: what `simulate cost --format json`
/// prints (options: `name`, `set`, `files`, `format`).
#[wasm_bindgen]
pub fn cost(toml: &str, options: JsValue) -> Result<String, JsError> {
    set_panic_hook();
    let opts = Options::read(&options)?;
    let scenario = prepare::parse(toml, &opts.name, &opts.files, &opts.run.sets).map_err(into_error)?;
    Ok(deploysim_present::cost::render(opts.format, &deploysim_core::cost::estimate(&scenario)))
}

/// Strategies `a` and `b` (kinds or labels) over the same replications: what `simulate compare
/// --json` prints (`runs`: replications, default the scenario's or 100; options: `name`,
/// `seed`, `set`, `files`, `format` = `json` or `table` for the text).
#[wasm_bindgen]
pub fn compare(toml: &str, a: &str, b: &str, runs: Option<u32>, options: JsValue) -> Result<String, JsError> {
    set_panic_hook();
    let opts = Options::read(&options)?;
    let mut scenario = prepare::parse(toml, &opts.name, &opts.files, &opts.run.sets).map_err(into_error)?;
    if let Some(seed) = opts.run.seed {
        scenario.seed = seed;
    }
    let pair = compare::find(&scenario, &opts.name, a, b).map_err(into_error)?;
    let runs = compare::runs(&scenario, runs.or(opts.run.runs));
    prepare::set_runs(&mut scenario, &opts.name, runs).map_err(into_error)?;
    let reports = replications(&scenario);
    let comparison = Comparison::new(&scenario, &reports, pair);
    Ok(if opts.format == Format::Json { comparison.json() } else { comparison.text() })
}

/// The scenario once per value of one or two keys: what `simulate sweep --format json` prints.
/// `vary`: `"strategies.0.batch=10%,25%"` or a list of one or two such; `goal`: `"min
/// deploy_duration_s where failed_requests == 0"` or null; `runs` per setting.
#[wasm_bindgen]
pub fn sweep(
    toml: &str,
    vary: JsValue,
    goal: Option<String>,
    runs: Option<u32>,
    options: JsValue,
) -> Result<String, JsError> {
    set_panic_hook();
    let opts = Options::read(&options)?;
    let vary: Vec<String> = match to_json(&vary)? {
        Value::String(s) => vec![s],
        Value::Array(items) => {
            items.into_iter().map(|v| v.as_str().map(str::to_owned)).collect::<Option<_>>().ok_or_else(|| {
                JsError::new("error: vary: give \"KEY=V1,V2,...\" or a list of one or two such strings")
            })?
        }
        _ => return Err(JsError::new("error: vary: give \"KEY=V1,V2,...\" or a list of one or two such strings")),
    };
    let keys = sweep::parse_vary(&vary).map_err(into_error)?;
    let parsed_goal = sweep::parse_goal(goal.as_deref()).map_err(into_error)?;
    let settings = sweep::settings(&keys).map_err(into_error)?;
    let gate = if opts.strict { Gate::Pessimistic } else { Gate::Mean };
    let mut rows = Vec::new();
    let (mut name, mut platform, mut replications_per) = (String::new(), String::new(), 1);
    for setting in &settings {
        let sets = sweep::setting_sets(&opts.run.sets, setting);
        let mut sc = prepare::parse(toml, &opts.name, &opts.files, &sets).map_err(into_error)?;
        if let Some(seed) = opts.run.seed {
            sc.seed = seed;
        }
        prepare::set_runs(&mut sc, &opts.name, runs.or(opts.run.runs)).map_err(into_error)?;
        let report = aggregate(&sc, replications(&sc), gate);
        (name, platform, replications_per) = (report.scenario.clone(), report.platform.clone(), report.replications);
        let strategies = if report.strategies.is_empty() { vec![report.baseline] } else { report.strategies };
        rows.extend(strategies.into_iter().map(|s| Row { values: setting.clone(), report: s }));
    }
    let result = Sweep::new(name, platform, replications_per, keys, rows, goal.as_deref().zip(parsed_goal.as_ref()));
    Ok(result.render(opts.format))
}

/// What a strategy kind does, step by step (`"immutable"`), or every strategy of a scenario
/// given as TOML text: the text `simulate explain` prints.
#[wasm_bindgen]
pub fn explain(kind_or_toml: &str, options: JsValue) -> Result<String, JsError> {
    set_panic_hook();
    let opts = Options::read(&options)?;
    if let Some(def) = strategy::find(kind_or_toml.trim()) {
        return Ok(explain::explain_kind_default(def, opts.instances.unwrap_or(10)));
    }
    if !kind_or_toml.contains('=') && !kind_or_toml.contains('\n') {
        let kinds: Vec<&str> = strategy::STRATEGIES.iter().map(|d| d.kind).collect();
        return Err(JsError::new(&format!(
            "error: `{kind_or_toml}` is neither a strategy kind nor a scenario\n  help: kinds: {}",
            kinds.join(", ")
        )));
    }
    let scenario = prepare::parse(kind_or_toml, &opts.name, &opts.files, &opts.run.sets).map_err(into_error)?;
    Ok(explain::explain_scenario(&scenario, &opts.name))
}

/// Every replication of a prepared scenario, in order.
fn replications(scenario: &Scenario) -> Vec<deploysim_core::Report> {
    let runner = Runner::new(scenario);
    (0..scenario.replications).map(|r| runner.replication(r, |_| ())).collect()
}

/// The options of every function, read from a JS object or its JSON text.
struct Options {
    name: String,
    run: RunOptions,
    strict: bool,
    format: Format,
    files: MemoryFiles,
    instances: Option<u32>,
}

impl Options {
    fn read(value: &JsValue) -> Result<Options, JsError> {
        let mut opts = Options {
            name: "scenario.toml".to_owned(),
            run: RunOptions::default(),
            strict: false,
            format: Format::Json,
            files: MemoryFiles::default(),
            instances: None,
        };
        let doc = match to_json(value)? {
            Value::Null => return Ok(opts),
            Value::Object(map) => map,
            _ => return Err(JsError::new("error: options: give an object, its JSON text, or nothing")),
        };
        let bad = |key: &str, what: &str| JsError::new(&format!("error: options.{key}: {what}"));
        for (key, v) in doc {
            match key.as_str() {
                "name" => opts.name = v.as_str().ok_or_else(|| bad(&key, "a file name string"))?.to_owned(),
                "seed" => {
                    opts.run.seed = Some(
                        match &v {
                            Value::String(s) => s.trim().parse().ok(),
                            _ => v.as_u64(),
                        }
                        .ok_or_else(|| {
                            bad(&key, "a whole number from 0 to 18446744073709551615 (as a string above 2^53)")
                        })?,
                    )
                }
                "runs" => {
                    let n = v.as_u64().ok_or_else(|| bad(&key, "a whole number of replications"))?;
                    opts.run.runs = Some(u32::try_from(n).unwrap_or(u32::MAX));
                }
                "strategies" => {
                    opts.run.strategies = match v {
                        Value::String(s) => vec![s],
                        Value::Array(items) => items
                            .into_iter()
                            .map(|x| x.as_str().map(str::to_owned))
                            .collect::<Option<_>>()
                            .ok_or_else(|| bad(&key, "a list of strategy kinds or labels"))?,
                        _ => return Err(bad(&key, "a list of strategy kinds or labels")),
                    }
                }
                "set" => opts.run.sets = assignments(v).map_err(|why| bad(&key, &why))?,
                "strict" => opts.strict = v.as_bool().ok_or_else(|| bad(&key, "true or false"))?,
                "format" => {
                    opts.format = v
                        .as_str()
                        .and_then(Format::parse)
                        .ok_or_else(|| bad(&key, "one of json, table, csv, markdown"))?
                }
                "files" => {
                    let map = v.as_object().ok_or_else(|| bad(&key, "an object of file name to text"))?;
                    let files: Option<BTreeMap<String, String>> =
                        map.iter().map(|(k, t)| t.as_str().map(|t| (k.clone(), t.to_owned()))).collect();
                    opts.files = MemoryFiles(files.ok_or_else(|| bad(&key, "an object of file name to text"))?);
                }
                "instances" => {
                    let n = v.as_u64().ok_or_else(|| bad(&key, "a whole number"))?;
                    opts.instances = Some(u32::try_from(n).unwrap_or(u32::MAX));
                }
                other => {
                    return Err(JsError::new(&format!(
                        "error: options: unknown option `{other}` (known: name, seed, runs, strategies, set, strict, format, files, instances)"
                    )));
                }
            }
        }
        Ok(opts)
    }
}

/// `["k=v", ...]` or `{"k": v}` as assignments; object values are written as TOML.
fn assignments(v: Value) -> Result<Vec<Assignment>, String> {
    match v {
        Value::Array(items) => items
            .iter()
            .map(|x| x.as_str().ok_or_else(|| "a list of \"KEY=VALUE\" strings".to_owned()).and_then(Assignment::parse))
            .collect(),
        Value::Object(map) => Ok(map
            .into_iter()
            .map(|(key, value)| {
                let value = match value {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                Assignment { key, value }
            })
            .collect()),
        _ => Err("a list of \"KEY=VALUE\" strings or an object of key to value".to_owned()),
    }
}

/// A JS value as JSON: `undefined` and `null` are null; a string is parsed as JSON text.
fn to_json(value: &JsValue) -> Result<Value, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(Value::Null);
    }
    if let Some(text) = value.as_string() {
        let trimmed = text.trim();
        if trimmed.starts_with('{') || trimmed.starts_with('[') {
            return serde_json::from_str(trimmed).map_err(|e| JsError::new(&format!("error: not JSON: {e}")));
        }
        return Ok(Value::String(text));
    }
    let text = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| JsError::new("error: the value cannot be turned into JSON"))?;
    serde_json::from_str(&text).map_err(|e| JsError::new(&format!("error: not JSON: {e}")))
}

/// A problem as a JS error, its message the CLI's first line.
fn into_error(problem: Problem) -> JsError {
    JsError::new(&problem.first_line())
}

fn set_panic_hook() {
    #[cfg(feature = "console_error_panic_hook")]
    console_error_panic_hook::set_once();
}
