//! Snapshots of reports and of the four renderings. Each `.snap` was read line by line when it
//! was accepted; `exec.rs` proves by execution what these only show.

use sm_config::render::{self, Format};
use sm_config::{
    CodeEngine, ConfigurationPrototype, CustomCredentialsConfigurationPrototype, Endpoint, Target,
    validate_json, validate_json_bytes, validate_patch_json,
};

const DOCS_EXAMPLE: &str = include_str!("../../../examples/docs-example.json");
const INSTANCE_ID: &str = "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5";

fn docs_example() -> ConfigurationPrototype {
    serde_json::from_str(DOCS_EXAMPLE).unwrap()
}

fn docs_target() -> Target {
    Target::new(INSTANCE_ID, "us-south", Endpoint::Public)
}

/// Every character that means something to bash, HCL or JSON, in every field.
fn adversarial() -> ConfigurationPrototype {
    CustomCredentialsConfigurationPrototype {
        name: "it's \"$(touch /tmp/pwned)\" `id` !! \\ a\\nb\nline\ttab ${var} %{ if x } $${ é日😀"
            .into(),
        api_key_ref: Some("'; echo pwned; '".into()),
        code_engine: CodeEngine {
            job_name: "`id`\\\"".into(),
            project_id: "$(id)\r\n--region=x".into(),
            region: "us-south' --output=yaml '".into(),
        },
        task_timeout: Some("${IAM_TOKEN}!$HOME".into()),
    }
    .into()
}

fn adversarial_target() -> Target {
    Target::new("$(id)'", "eu-de\"`", Endpoint::Private)
}

#[test]
fn docs_example_renderings() {
    let request = docs_example();
    let target = docs_target();
    for format in Format::ALL {
        insta::assert_snapshot!(
            format!("docs_example_{format}"),
            render::render(&request, &target, format)
        );
    }
    insta::assert_snapshot!("docs_example_import_id", target.import_id(request.name()));
}

#[test]
fn docs_example_json_is_the_docs_file() {
    // The docs' file is written in the docs' field order with two-space indents.
    assert_eq!(render::json(&docs_example()), DOCS_EXAMPLE.trim_end());
}

#[test]
fn adversarial_renderings() {
    let request = adversarial();
    let target = adversarial_target();
    for format in Format::ALL {
        insta::assert_snapshot!(
            format!("adversarial_{format}"),
            render::render(&request, &target, format)
        );
    }
    insta::assert_snapshot!("adversarial_import_id", target.import_id(request.name()));
}

#[test]
fn reports_of_bad_requests() {
    let target = docs_target();
    let cases: [(&str, &str); 5] = [
        (
            "many_errors",
            r#"{"name":"-my config","config_type":"custom_credentials_configuration","api_key_ref":"A2F9C2E4-A3A8-C508-2BED-FCB7C26843CA","code_engine":{"job_name":"My_Job","project_id":"1234","region":"ca-mon"},"task_timeout":"1.5h"}"#,
        ),
        (
            "shape_errors",
            r#"{"name":null,"config_type":"iam_credentials_configuration","code_engine":{"job_name":7,"region":"eu-de","image":"x"},"task_timeout":300,"trusted_profile_id":"Profile-1"}"#,
        ),
        (
            "warnings_only",
            r#"{"name":"my_config","config_type":"custom_credentials_configuration","code_engine":{"job_name":"job","project_id":"12345678-5120-4a18-832a-4ba122496633","region":"eu-de"}}"#,
        ),
        (
            "malformed",
            "{\n  \"name\": \"my_config\",\n  \"code_engine\": {\n}",
        ),
        ("not_an_object", "[\"my_config\"]"),
    ];
    for (label, text) in cases {
        let report = validate_json(text, Some(&target)).report;
        insta::assert_json_snapshot!(format!("report_{label}"), report);
    }
    let report = validate_json_bytes(b"{\"name\":\"caf\xe9\"}", None).report;
    insta::assert_json_snapshot!("report_invalid_utf8", report);
    let report = validate_patch_json(br#"{"name":"renamed","task_timeout":"25h"}"#).report;
    insta::assert_json_snapshot!("report_patch", report);
}

#[test]
fn report_for_people() {
    let text = r#"{"name":"a","config_type":"custom_credentials_configuration","code_engine":{"job_name":"job-","project_id":"12345678-5120-4a18-832a-4ba122496633","region":"us-south"},"task_timeout":"10M"}"#;
    let report = validate_json(
        text,
        Some(&Target::new(INSTANCE_ID, "eu-de", Endpoint::Public)),
    )
    .report;
    insta::assert_snapshot!("report_for_people", report.to_string());
}
