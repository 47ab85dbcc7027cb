//! JSON text to `serde_json::Value` through the browser's own `JSON.parse`.
//!
//! The page reads every answer as a `Value` (the core's models and error container read
//! from it). serde_json's text parser would add ~9 KB gzip to the page; the engine's parser is
//! already there. What `JSON.parse` returns is walked into a `Value` here.

use js_sys::{Array, JSON, Object};
use serde_json::{Map, Number, Value};
use wasm_bindgen::{JsCast, JsValue};

/// How deep arrays and objects may nest: serde_json's own limit. The walk is recursive, and a
/// deeper answer would exhaust the wasm stack, which kills the page.
const MAX_DEPTH: usize = 128;

/// Why a text is not a JSON value the page can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonError {
    /// `JSON.parse` refused the text.
    #[error("not json: {0}")]
    Syntax(String),
    /// Arrays or objects nested more than `MAX_DEPTH` deep.
    #[error("json nested more than {MAX_DEPTH} levels deep")]
    TooDeep,
}

/// Parses `text` as JSON.
pub fn parse(text: &str) -> Result<Value, JsonError> {
    let value = JSON::parse(text).map_err(|e| {
        JsonError::Syntax(
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_default(),
        )
    })?;
    walk(&value, 0)
}

fn walk(value: &JsValue, depth: usize) -> Result<Value, JsonError> {
    if let Some(text) = value.as_string() {
        return Ok(Value::String(text));
    }
    if let Some(number) = value.as_f64() {
        return Ok(number_value(number));
    }
    if let Some(flag) = value.as_bool() {
        return Ok(Value::Bool(flag));
    }
    if value.is_null() || value.is_undefined() {
        return Ok(Value::Null);
    }
    if depth >= MAX_DEPTH {
        return Err(JsonError::TooDeep);
    }
    if let Some(array) = value.dyn_ref::<Array>() {
        return array
            .iter()
            .map(|item| walk(&item, depth + 1))
            .collect::<Result<_, _>>()
            .map(Value::Array);
    }
    let mut map = Map::new();
    for entry in Object::entries(value.unchecked_ref::<Object>()).iter() {
        let pair = entry.unchecked_into::<Array>();
        let key = pair.get(0).as_string().unwrap_or_default();
        map.insert(key, walk(&pair.get(1), depth + 1)?);
    }
    Ok(Value::Object(map))
}

/// A JS number as serde_json would have read its text: integers as integers (up to 2^53,
/// where JS numbers stop being exact), the rest as floats.
fn number_value(number: f64) -> Value {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    if number.fract() == 0.0 && number.abs() <= EXACT {
        // In range and integral: the casts are exact.
        if number >= 0.0 {
            return Value::Number(Number::from(number as u64));
        }
        return Value::Number(Number::from(number as i64));
    }
    Number::from_f64(number).map_or(Value::Null, Value::Number)
}
