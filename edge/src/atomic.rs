//! All-or-nothing writes in the Durable Object's SQLite storage.
//!
//! Cloudflare's storage commits each statement on its own; `ctx.storage.transactionSync(fn)`
//! runs `fn` as one SQLite transaction and rolls everything back if `fn` throws. workers-rs
//! 0.8.7 does not wrap it, so it is called here on the raw storage object.

use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use worker::js_sys::{Function, Reflect};
use worker::Storage;

/// Runs `body` in one storage transaction. When `body` returns `Err`, nothing it wrote stays.
pub fn transaction<T: 'static>(
    storage: &Storage,
    body: impl FnOnce() -> Result<T, String> + 'static,
) -> worker::Result<T> {
    let slot: Rc<RefCell<Option<Result<T, String>>>> = Rc::new(RefCell::new(None));
    let out = slot.clone();
    let callback = Closure::once(move || -> Result<JsValue, JsValue> {
        let result = body();
        let failed = result.as_ref().err().cloned();
        *out.borrow_mut() = Some(result);
        match failed {
            Some(why) => Err(JsValue::from_str(&why)), // throwing makes SQLite roll back
            None => Ok(JsValue::UNDEFINED),
        }
    });
    let raw: &JsValue = storage.as_raw();
    let run: Function = Reflect::get(raw, &JsValue::from_str("transactionSync"))?.dyn_into()?;
    let thrown = run.call1(raw, callback.as_ref().unchecked_ref()).err();
    let result = slot.borrow_mut().take();
    match (result, thrown) {
        (Some(Ok(v)), None) => Ok(v),
        (Some(Err(why)), _) => Err(worker::Error::RustError(format!(
            "transaction rolled back: {why}"
        ))),
        (_, Some(js)) => Err(worker::Error::from(js)),
        (None, None) => Err(worker::Error::RustError(
            "transaction body did not run".into(),
        )),
    }
}
