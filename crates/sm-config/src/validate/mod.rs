//! Validation with the service's rules. Every finding is reported at once, one rule a file.

mod job_name;
mod json;
mod length;
mod name;
mod region;
mod region_mismatch;
mod required;
mod task_timeout;
mod trusted_profile;
mod uuid;

pub use uuid::is_uuid;

use crate::field::{FieldPath, covers};
use crate::model::{
    ConfigurationPatch, ConfigurationPrototype, CustomCredentialsConfigurationPrototype,
};
use crate::report::Report;
use crate::target::Target;
use region::Service;
use serde_json::Value;

/// Example IDs shown in hints.
const EXAMPLE_SECRET_ID: &str = "a2f9c2e4-a3a8-c508-2bed-fcb7c26843ca";
const EXAMPLE_PROJECT_ID: &str = "12345678-5120-4a18-832a-4ba122496633";
const EXAMPLE_INSTANCE_ID: &str = "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5";

/// What raw input turned into: the request as far as it could be read, and every finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<T = ConfigurationPrototype> {
    /// The request, when the input was a JSON object; wrong or missing fields are left empty.
    pub request: Option<T>,
    /// Every finding, the input's shape first, then the rules.
    pub report: Report,
}

impl<T> Parsed<T> {
    /// The request when there is no error (warnings allowed).
    pub fn valid(self) -> Option<T> {
        if self.report.is_valid() {
            self.request
        } else {
            None
        }
    }
}

/// The fields of a custom credentials create body, borrowed from wherever they are (a typed
/// request, a JS object read in place). What [`validate_fields`] checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fields<'a> {
    /// `name` (empty when left out).
    pub name: &'a str,
    /// `api_key_ref`, `None` when left out.
    pub api_key_ref: Option<&'a str>,
    /// `code_engine.job_name` (empty when left out).
    pub job_name: &'a str,
    /// `code_engine.project_id` (empty when left out).
    pub project_id: &'a str,
    /// `code_engine.region` (empty when left out).
    pub region: &'a str,
    /// `task_timeout`, `None` when left out.
    pub task_timeout: Option<&'a str>,
}

impl<'a> From<&'a CustomCredentialsConfigurationPrototype> for Fields<'a> {
    fn from(c: &'a CustomCredentialsConfigurationPrototype) -> Fields<'a> {
        Fields {
            name: &c.name,
            api_key_ref: c.api_key_ref.as_deref(),
            job_name: &c.code_engine.job_name,
            project_id: &c.code_engine.project_id,
            region: &c.code_engine.region,
            task_timeout: c.task_timeout.as_deref(),
        }
    }
}

/// Validates a request; with a target, also the target and how the two fit.
pub fn validate(request: &ConfigurationPrototype, target: Option<&Target>) -> Report {
    let mut report = Report::new();
    match request {
        ConfigurationPrototype::CustomCredentialsConfiguration(c) => {
            custom_credentials(&mut report, &Fields::from(c), target)
        }
    }
    if let Some(target) = target {
        report.append(validate_target(target));
    }
    report
}

/// Validates a well-formed body given as borrowed fields: one whose `config_type` is
/// `custom_credentials_configuration`, whose `code_engine` is an object, and with no other
/// field, every field a string or left out. For such a body the report is exactly
/// [`validate_value`]'s, without building a JSON value or copying a string; a binding that
/// reads a host object in place calls this, and anything else goes through `validate_value`.
pub fn validate_fields(fields: &Fields<'_>, target: Option<&Target>) -> Report {
    // The rules report in field order (name, api_key_ref, code_engine.*, task_timeout, then
    // target.*), which is `in_field_order`'s; tests/fields.rs holds the two paths to it.
    let mut report = Report::new();
    custom_credentials(&mut report, fields, target);
    if let Some(target) = target {
        report.append(validate_target(target));
    }
    report
}

fn custom_credentials(report: &mut Report, c: &Fields<'_>, target: Option<&Target>) {
    name::check(report, FieldPath::Name.as_str(), c.name);
    match c.api_key_ref {
        Some(id) => uuid::check(report, FieldPath::ApiKeyRef.as_str(), id, EXAMPLE_SECRET_ID),
        None => trusted_profile::check(report, FieldPath::ApiKeyRef.as_str(), None),
    }
    job_name::check(report, FieldPath::JobName.as_str(), c.job_name);
    let project = FieldPath::ProjectId.as_str();
    if required::check(
        report,
        project,
        c.project_id,
        "the id of the code engine project",
    ) {
        uuid::check(report, project, c.project_id, EXAMPLE_PROJECT_ID);
    }
    region::check(
        report,
        FieldPath::Region.as_str(),
        c.region,
        Service::CodeEngine,
    );
    if let Some(target) = target {
        region_mismatch::check(report, FieldPath::Region.as_str(), c.region, &target.region);
    }
    task_timeout::check(report, FieldPath::TaskTimeout.as_str(), c.task_timeout);
}

/// Validates a target: the instance ID and the Secrets Manager region.
pub fn validate_target(target: &Target) -> Report {
    let mut report = Report::new();
    let id = FieldPath::InstanceId.as_str();
    if required::check(
        &mut report,
        id,
        &target.instance_id,
        "the instance's id, shown in its console and in its url",
    ) {
        uuid::check(&mut report, id, &target.instance_id, EXAMPLE_INSTANCE_ID);
    }
    region::check(
        &mut report,
        FieldPath::TargetRegion.as_str(),
        &target.region,
        Service::SecretsManager,
    );
    report
}

/// Validates a request given as a JSON value (from JS, or already parsed).
pub fn validate_value(value: &Value, target: Option<&Target>) -> Parsed {
    let mut shape = json::Shape::default();
    let request = json::prototype(value, &mut shape);
    let mut report = shape.report;
    if let Some(request) = &request {
        let rules = validate(request, target);
        report.extend(
            rules
                .into_iter()
                .filter(|f| !shape.suppressed.iter().any(|p| covers(p, &f.path))),
        );
    } else if let Some(target) = target {
        report.append(validate_target(target));
    }
    Parsed {
        request,
        report: in_field_order(report),
    }
}

/// Sorts findings by where their field stands in the body (stable within a field).
fn in_field_order(report: Report) -> Report {
    // `FieldPath::ALL` is in body order; the last path covering a finding's is its place
    // (a field the service does not know sorts with its object, or last).
    let rank = |path: &str| {
        FieldPath::ALL
            .iter()
            .rposition(|p| p.covers(path))
            .map_or(FieldPath::ALL.len(), |i| i)
    };
    let mut findings = report.into_findings();
    findings.sort_by_key(|f| rank(&f.path));
    findings.into()
}

/// Validates a request given as JSON text: every finding at once, each on its field's wire
/// path, with a hint; and the request as far as it could be read.
///
/// ```
/// use sm_config::{Code, Endpoint, Target, validate_json};
///
/// let body = r#"{
///     "name": "payroll-db",
///     "config_type": "custom_credentials_configuration",
///     "code_engine": {"job_name": "rotate_db", "project_id": "12345678-5120-4a18-832a-4ba122496633", "region": "eu-de"},
///     "task_timeout": "2m"
/// }"#;
/// let target = Target::new("b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5", "eu-de", Endpoint::Public);
/// let parsed = validate_json(body, Some(&target));
///
/// // Two errors (a job name has no `_`, and 2m is below the minimum) and a warning: without
/// // `api_key_ref` the job must authenticate with a trusted profile.
/// let found: Vec<_> = parsed.report.findings().iter().map(|f| (f.path.as_str(), f.code)).collect();
/// assert_eq!(
///     found,
///     [
///         ("api_key_ref", Code::TrustedProfileRequired),
///         ("code_engine.job_name", Code::Pattern),
///         ("task_timeout", Code::OutOfRange),
///     ]
/// );
/// assert!(!parsed.report.is_valid());
/// // Every finding says how to fix it.
/// assert_eq!(parsed.report.findings()[2].hint.as_deref(), Some("use 5m (300 seconds) or more"));
/// // The request was read all the same (to render it, say); `valid()` gives it only without errors.
/// assert!(parsed.request.is_some());
/// assert!(parsed.valid().is_none());
/// ```
pub fn validate_json(text: &str, target: Option<&Target>) -> Parsed {
    match json::parse(text) {
        Ok(value) => validate_value(&value, target),
        Err(finding) => Parsed {
            request: None,
            report: vec![finding].into(),
        },
    }
}

/// Validates a request given as bytes that should be UTF-8 JSON (an HTTP body, a file).
pub fn validate_json_bytes(bytes: &[u8], target: Option<&Target>) -> Parsed {
    match json::utf8(bytes) {
        Ok(text) => validate_json(text, target),
        Err(finding) => Parsed {
            request: None,
            report: vec![finding].into(),
        },
    }
}

/// Validates a typed merge patch: what [`validate_patch_json`] checks once the body is read.
pub fn validate_patch(patch: &ConfigurationPatch) -> Report {
    let mut report = Report::default();
    match patch.task_timeout.as_deref() {
        Some(text) => task_timeout::check_patch(&mut report, text),
        None => report.push(json::patch_task_timeout_required()),
    }
    report
}

/// Validates an update (merge-patch) body: only `task_timeout` may change.
pub fn validate_patch_json(bytes: &[u8]) -> Parsed<ConfigurationPatch> {
    let value = match json::utf8(bytes).and_then(json::parse) {
        Ok(value) => value,
        Err(finding) => {
            return Parsed {
                request: None,
                report: vec![finding].into(),
            };
        }
    };
    let mut shape = json::Shape::default();
    let request = json::patch(&value, &mut shape);
    let mut report = shape.report;
    if let Some(text) = request.as_ref().and_then(|p| p.task_timeout.as_deref())
        && !shape
            .suppressed
            .iter()
            .any(|p| *p == FieldPath::TaskTimeout)
    {
        task_timeout::check_patch(&mut report, text);
    }
    Parsed { request, report }
}
