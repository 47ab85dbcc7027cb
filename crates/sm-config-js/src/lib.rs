//! sm-config for JavaScript: thin wasm-bindgen bindings over the core, built into the npm
//! package `sm-config` by `cargo xtask js`.
//!
//! Every rule lives in the core; this crate only moves values across. Parameters are taken as
//! `JsValue` and read inside the function ([`input`]), never deserialized at the ABI boundary,
//! so no input can leave the instance in a broken state: bad requests answer with findings,
//! bad arguments throw a real `Error`. Findings cross in one block that `fast.js` turns into
//! plain objects (absent optionals left out, see `fast`); the other results cross as JSON text
//! the engine parses. Both are typed in the `.d.ts` by the core's `Tsify` derives (its `typescript`
//! feature) and the shapes in [`types`].
//!
//! `validate` reads a plain request in place (the fast path, `fast`) and anything else as
//! `JSON.stringify` writes it (the general path); both hand the fields to the core's rules.

mod fast;
#[cfg(feature = "bench-floor")]
mod floor;
pub mod input;
pub mod types;

use serde::Serialize;
use sm_config::{Format, Target};
use tsify::{Ts, Tsify};
use types::{Findings, Limits, Regions, TaskTimeout};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

// Single-threaded wasm (no `atomics`), as the package is built; see Cargo.toml for why talc.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[wasm_bindgen(typescript_custom_section)]
const INPUT_TYPES: &str = r#"
/** A create body of a custom credentials configuration, with the service's wire names. */
export interface ConfigurationPrototype {
    name: string;
    config_type: "custom_credentials_configuration";
    api_key_ref?: string;
    code_engine: CodeEngine;
    task_timeout?: string;
}

/** The Code Engine job that issues the credentials. */
export interface CodeEngine {
    job_name: string;
    project_id: string;
    region: string;
}

/** A Secrets Manager instance: its ID, its region and which endpoint to use (default public). */
export interface Target {
    instance_id: string;
    region: string;
    endpoint?: "public" | "private";
}

/** A rendering format. */
export type Format = "json" | "curl" | "cli" | "terraform";

/** What `parseTaskTimeout` throws: an `Error` with the finding's code, hint and span. */
export interface TaskTimeoutError extends Error {
    code: Code;
    hint: string;
    span: Span;
}
"#;

/// Serializes a result for JS: JSON text, parsed by the engine into plain objects (nothing
/// here has an optional field, so nothing is `null` that should be left out). Smaller than a
/// serializer that sets each property across the boundary, which the package's size budget
/// needs.
fn to_js<T: Tsify + Serialize>(value: &T) -> Result<Ts<T>, JsError> {
    let text = serde_json::to_string(value).map_err(|e| JsError::new(&e.to_string()))?;
    let value = js_sys::JSON::parse(&text).map_err(|_| JsError::new("cannot read a result"))?;
    Ok(Ts::new_unchecked(value))
}

/// Validates a request given as a JS value, with a target also the target and how the two fit.
/// Anything is accepted: what is not a well-formed request is reported as findings.
/// Throws only when `target` is neither an object, an instance URL, `null` nor `undefined`.
#[wasm_bindgen]
pub fn validate(
    #[wasm_bindgen(unchecked_param_type = "unknown")] request: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Target | string | null")] target: JsValue,
) -> Result<Ts<Findings>, JsError> {
    let target = input::target(&target)?;
    let report = fast::validate(&request, target.as_ref())
        .unwrap_or_else(|| fast::general(&request, target.as_ref()));
    Ok(Ts::new_unchecked(fast::findings(&report)))
}

/// Validates many requests in one call: the findings of each, in order, exactly what
/// `validate` answers for it, with the same optional target for all. Throws when `values` is
/// not an array, or as `validate` does for the target.
#[wasm_bindgen(js_name = validateMany, unchecked_return_type = "Findings[]")]
pub fn validate_many(
    #[wasm_bindgen(unchecked_param_type = "unknown[]")] values: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Target | string | null")] target: JsValue,
) -> Result<JsValue, JsError> {
    let target = input::target(&target)?;
    if !js_sys::Array::is_array(&values) {
        return Err(JsError::new(&format!(
            "values must be an array, not {}",
            input::kind(&values)
        )));
    }
    Ok(fast::validate_many(
        &values.unchecked_into(),
        target.as_ref(),
    ))
}

/// Validates a request given as JSON text; spans of `invalid_json` findings are byte offsets
/// into its UTF-8 encoding. Anything is accepted: a value that is not a string is a finding.
#[wasm_bindgen(js_name = validateJson)]
pub fn validate_json(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Target | string | null")] target: JsValue,
) -> Result<Ts<Findings>, JsError> {
    let target = input::target(&target)?;
    let report = match text.as_string() {
        Some(text) => sm_config::validate_json(&text, target.as_ref()).report,
        None => {
            let finding = sm_config::Finding::error(
                "",
                sm_config::Code::InvalidJson,
                format!("the body must be json text, not {}", input::kind(&text)),
            )
            .with_hint("pass a string, or call validate() with the object");
            let mut report = sm_config::Report::from(vec![finding]);
            if let Some(target) = &target {
                report.append(sm_config::validate_target(target));
            }
            report
        }
    };
    Ok(Ts::new_unchecked(fast::findings(&report)))
}

/// Renders a request as the JSON body, a curl command, an `ibmcloud` command or a Terraform
/// resource. Renders what it can read of an invalid request (validate it first); throws when
/// the request is not an object or the format is unknown. Without a target, an all-zero
/// placeholder instance in us-south is used. Previews carry `${IAM_TOKEN}`, never a token.
#[wasm_bindgen]
pub fn render(
    #[wasm_bindgen(unchecked_param_type = "ConfigurationPrototype")] request: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Target | string | null | undefined")] target: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Format")] format: JsValue,
) -> Result<String, JsError> {
    let format: Format = input::string(&format, "format")?
        .parse()
        .map_err(|e: sm_config::render::UnknownFormat| JsError::new(&e.to_string()))?;
    let target = input::target(&target)?.unwrap_or_else(Target::placeholder);
    let text = input::request_json(&request).map_err(|f| JsError::new(&f.message))?;
    let parsed = sm_config::validate_json(&text, None);
    let request = parsed.request.ok_or_else(|| {
        let why = parsed.report.findings().first().map(|f| f.message.as_str());
        JsError::new(why.unwrap_or("the request cannot be read"))
    })?;
    Ok(sm_config::render(&request, &target, format))
}

/// The Terraform import ID of a configuration, `{region}/{instance_id}/{name}`.
#[wasm_bindgen(js_name = importId)]
pub fn import_id(
    #[wasm_bindgen(unchecked_param_type = "Target | string")] target: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
) -> Result<String, JsError> {
    let target = input::target(&target)?
        .ok_or_else(|| JsError::new("target is required for an import id"))?;
    Ok(target.import_id(&input::string(&name, "name")?))
}

/// Parses a task timeout (`"30m"`, `"3h"`, `"600"` = seconds) and checks its range. Throws a
/// `TaskTimeoutError`: an `Error` whose message says what is wrong, with `code`, `hint` and
/// `span` (byte offsets into the text).
#[wasm_bindgen(js_name = parseTaskTimeout)]
pub fn parse_task_timeout(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> Result<Ts<TaskTimeout>, JsValue> {
    let text = input::string(&text, "task timeout").map_err(JsValue::from)?;
    match sm_config::TaskTimeout::parse(&text) {
        Ok(t) => to_js(&TaskTimeout {
            text: t.as_str().to_owned(),
            seconds: u32::try_from(t.seconds()).unwrap_or(u32::MAX),
        })
        .map_err(JsValue::from),
        Err(e) => Err(task_timeout_error(&e)),
    }
}

/// A JS `Error` carrying a task timeout error's code, hint and span as properties.
fn task_timeout_error(e: &sm_config::TaskTimeoutError) -> JsValue {
    let error = js_sys::Error::new(&e.to_string());
    let span = e.span();
    let props = [
        ("code", JsValue::from_str(e.code().as_str())),
        ("hint", JsValue::from_str(&e.hint())),
        ("span", span_object(span)),
    ];
    for (key, value) in props {
        // Setting a property on a fresh Error cannot fail; if it did, the message still stands.
        let _ = js_sys::Reflect::set(&error, &JsValue::from_str(key), &value);
    }
    error.into()
}

/// `{start, end}` as a plain object, set property by property (no serializer for two numbers).
fn span_object(span: sm_config::Span) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in [("start", span.start), ("end", span.end)] {
        // Setting a property on a fresh object cannot fail.
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), &JsValue::from(value));
    }
    object.into()
}

/// Every Secrets Manager region, with whether Code Engine runs there, for a host's pickers.
#[wasm_bindgen]
pub fn regions() -> Result<Ts<Regions>, JsError> {
    to_js(&Regions::all())
}

/// The rules' limits as data, for a host's hints and `maxlength`s.
#[wasm_bindgen]
pub fn limits() -> Result<Ts<Limits>, JsError> {
    to_js(&Limits::core())
}
