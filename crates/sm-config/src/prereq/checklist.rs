//! The checklist: the prerequisites as a list of six items, each ok, failed, unknown or
//! skipped, for a page or a CLI to show next to the findings.
//!
//! The statuses come from the same run of the checks as the report ([`super::checklist`]):
//! each check is run on behalf of one item, and the findings it adds decide that item's
//! status. A check that does not run is skipped (its field is missing or invalid, or what it
//! depends on does not exist), or unknown when what it depends on could not be read.

use crate::report::{Code, Finding, Report, Severity};
use serde::{Deserialize, Serialize};

/// One prerequisite, in checklist order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrerequisiteId {
    /// The Code Engine project exists, is active and is in `code_engine.region`.
    Project,
    /// The job exists in the project.
    Job,
    /// The job is a credentials provider.
    Provider,
    /// The job backs no other configuration, the name is free, the instance exists and is
    /// under its limit.
    Unique,
    /// The `api_key_ref` secret is usable, or, without one, the job has trusted profiles.
    Credentials,
    /// Secrets Manager is authorized on the project.
    Authorization,
}

impl PrerequisiteId {
    /// Every prerequisite, in checklist order.
    pub const ALL: [PrerequisiteId; 6] = [
        PrerequisiteId::Project,
        PrerequisiteId::Job,
        PrerequisiteId::Provider,
        PrerequisiteId::Unique,
        PrerequisiteId::Credentials,
        PrerequisiteId::Authorization,
    ];

    /// The wire name (`project`, `job`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            PrerequisiteId::Project => "project",
            PrerequisiteId::Job => "job",
            PrerequisiteId::Provider => "provider",
            PrerequisiteId::Unique => "unique",
            PrerequisiteId::Credentials => "credentials",
            PrerequisiteId::Authorization => "authorization",
        }
    }

    /// What the prerequisite asks, in plain words (lower case, stable).
    pub fn title(self) -> &'static str {
        match self {
            PrerequisiteId::Project => "the code engine project exists and is active in its region",
            PrerequisiteId::Job => "the job exists in the project",
            PrerequisiteId::Provider => "the job is a credentials provider with a required output",
            PrerequisiteId::Unique => {
                "the job backs no other configuration, the name is free and the instance has room"
            }
            PrerequisiteId::Credentials => {
                "the api key secret rotates and reuses its key, or the job uses a trusted profile"
            }
            PrerequisiteId::Authorization => {
                "secrets manager is authorized on the project (viewer, writer)"
            }
        }
    }

    /// The prerequisite a finding's code belongs to; `None` for validation's codes and for
    /// [`Code::FactUnavailable`], which any check can report (it belongs to the check that
    /// could not read its fact, which the checklist knows from the run).
    pub fn of(code: Code) -> Option<PrerequisiteId> {
        use PrerequisiteId as P;
        Some(match code {
            Code::ProjectNotFound | Code::ProjectInactive | Code::ProjectWrongRegion => P::Project,
            Code::JobNotFound => P::Job,
            Code::NotAProvider
            | Code::NoRequiredOutput
            | Code::ProviderVariableInvalid
            | Code::ProviderSchema => P::Provider,
            Code::JobInUse
            | Code::JobMaybeInUse
            | Code::NameTaken
            | Code::ConfigurationLimit
            | Code::InstanceNotFound => P::Unique,
            Code::SecretNotFound
            | Code::SecretOtherInstance
            | Code::SecretWrongType
            | Code::SecretInactive
            | Code::SecretNoRotation
            | Code::SecretNoReuse
            | Code::TrustedProfilesDisabled => P::Credentials,
            Code::AuthorizationMissing
            | Code::AuthorizationIncomplete
            | Code::AuthorizationUnconfirmed => P::Authorization,
            Code::Required
            | Code::TooShort
            | Code::TooLong
            | Code::Pattern
            | Code::UnknownRegion
            | Code::OutOfRange
            | Code::UnknownField
            | Code::InvalidType
            | Code::InvalidJson
            | Code::UnsupportedConfigType
            | Code::Immutable
            | Code::TrustedProfileRequired
            | Code::RegionMismatch
            | Code::FactUnavailable => return None,
        })
    }
}

impl std::fmt::Display for PrerequisiteId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a prerequisite stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrerequisiteStatus {
    /// Checked, and nothing is wrong.
    Ok,
    /// Checked, and an error blocks the create (the findings say what, with the fix).
    Failed,
    /// It could not be told: a fact could not be read, or the answer does not settle it
    /// (`fact_unavailable`, `authorization_unconfirmed`, `job_maybe_in_use`).
    Unknown,
    /// Not checked: the field it needs is missing or invalid (validation says so), or what
    /// it depends on does not exist (a job in a project that is not found).
    Skipped,
}

impl PrerequisiteStatus {
    /// The wire name (`ok`, `failed`, `unknown`, `skipped`).
    pub fn as_str(self) -> &'static str {
        match self {
            PrerequisiteStatus::Ok => "ok",
            PrerequisiteStatus::Failed => "failed",
            PrerequisiteStatus::Unknown => "unknown",
            PrerequisiteStatus::Skipped => "skipped",
        }
    }

    /// The status of a check that added `findings`: failed for an error, unknown for a
    /// warning (every prerequisite warning says "cannot tell"), ok otherwise (an info is news,
    /// not a problem).
    fn of(findings: &[Finding]) -> PrerequisiteStatus {
        if findings.iter().any(|f| f.severity == Severity::Error) {
            PrerequisiteStatus::Failed
        } else if findings.iter().any(|f| f.severity == Severity::Warning) {
            PrerequisiteStatus::Unknown
        } else {
            PrerequisiteStatus::Ok
        }
    }

    /// The status of a check that did not run because the one it depends on stands at
    /// `dependency`: unknown when that could not be told, skipped otherwise.
    fn behind(dependency: PrerequisiteStatus) -> PrerequisiteStatus {
        match dependency {
            PrerequisiteStatus::Unknown => PrerequisiteStatus::Unknown,
            _ => PrerequisiteStatus::Skipped,
        }
    }
}

impl std::fmt::Display for PrerequisiteStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One line of the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prerequisite {
    /// Which prerequisite.
    pub id: PrerequisiteId,
    /// [`PrerequisiteId::title`].
    pub title: String,
    /// Where it stands.
    pub status: PrerequisiteStatus,
    /// The codes of the findings its check added, in report order.
    pub codes: Vec<Code>,
}

/// The checklist and the report of one run of the checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checklist {
    /// The six prerequisites, in [`PrerequisiteId::ALL`] order.
    pub prerequisites: Vec<Prerequisite>,
    /// The prerequisite findings (what [`super::check_prerequisites`] returns).
    pub report: Report,
}

impl Checklist {
    /// The item for `id`.
    pub fn get(&self, id: PrerequisiteId) -> Option<&Prerequisite> {
        self.prerequisites.iter().find(|p| p.id == id)
    }
}

/// Runs checks on behalf of prerequisites and records what each added.
pub(crate) struct Recorder {
    pub(crate) report: Report,
    statuses: [Option<(PrerequisiteStatus, Vec<Code>)>; 6],
}

impl Recorder {
    pub(crate) fn new() -> Recorder {
        Recorder {
            report: Report::new(),
            statuses: Default::default(),
        }
    }

    fn index(id: PrerequisiteId) -> usize {
        id as usize
    }

    /// Runs `check` for `id`; the findings it adds set the status.
    pub(crate) fn run<R>(&mut self, id: PrerequisiteId, check: impl FnOnce(&mut Report) -> R) -> R {
        let before = self.report.findings().len();
        let result = check(&mut self.report);
        let added = &self.report.findings()[before..];
        let status = PrerequisiteStatus::of(added);
        let codes = added.iter().map(|f| f.code).collect();
        self.statuses[Self::index(id)] = Some((status, codes));
        result
    }

    /// Records that `id` was not checked: skipped.
    pub(crate) fn skip(&mut self, id: PrerequisiteId) {
        self.statuses[Self::index(id)] = Some((PrerequisiteStatus::Skipped, Vec::new()));
    }

    /// Records that `id` was not checked because `dependency` did not give what it needs.
    pub(crate) fn behind(&mut self, id: PrerequisiteId, dependency: PrerequisiteId) {
        let status = PrerequisiteStatus::behind(self.status(dependency));
        self.statuses[Self::index(id)] = Some((status, Vec::new()));
    }

    /// The status recorded for `id` (skipped when nothing was).
    pub(crate) fn status(&self, id: PrerequisiteId) -> PrerequisiteStatus {
        self.statuses[Self::index(id)]
            .as_ref()
            .map_or(PrerequisiteStatus::Skipped, |(s, _)| *s)
    }

    pub(crate) fn finish(self) -> Checklist {
        let mut statuses = self.statuses;
        let prerequisites = PrerequisiteId::ALL
            .iter()
            .map(|&id| {
                let (status, codes) = statuses[Self::index(id)]
                    .take()
                    .unwrap_or((PrerequisiteStatus::Skipped, Vec::new()));
                Prerequisite {
                    id,
                    title: id.title().to_owned(),
                    status,
                    codes,
                }
            })
            .collect();
        Checklist {
            prerequisites,
            report: self.report,
        }
    }
}
