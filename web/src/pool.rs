//! The page's web workers: one per core (`navigator.hardwareConcurrency`, at most
//! `MAX_WORKERS`), each running `worker.js`, which loads this same wasm module. The pool
//! posts messages and turns replies into [`Event`]s for the app; cancelling terminates every
//! worker (a run stops at once, wherever it is) and the next job starts fresh ones.

use js_sys::Array;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::Callback;

use crate::msg::{field, field_f64, field_str};

/// Most workers a page starts.
pub const MAX_WORKERS: usize = 16;

/// What a worker said.
#[derive(Clone, Debug)]
pub enum Event {
    /// Worker `worker` finished `done` replications of its share of job `id`.
    Progress { id: u32, worker: usize, done: u32 },
    /// A share of replications, from replication `from`, each report as JSON text; the first
    /// share also carries the timelines (JSON).
    Reports { id: u32, from: u32, reports: Array, timelines: Option<String> },
    /// The aggregated report, as `simulate run --format json` prints it, and its chart: the
    /// SVG and where its panels are (JSON).
    Report { id: u32, json: String, svg: String, panels: String },
    /// A monthly estimate, as `simulate cost --format json` prints it, and its chart.
    Cost { id: u32, json: String, svg: String },
    /// A paired comparison, as `simulate compare` prints it.
    Compare { id: u32, text: String },
    /// A round of quiz questions (JSON, a list of questions).
    Quiz { id: u32, json: String },
    /// The simulated comparison table (JSON, as `simulate explain --table --format json`).
    Table { id: u32, json: String },
    /// A job failed: the CLI's first line, or why the worker could not start.
    Error { id: u32, message: String },
}

struct Slot {
    worker: Worker,
    // Kept alive as long as the worker: dropping them would detach the handlers.
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

/// The workers and the callback their events go to.
pub struct Pool {
    slots: Vec<Slot>,
    size: usize,
    on_event: Callback<Event>,
    next_id: u32,
}

impl Pool {
    /// A pool of one worker per core (started on first use).
    pub fn new(on_event: Callback<Event>) -> Self {
        let cores = web_sys::window().map_or(1.0, |w| w.navigator().hardware_concurrency());
        let size = (cores as usize).clamp(1, MAX_WORKERS);
        Pool { slots: Vec::new(), size, on_event, next_id: 0 }
    }

    /// How many workers a job is spread over.
    pub fn size(&self) -> usize {
        self.size
    }

    /// A new job number; replies to older jobs can be told apart and ignored.
    pub fn next_id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }

    /// Posts `message` to worker `i` (started if need be).
    pub fn post(&mut self, i: usize, message: &JsValue) -> Result<(), String> {
        self.start()?;
        let slot = &self.slots[i % self.slots.len()];
        slot.worker.post_message(message).map_err(|e| format!("{e:?}"))
    }

    /// Stops every worker at once; the next job starts fresh ones.
    pub fn terminate(&mut self) {
        for slot in self.slots.drain(..) {
            slot.worker.terminate();
        }
    }

    fn start(&mut self) -> Result<(), String> {
        while self.slots.len() < self.size {
            let index = self.slots.len();
            let options = WorkerOptions::new();
            options.set_type(WorkerType::Module);
            let worker = Worker::new_with_options("./worker.js", &options).map_err(|e| format!("{e:?}"))?;
            let cb = self.on_event.clone();
            let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                if let Some(event) = read(&e.data(), index) {
                    cb.emit(event);
                }
            });
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            let cb = self.on_event.clone();
            let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |e: web_sys::ErrorEvent| {
                e.prevent_default();
                cb.emit(Event::Error { id: 0, message: format!("a worker failed: {}", e.message()) });
            });
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            self.slots.push(Slot { worker, _on_message: on_message, _on_error: on_error });
        }
        Ok(())
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        self.terminate();
    }
}

fn read(data: &JsValue, worker: usize) -> Option<Event> {
    let id = field_f64(data, "id")? as u32;
    let text = |k: &str| field_str(data, k).unwrap_or_default();
    Some(match field_str(data, "kind")?.as_str() {
        "progress" => Event::Progress { id, worker, done: field_f64(data, "done")? as u32 },
        "reports" => Event::Reports {
            id,
            from: field_f64(data, "from")? as u32,
            reports: field(data, "reports").dyn_into().ok()?,
            timelines: field_str(data, "timelines"),
        },
        "report" => Event::Report { id, json: text("json"), svg: text("svg"), panels: text("panels") },
        "cost" => Event::Cost { id, json: text("json"), svg: text("svg") },
        "compare" => Event::Compare { id, text: text("text") },
        "quiz" => Event::Quiz { id, json: text("json") },
        "table" => Event::Table { id, json: text("json") },
        "error" => Event::Error { id, message: text("message") },
        _ => return None,
    })
}
