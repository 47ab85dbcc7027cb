//! Renderings of a request: the JSON body, curl, the `ibmcloud` CLI and Terraform.
//!
//! Every renderer takes any field values, valid or not (the console renders while the user
//! types), and its output stays well-formed: shell arguments are single-quoted and HCL strings
//! escaped, so what a user pastes runs and sends exactly the values shown.

mod cli;
mod curl;
mod hcl;
mod json;
mod shell;
mod terraform;

use crate::model::ConfigurationPrototype;
use crate::target::Target;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

pub use cli::cli;
pub use curl::curl;
pub use hcl::escape as hcl_escape;
pub use json::{json, json_compact};
pub use shell::quote as shell_quote;
pub use terraform::{RESOURCE_TYPE as TERRAFORM_RESOURCE_TYPE, resource_label, terraform};

/// The bearer token as it appears in renderings: a shell variable, never a real token.
pub const TOKEN_PLACEHOLDER: &str = "${IAM_TOKEN}";

/// A rendering format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// The JSON body.
    Json,
    /// A curl command for bash.
    Curl,
    /// An `ibmcloud secrets-manager configuration-create` command.
    Cli,
    /// A Terraform `ibm_sm_custom_credentials_configuration` resource.
    Terraform,
}

impl Format {
    /// Every format, in the order the console shows them.
    pub const ALL: [Format; 4] = [Format::Json, Format::Curl, Format::Cli, Format::Terraform];

    /// The format's name (`terraform`).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Curl => "curl",
            Format::Cli => "cli",
            Format::Terraform => "terraform",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A format name that is not one of `json`, `curl`, `cli`, `terraform`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format `{0}`: use json, curl, cli or terraform")]
pub struct UnknownFormat(String);

impl FromStr for Format {
    type Err = UnknownFormat;
    fn from_str(s: &str) -> Result<Format, UnknownFormat> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| UnknownFormat(s.to_owned()))
    }
}

/// Renders `request` for `target` in `format`: the JSON body, a curl command, an `ibmcloud`
/// command or a Terraform resource. Commands carry `${IAM_TOKEN}`, never a token, and quote
/// every value for the shell.
///
/// ```
/// use sm_config::{Endpoint, Format, Target, render, validate_json};
///
/// let body = r#"{"name": "payroll-db", "config_type": "custom_credentials_configuration",
///     "api_key_ref": "a2f9c2e4-a3a8-c508-2bed-fcb7c26843ca",
///     "code_engine": {"job_name": "rotate-db", "project_id": "12345678-5120-4a18-832a-4ba122496633", "region": "eu-de"}}"#;
/// let request = validate_json(body, None).valid().expect("a valid request");
/// let target = Target::new("b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5", "eu-de", Endpoint::Public);
///
/// let curl = render(&request, &target, Format::Curl);
/// assert!(curl.contains("https://b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5.eu-de.secrets-manager.appdomain.cloud/api/v2/configurations"));
/// assert!(curl.contains("${IAM_TOKEN}"));
///
/// let terraform = render(&request, &target, Format::Terraform);
/// assert!(terraform.starts_with("resource \"ibm_sm_custom_credentials_configuration\""));
/// ```
pub fn render(request: &ConfigurationPrototype, target: &Target, format: Format) -> String {
    match format {
        Format::Json => json(request),
        Format::Curl => curl(request, target),
        Format::Cli => cli(request, target),
        Format::Terraform => terraform(request, target),
    }
}
