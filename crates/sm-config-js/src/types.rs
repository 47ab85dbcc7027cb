//! What crosses to JS: mirrors of the core's outputs that derive `Tsify`, so the `.d.ts` holds
//! real interfaces without the core depending on tsify. Each mirror is built from the core value
//! with an exhaustive conversion, so a new core variant fails the build here instead of drifting.

use serde::Serialize;
use tsify::Tsify;

/// What kind of problem a finding is (the core's `Code`, by wire name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// A required field is missing or empty.
    Required,
    /// Fewer characters than the minimum.
    TooShort,
    /// More characters than the maximum.
    TooLong,
    /// A character or the shape is not allowed.
    Pattern,
    /// Not a region of the service in question.
    UnknownRegion,
    /// A value outside its range.
    OutOfRange,
    /// A field the service does not know.
    UnknownField,
    /// A field of the wrong type.
    InvalidType,
    /// The text is not JSON.
    InvalidJson,
    /// A `config_type` other than `custom_credentials_configuration`.
    UnsupportedConfigType,
    /// A field that cannot change after creation.
    Immutable,
    /// Warning: no `api_key_ref`, so the job needs a trusted profile.
    TrustedProfileRequired,
    /// Warning: the Code Engine region differs from the instance's.
    RegionMismatch,
    /// Prerequisite: the Code Engine project does not exist (or cannot be seen).
    ProjectNotFound,
    /// Prerequisite: the project's status is not `active`.
    ProjectInactive,
    /// Prerequisite: the project is not in `code_engine.region`.
    ProjectWrongRegion,
    /// Prerequisite: the job does not exist in the project.
    JobNotFound,
    /// Prerequisite: the job declares no `SMIN_`/`SMOUT_` variables.
    NotAProvider,
    /// Prerequisite: the job declares no required output.
    NoRequiredOutput,
    /// Prerequisite: an `SMIN_`/`SMOUT_` variable the service cannot read.
    ProviderVariableInvalid,
    /// Information: the schema the service will derive from the job.
    ProviderSchema,
    /// Prerequisite: another configuration of the instance uses the job.
    JobInUse,
    /// Warning: the job carries what Secrets Manager injects, so another configuration probably uses it.
    JobMaybeInUse,
    /// Prerequisite: the instance already has a configuration of that name.
    NameTaken,
    /// Prerequisite: the instance has the most custom credentials configurations it may have.
    ConfigurationLimit,
    /// Prerequisite: the Secrets Manager instance does not exist.
    InstanceNotFound,
    /// Prerequisite: `api_key_ref` names no secret of the instance.
    SecretNotFound,
    /// Prerequisite: the secret belongs to another instance.
    SecretOtherInstance,
    /// Prerequisite: the secret is not an IAM credentials secret.
    SecretWrongType,
    /// Prerequisite: the secret is not active.
    SecretInactive,
    /// Prerequisite: the secret does not rotate automatically.
    SecretNoRotation,
    /// Prerequisite: the secret does not reuse its API key.
    SecretNoReuse,
    /// Prerequisite: no `api_key_ref` and the job has trusted profiles disabled.
    TrustedProfilesDisabled,
    /// Prerequisite: no authorization Secrets Manager → Code Engine project.
    AuthorizationMissing,
    /// Prerequisite: the authorization lacks Viewer or Writer.
    AuthorizationIncomplete,
    /// Warning: IAM listed no policies, so the authorization cannot be told.
    AuthorizationUnconfirmed,
    /// Warning: a fact could not be read, so its checks did not run.
    FactUnavailable,
}

impl From<sm_config::Code> for Code {
    fn from(code: sm_config::Code) -> Code {
        use sm_config::Code as C;
        match code {
            C::Required => Code::Required,
            C::TooShort => Code::TooShort,
            C::TooLong => Code::TooLong,
            C::Pattern => Code::Pattern,
            C::UnknownRegion => Code::UnknownRegion,
            C::OutOfRange => Code::OutOfRange,
            C::UnknownField => Code::UnknownField,
            C::InvalidType => Code::InvalidType,
            C::InvalidJson => Code::InvalidJson,
            C::UnsupportedConfigType => Code::UnsupportedConfigType,
            C::Immutable => Code::Immutable,
            C::TrustedProfileRequired => Code::TrustedProfileRequired,
            C::RegionMismatch => Code::RegionMismatch,
            C::ProjectNotFound => Code::ProjectNotFound,
            C::ProjectInactive => Code::ProjectInactive,
            C::ProjectWrongRegion => Code::ProjectWrongRegion,
            C::JobNotFound => Code::JobNotFound,
            C::NotAProvider => Code::NotAProvider,
            C::NoRequiredOutput => Code::NoRequiredOutput,
            C::ProviderVariableInvalid => Code::ProviderVariableInvalid,
            C::ProviderSchema => Code::ProviderSchema,
            C::JobInUse => Code::JobInUse,
            C::JobMaybeInUse => Code::JobMaybeInUse,
            C::NameTaken => Code::NameTaken,
            C::ConfigurationLimit => Code::ConfigurationLimit,
            C::InstanceNotFound => Code::InstanceNotFound,
            C::SecretNotFound => Code::SecretNotFound,
            C::SecretOtherInstance => Code::SecretOtherInstance,
            C::SecretWrongType => Code::SecretWrongType,
            C::SecretInactive => Code::SecretInactive,
            C::SecretNoRotation => Code::SecretNoRotation,
            C::SecretNoReuse => Code::SecretNoReuse,
            C::TrustedProfilesDisabled => Code::TrustedProfilesDisabled,
            C::AuthorizationMissing => Code::AuthorizationMissing,
            C::AuthorizationIncomplete => Code::AuthorizationIncomplete,
            C::AuthorizationUnconfirmed => Code::AuthorizationUnconfirmed,
            C::FactUnavailable => Code::FactUnavailable,
        }
    }
}

/// Whether a finding blocks the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The service would refuse the request.
    Error,
    /// The service takes it, but something probably needs attention.
    Warning,
    /// Nothing wrong: something worth knowing.
    Info,
}

impl From<sm_config::Severity> for Severity {
    fn from(severity: sm_config::Severity) -> Severity {
        match severity {
            sm_config::Severity::Error => Severity::Error,
            sm_config::Severity::Warning => Severity::Warning,
            sm_config::Severity::Info => Severity::Info,
        }
    }
}

/// Byte offsets `start..end` into the field's UTF-8 value (for `invalid_json`, into the text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Tsify)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl From<sm_config::Span> for Span {
    fn from(span: sm_config::Span) -> Span {
        Span {
            start: span.start,
            end: span.end,
        }
    }
}

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
pub struct Finding {
    /// The field's wire path (`code_engine.job_name`); empty for the body as a whole.
    pub path: String,
    /// What kind of problem.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, lower case, stable.
    pub message: String,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub hint: Option<String>,
    /// Where in the value.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub span: Option<Span>,
}

impl From<sm_config::Finding> for Finding {
    fn from(f: sm_config::Finding) -> Finding {
        Finding {
            path: f.path,
            code: f.code.into(),
            severity: f.severity.into(),
            message: f.message,
            hint: f.hint,
            span: f.span.map(Span::from),
        }
    }
}

/// Every finding about one request, in field order; empty when all is well.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
#[serde(transparent)]
pub struct Findings(pub Vec<Finding>);

impl From<sm_config::Report> for Findings {
    fn from(report: sm_config::Report) -> Findings {
        Findings(report.into_iter().map(Finding::from).collect())
    }
}

/// A valid task timeout: the text as written and its length in seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
pub struct TaskTimeout {
    /// The text as written (`"3h"`), which the service echoes unchanged.
    pub text: String,
    /// The length in seconds.
    pub seconds: u32,
}

/// A Secrets Manager region, and whether Code Engine runs there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
pub struct Region {
    /// The ID (`us-south`).
    pub id: &'static str,
    /// The place, for pickers (`Dallas`).
    pub label: &'static str,
    /// Whether Code Engine runs there (a job's `code_engine.region` must be one of these).
    pub code_engine: bool,
}

/// Every Secrets Manager region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
#[serde(transparent)]
pub struct Regions(pub Vec<Region>);

impl Regions {
    /// The core's region list.
    pub fn all() -> Regions {
        Regions(
            sm_config::regions::REGIONS
                .iter()
                .map(|r| Region {
                    id: r.id,
                    label: r.label,
                    code_engine: r.code_engine,
                })
                .collect(),
        )
    }
}

/// The rules' limits, for a host UI's hints and `maxlength`s (lengths count characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
pub struct Limits {
    /// `name`: fewest characters.
    pub name_min_len: usize,
    /// `name`: most characters.
    pub name_max_len: usize,
    /// `code_engine.job_name`: most characters.
    pub job_name_max_len: usize,
    /// A UUID's length (`api_key_ref`, `code_engine.project_id`, the instance ID).
    pub uuid_len: usize,
    /// `task_timeout`: most characters.
    pub task_timeout_max_len: usize,
    /// `task_timeout`: the shortest, in seconds (inclusive).
    pub task_timeout_min_seconds: u32,
    /// `task_timeout`: the longest, in seconds (inclusive).
    pub task_timeout_max_seconds: u32,
    /// The service's `task_timeout` when the request has none.
    pub task_timeout_default: &'static str,
    /// Custom credentials configurations per instance.
    pub max_custom_credentials_configurations: usize,
    /// List `limit`: the largest page.
    pub list_limit_max: u32,
    /// List `limit` when none is given.
    pub list_limit_default: u32,
    /// List `search`: fewest characters.
    pub search_min_len: usize,
    /// List `search`: most characters.
    pub search_max_len: usize,
    /// The largest request body, in bytes.
    pub max_body_bytes: usize,
}

impl Limits {
    /// The core's limits.
    pub fn core() -> Limits {
        use sm_config::limits as l;
        // Every limit is far below u32::MAX; saturate rather than panic if one ever is not.
        let n = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
        Limits {
            name_min_len: l::NAME_MIN_LEN,
            name_max_len: l::NAME_MAX_LEN,
            job_name_max_len: l::JOB_NAME_MAX_LEN,
            uuid_len: l::UUID_LEN,
            task_timeout_max_len: l::TASK_TIMEOUT_MAX_LEN,
            task_timeout_min_seconds: n(l::TASK_TIMEOUT_MIN_SECONDS),
            task_timeout_max_seconds: n(l::TASK_TIMEOUT_MAX_SECONDS),
            task_timeout_default: l::TASK_TIMEOUT_DEFAULT,
            max_custom_credentials_configurations: l::MAX_CUSTOM_CREDENTIALS_CONFIGURATIONS,
            list_limit_max: n(l::LIST_LIMIT_MAX),
            list_limit_default: n(l::LIST_LIMIT_DEFAULT),
            search_min_len: l::SEARCH_MIN_LEN,
            search_max_len: l::SEARCH_MAX_LEN,
            max_body_bytes: l::MAX_BODY_BYTES,
        }
    }
}
