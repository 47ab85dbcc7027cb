//! Prerequisites: the world around a configuration, checked before create.
//!
//! A request that passes every rule of [`crate::validate`] can still fail or be useless: the
//! Code Engine job does not exist, is not a credentials provider, the IAM credentials secret
//! does not rotate, Secrets Manager has no authorization on the project. Given what the
//! services say ([`Facts`]), [`check_prerequisites`] reports each such problem in the report
//! shape of validation, with its [`Fix`] rendered for the CLI, Terraform, curl and JSON.
//!
//! Nothing here fetches: the caller (the CLI, the server, the console) asks the services for
//! what [`Needs::of`] lists and passes the answers in, each a [`Fact`]: known, missing (the
//! service said 404) or unknown (it could not be read, and why). One check a file.

mod api_key;
mod authorization;
mod checklist;
mod fix;
mod in_use;
mod model;
mod project;
mod provider;
mod schema;
mod secret_settings;
mod trusted_profile;

pub use authorization::{AuthorizationStatus, authorization_status};
pub use checklist::{Checklist, Prerequisite, PrerequisiteId, PrerequisiteStatus};
pub use fix::{
    ACCOUNT_PLACEHOLDER, AUTHORIZATION_ROLES, AuthorizationFix, DEFAULT_ROTATION_INTERVAL,
    DEFAULT_TTL, Fix, FixKind, IAM_POLICIES_URL, SERVICE_ID_PLACEHOLDER, SOURCE_SERVICE, SecretFix,
    TARGET_SERVICE, TrustedProfilesFix, VIEWER_ROLE_CRN, WRITER_ROLE_CRN,
};
pub use model::{
    ENV_LITERAL, EnvVar, IAM_CREDENTIALS, IamCredentialsSecretPrototype, Job, JobList,
    PROJECT_ACTIVE, PageRef, Policy, PolicyAttribute, PolicyAttributes, PolicyList, PolicyRole,
    Project, ProjectList, ReadError, Rotation, SECRET_ACTIVE, SECRET_STATE_ACTIVE, SecretGroup,
    SecretGroupList, SecretMetadata, SecretMetadataList, crn_account, crn_service_instance, read,
};
pub use schema::{
    INPUT_PREFIX, OUTPUT_PREFIX, ProviderSchema, SchemaProblem, VARIABLE_TYPES, derive_schema,
};
pub use secret_settings::{
    MAX_ACCESS_GROUPS, MAX_TTL_SECONDS, MIN_TTL_SECONDS, ROTATION_UNITS, SecretSettings,
    access_group_ok, is_service_id, secret_name_ok, ttl_ok, ttl_seconds,
};

use crate::field::FieldPath;
use crate::model::{
    Configuration, ConfigurationPrototype, CustomCredentialsConfigurationPrototype,
};
use crate::report::{Code, Finding, Report};
use crate::target::Target;
use checklist::Recorder;
use serde::{Deserialize, Serialize};

/// What is known about one thing in the world.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fact<T> {
    /// The service answered with it.
    Known(T),
    /// The service said it does not exist (404, or absent from a complete list).
    Missing,
    /// It could not be read: no permission, no network, an unreadable answer. The reason is
    /// shown to the user (lower case, no secrets).
    Unknown(String),
}

/// The reason of a fact nobody fetched.
pub const NOT_FETCHED: &str = "not fetched";

impl<T> Default for Fact<T> {
    fn default() -> Self {
        Fact::Unknown(NOT_FETCHED.to_owned())
    }
}

impl<T> Fact<T> {
    /// The value, when known.
    pub fn known(&self) -> Option<&T> {
        match self {
            Fact::Known(v) => Some(v),
            _ => None,
        }
    }

    /// A fact from a read: `Ok` is known, an error unknown with its message.
    pub fn from_result<E: std::fmt::Display>(result: Result<T, E>) -> Fact<T> {
        match result {
            Ok(v) => Fact::Known(v),
            Err(e) => Fact::Unknown(e.to_string()),
        }
    }
}

/// Everything a check may use. Each field is fetched only when [`Needs::of`] asks for it;
/// the rest stay [`Fact::Unknown`] (`not fetched`) and are not read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// `GET /v2/projects/{code_engine.project_id}` in `code_engine.region`.
    #[serde(default)]
    pub project: Fact<Project>,
    /// `GET /v2/projects/{project_id}/jobs/{job_name}`.
    #[serde(default)]
    pub job: Fact<Job>,
    /// `GET /api/v2/secrets/{api_key_ref}/metadata` on the target instance.
    #[serde(default)]
    pub secret: Fact<SecretMetadata>,
    /// Every configuration of the target instance (`GET /api/v2/configurations`, all pages).
    #[serde(default)]
    pub configurations: Fact<Vec<Configuration>>,
    /// The authorization policies of the project's account (`GET /v1/policies?account_id=…&
    /// type=authorization`, all pages).
    #[serde(default)]
    pub policies: Fact<Vec<Policy>>,
    /// The account that owns the Secrets Manager instance (from the token's `account.bss`, or a
    /// secret's CRN), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_account: Option<String>,
}

/// What to fetch for a request: only identifiers that passed validation are listed, so a
/// caller never puts an unchecked value into a URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Needs {
    /// The Code Engine region whose API to ask (`api.<region>.codeengine.cloud.ibm.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Fetch this project ([`Facts::project`]); its `account_id` is where the policies live.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    /// Fetch this job of the project ([`Facts::job`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_name: Option<String>,
    /// Fetch this secret's metadata ([`Facts::secret`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_id: Option<String>,
    /// Fetch the instance's configurations ([`Facts::configurations`]).
    pub configurations: bool,
    /// Fetch the authorization policies of the project's account ([`Facts::policies`]).
    pub policies: bool,
}

impl Needs {
    /// The facts a check of `request` against `target` reads. Fields that failed validation
    /// are left out (their checks are skipped: validation already reports them).
    pub fn of(request: &ConfigurationPrototype, target: &Target) -> Needs {
        let ConfigurationPrototype::CustomCredentialsConfiguration(c) = request;
        let report = crate::validate(request, Some(target));
        let valid = |path: FieldPath| !report.for_path(path.as_str()).any(Finding::is_error);
        let instance_ok = valid(FieldPath::InstanceId) && valid(FieldPath::TargetRegion);
        let region = valid(FieldPath::Region).then(|| c.code_engine.region.clone());
        let project_id = (region.is_some() && valid(FieldPath::ProjectId))
            .then(|| c.code_engine.project_id.clone());
        let job_name = (project_id.is_some() && valid(FieldPath::JobName))
            .then(|| c.code_engine.job_name.clone());
        let secret_id = c
            .api_key_ref
            .clone()
            .filter(|_| instance_ok && valid(FieldPath::ApiKeyRef));
        Needs {
            policies: project_id.is_some(),
            region,
            project_id,
            job_name,
            secret_id,
            configurations: instance_ok,
        }
    }
}

/// A warning that a fact could not be read, so its checks did not run.
pub(crate) fn unavailable(path: FieldPath, what: &str, reason: &str) -> Finding {
    Finding::warning(
        path,
        Code::FactUnavailable,
        format!("could not check the {what}: {reason}"),
    )
    .with_hint("check the credentials' access, or check again later")
}

/// Checks the world around `request` against `facts`: project, job, provider schema, the 1:1
/// rule, the API key secret or trusted profiles, and the service authorization.
///
/// Checks whose field fails validation are skipped (validation reports it); checks whose
/// fact is [`Fact::Unknown`] report [`Code::FactUnavailable`] (a warning: nothing is known to
/// be wrong, but nothing was checked). The derived schema of a proper provider is reported as
/// an [`crate::Severity::Info`] finding with [`Code::ProviderSchema`].
pub fn check_prerequisites(
    request: &ConfigurationPrototype,
    target: &Target,
    facts: &Facts,
) -> Report {
    checklist(request, target, facts).report
}

/// [`check_prerequisites`], with where each of the six prerequisites stands: one run of the
/// checks gives both, so the list and the findings cannot disagree.
pub fn checklist(request: &ConfigurationPrototype, target: &Target, facts: &Facts) -> Checklist {
    let ConfigurationPrototype::CustomCredentialsConfiguration(c) = request;
    let needs = Needs::of(request, target);
    let mut recorder = Recorder::new();
    check(&mut recorder, c, target, &needs, facts);
    recorder.finish()
}

fn check(
    r: &mut Recorder,
    c: &CustomCredentialsConfigurationPrototype,
    target: &Target,
    needs: &Needs,
    facts: &Facts,
) {
    use PrerequisiteId as P;
    let project = if needs.project_id.is_some() {
        r.run(P::Project, |report| {
            project::check(report, &c.code_engine, &facts.project)
        })
    } else {
        r.skip(P::Project);
        None
    };
    let job = match (project, &needs.job_name) {
        (Some(_), Some(_)) => r.run(P::Job, |report| {
            project::check_job(report, &c.code_engine, &facts.job)
        }),
        (None, Some(_)) => {
            r.behind(P::Job, P::Project);
            None
        }
        (_, None) => {
            r.skip(P::Job);
            None
        }
    };
    match job {
        Some(job) => r.run(P::Provider, |report| provider::check(report, job)),
        None => r.behind(P::Provider, P::Job),
    }
    if needs.configurations {
        r.run(P::Unique, |report| {
            in_use::check(report, c, target, job, &facts.configurations)
        });
    } else {
        r.skip(P::Unique);
    }
    match (&c.api_key_ref, &needs.secret_id) {
        (Some(_), Some(id)) => r.run(P::Credentials, |report| {
            api_key::check(report, c, target, id, facts)
        }),
        (Some(_), None) => r.skip(P::Credentials),
        (None, _) => match job {
            Some(job) => r.run(P::Credentials, |report| {
                trusted_profile::check(report, &c.code_engine, job)
            }),
            None => r.behind(P::Credentials, P::Job),
        },
    }
    // The authorization names the instance: with an invalid instance ID (validation says so)
    // there is nothing to look for.
    match project {
        Some(project) if needs.configurations => r.run(P::Authorization, |report| {
            authorization::check(report, target, project, facts)
        }),
        Some(_) => r.skip(P::Authorization),
        None => r.behind(P::Authorization, P::Project),
    }
}
