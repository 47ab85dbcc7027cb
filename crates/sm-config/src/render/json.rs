//! The JSON body, fields in the docs' order.

use crate::model::{CodeEngine, ConfigurationPrototype};
use serde::Serialize;

/// The body in the docs' order: name, config_type, api_key_ref, code_engine, task_timeout.
#[derive(Serialize)]
struct Body<'a> {
    name: &'a str,
    config_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    api_key_ref: Option<&'a str>,
    code_engine: &'a CodeEngine,
    #[serde(skip_serializing_if = "Option::is_none")]
    task_timeout: Option<&'a str>,
}

fn body(request: &ConfigurationPrototype) -> Body<'_> {
    match request {
        ConfigurationPrototype::CustomCredentialsConfiguration(c) => Body {
            name: &c.name,
            config_type: request.config_type().as_str(),
            api_key_ref: c.api_key_ref.as_deref(),
            code_engine: &c.code_engine,
            task_timeout: c.task_timeout.as_deref(),
        },
    }
}

/// The body, pretty-printed with two-space indents.
pub fn json(request: &ConfigurationPrototype) -> String {
    // Serializing plain strings into a String cannot fail.
    serde_json::to_string_pretty(&body(request)).unwrap_or_default()
}

/// The body on one line.
pub fn json_compact(request: &ConfigurationPrototype) -> String {
    serde_json::to_string(&body(request)).unwrap_or_default()
}

/// The `code_engine` object on one line, as the CLI's flag takes it.
pub(crate) fn code_engine_compact(code_engine: &CodeEngine) -> String {
    serde_json::to_string(code_engine).unwrap_or_default()
}
