//! The 1:1 rule, the configuration name and the limit of 10 per instance.

use super::*;
use sm_config::CustomCredentialsConfiguration;

fn custom(name: &str, job: &str) -> Configuration {
    Configuration::CustomCredentialsConfiguration(CustomCredentialsConfiguration {
        name: name.into(),
        code_engine: CodeEngine {
            job_name: job.into(),
            project_id: PROJECT_ID.into(),
            region: REGION.into(),
        },
        ..Default::default()
    })
}

#[test]
fn a_job_used_by_another_configuration_is_an_error() {
    let report =
        check(|f| f.configurations = configurations_with(|c| c.push(custom("taken", JOB))));
    let mut expected = vec![(
        "code_engine.job_name",
        Code::JobInUse,
        Severity::Error,
        "job my-provider is already used by configuration taken",
    )];
    expected.splice(0..0, ok());
    assert_findings(&report, &expected);
    assert_eq!(
        finding(&report, Code::JobInUse).hint.as_deref(),
        Some(
            "a job backs exactly one configuration: deploy a copy of the job under another name and use that"
        )
    );
}

#[test]
fn the_same_job_name_in_another_project_is_another_job() {
    let report = check(|f| {
        f.configurations = configurations_with(|c| {
            let mut other = custom("elsewhere", JOB);
            if let Configuration::CustomCredentialsConfiguration(x) = &mut other {
                x.code_engine.project_id = "11111111-2222-3333-4444-555555555555".into();
            }
            c.push(other)
        })
    });
    assert_findings(&report, &ok());
}

#[test]
fn a_taken_name_is_an_error_on_the_name() {
    let report =
        check(|f| f.configurations = configurations_with(|c| c.push(custom("my_config", "x"))));
    let mut expected = vec![(
        "name",
        Code::NameTaken,
        Severity::Error,
        "the instance already has a configuration named my_config",
    )];
    expected.splice(0..0, ok());
    assert_findings(&report, &expected);
}

#[test]
fn the_eleventh_configuration_is_refused() {
    // The fixture holds one custom configuration (and one of another type, which does not count).
    let nine_more = |c: &mut Vec<Configuration>| {
        for i in 0..8 {
            c.push(custom(&format!("c{i}"), &format!("job-{i}")));
        }
    };
    assert_findings(
        &check(|f| f.configurations = configurations_with(nine_more)),
        &ok(),
    );
    let report = check(|f| {
        f.configurations = configurations_with(|c| {
            nine_more(c);
            c.push(custom("c9", "job-9"));
        })
    });
    let mut expected = vec![(
        "",
        Code::ConfigurationLimit,
        Severity::Error,
        "the instance already has 10 custom credentials configurations, the most it may have",
    )];
    expected.splice(0..0, ok());
    assert_findings(&report, &expected);
}

#[test]
fn unreadable_configurations_are_a_warning() {
    let report = check(|f| f.configurations = Fact::Unknown("unauthorized (401)".into()));
    let mut expected = ok();
    expected.push((
        "code_engine.job_name",
        Code::FactUnavailable,
        Severity::Warning,
        "could not check the configurations of the instance: unauthorized (401)",
    ));
    assert_findings(&report, &expected);
}

#[test]
fn a_missing_instance_is_an_error() {
    let report = check(|f| f.configurations = Fact::Missing);
    let mut expected = ok();
    expected.push((
        "target.instance_id",
        Code::InstanceNotFound,
        Severity::Error,
        "no secrets manager instance b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5 in us-south",
    ));
    assert_findings(&report, &expected);
}

#[test]
fn a_job_configured_elsewhere_is_a_warning() {
    let url = json!({"type": "literal", "name": "SM_INSTANCE_URL",
                     "value": "https://0a1b2c3d-0000-0000-0000-000000000000.eu-de.secrets-manager.appdomain.cloud"});
    let report = check(|f| {
        f.job = job_with(|j| {
            j["run_env_variables"]
                .as_array_mut()
                .unwrap()
                .push(url.clone())
        })
    });
    let mut expected = ok();
    expected.push((
        "code_engine.job_name",
        Code::JobMaybeInUse,
        Severity::Warning,
        "job my-provider already carries SM_INSTANCE_URL=https://0a1b2c3d-0000-0000-0000-000000000000.eu-de.secrets-manager.appdomain.cloud, so another configuration probably uses it",
    ));
    assert_findings(&report, &expected);

    let reference = json!({"type": "secret_full_reference", "reference": "sm-access-secretid"});
    let report = check(|f| {
        f.job = job_with(|j| {
            j["run_env_variables"]
                .as_array_mut()
                .unwrap()
                .push(reference)
        })
    });
    assert_eq!(
        finding(&report, Code::JobMaybeInUse).message,
        "job my-provider already carries a reference to secret sm-access-secretid, so another configuration probably uses it"
    );
}

#[test]
fn a_job_known_to_be_in_use_here_is_not_also_a_warning() {
    let url = json!({"type": "literal", "name": "SM_INSTANCE_URL", "value": "x"});
    let report = check(|f| {
        f.job = job_with(|j| j["run_env_variables"].as_array_mut().unwrap().push(url));
        f.configurations = configurations_with(|c| c.push(custom("taken", JOB)));
    });
    let codes: Vec<Code> = report.findings().iter().map(|f| f.code).collect();
    assert_eq!(codes, [Code::ProviderSchema, Code::JobInUse]);
}
