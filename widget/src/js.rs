//! Reading plain JS values (the loader's arguments, the config, the outbox) without a JSON
//! library in the wasm: the browser's own `JSON` does the text work, which keeps the module small.
//! Also the one binding the widget declares itself rather than take from web-sys ([`Field`]).

use domain::Attributes;
use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

#[wasm_bindgen]
extern "C" {
    /// A text field, `<input>` or `<textarea>`: what the two have alike, bound once (web-sys
    /// binds each element's own copy).
    #[wasm_bindgen(extends = web_sys::EventTarget)]
    pub type Field;
    #[wasm_bindgen(method, getter)]
    pub fn value(this: &Field) -> String;
    #[wasm_bindgen(method, js_name = setCustomValidity)]
    pub fn set_custom_validity(this: &Field, message: &str);
}

pub fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `obj[key]` when it is `obj`'s own property (not one of its prototype's), else `undefined`.
pub fn own(obj: &JsValue, key: &str) -> JsValue {
    let key = JsValue::from_str(key);
    match obj.dyn_ref::<Object>() {
        Some(o) if Object::has_own(o, &key) => {
            Reflect::get(obj, &key).unwrap_or(JsValue::UNDEFINED)
        }
        _ => JsValue::UNDEFINED,
    }
}

pub fn string(obj: &JsValue, key: &str) -> Option<String> {
    get(obj, key).as_string()
}

pub fn number(obj: &JsValue, key: &str) -> Option<f64> {
    get(obj, key).as_f64()
}

pub fn set(obj: &Object, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), &value.into());
}

/// `{k: "v", …}` (an object's own enumerable entries) as attributes; non-string values are
/// skipped, and anything but an object is none.
pub fn string_map(obj: &JsValue) -> Attributes {
    let mut map = Attributes::default();
    if let Some(obj) = obj.dyn_ref::<Object>() {
        for pair in Object::entries(obj).iter() {
            let pair: Array = pair.unchecked_into();
            if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                map.insert(k, v);
            }
        }
    }
    map
}

pub fn parse(text: &str) -> Option<JsValue> {
    JSON::parse(text).ok()
}

pub fn stringify(value: &JsValue) -> Option<String> {
    JSON::stringify(value).ok()?.as_string()
}
