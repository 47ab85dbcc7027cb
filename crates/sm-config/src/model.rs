//! Request and response bodies of the Secrets Manager configurations API, with wire names.
//!
//! Fields hold what the user wrote, valid or not: the console renders while the user types, so
//! a model never refuses a value. [`crate::validate`] says what is wrong with it.

use serde::{Deserialize, Serialize};

/// Every `config_type` the service knows (the API's enum), by wire name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfigType {
    /// A custom credentials engine backed by a Code Engine job (what sm-config builds).
    CustomCredentialsConfiguration,
    /// The IAM credentials engine.
    IamCredentialsConfiguration,
    /// Public certificates: Let's Encrypt CA.
    PublicCertConfigurationCaLetsEncrypt,
    /// Public certificates: DNS provider Cloud Internet Services.
    PublicCertConfigurationDnsCloudInternetServices,
    /// Public certificates: DNS provider classic infrastructure.
    PublicCertConfigurationDnsClassicInfrastructure,
    /// Private certificates: root CA.
    PrivateCertConfigurationRootCa,
    /// Private certificates: intermediate CA.
    PrivateCertConfigurationIntermediateCa,
    /// Private certificates: template.
    PrivateCertConfigurationTemplate,
}

impl ConfigType {
    /// Every value, in the API's order.
    pub const ALL: [ConfigType; 8] = [
        ConfigType::CustomCredentialsConfiguration,
        ConfigType::IamCredentialsConfiguration,
        ConfigType::PublicCertConfigurationCaLetsEncrypt,
        ConfigType::PublicCertConfigurationDnsCloudInternetServices,
        ConfigType::PublicCertConfigurationDnsClassicInfrastructure,
        ConfigType::PrivateCertConfigurationRootCa,
        ConfigType::PrivateCertConfigurationIntermediateCa,
        ConfigType::PrivateCertConfigurationTemplate,
    ];

    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            ConfigType::CustomCredentialsConfiguration => "custom_credentials_configuration",
            ConfigType::IamCredentialsConfiguration => "iam_credentials_configuration",
            ConfigType::PublicCertConfigurationCaLetsEncrypt => {
                "public_cert_configuration_ca_lets_encrypt"
            }
            ConfigType::PublicCertConfigurationDnsCloudInternetServices => {
                "public_cert_configuration_dns_cloud_internet_services"
            }
            ConfigType::PublicCertConfigurationDnsClassicInfrastructure => {
                "public_cert_configuration_dns_classic_infrastructure"
            }
            ConfigType::PrivateCertConfigurationRootCa => "private_cert_configuration_root_ca",
            ConfigType::PrivateCertConfigurationIntermediateCa => {
                "private_cert_configuration_intermediate_ca"
            }
            ConfigType::PrivateCertConfigurationTemplate => "private_cert_configuration_template",
        }
    }

    /// The value for a wire name, if the service knows it.
    pub fn from_wire(s: &str) -> Option<ConfigType> {
        ConfigType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// The Code Engine job that issues the credentials.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeEngine {
    /// The job's name in its project.
    pub job_name: String,
    /// The Code Engine project's ID (a UUID).
    pub project_id: String,
    /// The Code Engine region of the project.
    pub region: String,
}

/// The create body of a custom credentials configuration, without its `config_type` tag.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomCredentialsConfigurationPrototype {
    /// The configuration's name, unique in the instance.
    pub name: String,
    /// The ID of an IAM credentials secret whose API key the job uses; absent means the job
    /// authenticates with a trusted profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key_ref: Option<String>,
    /// The Code Engine job.
    pub code_engine: CodeEngine,
    /// How long one task may run, as written (`"50m"`); the service's default is `10m`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_timeout: Option<String>,
}

/// The create body (`POST /api/v2/configurations`), tagged by `config_type`.
///
/// Only the custom credentials type is modelled; the tag keeps room for the others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "config_type", rename_all = "snake_case")]
pub enum ConfigurationPrototype {
    /// `config_type: custom_credentials_configuration`.
    CustomCredentialsConfiguration(CustomCredentialsConfigurationPrototype),
}

impl ConfigurationPrototype {
    /// The `config_type` tag.
    pub fn config_type(&self) -> ConfigType {
        match self {
            ConfigurationPrototype::CustomCredentialsConfiguration(_) => {
                ConfigType::CustomCredentialsConfiguration
            }
        }
    }

    /// The configuration's name.
    pub fn name(&self) -> &str {
        match self {
            ConfigurationPrototype::CustomCredentialsConfiguration(c) => &c.name,
        }
    }
}

impl Default for ConfigurationPrototype {
    fn default() -> Self {
        ConfigurationPrototype::CustomCredentialsConfiguration(Default::default())
    }
}

impl From<CustomCredentialsConfigurationPrototype> for ConfigurationPrototype {
    fn from(c: CustomCredentialsConfigurationPrototype) -> Self {
        ConfigurationPrototype::CustomCredentialsConfiguration(c)
    }
}

/// One input parameter of the job (`SMIN_<NAME>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaParameter {
    /// The parameter's name.
    pub name: String,
    /// Its format (e.g. `required:true`).
    pub format: String,
    /// The job's environment variable it is read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env_variable_name: Option<String>,
}

/// One credential the job returns (`SMOUT_<NAME>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaCredential {
    /// The credential's name.
    pub name: String,
    /// Its format (e.g. `required:true`).
    pub format: String,
}

/// The job's inputs and outputs, read by the service from the job when it is created.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    /// Inputs.
    #[serde(default)]
    pub parameters: Vec<SchemaParameter>,
    /// Outputs.
    #[serde(default)]
    pub credentials: Vec<SchemaCredential>,
}

/// A custom credentials configuration as the service returns it (create, get, update).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomCredentialsConfiguration {
    /// The configuration's name.
    pub name: String,
    /// Always `custom_credentials`.
    #[serde(default)]
    pub secret_type: String,
    /// Who created it (e.g. `iam-ServiceId-<uuid>`).
    #[serde(default)]
    pub created_by: String,
    /// RFC 3339 creation time.
    #[serde(default)]
    pub created_at: String,
    /// RFC 3339 time of the last change.
    #[serde(default)]
    pub updated_at: String,
    /// The IAM credentials secret's ID, when one is used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key_ref: Option<String>,
    /// The Code Engine job, as sent.
    #[serde(default)]
    pub code_engine: CodeEngine,
    /// The key the service created for the job (e.g. `sm-access-<uuid>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_engine_key_ref: Option<String>,
    /// The job's inputs and outputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<Schema>,
    /// The task timeout, as sent (default `10m`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_timeout: Option<String>,
}

/// A configuration as the service returns it, tagged by `config_type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "config_type", rename_all = "snake_case")]
#[allow(clippy::large_enum_variant)] // `Other` is rare; boxing would only add indirection.
pub enum Configuration {
    /// `config_type: custom_credentials_configuration`.
    CustomCredentialsConfiguration(CustomCredentialsConfiguration),
    /// Any other type: a list of a real instance may hold them; sm-config keeps them opaque.
    #[serde(other)]
    Other,
}

/// The list response (`GET /api/v2/configurations`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigurationList {
    /// How many configurations match, over all pages.
    #[serde(default)]
    pub total_count: u64,
    /// The page size asked for.
    #[serde(default)]
    pub limit: u64,
    /// The offset asked for.
    #[serde(default)]
    pub offset: u64,
    /// The first page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<PageLink>,
    /// The next page, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<PageLink>,
    /// The previous page, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<PageLink>,
    /// The last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<PageLink>,
    /// This page's configurations.
    #[serde(default)]
    pub configurations: Vec<Configuration>,
}

/// A link to a page of a list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageLink {
    /// The page's URL.
    pub href: String,
}

/// The update body (`PATCH`, `application/merge-patch+json`): only `task_timeout` may change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigurationPatch {
    /// The new task timeout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_timeout: Option<String>,
}
