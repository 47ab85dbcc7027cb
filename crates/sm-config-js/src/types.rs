//! What crosses to JS beyond the core's own types. The findings are the core's `Finding`,
//! `Code`, `Severity` and `Span`, whose `Tsify` derives the core's `typescript` feature turns on
//! for this crate only; here are the shapes the package gives itself: the list of findings,
//! a parsed task timeout as an object, the regions and the limits as data.

use serde::Serialize;
use tsify::Tsify;

/// Every finding about one request, in field order; empty when all is well.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
#[serde(transparent)]
pub struct Findings(pub Vec<sm_config::Finding>);

impl From<sm_config::Report> for Findings {
    fn from(report: sm_config::Report) -> Findings {
        Findings(report.into_findings())
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
