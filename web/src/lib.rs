//! deploysim-web: the browser playground, a yew single-page app.
//!
//! One wasm module serves two roles. On the page, `start` mounts `app::App`: the scenario
//! editor with problems located as you type, the common knobs written into the TOML through
//! `--set`, Run and Cancel, and the views of the results. In each web worker (`worker.js`
//! loads the same module), `worker::worker_message` runs the core directly: a share of the
//! replications, their aggregate in replication order with the run's chart, a monthly
//! estimate, a paired comparison. The numbers and charts are the CLI's, byte for byte, because
//! both front-ends call the same core and `deploysim_present`.
//!
//! The wall clock only paces the page (progress repaints); simulated time never comes from it.

mod app;
mod components;
mod dom;
mod msg;
mod pool;
mod share;
mod state;
mod study;
mod worker;

use wasm_bindgen::prelude::*;

/// The name scenarios have in messages: the editor's text is not a file.
pub const FILE_NAME: &str = "scenario.toml";

/// Mounts the app on `#app` (or the body). Called by `index.html`; workers never call it.
#[wasm_bindgen]
pub fn start() {
    console_error_panic_hook::set_once();
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => {
            yew::Renderer::<app::App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<app::App>::new().render();
        }
    }
}
