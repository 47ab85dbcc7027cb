//! The validation report: a flat list of findings, each tied to a field path.

use crate::prereq::Fix;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What kind of problem a finding is, by its stable wire name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
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
    /// A value outside its range (task timeout).
    OutOfRange,
    /// A field the service does not know.
    UnknownField,
    /// A field of the wrong JSON type.
    InvalidType,
    /// The text is not JSON (or not UTF-8).
    InvalidJson,
    /// A `config_type` other than `custom_credentials_configuration`.
    UnsupportedConfigType,
    /// A field the service never lets change after creation.
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

impl Code {
    /// Every code, in declaration order.
    pub const ALL: [Code; 37] = [
        Code::Required,
        Code::TooShort,
        Code::TooLong,
        Code::Pattern,
        Code::UnknownRegion,
        Code::OutOfRange,
        Code::UnknownField,
        Code::InvalidType,
        Code::InvalidJson,
        Code::UnsupportedConfigType,
        Code::Immutable,
        Code::TrustedProfileRequired,
        Code::RegionMismatch,
        Code::ProjectNotFound,
        Code::ProjectInactive,
        Code::ProjectWrongRegion,
        Code::JobNotFound,
        Code::NotAProvider,
        Code::NoRequiredOutput,
        Code::ProviderVariableInvalid,
        Code::ProviderSchema,
        Code::JobInUse,
        Code::JobMaybeInUse,
        Code::NameTaken,
        Code::ConfigurationLimit,
        Code::InstanceNotFound,
        Code::SecretNotFound,
        Code::SecretOtherInstance,
        Code::SecretWrongType,
        Code::SecretInactive,
        Code::SecretNoRotation,
        Code::SecretNoReuse,
        Code::TrustedProfilesDisabled,
        Code::AuthorizationMissing,
        Code::AuthorizationIncomplete,
        Code::AuthorizationUnconfirmed,
        Code::FactUnavailable,
    ];

    /// The wire name (`too_short`).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Required => "required",
            Code::TooShort => "too_short",
            Code::TooLong => "too_long",
            Code::Pattern => "pattern",
            Code::UnknownRegion => "unknown_region",
            Code::OutOfRange => "out_of_range",
            Code::UnknownField => "unknown_field",
            Code::InvalidType => "invalid_type",
            Code::InvalidJson => "invalid_json",
            Code::UnsupportedConfigType => "unsupported_config_type",
            Code::Immutable => "immutable",
            Code::TrustedProfileRequired => "trusted_profile_required",
            Code::RegionMismatch => "region_mismatch",
            Code::ProjectNotFound => "project_not_found",
            Code::ProjectInactive => "project_inactive",
            Code::ProjectWrongRegion => "project_wrong_region",
            Code::JobNotFound => "job_not_found",
            Code::NotAProvider => "not_a_provider",
            Code::NoRequiredOutput => "no_required_output",
            Code::ProviderVariableInvalid => "provider_variable_invalid",
            Code::ProviderSchema => "provider_schema",
            Code::JobInUse => "job_in_use",
            Code::JobMaybeInUse => "job_maybe_in_use",
            Code::NameTaken => "name_taken",
            Code::ConfigurationLimit => "configuration_limit",
            Code::InstanceNotFound => "instance_not_found",
            Code::SecretNotFound => "secret_not_found",
            Code::SecretOtherInstance => "secret_other_instance",
            Code::SecretWrongType => "secret_wrong_type",
            Code::SecretInactive => "secret_inactive",
            Code::SecretNoRotation => "secret_no_rotation",
            Code::SecretNoReuse => "secret_no_reuse",
            Code::TrustedProfilesDisabled => "trusted_profiles_disabled",
            Code::AuthorizationMissing => "authorization_missing",
            Code::AuthorizationIncomplete => "authorization_incomplete",
            Code::AuthorizationUnconfirmed => "authorization_unconfirmed",
            Code::FactUnavailable => "fact_unavailable",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a finding blocks the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The service would refuse the request.
    Error,
    /// The service takes it, but something probably needs attention.
    Warning,
    /// Nothing wrong: something worth knowing (the schema a job gives).
    Info,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl std::str::FromStr for Severity {
    type Err = UnknownSeverity;
    fn from_str(s: &str) -> Result<Severity, UnknownSeverity> {
        [Severity::Error, Severity::Warning, Severity::Info]
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or(UnknownSeverity)
    }
}

/// The text is not `error`, `warning` or `info`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("severity must be error, warning or info")]
pub struct UnknownSeverity;

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Byte offsets `start..end` into the field's UTF-8 value (for `invalid_json`, into the text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The span `start..end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
}

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(tsify::Tsify))]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub hint: Option<String>,
    /// Where in the value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional))]
    pub span: Option<Span>,
    /// For a missing prerequisite: what creates it, in every form.
    // Boxed: most findings have none, and validation passes findings around by value. Never
    // in the npm package's findings: validation, all it runs, proposes no fix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", tsify(optional, type = "never"))]
    pub fix: Option<Box<Fix>>,
}

impl Finding {
    /// An error finding.
    pub fn error(path: impl Into<String>, code: Code, message: impl Into<String>) -> Finding {
        Finding::new(path.into(), code, Severity::Error, message.into())
    }

    /// An information finding (nothing wrong).
    pub fn info(path: impl Into<String>, code: Code, message: impl Into<String>) -> Finding {
        Finding::new(path.into(), code, Severity::Info, message.into())
    }

    /// A warning finding.
    pub fn warning(path: impl Into<String>, code: Code, message: impl Into<String>) -> Finding {
        Finding::new(path.into(), code, Severity::Warning, message.into())
    }

    /// The one constructor the generic ones above call: each of their instantiations is then
    /// only the conversions (code size counts in the npm package and the page).
    fn new(path: String, code: Code, severity: Severity, message: String) -> Finding {
        Finding {
            path,
            code,
            severity,
            message,
            hint: None,
            span: None,
            fix: None,
        }
    }

    /// The same finding with a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Finding {
        self.hint = Some(hint.into());
        self
    }

    /// The same finding with a fix.
    pub fn with_fix(mut self, fix: Fix) -> Finding {
        self.fix = Some(Box::new(fix));
        self
    }

    /// The same finding with a span.
    pub fn with_span(mut self, span: Span) -> Finding {
        self.span = Some(span);
        self
    }

    /// Whether it blocks the request.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = self.severity.as_str();
        let path = if self.path.is_empty() {
            "(body)"
        } else {
            &self.path
        };
        write!(f, "{severity}[{}] {path}: {}", self.code, self.message)?;
        if let Some(span) = self.span {
            write!(f, " (bytes {}..{})", span.start, span.end)?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Every finding about one request, in field order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Report {
    findings: Vec<Finding>,
}

impl Report {
    /// An empty report.
    pub fn new() -> Report {
        Report::default()
    }

    /// Adds a finding.
    pub fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    /// Adds every finding of another report.
    pub fn append(&mut self, other: Report) {
        self.findings.extend(other.findings);
    }

    /// All findings.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The findings, owned.
    pub fn into_findings(self) -> Vec<Finding> {
        self.findings
    }

    /// The findings that block the request.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.is_error())
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
    }

    /// The information findings.
    pub fn infos(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Info)
    }

    /// The findings about one field.
    pub fn for_path<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| f.path == path)
    }

    /// True when no finding is an error (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.errors().next().is_none()
    }

    /// True when there are no findings at all.
    pub fn is_empty(&self) -> bool {
        self.findings.is_empty()
    }
}

impl From<Vec<Finding>> for Report {
    fn from(findings: Vec<Finding>) -> Report {
        Report { findings }
    }
}

impl Extend<Finding> for Report {
    fn extend<I: IntoIterator<Item = Finding>>(&mut self, iter: I) {
        self.findings.extend(iter);
    }
}

impl IntoIterator for Report {
    type Item = Finding;
    type IntoIter = std::vec::IntoIter<Finding>;
    fn into_iter(self) -> Self::IntoIter {
        self.findings.into_iter()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for finding in &self.findings {
            writeln!(f, "{finding}")?;
        }
        Ok(())
    }
}
