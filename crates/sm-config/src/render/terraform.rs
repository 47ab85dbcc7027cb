//! A Terraform `ibm_sm_custom_credentials_configuration` resource (provider ≥ 1.79.0).

use super::hcl::escape;
use crate::model::ConfigurationPrototype;
use crate::target::Target;

/// The resource type.
pub const RESOURCE_TYPE: &str = "ibm_sm_custom_credentials_configuration";

/// A Terraform label for the resource, made from the configuration's name: letters, digits,
/// `_` and `-`, starting with a letter or `_`.
pub fn resource_label(name: &str) -> String {
    let mut label: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !label.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        label.insert_str(0, "config_");
    }
    label
}

/// The resource block, arguments aligned as `terraform fmt` does.
pub fn terraform(request: &ConfigurationPrototype, target: &Target) -> String {
    let ConfigurationPrototype::CustomCredentialsConfiguration(c) = request;
    let mut top: Vec<(&str, &str)> = vec![
        ("instance_id", &target.instance_id),
        ("region", &target.region),
        ("endpoint_type", target.endpoint.as_str()),
        ("name", &c.name),
    ];
    if let Some(id) = &c.api_key_ref {
        top.push(("api_key_ref", id));
    }
    if let Some(t) = &c.task_timeout {
        top.push(("task_timeout", t));
    }
    let code_engine = [
        ("project_id", c.code_engine.project_id.as_str()),
        ("job_name", &c.code_engine.job_name),
        ("region", &c.code_engine.region),
    ];
    let mut out = format!(
        "resource \"{RESOURCE_TYPE}\" \"{}\" {{\n",
        resource_label(&c.name)
    );
    attributes(&mut out, "  ", &top);
    out.push_str("\n  code_engine {\n");
    attributes(&mut out, "    ", &code_engine);
    out.push_str("  }\n}\n");
    out
}

fn attributes(out: &mut String, indent: &str, attrs: &[(&str, &str)]) {
    let width = attrs.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    for (key, value) in attrs {
        out.push_str(&format!("{indent}{key:width$} = \"{}\"\n", escape(value)));
    }
}
