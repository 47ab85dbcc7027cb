//! The job is a credentials provider: `SMIN_`/`SMOUT_` literals with valid specs and at least
//! one required output.

use super::*;

/// The world with the job's `run_env_variables` replaced.
fn with_variables(variables: Value) -> Report {
    check(|f| f.job = job_with(|j| set(j, "/run_env_variables", variables)))
}

#[track_caller]
fn assert_provider_errors(report: &Report, expected: &[(Code, &str)]) {
    let expected: Vec<Expected> = expected
        .iter()
        .map(|(code, message)| ("code_engine.job_name", *code, Severity::Error, *message))
        .collect();
    assert_findings(report, &expected);
}

#[test]
fn a_job_without_provider_variables_is_not_a_provider() {
    let report = with_variables(json!([
        {"type": "literal", "name": "SOME", "value": "VALUE"},
        {"type": "literal", "name": "SM_INPUT", "value": "type:string"}
    ]));
    assert_provider_errors(
        &report,
        &[(
            Code::NotAProvider,
            "job my-provider: no SMIN_ or SMOUT_ variables, so not a credentials provider",
        )],
    );
    assert_eq!(
        finding(&report, Code::NotAProvider).hint.as_deref(),
        Some(
            "declare provider variables as literals like SMIN_USERNAME=\"type:string, required:true\" and SMOUT_TOKEN=\"type:string, required:true\""
        )
    );
}

#[test]
fn a_job_with_no_variables_at_all_is_not_a_provider() {
    let report = check(|f| f.job = job_with(|j| remove(j, "/run_env_variables")));
    assert_eq!(
        finding(&report, Code::NotAProvider).severity,
        Severity::Error
    );
}

const NO_REQUIRED: &str =
    "job my-provider: no required output (an SMOUT_ variable with required:true)";

#[test]
fn inputs_only_is_no_required_output() {
    let report = with_variables(json!([
        {"type": "literal", "name": "SMIN_USERNAME", "value": "type:string, required:true"}
    ]));
    assert_provider_errors(&report, &[(Code::NoRequiredOutput, NO_REQUIRED)]);
}

#[test]
fn optional_outputs_only_is_no_required_output() {
    for spec in [
        "type:string",
        "type:string, required:false",
        "required:false,type:integer",
    ] {
        let report = with_variables(json!([
            {"type": "literal", "name": "SMOUT_TOKEN", "value": spec}
        ]));
        assert_provider_errors(&report, &[(Code::NoRequiredOutput, NO_REQUIRED)]);
    }
}

#[test]
fn one_required_output_is_enough() {
    let report = with_variables(json!([
        {"type": "literal", "name": "SMOUT_TOKEN", "value": "required:true,type:string"},
        {"type": "literal", "name": "SMOUT_EXPIRY", "value": "type:integer"}
    ]));
    assert_findings(
        &report,
        &[(
            "code_engine.job_name",
            Code::ProviderSchema,
            Severity::Info,
            "job my-provider is a credentials provider: parameters none; credentials token, expiry",
        )],
    );
}

#[test]
fn an_unknown_type_is_invalid_and_says_the_types() {
    let report = with_variables(json!([
        {"type": "literal", "name": "SMOUT_TOKEN", "value": "type:str, required:true"}
    ]));
    // The broken output is probably the required one: no second finding about it.
    assert_provider_errors(
        &report,
        &[(
            Code::ProviderVariableInvalid,
            "job my-provider: SMOUT_TOKEN has type `str`; the types are string, integer, boolean, enum, secret_id",
        )],
    );
}

#[test]
fn a_broken_input_does_not_hide_a_missing_required_output() {
    let report = with_variables(json!([
        {"type": "literal", "name": "SMIN_USERNAME", "value": "required:true"},
        {"type": "literal", "name": "SMOUT_TOKEN", "value": "type:string"}
    ]));
    assert_provider_errors(
        &report,
        &[
            (
                Code::ProviderVariableInvalid,
                "job my-provider: SMIN_USERNAME declares no type",
            ),
            (Code::NoRequiredOutput, NO_REQUIRED),
        ],
    );
}

#[test]
fn each_bad_spec_is_named() {
    let report = with_variables(json!([
        {"type": "literal", "name": "SMIN_A", "value": "string"},
        {"type": "literal", "name": "SMIN_B", "value": "type:string, required:yes"},
        {"type": "literal", "name": "SMIN_C", "value": "type:string, type:integer"},
        {"type": "secret_key_reference", "name": "SMIN_D", "key": "k", "reference": "s"},
        {"type": "literal", "name": "SMIN_", "value": "type:string"},
        {"type": "literal", "name": "SMIN_E"},
        {"type": "literal", "name": "SMOUT_TOKEN", "value": "type:string, required:true"}
    ]));
    assert_provider_errors(
        &report,
        &[
            (
                Code::ProviderVariableInvalid,
                "job my-provider: SMIN_A: `string` is not key:value",
            ),
            (
                Code::ProviderVariableInvalid,
                "job my-provider: SMIN_A declares no type",
            ),
            (
                Code::ProviderVariableInvalid,
                "job my-provider: SMIN_B has required:`yes`; it must be true or false",
            ),
            (
                Code::ProviderVariableInvalid,
                "job my-provider: SMIN_C gives `type` twice",
            ),
            (
                Code::ProviderVariableInvalid,
                "job my-provider: SMIN_D is a secret_key_reference variable; the service reads provider variables from literal values",
            ),
            (
                Code::ProviderVariableInvalid,
                "job my-provider: SMIN_ has no name after its prefix",
            ),
            (
                Code::ProviderVariableInvalid,
                "job my-provider: SMIN_E declares no type",
            ),
        ],
    );
}

#[test]
fn two_variables_for_one_name_are_invalid() {
    let report = with_variables(json!([
        {"type": "literal", "name": "SMIN_USERNAME", "value": "type:string"},
        {"type": "literal", "name": "SMIN_username", "value": "type:string"},
        {"type": "literal", "name": "SMOUT_USERNAME", "value": "type:string, required:true"}
    ]));
    // An input and an output may share a name: they are different lists.
    assert_provider_errors(
        &report,
        &[(
            Code::ProviderVariableInvalid,
            "job my-provider: SMIN_username and SMIN_USERNAME both make the parameter `username`",
        )],
    );
}

#[test]
fn computed_variables_do_not_count() {
    let report = check(|f| {
        f.job = job_with(|j| {
            let vars = j["run_env_variables"].take();
            set(j, "/computed_env_variables", vars);
            set(j, "/run_env_variables", json!([]));
        })
    });
    assert_eq!(
        finding(&report, Code::NotAProvider).severity,
        Severity::Error
    );
}
