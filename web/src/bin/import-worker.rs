//! The import worker: runs the core's `import` in a Web Worker with its own wasm, so the page's
//! main wasm carries no parser for curl, CLI or Terraform (HCL) text and stays small. The page
//! starts it on the first import; each message is the pasted text, each answer the core's
//! `Imported` as JSON with the fields it fills (`import::answer`).

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn main() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let text = event.data().as_string().unwrap_or_default();
        let answer = sm_config_web::import::answer(&sm_config::import(&text));
        let json = answer.to_string();
        let _ = reply.post_message(&JsValue::from_str(&json));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    // Messages sent before the wasm was ready are lost: the page waits for this one.
    let _ = scope.post_message(&JsValue::from_str(sm_config_web::import::READY));
}
