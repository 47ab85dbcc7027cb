//! Every rule at its boundaries, with exact codes, messages, hints and spans.
//!
//! Each test starts from the docs' example (valid, no finding), changes one thing, and states
//! the complete list of findings it must produce: a rule that fires too often fails as surely
//! as one that does not fire. One file per rule, as `src/validate/` has them; the shared
//! baseline and assertions are here.

use sm_config::limits::{JOB_NAME_MAX_LEN, NAME_MAX_LEN};
use sm_config::regions::{self, REGIONS};
use sm_config::{
    Code, CodeEngine, ConfigurationPatch, ConfigurationPrototype,
    CustomCredentialsConfigurationPrototype, Endpoint, ErrorContainer, Finding, Report,
    ServiceError, Severity, Span, Target, TargetError, TaskTimeout, validate, validate_json,
    validate_json_bytes, validate_patch, validate_patch_json, validate_target,
};

const SECRET_ID: &str = "a2f9c2e4-a3a8-c508-2bed-fcb7c26843ca";
const PROJECT_ID: &str = "12345678-5120-4a18-832a-4ba122496633";
const INSTANCE_ID: &str = "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5";
const CE_REGIONS: [&str; 11] = [
    "us-south", "us-east", "ca-tor", "br-sao", "eu-gb", "eu-de", "eu-es", "jp-tok", "jp-osa",
    "au-syd", "in-che",
];
const SM_REGIONS: [&str; 13] = [
    "us-south", "us-east", "ca-tor", "ca-mon", "br-sao", "eu-gb", "eu-de", "eu-es", "jp-tok",
    "jp-osa", "au-syd", "in-mum", "in-che",
];
const NAME_HINT: &str = "2 to 128 letters, digits, `_`, `-` or `.`, e.g. my_config";
const JOB_HINT: &str = "lower-case letters, digits and `-`, e.g. my-credentials-job";
const TOP_FIELDS_HINT: &str =
    "the service knows only name, config_type, api_key_ref, code_engine, task_timeout";

/// The docs' example as JSON text, as the examples folder ships it.
const DOCS_EXAMPLE_JSON: &str = include_str!("../../../../examples/docs-example.json");

/// The findings of a JSON text, validated without a target.
fn json_report(text: &str) -> Report {
    validate_json(text, None).report
}

fn docs_example() -> CustomCredentialsConfigurationPrototype {
    CustomCredentialsConfigurationPrototype {
        name: "my_config".into(),
        api_key_ref: Some(SECRET_ID.into()),
        code_engine: CodeEngine {
            job_name: "code-engine-job-name".into(),
            project_id: PROJECT_ID.into(),
            region: "us-south".into(),
        },
        task_timeout: Some("50m".into()),
    }
}

/// The docs' example with one change, validated without a target.
fn changed(change: impl FnOnce(&mut CustomCredentialsConfigurationPrototype)) -> Report {
    let mut c = docs_example();
    change(&mut c);
    validate(&ConfigurationPrototype::from(c), None)
}

fn name(value: &str) -> Report {
    changed(|c| c.name = value.into())
}

fn api_key_ref(value: &str) -> Report {
    changed(|c| c.api_key_ref = Some(value.into()))
}

fn project_id(value: &str) -> Report {
    changed(|c| c.code_engine.project_id = value.into())
}

fn job_name(value: &str) -> Report {
    changed(|c| c.code_engine.job_name = value.into())
}

fn task_timeout(value: &str) -> Report {
    changed(|c| c.task_timeout = Some(value.into()))
}

fn ce_region(value: &str) -> Report {
    changed(|c| c.code_engine.region = value.into())
}

fn target(region: &str) -> Target {
    Target::new(INSTANCE_ID, region, Endpoint::Public)
}

#[track_caller]
fn assert_valid(report: &Report) {
    assert!(report.is_empty(), "expected no finding, got:\n{report}");
}

/// The report holds exactly these findings, in this order.
#[track_caller]
fn assert_findings(report: &Report, expected: &[(&str, Code, &str)]) {
    let got: Vec<(&str, Code, &str)> = report
        .findings()
        .iter()
        .map(|f| (f.path.as_str(), f.code, f.message.as_str()))
        .collect();
    assert_eq!(got, expected, "report:\n{report}");
}

/// The report holds exactly one finding, an error with this path, code and message.
#[track_caller]
fn assert_error(report: &Report, path: &str, code: Code, message: &str) -> Finding {
    assert_findings(report, &[(path, code, message)]);
    let finding = report.findings()[0].clone();
    assert_eq!(finding.severity, Severity::Error, "{finding}");
    finding
}

/// The finding's hint and span.
#[track_caller]
fn assert_detail(finding: &Finding, hint: &str, span: Option<(usize, usize)>) {
    assert_eq!(finding.hint.as_deref(), Some(hint), "{finding}");
    assert_eq!(
        finding.span,
        span.map(|(start, end)| Span::new(start, end)),
        "{finding}"
    );
}

mod baseline;
mod error_container;
mod job_name;
mod json;
mod name;
mod patch;
mod region;
mod report;
mod target;
mod task_timeout;
mod uuid;
mod warnings;
