//! Reading whatever JS passes in. Parameters arrive as plain `JsValue`s (the ABI conversion
//! cannot fail) and are read here, where every failure is an ordinary `Result`.
//!
//! A request crosses as the JSON text the engine's own `JSON.stringify` makes of it, then goes
//! to the core's lenient reader. That is exactly the body a host would send (fields set to
//! `undefined` are left out, `toJSON` is honoured), and every hostile value is caught on the JS
//! side before any Rust runs: a cycle, a `BigInt` or a throwing getter makes `stringify` throw,
//! which `fast.js` catches and answers as 0 (an exception crossing into wasm would leak); nesting deeper than serde_json's recursion
//! limit becomes an `invalid_json` finding. Walking the object with serde-wasm-bindgen instead
//! would call back into JS for every field and recurse without a bound on cyclic input.

use sm_config::{Code, Endpoint, Finding, Target, TargetError};
use wasm_bindgen::{JsError, JsValue};

/// A request as JSON text, or the finding that says why it has none.
pub fn request_json(value: &JsValue) -> Result<String, Finding> {
    let text = crate::fast::json(value);
    if let Some(text) = text.as_string() {
        return Ok(text);
    }
    if text.is_undefined() {
        // `stringify` answers `undefined` for `undefined`, functions and symbols.
        return Err(Finding::error(
            "",
            Code::InvalidType,
            format!("the body must be a json object, not {}", kind(value)),
        )
        .with_hint("a json object such as {\"name\": \"my_config\", ...}"));
    }
    Err(Finding::error(
        "",
        Code::InvalidType,
        "the body cannot be written as json (a cycle, a bigint or a getter that throws)",
    )
    .with_hint("pass plain objects, strings and numbers, as JSON.stringify would send them"))
}

/// A finding about text `request_json` made, told in terms of the object. That text is
/// well-formed JSON, so the parser can only have refused its nesting depth.
pub fn too_deep(finding: Finding) -> Finding {
    if finding.code != Code::InvalidJson {
        return finding;
    }
    Finding::error(
        "",
        Code::InvalidType,
        "the body is nested too deeply to be read as json",
    )
    .with_hint("a request is an object of strings, with code_engine one level down")
}

/// The optional target: absent for `undefined`/`null`, else an object or an instance URL.
/// Missing or empty fields are left empty for the core to report as findings; a field of the
/// wrong type throws, as it is a bug in the host rather than something its user typed.
pub fn target(value: &JsValue) -> Result<Option<Target>, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    if let Some(url) = value.as_string() {
        return Target::from_url(&url)
            .map(Some)
            .map_err(|e| JsError::new(&e.to_string()));
    }
    if !value.is_object() || js_sys::Array::is_array(value) {
        return Err(JsError::new(&format!(
            "target must be {{instance_id, region, endpoint?}} or an instance url, not {}",
            kind(value)
        )));
    }
    let field = |key: &str| -> Result<Option<String>, JsError> {
        let path = format!("target.{key}");
        let v = js_sys::Reflect::get(value, &JsValue::from_str(key))
            .map_err(|_| JsError::new(&format!("{path} cannot be read")))?;
        if v.is_undefined() {
            return Ok(None);
        }
        string(&v, &path).map(Some)
    };
    let endpoint = match field("endpoint")? {
        None => Endpoint::default(),
        Some(e) => e
            .parse()
            .map_err(|e: TargetError| JsError::new(&e.to_string()))?,
    };
    Ok(Some(Target::new(
        field("instance_id")?.unwrap_or_default(),
        field("region")?.unwrap_or_default(),
        endpoint,
    )))
}

/// A string argument, or an `Error` naming the argument and what came instead.
pub fn string(value: &JsValue, what: &str) -> Result<String, JsError> {
    value
        .as_string()
        .ok_or_else(|| JsError::new(&format!("{what} must be a string, not {}", kind(value))))
}

/// How a JS value is described in messages (`a number`, `null`, `an array`).
pub fn kind(value: &JsValue) -> &'static str {
    if value.is_undefined() {
        "undefined"
    } else if value.is_null() {
        "null"
    } else if js_sys::Array::is_array(value) {
        "an array"
    } else if value.is_string() {
        "a string"
    } else if value.as_bool().is_some() {
        "a boolean"
    } else if value.as_f64().is_some() {
        "a number"
    } else if value.is_bigint() {
        "a bigint"
    } else if value.is_symbol() {
        "a symbol"
    } else if value.is_function() {
        "a function"
    } else {
        "an object"
    }
}
