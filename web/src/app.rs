//! The playground's one stateful component: the scenario text is the source of truth; the
//! form edits it through `--set`, the editor shows its problems as you type, Run spreads the
//! replications over the worker pool and aggregates them in replication order, and the views
//! (results, plans, cost, compare) show what came back. Every change arrives as a [`Msg`]
//! and goes through `update`, the one place the state changes.

use std::collections::BTreeMap;
use std::rc::Rc;

use deploysim_core::cost::CostReport;
use deploysim_core::timeline::Timeline;
use deploysim_core::{Report, Scenario};
use deploysim_present::chart::Panel;
use deploysim_present::prepare::RunOptions;
use deploysim_present::presets::{self, Preset};
use js_sys::Array;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

use crate::components::study::StudyMsg;
use crate::components::{chart, compare, cost, editor, inputs, plans, results, study};
use crate::dom;
use crate::msg::obj;
use crate::pool::{Event, Pool};
use crate::share::{self, Shared};
use crate::state::{self, Knob, KnobId, Problemline};
use crate::study::{Section, StudyState, TableState};

/// The views of the results area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    /// The comparison table and the run's charts.
    Results,
    /// Each strategy's plan, step by step.
    Plans,
    /// The monthly estimate on Lambda, Fargate and EC2.
    Cost,
    /// Paired differences of two strategies.
    Compare,
    /// Questions, the comparison table and the crosswalk, for certification study.
    Study,
}

impl View {
    /// Every view, in tab order.
    pub const ALL: [View; 5] = [View::Results, View::Plans, View::Cost, View::Compare, View::Study];

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            View::Results => "Results",
            View::Plans => "Plans",
            View::Cost => "Cost",
            View::Compare => "Compare",
            View::Study => "Study",
        }
    }

    /// The tab's element id.
    pub fn id(self) -> &'static str {
        match self {
            View::Results => "tab-results",
            View::Plans => "tab-plans",
            View::Cost => "tab-cost",
            View::Compare => "tab-compare",
            View::Study => "tab-study",
        }
    }
}

/// Everything that changes the state.
pub enum Msg {
    /// A preset was picked.
    Preset(String),
    /// The editor's text changed.
    Text(String),
    /// A knob of the form changed.
    Knob(KnobId, String),
    /// The replications field changed.
    Runs(String),
    /// The seed field changed.
    Seed(String),
    /// A strategy was switched on or off (by label).
    Toggle(String),
    /// Run the scenario.
    Run,
    /// Stop the run.
    Cancel,
    /// A worker replied.
    Worker(Event),
    /// A tab was chosen.
    View(View),
    /// Compare's strategies were chosen (labels).
    ComparePick(Option<String>, Option<String>),
    /// Run the comparison.
    Compare,
    /// The URL's fragment changed (a share link was opened in this page).
    HashChanged,
    /// The pointer moved over the chart (pixels in the chart's own units, and where to put the
    /// read-out: a negative left puts it left of that point), or left it.
    Hover(Option<(f64, f64, f64, f64)>),
    /// Select a diagnostic's place in the editor.
    Jump(usize, usize),
    /// Give the results the whole width (or not).
    Wide,
    /// Something in the Study view.
    Study(StudyMsg),
}

/// Where a run is.
pub enum RunState {
    /// No run yet.
    Idle,
    /// Replications are running in the workers.
    Running(Box<Job>),
    /// The reports are being aggregated.
    Aggregating(Box<Job>),
    /// Finished.
    Done,
    /// Stopped by the user.
    Cancelled,
    /// A worker reported a problem.
    Failed(String),
}

/// A run in flight.
pub struct Job {
    id: u32,
    text: String,
    options: String,
    strict: bool,
    /// Replications in all.
    pub total: u32,
    per_worker: Vec<u32>,
    shares: BTreeMap<u32, Array>,
    expected: usize,
    timelines: Option<String>,
    started_ms: f64,
    replicated_ms: f64,
    last_paint_ms: f64,
}

impl Job {
    /// Replications finished so far.
    pub fn done(&self) -> u32 {
        self.per_worker.iter().sum()
    }
}

/// A finished run.
pub struct RunResult {
    /// The aggregated report (its JSON text, the bytes `simulate run --format json` prints,
    /// is the download).
    pub report: Report,
    /// The run chart.
    pub svg: String,
    /// Where its panels are.
    pub panels: Vec<Panel>,
    /// The timelines' JSON, read on the first hover.
    pub timelines_json: String,
    /// The timelines, once read.
    pub timelines: Option<Vec<Timeline>>,
    /// Every replication's report (JSON text), for comparisons.
    pub reports: Array,
    /// The scenario text and options the run had.
    pub text: String,
    /// See `text`.
    pub options: String,
    /// Wall time of the run, ms.
    pub elapsed_ms: f64,
    /// Of which the replications in the workers, ms (the rest: aggregating and drawing).
    pub replicate_ms: f64,
    /// Object URLs of the downloads: JSON, CSV, chart.
    pub urls: [String; 3],
}

/// The monthly estimate view's state.
pub enum CostState {
    /// Not asked for the current text.
    Stale,
    /// Being computed (job id).
    Pending(u32),
    /// Done.
    Ready(Box<CostResult>),
    /// Failed.
    Failed(String),
}

/// A monthly estimate, ready.
pub struct CostResult {
    /// The estimate.
    pub report: CostReport,
    /// Its break-even chart (SVG).
    pub svg: Rc<str>,
    /// An object URL of the chart, to download it.
    pub svg_url: String,
    /// The scenario text it was for.
    pub text: String,
}

impl Drop for CostResult {
    fn drop(&mut self) {
        dom::revoke_url(&self.svg_url);
    }
}

/// The compare view's state.
pub struct CompareState {
    /// First strategy (label).
    pub a: Option<String>,
    /// Second strategy (label).
    pub b: Option<String>,
    /// Job in flight.
    pub pending: Option<u32>,
    /// The last result: text, or a problem.
    pub output: Option<Result<String, String>>,
}

/// The playground.
pub struct App {
    /// Bundled scenarios.
    pub presets: Vec<Preset>,
    /// The preset the text came from ("" once edited into something else).
    pub preset: String,
    /// The scenario text.
    pub text: String,
    /// The replications field.
    pub runs: String,
    /// The seed field.
    pub seed: String,
    /// Strategies switched off (labels).
    pub off: Vec<String>,
    /// The text with the options, read: the scenario, or its problems.
    pub checked: Result<Scenario, Vec<Problemline>>,
    /// The strategies the text has (labels, with kinds), whether or not switched off.
    pub strategies: Vec<(String, String)>,
    /// The form.
    pub knobs: Vec<Knob>,
    /// A knob value that could not be set.
    pub knob_error: Option<String>,
    /// Where a run is.
    pub run: RunState,
    /// The last finished run.
    pub result: Option<RunResult>,
    /// The tab shown.
    pub view: View,
    /// The cost view.
    pub cost: CostState,
    /// The compare view.
    pub compare: CompareState,
    /// The chart read-out: where, and what.
    pub hover: Option<(f64, f64, String)>,
    /// Whether the results take the whole width (the inputs hidden).
    pub wide: bool,
    /// The Study view.
    pub study: StudyState,
    pool: Pool,
    _hash_listener: Option<Closure<dyn FnMut()>>,
}

const DEFAULT_PRESET: &str = "eb-policies";

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let presets = presets::all();
        let pool = Pool::new(ctx.link().callback(Msg::Worker));
        let link = ctx.link().clone();
        let listener = Closure::<dyn FnMut()>::new(move || link.send_message(Msg::HashChanged));
        if let Some(w) = web_sys::window() {
            w.set_onhashchange(Some(listener.as_ref().unchecked_ref()));
        }
        let mut app = App {
            presets,
            preset: DEFAULT_PRESET.to_owned(),
            text: presets::find(DEFAULT_PRESET).unwrap_or_default().to_owned(),
            runs: String::new(),
            seed: String::new(),
            off: Vec::new(),
            checked: Err(Vec::new()),
            strategies: Vec::new(),
            knobs: Vec::new(),
            knob_error: None,
            run: RunState::Idle,
            result: None,
            view: View::Results,
            cost: CostState::Stale,
            compare: CompareState { a: None, b: None, pending: None, output: None },
            hover: None,
            wide: false,
            study: StudyState::new(),
            pool,
            _hash_listener: Some(listener),
        };
        app.restore_from_hash();
        app.recheck();
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Preset(name) => {
                if let Some(text) = presets::find(&name) {
                    self.preset = name;
                    self.text = text.to_owned();
                    self.off.clear();
                    self.recheck();
                }
                true
            }
            Msg::Text(text) => {
                self.text = text;
                if presets::find(&self.preset) != Some(self.text.as_str()) {
                    self.preset.clear();
                }
                self.recheck();
                true
            }
            Msg::Knob(id, value) => {
                match state::set_knob(&self.text, id, &value) {
                    Ok(text) => {
                        self.knob_error = None;
                        self.text = text;
                        self.preset.clear();
                        self.recheck();
                    }
                    Err(why) => self.knob_error = Some(format!("{}: {why}", id.label())),
                }
                true
            }
            Msg::Runs(v) => {
                self.runs = v;
                self.recheck();
                true
            }
            Msg::Seed(v) => {
                self.seed = v;
                self.recheck();
                true
            }
            Msg::Toggle(label) => {
                if let Some(i) = self.off.iter().position(|l| *l == label) {
                    self.off.remove(i);
                } else {
                    self.off.push(label);
                }
                self.recheck();
                true
            }
            Msg::Run => {
                self.start_run();
                true
            }
            Msg::Cancel => {
                if matches!(self.run, RunState::Running(_) | RunState::Aggregating(_)) {
                    self.pool.terminate();
                    self.run = RunState::Cancelled;
                    // Terminating the workers drops the Study view's jobs too: ask again.
                    self.study.pending = None;
                    if matches!(self.study.table, TableState::Pending(_)) {
                        self.study.table = TableState::Idle;
                    }
                }
                true
            }
            Msg::Worker(event) => self.on_worker(event),
            Msg::View(view) => {
                self.view = view;
                if view == View::Cost {
                    self.ensure_cost();
                }
                if view == View::Study {
                    self.ensure_study();
                }
                true
            }
            Msg::Study(m) => self.on_study(m),
            Msg::ComparePick(a, b) => {
                if a.is_some() {
                    self.compare.a = a;
                }
                if b.is_some() {
                    self.compare.b = b;
                }
                true
            }
            Msg::Compare => {
                self.start_compare();
                true
            }
            Msg::HashChanged => {
                if self.restore_from_hash() {
                    self.recheck();
                    true
                } else {
                    false
                }
            }
            Msg::Hover(at) => {
                self.hover = at.and_then(|(x, y, left, top)| {
                    let result = self.result.as_mut()?;
                    if result.timelines.is_none() {
                        result.timelines = serde_json::from_str(&result.timelines_json).ok();
                    }
                    let text = chart::read_out(result, x, y)?;
                    Some((left, top, text))
                });
                true
            }
            Msg::Wide => {
                self.wide = !self.wide;
                true
            }
            Msg::Jump(start, end) => {
                dom::select_in_editor(start, end);
                let _ = ctx;
                false
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let running = matches!(self.run, RunState::Running(_) | RunState::Aggregating(_));
        let state = match self.run {
            RunState::Idle => "idle",
            RunState::Running(_) | RunState::Aggregating(_) => "running",
            RunState::Done => "done",
            RunState::Cancelled => "cancelled",
            RunState::Failed(_) => "error",
        };
        html! {
            <div class="app">
                <header class="top">
                    <h1>{ "deploysim" }<span class="sub">{ " playground" }</span></h1>
                    <p class="tagline">
                        { "If we deploy this way, how much downtime, how much capacity and how much money — and how sure is that number?" }
                    </p>
                </header>
                <main class={classes!("grid", self.wide.then_some("wide"))}>
                    <section class="inputs" aria-label="Scenario and options">
                        { inputs::view(self, link, running) }
                        { editor::view(self, link) }
                    </section>
                    <section class="outputs" data-testid="results" data-state={state} aria-label="Results">
                        <div class="tabs" role="tablist" aria-label="Views">
                            { for View::ALL.iter().map(|&v| {
                                let selected = v == self.view;
                                html! {
                                    <button role="tab" id={v.id()} aria-selected={selected.to_string()}
                                        class={classes!("tab", selected.then_some("selected"))}
                                        onclick={link.callback(move |_| Msg::View(v))}>{ v.label() }</button>
                                }
                            }) }
                            <button class="wide-toggle" aria-pressed={self.wide.to_string()}
                                title="Hide the inputs and give the results the whole width"
                                onclick={link.callback(|_| Msg::Wide)}>{ if self.wide { "⤡ Show inputs" } else { "⤢ Wide view" } }</button>
                        </div>
                        <div class="panel" role="tabpanel" aria-labelledby={self.view.id()}>
                            { match self.view {
                                View::Results => results::view(self, link),
                                View::Plans => plans::view(self),
                                View::Cost => cost::view(self),
                                View::Compare => compare::view(self, link),
                                View::Study => study::view(self, link),
                            } }
                        </div>
                    </section>
                </main>
                <footer class="foot">
                    { "deploysim " }{ env!("CARGO_PKG_VERSION") }
                    { " · the same core as the simulate CLI, compiled to WebAssembly; results equal the CLI's byte for byte" }
                </footer>
            </div>
        }
    }

    fn rendered(&mut self, _ctx: &Context<Self>, first_render: bool) {
        if first_render {
            dom::mark_ready();
        }
    }
}

impl App {
    /// The run options the fields describe (bad fields are reported by `recheck`).
    pub fn options(&self) -> RunOptions {
        let strategies = if self.off.is_empty() {
            Vec::new()
        } else {
            self.strategies.iter().filter(|(l, _)| !self.off.contains(l)).map(|(l, _)| l.clone()).collect()
        };
        RunOptions {
            seed: self.seed.trim().parse().ok(),
            runs: self.runs.trim().parse().ok(),
            strategies,
            sets: Vec::new(),
        }
    }

    /// How many workers runs are spread over.
    pub fn workers(&self) -> usize {
        self.pool.size()
    }

    /// The share link's fragment for the current text and options.
    pub fn share_fragment(&self) -> String {
        share::encode(&Shared {
            text: self.text.clone(),
            runs: self.runs.trim().parse().ok(),
            seed: Some(self.seed.trim().to_owned()).filter(|s| !s.is_empty()),
            off: self.off.clone(),
            preset: Some(self.preset.clone()).filter(|p| !p.is_empty()),
        })
    }

    /// Reads the text and options again: problems, the form, the strategy list.
    fn recheck(&mut self) {
        self.knobs = state::knobs(&self.text);
        self.strategies = match state::check(&self.text, &RunOptions::default()) {
            Ok(sc) => sc.strategies.iter().map(|s| (s.label.clone(), s.def.kind.to_owned())).collect(),
            Err(_) => self.strategies.clone(),
        };
        self.off.retain(|l| self.strategies.iter().any(|(s, _)| s == l));
        let mut problems = Vec::new();
        if !self.runs.trim().is_empty() && self.runs.trim().parse::<u32>().is_err() {
            problems.push(field_problem("replications: write a whole number from 1 to 100000"));
        }
        if !self.seed.trim().is_empty() && self.seed.trim().parse::<u64>().is_err() {
            problems.push(field_problem("seed: write a whole number from 0 to 18446744073709551615"));
        }
        if !self.strategies.is_empty() && self.off.len() == self.strategies.len() {
            problems.push(field_problem("strategies: switch at least one on"));
        }
        self.checked = match state::check(&self.text, &self.options()) {
            Ok(sc) if problems.is_empty() => Ok(sc),
            Ok(_) => Err(problems),
            Err(mut more) => {
                problems.append(&mut more);
                Err(problems)
            }
        };
        if !matches!(self.cost, CostState::Pending(_)) {
            self.cost = match std::mem::replace(&mut self.cost, CostState::Stale) {
                CostState::Ready(r) if r.text == self.text => CostState::Ready(r),
                _ => CostState::Stale,
            };
        }
        if self.view == View::Cost {
            self.ensure_cost();
        }
        dom::set_hash(&self.share_fragment());
    }

    /// Takes the text and options from a share link in the URL, if there is one.
    fn restore_from_hash(&mut self) -> bool {
        let Some(shared) = dom::hash().as_deref().and_then(share::decode) else { return false };
        if shared.text == self.text
            && shared.runs.map(|r| r.to_string()).unwrap_or_default() == self.runs
            && shared.seed.clone().unwrap_or_default() == self.seed
            && shared.off == self.off
        {
            return false;
        }
        self.text = shared.text;
        self.runs = shared.runs.map(|r| r.to_string()).unwrap_or_default();
        self.seed = shared.seed.unwrap_or_default();
        self.off = shared.off;
        self.preset = shared.preset.filter(|p| presets::find(p) == Some(self.text.as_str())).unwrap_or_default();
        true
    }

    fn start_run(&mut self) {
        if matches!(self.run, RunState::Running(_) | RunState::Aggregating(_)) {
            return;
        }
        let scenario = match &self.checked {
            Ok(sc) => sc,
            Err(_) => return,
        };
        let total = scenario.replications;
        let options = self.options().to_json();
        let id = self.pool.next_id();
        let workers = self.pool.size().min(total as usize).max(1);
        let mut job = Job {
            id,
            text: self.text.clone(),
            options: options.clone(),
            strict: false,
            total,
            per_worker: vec![0; workers],
            shares: BTreeMap::new(),
            expected: workers,
            timelines: None,
            started_ms: dom::now_ms(),
            replicated_ms: 0.0,
            last_paint_ms: 0.0,
        };
        for k in 0..workers {
            // Contiguous shares, so the reports come back in replication order share by share.
            let from = (u64::from(total) * k as u64 / workers as u64) as u32;
            let to = (u64::from(total) * (k as u64 + 1) / workers as u64) as u32;
            let message = obj(&[
                ("id", f64::from(id).into()),
                ("kind", "run".into()),
                ("text", job.text.as_str().into()),
                ("options", options.as_str().into()),
                ("from", f64::from(from).into()),
                ("to", f64::from(to).into()),
            ]);
            if let Err(why) = self.pool.post(k, &message) {
                self.run = RunState::Failed(format!("the workers could not start: {why}"));
                return;
            }
        }
        job.last_paint_ms = job.started_ms;
        self.hover = None;
        self.run = RunState::Running(Box::new(job));
    }

    fn on_worker(&mut self, event: Event) -> bool {
        match event {
            Event::Progress { id, worker, done } => {
                let RunState::Running(job) = &mut self.run else { return false };
                if job.id != id {
                    return false;
                }
                if let Some(slot) = job.per_worker.get_mut(worker) {
                    *slot = done;
                }
                // Repaint at most every 50 ms: the page stays free for input.
                let now = dom::now_ms();
                if now - job.last_paint_ms >= 50.0 || job.done() == job.total {
                    job.last_paint_ms = now;
                    return true;
                }
                false
            }
            Event::Reports { id, from, reports, timelines } => {
                let RunState::Running(job) = &mut self.run else { return false };
                if job.id != id {
                    return false;
                }
                job.shares.insert(from, reports);
                if timelines.is_some() {
                    job.timelines = timelines;
                }
                if job.shares.len() < job.expected {
                    return false;
                }
                job.replicated_ms = dom::now_ms();
                let all = Array::new();
                for share in job.shares.values() {
                    for r in share.iter() {
                        all.push(&r);
                    }
                }
                let message = obj(&[
                    ("id", f64::from(id).into()),
                    ("kind", "aggregate".into()),
                    ("text", job.text.as_str().into()),
                    ("options", job.options.as_str().into()),
                    ("gate", if job.strict { "strict" } else { "mean" }.into()),
                    ("reports", all.clone().into()),
                    ("timelines", job.timelines.clone().unwrap_or_default().into()),
                ]);
                job.shares.clear();
                job.shares.insert(0, all);
                let job = match std::mem::replace(&mut self.run, RunState::Idle) {
                    RunState::Running(job) => job,
                    other => {
                        self.run = other;
                        return false;
                    }
                };
                if let Err(why) = self.pool.post(0, &message) {
                    self.run = RunState::Failed(why);
                } else {
                    self.run = RunState::Aggregating(job);
                }
                true
            }
            Event::Report { id, json, svg, panels } => {
                let RunState::Aggregating(job) = &self.run else { return false };
                if job.id != id {
                    return false;
                }
                let report: Report = match serde_json::from_str(&json) {
                    Ok(r) => r,
                    Err(e) => {
                        self.run = RunState::Failed(format!("the report does not read: {e}"));
                        return true;
                    }
                };
                if let Some(old) = self.result.take() {
                    for url in &old.urls {
                        dom::revoke_url(url);
                    }
                }
                let csv = deploysim_present::report::csv(std::slice::from_ref(&report));
                let urls = [
                    dom::object_url(&json, "application/json"),
                    dom::object_url(&csv, "text/csv"),
                    dom::object_url(&svg, "image/svg+xml"),
                ];
                let RunState::Aggregating(job) = std::mem::replace(&mut self.run, RunState::Done) else {
                    return true;
                };
                let labels: Vec<String> = report.strategies.iter().map(|s| s.label.clone()).collect();
                if !self.compare.a.as_ref().is_some_and(|a| labels.contains(a)) {
                    self.compare.a = labels.first().cloned();
                }
                if !self.compare.b.as_ref().is_some_and(|b| labels.contains(b)) {
                    self.compare.b = labels.get(1).or(labels.first()).cloned();
                }
                self.compare.output = None;
                let reports = job.shares.get(&0).cloned().unwrap_or_default();
                self.result = Some(RunResult {
                    report,
                    svg,
                    panels: serde_json::from_str(&panels).unwrap_or_default(),
                    timelines_json: job.timelines.clone().unwrap_or_default(),
                    timelines: None,
                    reports,
                    text: job.text.clone(),
                    options: job.options.clone(),
                    elapsed_ms: dom::now_ms() - job.started_ms,
                    replicate_ms: job.replicated_ms - job.started_ms,
                    urls,
                });
                true
            }
            Event::Cost { id, json, svg } => {
                if !matches!(self.cost, CostState::Pending(p) if p == id) {
                    return false;
                }
                self.cost = match serde_json::from_str::<CostReport>(&json) {
                    Ok(report) => CostState::Ready(Box::new(CostResult {
                        report,
                        svg_url: dom::object_url(&svg, "image/svg+xml"),
                        svg: svg.into(),
                        text: self.text.clone(),
                    })),
                    Err(e) => CostState::Failed(format!("the estimate does not read: {e}")),
                };
                true
            }
            Event::Compare { id, text, .. } => {
                if self.compare.pending != Some(id) {
                    return false;
                }
                self.compare.pending = None;
                self.compare.output = Some(Ok(text));
                true
            }
            Event::Quiz { id, json } => {
                if self.study.pending != Some(id) {
                    return false;
                }
                self.study.pending = None;
                match serde_json::from_str(&json) {
                    Ok(questions) => {
                        self.study.questions = questions;
                        self.study.index = 0;
                        self.study.picked = None;
                        self.study.error = None;
                    }
                    Err(e) => self.study.error = Some(format!("the questions do not read: {e}")),
                }
                true
            }
            Event::Table { id, json } => {
                if !matches!(self.study.table, TableState::Pending(p) if p == id) {
                    return false;
                }
                self.study.table = match serde_json::from_str(&json) {
                    Ok(t) => TableState::Ready(Box::new(t)),
                    Err(e) => TableState::Failed(format!("the table does not read: {e}")),
                };
                true
            }
            Event::Error { id, message } => {
                if self.study.pending == Some(id) {
                    self.study.pending = None;
                    self.study.error = Some(message);
                    return true;
                }
                if matches!(&self.study.table, TableState::Pending(p) if *p == id) {
                    self.study.table = TableState::Failed(message);
                    return true;
                }
                if matches!(&self.cost, CostState::Pending(p) if *p == id) {
                    self.cost = CostState::Failed(message);
                } else if self.compare.pending == Some(id) {
                    self.compare.pending = None;
                    self.compare.output = Some(Err(message));
                } else if matches!(&self.run, RunState::Running(j) | RunState::Aggregating(j) if j.id == id || id == 0)
                {
                    self.pool.terminate();
                    self.run = RunState::Failed(message);
                } else {
                    return false;
                }
                true
            }
        }
    }

    fn ensure_cost(&mut self) {
        if !matches!(self.cost, CostState::Stale) {
            return;
        }
        let Ok(_) = &self.checked else {
            return;
        };
        let id = self.pool.next_id();
        let message = obj(&[
            ("id", f64::from(id).into()),
            ("kind", "cost".into()),
            ("text", self.text.as_str().into()),
            ("options", "".into()),
        ]);
        // The last worker, so that a run's first share is not held up behind it.
        let worker = self.pool.size() - 1;
        self.cost = match self.pool.post(worker, &message) {
            Ok(()) => CostState::Pending(id),
            Err(why) => CostState::Failed(why),
        };
    }

    fn start_compare(&mut self) {
        let Some(result) = &self.result else { return };
        let (Some(a), Some(b)) = (&self.compare.a, &self.compare.b) else { return };
        let id = self.pool.next_id();
        let message = obj(&[
            ("id", f64::from(id).into()),
            ("kind", "compare".into()),
            ("text", result.text.as_str().into()),
            ("options", result.options.as_str().into()),
            ("a", a.as_str().into()),
            ("b", b.as_str().into()),
            ("reports", result.reports.clone().into()),
        ]);
        let worker = self.pool.size() - 1;
        match self.pool.post(worker, &message) {
            Ok(()) => {
                self.compare.pending = Some(id);
                self.compare.output = None;
            }
            Err(why) => self.compare.output = Some(Err(why)),
        }
    }
}

impl App {
    fn on_study(&mut self, m: StudyMsg) -> bool {
        match m {
            StudyMsg::Section(section) => {
                self.study.section = section;
                self.ensure_study();
            }
            StudyMsg::Topic(topic) => {
                self.study.topic = topic;
                // A round still being generated is for the old topic: its reply is ignored.
                self.study.pending = None;
                self.study.questions.clear();
                self.ensure_study();
            }
            StudyMsg::Pick(key) => {
                let Some(q) = self.study.current() else { return false };
                if self.study.picked.is_some() {
                    return false;
                }
                let (topic, right) = (q.topic.clone(), q.answer == key);
                self.study.picked = Some(key);
                self.study.progress.record(&topic, right);
                self.study.progress.save();
            }
            StudyMsg::Next => {
                self.study.picked = None;
                self.study.index += 1;
                if self.study.index >= self.study.questions.len() {
                    self.study.questions.clear();
                    self.ensure_study();
                }
            }
            StudyMsg::ShowMe => {
                let Some(q) = self.study.current() else { return false };
                self.text = q.scenario.clone();
                self.preset.clear();
                self.runs.clear();
                self.seed.clear();
                self.off.clear();
                self.view = View::Results;
                self.recheck();
                self.start_run();
            }
            StudyMsg::Reset => {
                self.study.progress = Default::default();
                self.study.progress.save();
            }
        }
        true
    }

    /// Asks a worker for what the Study view shows and does not have yet: a round of
    /// questions, or the comparison table.
    fn ensure_study(&mut self) {
        let worker = self.pool.size() - 1;
        match self.study.section {
            Section::Questions if self.study.questions.is_empty() && self.study.pending.is_none() => {
                let id = self.pool.next_id();
                let seed = self.study.progress.next_seed;
                // Each round asks new questions, in this browser and the next visit.
                self.study.progress.next_seed = seed.wrapping_add(1);
                self.study.progress.save();
                let message = obj(&[
                    ("id", f64::from(id).into()),
                    ("kind", "quiz".into()),
                    ("seed", (seed as f64).into()),
                    ("topic", self.study.topic.as_str().into()),
                    ("count", (crate::study::ROUND as f64).into()),
                    ("options", "".into()),
                ]);
                match self.pool.post(worker, &message) {
                    Ok(()) => {
                        self.study.pending = Some(id);
                        self.study.error = None;
                    }
                    Err(why) => self.study.error = Some(why),
                }
            }
            Section::Table if matches!(self.study.table, TableState::Idle) => {
                let id = self.pool.next_id();
                let message = obj(&[("id", f64::from(id).into()), ("kind", "table".into()), ("options", "".into())]);
                self.study.table = match self.pool.post(worker, &message) {
                    Ok(()) => TableState::Pending(id),
                    Err(why) => TableState::Failed(why),
                };
            }
            _ => {}
        }
    }
}

fn field_problem(text: &str) -> Problemline {
    Problemline { line: 0, column: 0, span: (0, 0), text: format!("error: {text}"), help: None }
}
