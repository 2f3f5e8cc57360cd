//! The few things the app asks of the browser directly: the clock (pacing only; simulated
//! time never comes from it), the URL's fragment, object URLs for downloads, the editor's
//! selection, and a mark for tests that the first render is done.

use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlTextAreaElement, Url};

/// Milliseconds since the page started (`performance.now()`).
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Records when the first render finished, as `window.deploysimReady` (ms since the page
/// started), for the end-to-end tests.
pub fn mark_ready() {
    if let Some(w) = web_sys::window() {
        let _ = js_sys::Reflect::set(&w, &"deploysimReady".into(), &now_ms().into());
    }
}

/// The URL's fragment, with its `#`.
pub fn hash() -> Option<String> {
    web_sys::window()?.location().hash().ok().filter(|h| !h.is_empty())
}

/// Replaces the URL's fragment without a new history entry (and without a `hashchange`).
pub fn set_hash(fragment: &str) {
    let Some(w) = web_sys::window() else { return };
    if w.location().hash().ok().as_deref().map(|h| h.trim_start_matches('#')) == Some(fragment) {
        return;
    }
    if let Ok(history) = w.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("#{fragment}")));
    }
}

/// An object URL for `text` (revoke it with `revoke_url` when it is replaced).
pub fn object_url(text: &str, mime: &str) -> String {
    let parts = js_sys::Array::of1(&text.into());
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    Blob::new_with_str_sequence_and_options(&parts, &options)
        .ok()
        .and_then(|b| Url::create_object_url_with_blob(&b).ok())
        .unwrap_or_default()
}

/// Frees an object URL.
pub fn revoke_url(url: &str) {
    if !url.is_empty() {
        let _ = Url::revoke_object_url(url);
    }
}

/// Focuses the editor and selects the byte range `start..end` of its text.
pub fn select_in_editor(start: usize, end: usize) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(area) = doc.get_element_by_id("editor").and_then(|e| e.dyn_into::<HtmlTextAreaElement>().ok()) else {
        return;
    };
    let text = area.value();
    // The textarea counts UTF-16 units; diagnostics count bytes.
    let units = |byte: usize| {
        let mut b = byte.min(text.len());
        while !text.is_char_boundary(b) {
            b -= 1;
        }
        text[..b].encode_utf16().count() as u32
    };
    let _ = area.focus();
    let _ = area.set_selection_range(units(start), units(end.max(start + 1)));
}
