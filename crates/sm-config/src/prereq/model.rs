//! What the services say about the world around a configuration, read leniently.
//!
//! Field names are the services' wire names, taken from IBM's generated Go SDKs
//! (`code-engine-go-sdk` `codeenginev2`, `secrets-manager-go-sdk` `secretsmanagerv2`,
//! `platform-services-go-sdk` `iampolicymanagementv1`; see `prerequisites-apis.md`). Unknown
//! fields are ignored, every field a service may omit is optional or defaults, and `null` reads
//! as absent: a newer service version that adds or drops a field must not break a check. Only a
//! value of the wrong JSON type makes a body unreadable ([`read`]).

use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};

/// Reads `null` as the type's default (services send `null` for absent values now and then).
fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A body a service sent that could not be read as the expected object.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("could not read the {what}: {reason}")]
pub struct ReadError {
    /// What was being read (`code engine project`).
    pub what: &'static str,
    /// serde_json's description, with line and column.
    pub reason: String,
}

/// Reads a service's JSON answer leniently (unknown fields ignored, `null` as absent).
///
/// `what` names the object in the error (`code engine job`).
pub fn read<T: DeserializeOwned>(what: &'static str, body: &[u8]) -> Result<T, ReadError> {
    // serde's derived structs also accept an array of their fields in order: `[]` would read as
    // an empty object. Every answer read here is an object.
    let first = body
        .iter()
        .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
    if first == Some(&b'[') {
        return Err(ReadError {
            what,
            reason: "expected an object, not an array".to_owned(),
        });
    }
    serde_json::from_slice(body).map_err(|e| ReadError {
        what,
        reason: e.to_string(),
    })
}

// ------------------------------------------------------------------ shared list links

/// A link to a page (`first`, `last`, `next` …): `href`, and for token-paged lists `start`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRef {
    /// The page's URL.
    #[serde(default, deserialize_with = "nullable")]
    pub href: String,
    /// The page token to pass as `start` (Code Engine, IAM); absent for offset-paged lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
}

// ------------------------------------------------------------------ Code Engine v2

/// A Code Engine project (`GET /v2/projects/{id}`; items of `GET /v2/projects`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    /// The project ID (a UUID).
    #[serde(default, deserialize_with = "nullable")]
    pub id: String,
    /// The project's name.
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    /// The region (`us-east`).
    #[serde(default, deserialize_with = "nullable")]
    pub region: String,
    /// `active`, `creating`, `inactive`, `soft_deleted` … (see [`Project::is_active`]).
    #[serde(default, deserialize_with = "nullable")]
    pub status: String,
    /// The resource group's ID (32 hex characters).
    #[serde(default, deserialize_with = "nullable")]
    pub resource_group_id: String,
    /// The account that owns the project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// `crn:v1:bluemix:public:codeengine:<region>:a/<account>:<project_id>::`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crn: Option<String>,
    /// The project's API URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// Creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Always `project_v2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
}

/// The one project status in which a project can be used (`ibmcloud ce project select`
/// requires it).
pub const PROJECT_ACTIVE: &str = "active";

impl Project {
    /// Whether the status is `active`.
    pub fn is_active(&self) -> bool {
        self.status == PROJECT_ACTIVE
    }

    /// The owning account: `account_id`, else the `a/<account>` scope of the CRN.
    pub fn account(&self) -> Option<&str> {
        self.account_id
            .as_deref()
            .filter(|a| !a.is_empty())
            .or_else(|| self.crn.as_deref().and_then(crn_account))
    }
}

/// The account of a CRN (`crn:v1:…:<location>:a/<account>:…`), field 7.
pub fn crn_account(crn: &str) -> Option<&str> {
    crn.split(':')
        .nth(6)
        .and_then(|scope| scope.strip_prefix("a/"))
        .filter(|a| !a.is_empty())
}

/// The service instance of a CRN (field 8): a Secrets Manager instance's GUID in a secret's CRN.
pub fn crn_service_instance(crn: &str) -> Option<&str> {
    crn.split(':').nth(7).filter(|i| !i.is_empty())
}

/// A page of projects (`GET /v2/projects?limit&start`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectList {
    /// This page's projects.
    #[serde(default, deserialize_with = "nullable")]
    pub projects: Vec<Project>,
    /// The page size.
    #[serde(default, deserialize_with = "nullable")]
    pub limit: u64,
    /// The first page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<PageRef>,
    /// The next page; absent on the last one. Its `start` is the next request's `start`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<PageRef>,
}

/// An environment variable of a job (`run_env_variables`, `computed_env_variables`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvVar {
    /// `literal`, `config_map_full_reference`, `secret_full_reference`,
    /// `config_map_key_reference` or `secret_key_reference`.
    #[serde(rename = "type", default, deserialize_with = "nullable")]
    pub kind: String,
    /// The variable's name; absent for full references (they bring many variables).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The value of a `literal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The key in the referenced config map or secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The prefix of a full reference's variables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// The referenced config map or secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// The `type` of a plain variable.
pub const ENV_LITERAL: &str = "literal";

impl EnvVar {
    /// A `literal` variable `name=value`.
    pub fn literal(name: impl Into<String>, value: impl Into<String>) -> EnvVar {
        EnvVar {
            kind: ENV_LITERAL.to_owned(),
            name: Some(name.into()),
            value: Some(value.into()),
            ..EnvVar::default()
        }
    }
}

/// A Code Engine job (`GET /v2/projects/{project_id}/jobs/{name}`; items of the job list).
///
/// Only what a prerequisite check reads is modelled; the rest of the job is ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    /// The job's name.
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    /// The job's ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The project it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    /// The project's region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The job's API URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The version tag an update must send as `If-Match`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_tag: Option<String>,
    /// The container image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_reference: Option<String>,
    /// `task` or `daemon`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_mode: Option<String>,
    /// Trusted profiles: a compute resource token is mounted into the job's container.
    /// Absent reads as off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_compute_resource_token_enabled: Option<bool>,
    /// The variables the user declared (a provider's `SMIN_`/`SMOUT_` among them).
    #[serde(default, deserialize_with = "nullable")]
    pub run_env_variables: Vec<EnvVar>,
    /// The variables Code Engine sets itself.
    #[serde(default, deserialize_with = "nullable")]
    pub computed_env_variables: Vec<EnvVar>,
    /// Creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Always `job_v2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
}

impl Job {
    /// Whether trusted profiles are enabled (`run_compute_resource_token_enabled: true`).
    pub fn trusted_profiles_enabled(&self) -> bool {
        self.run_compute_resource_token_enabled == Some(true)
    }
}

/// A page of jobs (`GET /v2/projects/{project_id}/jobs?limit&start`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobList {
    /// This page's jobs.
    #[serde(default, deserialize_with = "nullable")]
    pub jobs: Vec<Job>,
    /// The page size.
    #[serde(default, deserialize_with = "nullable")]
    pub limit: u64,
    /// The first page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<PageRef>,
    /// The next page; absent on the last one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<PageRef>,
}

// ------------------------------------------------------------------ Secrets Manager v2

/// A rotation policy (`rotation`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rotation {
    /// Whether the secret rotates by itself.
    #[serde(default, deserialize_with = "nullable")]
    pub auto_rotate: bool,
    /// Every how many `unit`s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<u64>,
    /// `day`, `hour` or `month`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// The `secret_type` of an IAM credentials secret.
pub const IAM_CREDENTIALS: &str = "iam_credentials";
/// The `state_description` of a usable secret.
pub const SECRET_ACTIVE: &str = "active";
/// The numeric `state` of a usable secret.
pub const SECRET_STATE_ACTIVE: i64 = 1;

/// A secret's metadata (`GET /api/v2/secrets/{id}/metadata`; items of `GET /api/v2/secrets`),
/// with the fields of `iam_credentials` metadata. Never a secret's payload.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretMetadata {
    /// The secret's ID: what `api_key_ref` takes.
    #[serde(default, deserialize_with = "nullable")]
    pub id: String,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `iam_credentials`, `arbitrary`, `custom_credentials` …
    #[serde(default, deserialize_with = "nullable")]
    pub secret_type: String,
    /// Its secret group (a UUID or `default`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_group_id: Option<String>,
    /// `crn:v1:bluemix:public:secrets-manager:<region>:a/<account>:<instance>:secret:<id>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crn: Option<String>,
    /// 0 pre-activation, 1 active, 2 suspended, 3 deactivated, 5 destroyed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<i64>,
    /// `pre_activation`, `active`, `suspended`, `deactivated`, `destroyed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_description: Option<String>,
    /// The rotation policy; absent when the secret has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation: Option<Rotation>,
    /// Whether reads reuse the service ID's API key (needed for auto-rotation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reuse_api_key: Option<bool>,
    /// The service ID (`ServiceId-<uuid>`) the API key belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    /// Whether the service ID was given by the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id_is_static: Option<bool>,
    /// Access groups the generated service ID joins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_groups: Option<Vec<String>>,
    /// The lease (`90d`, or seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<serde_json::Value>,
    /// The next rotation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_rotation_date: Option<String>,
    /// Configurations that reference the secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referenced_by: Option<Vec<String>>,
}

impl SecretMetadata {
    /// Whether it is active: `state_description` is `active`, or, without one, `state` is 1.
    pub fn is_active(&self) -> bool {
        match (&self.state_description, self.state) {
            (Some(d), _) => d == SECRET_ACTIVE,
            (None, Some(s)) => s == SECRET_STATE_ACTIVE,
            // Neither sent: strict reading, not known to be active.
            (None, None) => false,
        }
    }

    /// Its state as words (`suspended`), for messages.
    pub fn state_text(&self) -> String {
        match (&self.state_description, self.state) {
            (Some(d), _) if !d.is_empty() => d.clone(),
            (_, Some(s)) => format!("state {s}"),
            _ => "of unknown state".to_owned(),
        }
    }

    /// Whether it rotates by itself (`rotation.auto_rotate`; a missing policy is no rotation).
    pub fn auto_rotates(&self) -> bool {
        self.rotation.as_ref().is_some_and(|r| r.auto_rotate)
    }

    /// Whether `reuse_api_key` is true (absent reads as false).
    pub fn reuses_api_key(&self) -> bool {
        self.reuse_api_key == Some(true)
    }
}

/// A page of secrets (`GET /api/v2/secrets?offset&limit&secret_types&search`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretMetadataList {
    /// How many secrets match, over all pages.
    #[serde(default, deserialize_with = "nullable")]
    pub total_count: u64,
    /// The page size.
    #[serde(default, deserialize_with = "nullable")]
    pub limit: u64,
    /// The offset of this page.
    #[serde(default, deserialize_with = "nullable")]
    pub offset: u64,
    /// The first page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<PageRef>,
    /// The next page, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<PageRef>,
    /// The previous page, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<PageRef>,
    /// The last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<PageRef>,
    /// This page's secrets.
    #[serde(default, deserialize_with = "nullable")]
    pub secrets: Vec<SecretMetadata>,
}

// ------------------------------------------------------------------ IAM Policy Management v1

/// One attribute of a policy subject or resource.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyAttribute {
    /// `accountId`, `serviceName`, `serviceInstance`, `resourceGroupId`, `resourceType` …
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    /// The value.
    #[serde(default, deserialize_with = "nullable")]
    pub value: String,
    /// `stringEquals` (the default when absent) or `stringMatch`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
}

/// A policy's subject or resource: a set of attributes that must all hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyAttributes {
    /// The attributes.
    #[serde(default, deserialize_with = "nullable")]
    pub attributes: Vec<PolicyAttribute>,
}

impl PolicyAttributes {
    /// The value of the attribute `name`, when exactly one such attribute exists.
    pub fn get(&self, name: &str) -> Option<&PolicyAttribute> {
        let mut matching = self.attributes.iter().filter(|a| a.name == name);
        let first = matching.next()?;
        matching.next().is_none().then_some(first)
    }
}

/// A role a policy grants.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyRole {
    /// The role's CRN (`crn:v1:bluemix:public:iam::::serviceRole:Writer`).
    #[serde(default, deserialize_with = "nullable")]
    pub role_id: String,
    /// The role's name (`Writer`), when IAM sends it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Its description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// An IAM policy (`GET /v1/policies` items; `POST /v1/policies`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// The policy's ID.
    #[serde(default, deserialize_with = "nullable")]
    pub id: String,
    /// `authorization` or `access`.
    #[serde(rename = "type", default, deserialize_with = "nullable")]
    pub kind: String,
    /// Its description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Who is granted: for an authorization, the source service.
    #[serde(default, deserialize_with = "nullable")]
    pub subjects: Vec<PolicyAttributes>,
    /// The roles granted.
    #[serde(default, deserialize_with = "nullable")]
    pub roles: Vec<PolicyRole>,
    /// On what: for an authorization, the target service.
    #[serde(default, deserialize_with = "nullable")]
    pub resources: Vec<PolicyAttributes>,
    /// The policy's URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// Creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// `active` or `deleted`; absent reads as active.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

/// A page of policies (`GET /v1/policies?account_id&type&limit&start`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyList {
    /// This page's policies.
    #[serde(default, deserialize_with = "nullable")]
    pub policies: Vec<Policy>,
    /// The page size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u64>,
    /// The first page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<PageRef>,
    /// The next page; its `start` is the next request's `start`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<PageRef>,
    /// The previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<PageRef>,
}

// ------------------------------------------------------------------ secret groups, creation

/// A secret group (items of `GET /api/v2/secret_groups`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretGroup {
    /// The group's ID (a UUID; the default group is `default`).
    #[serde(default, deserialize_with = "nullable")]
    pub id: String,
    /// Its name.
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    /// Its description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Creation time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Who created it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    /// Last change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

/// The secret groups of an instance (`GET /api/v2/secret_groups`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretGroupList {
    /// The groups.
    #[serde(default, deserialize_with = "nullable")]
    pub secret_groups: Vec<SecretGroup>,
    /// How many there are.
    #[serde(default, deserialize_with = "nullable")]
    pub total_count: u64,
}

/// The create body of an IAM credentials secret (`POST /api/v2/secrets`,
/// `IAMCredentialsSecretPrototype` **\[S: SM-SDK\]**). Required there: `secret_type`, `name`,
/// `ttl`, `reuse_api_key`; read leniently here, so a receiver can say what is missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IamCredentialsSecretPrototype {
    /// `iam_credentials`.
    #[serde(default, deserialize_with = "nullable")]
    pub secret_type: String,
    /// The secret's name.
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    /// Its description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its secret group (`default` when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_group_id: Option<String>,
    /// Labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<Vec<String>>,
    /// The API keys' lease: seconds, or a duration (`90d`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<serde_json::Value>,
    /// Access groups the generated service ID joins (not with `service_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_groups: Option<Vec<String>>,
    /// A service ID of the user's (not with `access_groups`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    /// The account of the credentials, when another one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// Whether reads reuse the API key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reuse_api_key: Option<bool>,
    /// The rotation policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation: Option<Rotation>,
    /// Custom metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_metadata: Option<serde_json::Value>,
    /// Custom metadata of the version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_custom_metadata: Option<serde_json::Value>,
}
