//! A curl command for bash.

use super::{TOKEN_PLACEHOLDER, json_compact, shell::quote};
use crate::model::ConfigurationPrototype;
use crate::target::Target;

/// `curl -X POST '<url>' -H … -d '<body>'`, one option a line with `\` continuations. The token
/// is `${IAM_TOKEN}`, in double quotes so the shell expands it.
///
/// The body is the compact JSON on one line: no line of the command starts inside a quote.
/// On such a line bash's history expansion can lose track of the quote after earlier
/// multi-line input and expand a `!` in a value (found by the execution tests), so pretty
/// JSON spanning lines is not paste-safe.
pub fn curl(request: &ConfigurationPrototype, target: &Target) -> String {
    [
        format!("curl -X POST {}", quote(&target.configurations_url())),
        format!("  -H \"Authorization: Bearer {TOKEN_PLACEHOLDER}\""),
        format!("  -H {}", quote("Accept: application/json")),
        format!("  -H {}", quote("Content-Type: application/json")),
        format!("  -d {}", quote(&json_compact(request))),
    ]
    .join(" \\\n")
}
