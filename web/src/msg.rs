//! Messages between the page and its workers are plain JS objects; these build and read them.

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

/// `{key: value, ...}`.
pub fn obj(fields: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in fields {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

/// A string field, if the object has one.
pub fn field_str(o: &JsValue, key: &str) -> Option<String> {
    Reflect::get(o, &JsValue::from_str(key)).ok().and_then(|v| v.as_string())
}

/// A number field, if the object has one.
pub fn field_f64(o: &JsValue, key: &str) -> Option<f64> {
    Reflect::get(o, &JsValue::from_str(key)).ok().and_then(|v| v.as_f64())
}

/// Any field (`undefined` when missing).
pub fn field(o: &JsValue, key: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}
