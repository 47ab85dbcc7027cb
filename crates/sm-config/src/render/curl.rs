//! A curl command for bash.

use super::{TOKEN_PLACEHOLDER, json, shell::quote};
use crate::model::ConfigurationPrototype;
use crate::target::Target;

/// `curl -X POST '<url>' -H … -d '<body>'`, one option a line with `\` continuations. The token
/// is `${IAM_TOKEN}`, in double quotes so the shell expands it.
pub fn curl(request: &ConfigurationPrototype, target: &Target) -> String {
    [
        format!("curl -X POST {}", quote(&target.configurations_url())),
        format!("  -H \"Authorization: Bearer {TOKEN_PLACEHOLDER}\""),
        format!("  -H {}", quote("Accept: application/json")),
        format!("  -H {}", quote("Content-Type: application/json")),
        format!("  -d {}", quote(&json(request))),
    ]
    .join(" \\\n")
}
