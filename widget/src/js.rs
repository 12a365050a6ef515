//! Reading plain JS values (the loader's arguments, the config, the outbox) without a JSON
//! library in the wasm: the browser's own `JSON` does the text work, which keeps the module small.

use domain::Attributes;
use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};

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

/// `{k: "v", …}` as attributes; non-string values are skipped.
pub fn string_map(obj: &JsValue) -> Attributes {
    let mut map = Attributes::default();
    for (k, v) in entries(obj) {
        if let Some(v) = v.as_string() {
            map.insert(k, v);
        }
    }
    map
}

/// The own enumerable entries of an object (empty for anything else).
pub fn entries(obj: &JsValue) -> Vec<(String, JsValue)> {
    let Some(obj) = obj.dyn_ref::<Object>() else {
        return Vec::new();
    };
    Object::entries(obj)
        .iter()
        .filter_map(|pair| {
            let pair: Array = pair.dyn_into().ok()?;
            Some((pair.get(0).as_string()?, pair.get(1)))
        })
        .collect()
}

pub fn parse(text: &str) -> Option<JsValue> {
    JSON::parse(text).ok()
}

pub fn stringify(value: &JsValue) -> Option<String> {
    JSON::stringify(value).ok()?.as_string()
}
