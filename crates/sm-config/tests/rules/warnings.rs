//! The warnings: trusted profile, region mismatch.

use super::*;

#[test]
fn no_api_key_ref_is_a_warning() {
    let report = changed(|c| c.api_key_ref = None);
    assert_findings(
        &report,
        &[(
            "api_key_ref",
            Code::TrustedProfileRequired,
            "without api_key_ref the code engine job must authenticate with a trusted profile",
        )],
    );
    let f = &report.findings()[0];
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(
        f.hint.as_deref(),
        Some(
            "give the id of an iam credentials secret with auto-rotation, or set up a trusted profile for the job"
        )
    );
    assert!(report.is_valid() && !report.is_empty());
}

#[test]
fn region_mismatch_is_a_warning() {
    let request = ConfigurationPrototype::from(docs_example());
    assert_valid(&validate(&request, Some(&target("us-south"))));
    let report = validate(&request, Some(&target("eu-de")));
    assert_findings(
        &report,
        &[(
            "code_engine.region",
            Code::RegionMismatch,
            "code engine region us-south differs from the instance region eu-de",
        )],
    );
    let f = &report.findings()[0];
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(
        f.hint.as_deref(),
        Some("use a code engine project in eu-de if you can")
    );
    assert!(report.is_valid());

    let report = validate(&request, Some(&target("ca-mon")));
    assert_eq!(
        report.findings()[0].hint.as_deref(),
        Some("code engine is not available in ca-mon; a nearby region is fine")
    );
}

#[test]
fn no_mismatch_warning_when_a_region_is_wrong() {
    // The wrong region is the problem; a second finding about it would be noise.
    let request = ConfigurationPrototype::from(docs_example());
    assert_findings(
        &validate(&request, Some(&target("mars"))),
        &[(
            "target.region",
            Code::UnknownRegion,
            "`mars` is not a secrets manager region",
        )],
    );
    let mut c = docs_example();
    c.code_engine.region = "ca-mon".into();
    assert_findings(
        &validate(&c.into(), Some(&target("eu-de"))),
        &[(
            "code_engine.region",
            Code::UnknownRegion,
            "code engine is not available in ca-mon",
        )],
    );
}

#[test]
fn every_finding_at_once_in_field_order() {
    let text = r#"{"task_timeout":"1.5h","code_engine":{"region":"mars","project_id":"x","job_name":"-"},"name":"a","config_type":"custom_credentials_configuration"}"#;
    let parsed = validate_json(text, Some(&Target::new("x", "eu-de", Endpoint::Public)));
    assert_findings(
        &parsed.report,
        &[
            (
                "name",
                Code::TooShort,
                "name has 1 character, at least 2 are needed",
            ),
            (
                "api_key_ref",
                Code::TrustedProfileRequired,
                "without api_key_ref the code engine job must authenticate with a trusted profile",
            ),
            (
                "code_engine.job_name",
                Code::Pattern,
                "code_engine.job_name must not start with `-`",
            ),
            (
                "code_engine.project_id",
                Code::TooShort,
                "code_engine.project_id has 1 character, at least 36 are needed",
            ),
            (
                "code_engine.region",
                Code::UnknownRegion,
                "`mars` is not a code engine region",
            ),
            (
                "task_timeout",
                Code::Pattern,
                "task timeout must be a whole number",
            ),
            (
                "target.instance_id",
                Code::TooShort,
                "target.instance_id has 1 character, at least 36 are needed",
            ),
        ],
    );
}
