//! An `ibmcloud secrets-manager configuration-create` command.

use super::json::code_engine_compact;
use super::shell::quote;
use crate::model::ConfigurationPrototype;
use crate::target::Target;

/// The command with `--service-url` and the flags of the CLI reference, every value quoted
/// and joined to its flag with `=` (so a value starting with `-` is never read as a flag).
pub fn cli(request: &ConfigurationPrototype, target: &Target) -> String {
    let flag = |name: &str, value: &str| format!("  --{name}={}", quote(value));
    let mut lines = vec![
        "ibmcloud secrets-manager configuration-create".to_owned(),
        flag("service-url", &target.base_url()),
        flag("config-type", request.config_type().as_str()),
    ];
    match request {
        ConfigurationPrototype::CustomCredentialsConfiguration(c) => {
            lines.push(flag("name", &c.name));
            if let Some(id) = &c.api_key_ref {
                lines.push(flag("custom-credentials-apikey-ref", id));
            }
            lines.push(flag(
                "custom-credentials-code-engine",
                &code_engine_compact(&c.code_engine),
            ));
            if let Some(t) = &c.task_timeout {
                lines.push(flag("configuration-task-timeout", t));
            }
        }
    }
    lines.push("  --output=json".to_owned());
    lines.join(" \\\n")
}
