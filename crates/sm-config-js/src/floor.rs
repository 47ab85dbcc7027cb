//! The floor under one `validate` call, for `cargo xtask bench js` (feature `bench-floor`,
//! never in the published package): what a call costs before any rule runs, so the benchmark
//! can show which part of the gap to ajv is the rules and which is getting there and back.

use crate::fast;
use wasm_bindgen::prelude::*;

/// An exported call that takes the request and returns the same empty findings array
/// `validate` returns for a valid request, reading nothing: the crossing and wasm-bindgen's
/// glue alone.
#[wasm_bindgen(js_name = floorCall)]
pub fn floor_call(#[wasm_bindgen(unchecked_param_type = "unknown")] request: JsValue) -> JsValue {
    // Keep `request` alive across the call as `validate` does, so the glue is the same.
    let _ = &request;
    fast::findings(&sm_config::Report::new())
}

/// `validate`'s fast path with the rules skipped: the JS read of the request into wasm
/// memory, the parse of the record, and the empty answer. Returns `null` when the request
/// would take the general path (the benchmark checks it does not).
#[wasm_bindgen(js_name = floorRead)]
pub fn floor_read(#[wasm_bindgen(unchecked_param_type = "unknown")] request: JsValue) -> JsValue {
    match fast::read(&request, |fields| std::hint::black_box(fields.name.len())) {
        Some(_) => fast::findings(&sm_config::Report::new()),
        None => JsValue::NULL,
    }
}

/// `validate`'s fast path with the rules run but their findings dropped: with
/// [`floor_read`] and `validate`, it splits a call into the read, the rules (building the
/// findings) and the findings' way to JS. Returns the number of findings.
#[wasm_bindgen(js_name = floorRules)]
pub fn floor_rules(#[wasm_bindgen(unchecked_param_type = "unknown")] request: JsValue) -> JsValue {
    match fast::read(&request, |fields| {
        sm_config::validate_fields(fields, None).findings().len()
    }) {
        Some(n) => {
            std::hint::black_box(n);
            fast::findings(&sm_config::Report::new())
        }
        None => JsValue::NULL,
    }
}
