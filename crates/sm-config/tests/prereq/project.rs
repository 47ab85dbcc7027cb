//! The project exists, is active, is in `code_engine.region`; the job exists in it.

use super::*;

const NO_PROJECT: &str = "no code engine project 4e49b3e0-27a8-48d2-a784-c7ee48bb863b in us-south";

#[test]
fn a_missing_project_is_an_error_and_its_job_is_not_looked_for() {
    let report = check(|f| f.project = Fact::Missing);
    assert_findings(
        &report,
        &[(
            "code_engine.project_id",
            Code::ProjectNotFound,
            Severity::Error,
            NO_PROJECT,
        )],
    );
    assert_eq!(
        finding(&report, Code::ProjectNotFound).hint.as_deref(),
        Some(
            "check the id with `ibmcloud ce project list`, and that the credentials can see the project"
        )
    );
}

#[test]
fn an_unreadable_project_is_a_warning_that_says_why() {
    let report = check(|f| f.project = Fact::Unknown("forbidden (403)".into()));
    assert_findings(
        &report,
        &[(
            "code_engine.project_id",
            Code::FactUnavailable,
            Severity::Warning,
            "could not check the code engine project: forbidden (403)",
        )],
    );
    assert!(report.is_valid());
}

#[test]
fn an_inactive_project_is_an_error() {
    for status in ["soft_deleted", "creating", "inactive", "hard_deleted"] {
        let report = check(|f| f.project = project_with(|p| set(p, "/status", json!(status))));
        let message = format!("code engine project project-name is {status}, not active");
        let mut expected = vec![(
            "code_engine.project_id",
            Code::ProjectInactive,
            Severity::Error,
            message.as_str(),
        )];
        expected.extend(ok());
        assert_findings(&report, &expected);
    }
}

#[test]
fn a_project_without_a_status_is_not_taken_as_active() {
    let report = check(|f| f.project = project_with(|p| remove(p, "/status")));
    assert_eq!(
        finding(&report, Code::ProjectInactive).message,
        "code engine project project-name is of unknown status, not active"
    );
}

#[test]
fn a_project_in_another_region_is_an_error_on_the_region() {
    let report = check(|f| f.project = project_with(|p| set(p, "/region", json!("eu-de"))));
    let mut expected = vec![(
        "code_engine.region",
        Code::ProjectWrongRegion,
        Severity::Error,
        "code engine project project-name is in eu-de, not us-south",
    )];
    expected.extend(ok());
    assert_findings(&report, &expected);
    assert_eq!(
        finding(&report, Code::ProjectWrongRegion).hint.as_deref(),
        Some("set code_engine.region to eu-de")
    );
}

#[test]
fn a_project_that_does_not_say_its_region_is_not_taken_as_there() {
    let report = check(|f| f.project = project_with(|p| set(p, "/region", Value::Null)));
    assert_eq!(
        finding(&report, Code::ProjectWrongRegion).message,
        "code engine project project-name does not say its region, not us-south"
    );
}

#[test]
fn inactive_and_elsewhere_are_both_reported() {
    let report = check(|f| {
        f.project = project_with(|p| {
            set(p, "/status", json!("inactive"));
            set(p, "/region", json!("jp-tok"));
        })
    });
    let codes: Vec<Code> = report.findings().iter().map(|f| f.code).collect();
    assert_eq!(
        codes,
        [
            Code::ProjectInactive,
            Code::ProjectWrongRegion,
            Code::ProviderSchema
        ]
    );
}

#[test]
fn a_missing_job_is_an_error() {
    let report = check(|f| f.job = Fact::Missing);
    assert_findings(
        &report,
        &[(
            "code_engine.job_name",
            Code::JobNotFound,
            Severity::Error,
            "no job my-provider in code engine project 4e49b3e0-27a8-48d2-a784-c7ee48bb863b",
        )],
    );
}

#[test]
fn an_unreadable_job_is_a_warning() {
    let report = check(|f| f.job = Fact::Unknown("timed out".into()));
    assert_findings(
        &report,
        &[(
            "code_engine.job_name",
            Code::FactUnavailable,
            Severity::Warning,
            "could not check the code engine job: timed out",
        )],
    );
}
