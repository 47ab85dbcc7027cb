//! The world file (`--world FILE`, `sm-config world`): what the emulator's Code Engine,
//! Secrets Manager secrets and IAM policies hold. Its format is documented in `docs/world.md`.
//!
//! Field names are the services' own wire names wherever the thing exists on the wire, so a
//! person who knows the APIs can read and write it; everything the services add themselves
//! (`href`, `crn`, `created_at`, …) is filled in by the emulator.

use serde::{Deserialize, Serialize};

/// The format tag a world file must carry.
pub const WORLD_FORMAT: &str = "sm-config-world/1";

/// A whole world.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct World {
    /// Always [`WORLD_FORMAT`].
    pub format: String,
    /// The account everything lives in (32 lowercase hex characters or digits).
    pub account_id: String,
    /// Code Engine projects, each with its jobs.
    #[serde(default)]
    pub projects: Vec<Project>,
    /// The Secrets Manager instance's secret groups (besides `default`, which always exists).
    #[serde(default)]
    pub secret_groups: Vec<SecretGroup>,
    /// The instance's secrets (metadata only: the emulator holds no payloads).
    #[serde(default)]
    pub secrets: Vec<Secret>,
    /// IAM policies (v1 wire shape), authorizations among them.
    #[serde(default)]
    pub policies: Vec<Policy>,
    /// Lists the caller may not read: each answers 403 in its service's error body, while
    /// reads of one item by ID still work. This is the account of someone allowed to use a
    /// project or a secret they were given the ID of, but not to list them: the console's
    /// "type it by hand" path.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forbidden: Vec<Listing>,
}

impl World {
    /// Whether listing `what` is refused.
    pub fn forbids(&self, what: Listing) -> bool {
        self.forbidden.contains(&what)
    }
}

/// A list route a world can forbid (`"forbidden": ["projects", …]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Listing {
    /// `GET /codeengine/{region}/v2/projects`.
    Projects,
    /// `GET /codeengine/{region}/v2/projects/{id}/jobs`.
    Jobs,
    /// `GET /api/v2/secrets`.
    Secrets,
    /// `GET /api/v2/secret_groups`.
    SecretGroups,
    /// `GET /iam/v1/policies`.
    Policies,
}

impl Listing {
    /// What is listed, in words.
    pub fn what(self) -> &'static str {
        match self {
            Listing::Projects => "code engine projects",
            Listing::Jobs => "code engine jobs",
            Listing::Secrets => "secrets",
            Listing::SecretGroups => "secret groups",
            Listing::Policies => "iam policies",
        }
    }

    /// The 403 for this list. Each service's 403 body is its usual error container; the codes
    /// IBM uses for it are unconfirmed **\[U\]**, so the plain `forbidden` is used everywhere.
    pub(crate) fn refused(self) -> crate::failure::Failure {
        crate::failure::Failure::new(
            axum::http::StatusCode::FORBIDDEN,
            "forbidden",
            format!(
                "the caller is not authorized to list {}: read one by its id instead",
                self.what()
            ),
        )
    }
}

/// A Code Engine project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    /// 36-character project ID.
    pub id: String,
    /// 1–128 characters.
    pub name: String,
    /// A Code Engine region (`us-south`).
    pub region: String,
    /// `active`, `inactive`, `soft_deleted`, … (Code Engine's status enum).
    #[serde(default = "active")]
    pub status: String,
    /// 32 lowercase hex characters.
    pub resource_group_id: String,
    /// The project's jobs.
    #[serde(default)]
    pub jobs: Vec<Job>,
}

fn active() -> String {
    "active".to_owned()
}

/// A Code Engine job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Job {
    /// Lowercase letters, digits and `-`, 1–63 characters.
    pub name: String,
    /// The job's image.
    #[serde(default = "default_image")]
    pub image_reference: String,
    /// Environment variables; a provider declares `SMIN_*` inputs and `SMOUT_*` outputs here.
    #[serde(default)]
    pub run_env_variables: Vec<EnvVar>,
    /// Trusted profiles: a compute resource token is mounted into the job's container.
    #[serde(default)]
    pub run_compute_resource_token_enabled: bool,
}

fn default_image() -> String {
    "icr.io/codeengine/helloworld".to_owned()
}

/// One environment variable of a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvVar {
    /// `literal` (the default), or a reference type.
    #[serde(default = "literal", rename = "type")]
    pub kind: String,
    /// The variable's name.
    pub name: String,
    /// Its value (for a provider's variables, a spec such as `type:string, required:true`).
    #[serde(default)]
    pub value: String,
}

fn literal() -> String {
    "literal".to_owned()
}

/// A secret group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretGroup {
    /// A UUID.
    pub id: String,
    /// 2–64 characters.
    pub name: String,
    /// A description (the wire always has one; empty when not given).
    #[serde(default)]
    pub description: String,
}

/// A secret's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Secret {
    /// A UUID.
    pub id: String,
    /// The secret's name.
    pub name: String,
    /// `iam_credentials`, or another type for list filters (`arbitrary`, `kv`, …).
    #[serde(default = "iam_credentials")]
    pub secret_type: String,
    /// A secret group's ID, or `default`.
    #[serde(default = "default_group")]
    pub secret_group_id: String,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Labels (searched by `search`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    /// `pre_activation`, `active`, `suspended`, `deactivated` or `destroyed`.
    #[serde(default = "active")]
    pub state_description: String,
    /// IAM credentials: the lease (`90d`, `1h`, or seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<String>,
    /// IAM credentials: whether the service ID and API key are reused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reuse_api_key: Option<bool>,
    /// IAM credentials: the rotation policy; absent when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation: Option<Rotation>,
    /// IAM credentials: `ServiceId-<uuid>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    /// IAM credentials: access groups (instead of a service ID).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_groups: Vec<String>,
    /// When it was made (RFC 3339); the emulator sets it for created secrets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
}

fn iam_credentials() -> String {
    "iam_credentials".to_owned()
}

fn default_group() -> String {
    "default".to_owned()
}

/// A rotation policy: the core's model of `rotation` (`{auto_rotate, interval?, unit?}`).
pub use sm_config::prereq::Rotation;

/// An IAM policy in IAM Policy Management v1's wire shape (what `POST /v1/policies` takes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The policy's ID (made up when created through the emulator).
    pub id: String,
    /// `authorization` or `access`.
    #[serde(rename = "type")]
    pub kind: String,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Who is granted.
    pub subjects: Vec<Attributes>,
    /// The roles granted.
    pub roles: Vec<Role>,
    /// On what.
    pub resources: Vec<Attributes>,
    /// `active` or `deleted`.
    #[serde(default = "active")]
    pub state: String,
    /// When it was made (RFC 3339); the emulator sets it for created policies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
}

/// A policy subject or resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attributes {
    /// Its attributes.
    pub attributes: Vec<Attribute>,
}

/// One `{name, value, operator?}` attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attribute {
    /// `accountId`, `serviceName`, `serviceInstance`, …
    pub name: String,
    /// Its value.
    pub value: String,
    /// `stringEquals` or `stringMatch` (resources only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
}

/// A granted role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// The role's CRN (`crn:v1:bluemix:public:iam::::serviceRole:Writer`).
    pub role_id: String,
}

impl Policy {
    /// The value of the subject attribute `name` (first subject).
    pub fn subject(&self, name: &str) -> Option<&str> {
        first_attr(&self.subjects, name)
    }

    /// The value of the resource attribute `name` (first resource).
    pub fn resource(&self, name: &str) -> Option<&str> {
        first_attr(&self.resources, name)
    }
}

fn first_attr<'a>(list: &'a [Attributes], name: &str) -> Option<&'a str> {
    list.first()?
        .attributes
        .iter()
        .find(|a| a.name == name)
        .map(|a| a.value.as_str())
}
