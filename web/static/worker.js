// A web worker of the playground: loads the same wasm module as the page and hands every
// message to it (see web/src/worker.rs); replies are posted from Rust.
import init, { worker_message } from './deploysim_web.js';

const ready = init();
self.onmessage = (event) => {
  ready.then(() => worker_message(event.data));
};
