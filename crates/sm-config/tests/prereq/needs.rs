//! Which facts a request needs: only identifiers that passed validation.

use super::*;
use sm_config::prereq::Needs;

fn needs(
    change: impl FnOnce(&mut CustomCredentialsConfigurationPrototype),
    target: &Target,
) -> Needs {
    let mut r = request();
    change(&mut r);
    Needs::of(&ConfigurationPrototype::from(r), target)
}

#[test]
fn a_valid_request_needs_everything() {
    assert_eq!(
        needs(|_| {}, &super::target()),
        Needs {
            region: Some(REGION.into()),
            project_id: Some(PROJECT_ID.into()),
            job_name: Some(JOB.into()),
            secret_id: Some(SECRET_ID.into()),
            configurations: true,
            policies: true,
        }
    );
}

#[test]
fn without_api_key_ref_no_secret_is_needed() {
    let n = needs(|r| r.api_key_ref = None, &super::target());
    assert_eq!(n.secret_id, None);
    assert_eq!(n.job_name.as_deref(), Some(JOB));
}

#[test]
fn invalid_identifiers_are_never_listed() {
    // A value that would leave its URL segment is not handed to a fetcher.
    let n = needs(
        |r| r.code_engine.project_id = "../../v1/x".into(),
        &super::target(),
    );
    assert_eq!((n.project_id, n.job_name, n.policies), (None, None, false));
    assert_eq!(n.region.as_deref(), Some(REGION));

    let n = needs(|r| r.code_engine.job_name = "a/b".into(), &super::target());
    assert_eq!(n.job_name, None);
    assert_eq!(n.project_id.as_deref(), Some(PROJECT_ID));

    let n = needs(|r| r.code_engine.region = "mars".into(), &super::target());
    assert_eq!((n.region, n.project_id, n.job_name), (None, None, None));

    let n = needs(
        |r| r.api_key_ref = Some("A2F9C2E4".into()),
        &super::target(),
    );
    assert_eq!(n.secret_id, None);

    let bad_instance = Target::new("not-an-id", REGION, Endpoint::Public);
    let n = needs(|_| {}, &bad_instance);
    assert_eq!((n.secret_id, n.configurations), (None, false));
    assert!(n.project_id.is_some());
}

#[test]
fn checks_on_invalid_fields_are_skipped() {
    // Validation reports the project id; the prerequisites do not add a second finding.
    let mut r = request();
    r.code_engine.project_id = "nope".into();
    let report = check_with(r, &world());
    assert_findings(&report, &[]);
}

#[test]
fn an_invalid_instance_skips_what_names_it() {
    let facts = world();
    let report = check_prerequisites(
        &ConfigurationPrototype::from(request()),
        &Target::new("x", REGION, Endpoint::Public),
        &facts,
    );
    // Project, job and provider are still checked; the secret, the configurations and the
    // authorization (all of the instance) are not.
    assert_findings(&report, &ok());
}
