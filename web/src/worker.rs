//! The web worker's side: `worker.js` loads this same wasm module and hands every message to
//! [`worker_message`]; replies go back with `postMessage`. A worker runs the core directly:
//! its share of a run's replications (each report as JSON text, which the page keeps as JS
//! strings and never parses), the first replication's timelines, the aggregate of all the
//! reports in replication order (the bytes `simulate run --format json` prints) with the
//! run's chart (the SVG `run --plot` writes), a monthly estimate with its break-even chart, and
//! a paired comparison.
//!
//! Messages are plain JS objects: `{id, kind, ...}` in, `{id, kind, ...}` out, `kind` one of
//! `run` → `progress`* then `reports`; `aggregate` → `report`; `cost` → `cost`; `compare` →
//! `compare`; `quiz` → `quiz` (a round of questions, proven by simulation); `table` →
//! `table` (the simulated comparison of Elastic Beanstalk methods); any failure → `error`
//! with the CLI's first line.

use deploysim_core::NoFiles;
use deploysim_core::replicate::{Gate, aggregate};
use deploysim_core::{Report, Runner, Scenario};
use deploysim_present::compare::{self, Comparison};
use deploysim_present::prepare::{self, RunOptions};
use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::DedicatedWorkerGlobalScope;

use crate::msg::{field_f64, field_str, obj};

/// Handles one message from the page. Exported for `worker.js`.
#[wasm_bindgen]
pub fn worker_message(data: JsValue) {
    console_error_panic_hook::set_once();
    let id = field_f64(&data, "id").unwrap_or(0.0);
    if let Err(message) = handle(&data, id) {
        post(&obj(&[("id", id.into()), ("kind", "error".into()), ("message", message.into())]));
    }
}

fn handle(data: &JsValue, id: f64) -> Result<(), String> {
    let kind = field_str(data, "kind").unwrap_or_default();
    let text = field_str(data, "text").unwrap_or_default();
    let options = RunOptions::from_json(&field_str(data, "options").unwrap_or_default())?;
    let strict = field_str(data, "gate").as_deref() == Some("strict");
    match kind.as_str() {
        "run" => {
            let scenario = prepared(&text, &options)?;
            let from = field_f64(data, "from").unwrap_or(0.0) as u32;
            let to = (field_f64(data, "to").unwrap_or(0.0) as u32).min(scenario.replications);
            let runner = Runner::owned(scenario);
            let reports = Array::new();
            let mut timelines = JsValue::NULL;
            for r in from..to {
                let report = if r == 0 {
                    let (report, series) = deploysim_core::timeline::record_first(&runner);
                    timelines = serde_json::to_string(&series).map_err(|e| e.to_string())?.into();
                    report
                } else {
                    runner.replication(r, |_| ())
                };
                reports.push(&serde_json::to_string(&report).map_err(|e| e.to_string())?.into());
                post(&obj(&[("id", id.into()), ("kind", "progress".into()), ("done", f64::from(r - from + 1).into())]));
            }
            post(&obj(&[
                ("id", id.into()),
                ("kind", "reports".into()),
                ("from", f64::from(from).into()),
                ("reports", reports.into()),
                ("timelines", timelines),
            ]));
        }
        "aggregate" => {
            let scenario = prepared(&text, &options)?;
            let runs = reports(data)?;
            let gate = if strict { Gate::Pessimistic } else { Gate::Mean };
            let report = aggregate(&scenario, runs, gate);
            let json = deploysim_present::report::json(std::slice::from_ref(&report));
            // The chart is drawn here too: its text is measured without the DOM, so a worker
            // can, and the page's thread only inserts the SVG.
            let timelines: Vec<deploysim_core::timeline::Timeline> =
                serde_json::from_str(&field_str(data, "timelines").unwrap_or_default()).unwrap_or_default();
            let deploy_at_s = (scenario.warmup + scenario.deploy_at).as_secs_f64();
            let (svg, panels) = deploysim_present::chart::run_svg(&report, &timelines, deploy_at_s)?;
            let panels = serde_json::to_string(&panels).map_err(|e| e.to_string())?;
            post(&obj(&[
                ("id", id.into()),
                ("kind", "report".into()),
                ("json", json.into()),
                ("svg", svg.into()),
                ("panels", panels.into()),
            ]));
        }
        "cost" => {
            let scenario =
                prepare::parse(&text, crate::FILE_NAME, &NoFiles, &options.sets).map_err(|p| p.first_line())?;
            let estimate = deploysim_core::cost::estimate(&scenario);
            let json = deploysim_present::cost::json(&estimate);
            let svg = deploysim_present::chart::break_even_svg(&estimate)?;
            post(&obj(&[("id", id.into()), ("kind", "cost".into()), ("json", json.into()), ("svg", svg.into())]));
        }
        "compare" => {
            let scenario = prepared(&text, &options)?;
            let a = field_str(data, "a").unwrap_or_default();
            let b = field_str(data, "b").unwrap_or_default();
            let pair = compare::find(&scenario, crate::FILE_NAME, &a, &b).map_err(|p| p.first_line())?;
            let comparison = Comparison::new(&scenario, &reports(data)?, pair);
            post(&obj(&[("id", id.into()), ("kind", "compare".into()), ("text", comparison.text().into())]));
        }
        "quiz" => {
            let seed = field_f64(data, "seed").unwrap_or(0.0) as u64;
            let count = field_f64(data, "count").unwrap_or(1.0) as usize;
            let topic = field_str(data, "topic").filter(|t| !t.is_empty());
            let questions = deploysim_study::quiz::generate(seed, topic.as_deref(), count)?;
            let json = serde_json::to_string(&questions).map_err(|e| e.to_string())?;
            post(&obj(&[("id", id.into()), ("kind", "quiz".into()), ("json", json.into())]));
        }
        "table" => {
            let json = serde_json::to_string(&deploysim_study::table::reference()).map_err(|e| e.to_string())?;
            post(&obj(&[("id", id.into()), ("kind", "table".into()), ("json", json.into())]));
        }
        other => return Err(format!("unknown message `{other}`")),
    }
    Ok(())
}

fn prepared(text: &str, options: &RunOptions) -> Result<Scenario, String> {
    prepare::prepare(text, crate::FILE_NAME, &NoFiles, options).map_err(|p| p.first_line())
}

/// The `reports` field: every replication's report as JSON text, in replication order.
fn reports(data: &JsValue) -> Result<Vec<Report>, String> {
    let list: Array = Reflect::get(data, &"reports".into()).map_err(|_| "no reports".to_owned())?.into();
    list.iter()
        .map(|v| {
            let text = v.as_string().ok_or("a report is not text")?;
            serde_json::from_str::<Report>(&text).map_err(|e| format!("a report does not read: {e}"))
        })
        .collect()
}

fn post(message: &JsValue) {
    if let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() {
        let _ = scope.post_message(message);
    }
}
