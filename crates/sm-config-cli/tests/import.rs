//! The real binary's `import`, and `validate` reading the four forms.

mod common;

use common::{assert_exit, sm_config, stderr, stdout};
use serde_json::Value;
use sm_config::{
    CodeEngine, ConfigurationPrototype, CustomCredentialsConfigurationPrototype, Endpoint, Format,
    Target, render,
};
use std::process::Output;

const INSTANCE: &str = "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5";

/// IBM's docs sample as published: no `\` after `curl -X POST` nor after the body.
const DOCS_CURL: &str = r#"curl -X POST 
    -H "Authorization: Bearer {IAM_token}" \
    -H "Accept: application/json" \
    -H "Content-Type: application/json" \
    -d '{
      "name": "my_config",
      "config_type": "custom_credentials_configuration",
      "api_key_ref": "a2f9c2e4-a3a8-c508-2bed-fcb7c26843ca",
      "code_engine": {
        "job_name": "code-engine-job-name",
        "project_id": "12345678-5120-4a18-832a-4ba122496633",
        "region": "us-south"
      },
      "task_timeout": "50m"
    }'
  "https://{instance_ID}.{region}.secrets-manager.appdomain.cloud/api/v2/configurations" 
"#;

fn run(args: &[&str], stdin: &str) -> Output {
    common::run_with_stdin(&mut sm_config(args), stdin.as_bytes())
}

fn docs_request() -> ConfigurationPrototype {
    CustomCredentialsConfigurationPrototype {
        name: "my_config".into(),
        api_key_ref: Some("a2f9c2e4-a3a8-c508-2bed-fcb7c26843ca".into()),
        code_engine: CodeEngine {
            job_name: "code-engine-job-name".into(),
            project_id: "12345678-5120-4a18-832a-4ba122496633".into(),
            region: "us-south".into(),
        },
        task_timeout: Some("50m".into()),
    }
    .into()
}

// ---- import ----------------------------------------------------------------------------

#[test]
fn import_prints_the_docs_curl_body_and_says_what_it_did_not_understand() {
    let out = run(&["import", "-"], DOCS_CURL);
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), format!("{}\n", render::json(&docs_request())));
    let err = stderr(&out);
    assert!(err.contains("<stdin>: read as curl"), "{err}");
    assert!(
        err.contains("warning[placeholder] target.instance_id:")
            && err.contains("line 16, column 3"),
        "{err}"
    );
}

#[test]
fn import_renders_every_form_from_every_form() {
    let target = Target::new(INSTANCE, "eu-de", Endpoint::Private);
    let request = docs_request();
    for from in Format::ALL {
        let text = render(&request, &target, from);
        for to in Format::ALL {
            let out = run(&["import", "--format", to.as_str(), "-"], &text);
            assert_exit(&out, 0);
            // JSON names no instance: the others fall back to the placeholder, and say so.
            let want_target = if from == Format::Json {
                Target::placeholder()
            } else {
                target.clone()
            };
            let want = render(&request, &want_target, to);
            assert_eq!(stdout(&out).trim_end(), want.trim_end(), "{from} -> {to}");
            let noted = stderr(&out).contains("note: the text does not name the whole instance");
            assert_eq!(
                noted,
                from == Format::Json && to != Format::Json,
                "{from} -> {to}"
            );
        }
    }
}

#[test]
fn import_exits_1_when_nothing_can_be_read() {
    let out = run(
        &["import", "-"],
        "curl -X POST https://example.com -H 'a: b'",
    );
    assert_exit(&out, 1);
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out).contains("error[missing_request]"),
        "{}",
        stderr(&out)
    );
    let out = run(&["import", "-"], "just some words");
    assert_exit(&out, 1);
    assert!(stderr(&out).contains("error[unrecognized]"));
}

#[test]
fn import_prints_the_request_but_exits_1_on_rule_errors() {
    let text = "ibmcloud sm configuration-create --name='bad name' --config-type=custom_credentials_configuration \
        --custom-credentials-code-engine='{\"job_name\":\"j\",\"project_id\":\"12345678-5120-4a18-832a-4ba122496633\",\"region\":\"us-south\"}'";
    let out = run(&["import", "-"], text);
    assert_exit(&out, 1);
    let body: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(body["name"], "bad name");
    assert!(
        stderr(&out).contains("error[pattern] name:"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn import_keeps_terraform_references_as_warnings() {
    let text = "resource \"ibm_sm_custom_credentials_configuration\" \"c\" {\n  instance_id = ibm_resource_instance.sm.guid\n  region = \"us-south\"\n  name = \"c1\"\n  code_engine {\n    project_id = var.project\n    job_name = \"job\"\n    region = \"us-south\"\n  }\n}\n";
    let out = run(&["import", "-"], text);
    assert_exit(&out, 0);
    let err = stderr(&out);
    assert!(err.contains("warning[not_literal] target.instance_id: target.instance_id is `ibm_resource_instance.sm.guid`"), "{err}");
    assert!(
        err.contains("warning[not_literal] code_engine.project_id:")
            && err.contains("line 6, column 18: var.project"),
        "{err}"
    );
    let body: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(body["code_engine"]["project_id"], "");
}

#[test]
fn import_usage_errors_exit_2() {
    assert_exit(&run(&["import", "no/such/file.sh"], ""), 2);
    assert_exit(&run(&["import", "--format", "yaml", "-"], "{}"), 2);
    assert_exit(&run(&["import"], ""), 2);
}

// ---- validate, four forms ---------------------------------------------------------------

#[test]
fn validate_reads_a_pasted_curl_command() {
    let out = run(&["validate", "-"], DOCS_CURL);
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("<stdin>: read as curl"), "{text}");
    assert!(
        text.contains("warning[placeholder] target.region:"),
        "{text}"
    );
    assert!(text.contains("<stdin>: valid"), "{text}");
}

#[test]
fn validate_finds_errors_in_commands_and_terraform() {
    let bad_curl = DOCS_CURL.replace("\"region\": \"us-south\"", "\"region\": \"mars-1\"");
    let out = run(&["validate", "-"], &bad_curl);
    assert_exit(&out, 1);
    assert!(
        stdout(&out).contains("code_engine.region"),
        "{}",
        stdout(&out)
    );
    let tf = "resource \"ibm_sm_custom_credentials_configuration\" \"c\" {\n  name = \"-bad\"\n}\n";
    let out = run(&["validate", "-"], tf);
    assert_exit(&out, 1);
    assert!(stdout(&out).contains("read as terraform"));
    let out = run(&["validate", "-"], "not a request at all");
    assert_exit(&out, 1);
    assert!(stdout(&out).contains("error[unrecognized]"));
}

#[test]
fn validate_json_output_lists_what_was_not_understood() {
    let out = run(&["validate", "--output", "json", "-"], DOCS_CURL);
    assert_exit(&out, 0);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let file = &doc["files"][0];
    assert_eq!(file["valid"], true);
    let unread = file["not_understood"].as_array().unwrap();
    let codes: Vec<&str> = unread.iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["placeholder", "placeholder"]);
    let start = unread[0]["span"]["start"].as_u64().unwrap() as usize;
    assert!(DOCS_CURL[start..].starts_with("\"https://{instance_ID}"));
    assert_eq!(file["warnings"], 2);
    // A JSON body keeps the fast path: no such field at all.
    let body = render::json(&docs_request());
    let out = run(&["validate", "--output", "json", "-"], &body);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(doc["files"][0].get("not_understood").is_none());
}
