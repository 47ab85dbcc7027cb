//! Without `api_key_ref`, the job must have trusted profiles enabled.

use super::*;
use sm_config::prereq::FixKind;

fn without_key(change: impl FnOnce(&mut Facts)) -> Report {
    let mut facts = world();
    // No secret is fetched without api_key_ref: it must not be read either.
    facts.secret = Fact::Unknown("not fetched".into());
    change(&mut facts);
    let mut request = request();
    request.api_key_ref = None;
    check_with(request, &facts)
}

#[test]
fn no_secret_and_no_trusted_profile_is_an_error_with_a_fix() {
    let report = without_key(|_| {});
    let mut expected = ok();
    expected.push((
        "code_engine.job_name",
        Code::TrustedProfilesDisabled,
        Severity::Error,
        "without api_key_ref the job must use a trusted profile, but job my-provider has trusted profiles disabled",
    ));
    assert_findings(&report, &expected);
    let fix = finding(&report, Code::TrustedProfilesDisabled)
        .fix
        .as_deref()
        .unwrap();
    assert_eq!(fix.kind, FixKind::TrustedProfiles);
    assert_eq!(
        fix.cli,
        "ibmcloud target -r 'us-south' && \\\n\
         ibmcloud ce project select --id='4e49b3e0-27a8-48d2-a784-c7ee48bb863b' && \\\n\
         ibmcloud ce job update --name='my-provider' --trusted-profiles-enabled=true"
    );
    // The job's entity tag travels as If-Match.
    assert!(
        fix.curl.contains("-H 'If-Match: 2385407409'"),
        "{}",
        fix.curl
    );
}

#[test]
fn an_absent_flag_reads_as_disabled() {
    let report =
        without_key(|f| f.job = job_with(|j| remove(j, "/run_compute_resource_token_enabled")));
    assert_eq!(
        finding(&report, Code::TrustedProfilesDisabled).severity,
        Severity::Error
    );
}

#[test]
fn trusted_profiles_enabled_is_enough() {
    let report = without_key(|f| {
        f.job = job_with(|j| set(j, "/run_compute_resource_token_enabled", json!(true)))
    });
    assert_findings(&report, &ok());
}

#[test]
fn with_a_secret_the_flag_does_not_matter() {
    assert_findings(&check(|_| {}), &ok());
}

#[test]
fn a_missing_job_is_not_also_a_trusted_profile_finding() {
    let report = without_key(|f| f.job = Fact::Missing);
    let codes: Vec<Code> = report.findings().iter().map(|f| f.code).collect();
    assert_eq!(codes, [Code::JobNotFound]);
}
