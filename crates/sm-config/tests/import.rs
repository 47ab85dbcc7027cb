//! Import: every rendering reads back to the request and target it was made from, and the
//! shapes people really paste (IBM's own samples, sloppy continuations, CRLF, Terraform with
//! references) read to the intended request, with positioned findings for the rest.
#![cfg(feature = "import")]

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use sm_config::regions::REGIONS;
use sm_config::{
    Code, CodeEngine, ConfigurationPrototype, CustomCredentialsConfigurationPrototype, Endpoint,
    Format, ImportCode, Imported, Severity, Target, import, render,
};

const CASES: u32 = 1000;

fn custom(
    name: &str,
    api_key_ref: Option<&str>,
    job_name: &str,
    project_id: &str,
    region: &str,
    task_timeout: Option<&str>,
) -> ConfigurationPrototype {
    CustomCredentialsConfigurationPrototype {
        name: name.to_owned(),
        api_key_ref: api_key_ref.map(str::to_owned),
        code_engine: CodeEngine {
            job_name: job_name.to_owned(),
            project_id: project_id.to_owned(),
            region: region.to_owned(),
        },
        task_timeout: task_timeout.map(str::to_owned),
    }
    .into()
}

/// The body of IBM's docs sample.
fn docs_request() -> ConfigurationPrototype {
    custom(
        "my_config",
        Some("a2f9c2e4-a3a8-c508-2bed-fcb7c26843ca"),
        "code-engine-job-name",
        "12345678-5120-4a18-832a-4ba122496633",
        "us-south",
        Some("50m"),
    )
}

fn codes(imported: &Imported) -> Vec<(ImportCode, &str)> {
    imported
        .findings
        .iter()
        .map(|f| (f.code, f.path.as_str()))
        .collect()
}

fn spanned<'a>(text: &'a str, imported: &Imported, code: ImportCode) -> Vec<&'a str> {
    imported
        .findings
        .iter()
        .filter(|f| f.code == code)
        .map(|f| &text[f.span.start..f.span.end])
        .collect()
}

// ---------------------------------------------------------------- curl

/// IBM's docs sample as published: no `\` after `curl -X POST` nor after the body, trailing
/// blanks, `{IAM_token}` and placeholders in the URL.
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

#[test]
fn docs_curl_sample_without_continuations_imports() {
    let imported = import(DOCS_CURL);
    assert_eq!(imported.form, Some(Format::Curl));
    assert_eq!(imported.request, Some(docs_request()));
    // Both URL parts are placeholders: no target, two positioned findings, no crash.
    assert_eq!(imported.target, None);
    assert_eq!(
        codes(&imported),
        [
            (ImportCode::Placeholder, "target.instance_id"),
            (ImportCode::Placeholder, "target.region")
        ]
    );
    let url =
        "\"https://{instance_ID}.{region}.secrets-manager.appdomain.cloud/api/v2/configurations\"";
    assert_eq!(
        spanned(DOCS_CURL, &imported, ImportCode::Placeholder),
        [url, url]
    );
    assert!(
        imported
            .findings
            .iter()
            .all(|f| f.severity == Severity::Warning)
    );
    assert!(imported.is_valid(), "{:?}", imported.report);
}

#[test]
fn crlf_imports_the_same() {
    let crlf = DOCS_CURL.replace('\n', "\r\n");
    let imported = import(&crlf);
    assert_eq!(imported.request, Some(docs_request()));
    assert_eq!(imported.findings.len(), 2);
    assert!(
        imported
            .findings
            .iter()
            .all(|f| crlf[f.span.start..f.span.end].starts_with("\"https://"))
    );
}

#[test]
fn curl_options_in_any_order_and_spelling() {
    let text = "export SECRETS_MANAGER_URL=https://b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5.private.eu-de.secrets-manager.appdomain.cloud\n\
        curl --header 'content-type: application/json' \
        --data-raw '{\"name\":\"n1\",\"config_type\":\"custom_credentials_configuration\",\"code_engine\":{\"job_name\":\"j\",\"project_id\":\"12345678-5120-4a18-832a-4ba122496633\",\"region\":\"eu-de\"}}' \
        -sS --request=POST -H \"Authorization: Bearer $IAM_TOKEN\" \
        --url \"${SECRETS_MANAGER_URL}/api/v2/configurations\" | jq .";
    let imported = import(text);
    assert_eq!(imported.form, Some(Format::Curl));
    assert_eq!(
        imported.request,
        Some(custom(
            "n1",
            None,
            "j",
            "12345678-5120-4a18-832a-4ba122496633",
            "eu-de",
            None
        ))
    );
    assert_eq!(
        imported.target,
        Some(Target::new(
            "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5",
            "eu-de",
            Endpoint::Private
        ))
    );
    assert!(imported.findings.is_empty(), "{:?}", imported.findings);
    // The rules still run: no api_key_ref means a trusted profile (a warning).
    assert_eq!(
        imported
            .report
            .findings()
            .iter()
            .map(|f| f.code)
            .collect::<Vec<_>>(),
        [Code::TrustedProfileRequired]
    );
}

#[test]
fn curl_short_clusters_and_json_option() {
    let text = "curl -sXPOST https://b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5.us-south.secrets-manager.appdomain.cloud/api/v2/configurations -H 'Authorization: Bearer x' --json '{\"name\":\"a1\"}'";
    let imported = import(text);
    assert_eq!(imported.request.as_ref().map(|r| r.name()), Some("a1"));
    assert!(imported.target.is_some());
    assert!(imported.findings.is_empty(), "{:?}", imported.findings);
    // The rules say what the body lacks.
    assert!(
        imported
            .report
            .for_path("config_type")
            .any(|f| f.code == Code::Required)
    );
}

#[test]
fn curl_body_from_a_file_or_missing_is_an_error() {
    let imported =
        import("curl -X POST -H 'Content-Type: application/json' -d @body.json https://x");
    assert_eq!(imported.request, None);
    assert_eq!(
        spanned(
            "curl -X POST -H 'Content-Type: application/json' -d @body.json https://x",
            &imported,
            ImportCode::FileReference
        ),
        ["@body.json"]
    );
    assert!(!imported.is_valid());
    let imported = import("curl -X GET https://x");
    assert!(
        imported
            .findings
            .iter()
            .any(|f| f.code == ImportCode::MissingRequest && f.is_error())
    );
    assert!(
        imported
            .findings
            .iter()
            .any(|f| f.code == ImportCode::NotCreate)
    );
}

#[test]
fn malformed_body_points_into_the_pasted_text() {
    let text = "curl -X POST -d '{\"name\": \"x\",, }' -H 'Content-Type: application/json'";
    let imported = import(text);
    let finding = imported
        .report
        .findings()
        .iter()
        .find(|f| f.code == Code::InvalidJson)
        .expect("invalid_json");
    let span = finding.span.expect("span");
    assert_eq!(&text[span.start..span.end], ",");
    assert_eq!(span.start, text.find(",,").unwrap() + 1);
}

#[test]
fn wrong_method_path_and_headers_are_findings() {
    let text = "curl -X PATCH 'https://b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5.us-south.secrets-manager.appdomain.cloud/api/v2/configurations/x' -d '{}' --compressed --frobnicate";
    let imported = import(text);
    let found: Vec<(ImportCode, &str)> = imported
        .findings
        .iter()
        .map(|f| (f.code, &text[f.span.start..f.span.end]))
        .collect();
    let url = "'https://b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5.us-south.secrets-manager.appdomain.cloud/api/v2/configurations/x'";
    assert_eq!(
        found,
        [
            (ImportCode::Header, "curl"), // no authorization
            (ImportCode::NotCreate, "PATCH"),
            (ImportCode::NotCreate, url), // not the create path
            (ImportCode::Header, "'{}'"), // no content type
            (ImportCode::Ignored, "--frobnicate"),
        ]
    );
    assert!(imported.findings.iter().all(|f| !f.is_error()));
    // The target is still read from the URL.
    assert_eq!(
        imported.target.map(|t| t.region),
        Some("us-south".to_owned())
    );
}

// ---------------------------------------------------------------- ibmcloud

#[test]
fn docs_cli_sample_with_code_engine_json() {
    let text = r#"ibmcloud secrets-manager configuration-create --config-type=custom_credentials_configuration --name=my-custom-credentials-config --custom-credentials-apikey-ref IAM_credentials_secret_ID --custom-credentials-code-engine '{"project_id":"12345678-5120-4a18-832a-4ba122496633", "region":"us-south", "job_name":"code-engine-job-name"}'"#;
    let imported = import(text);
    assert_eq!(imported.form, Some(Format::Cli));
    assert_eq!(
        imported.request,
        Some(custom(
            "my-custom-credentials-config",
            Some("IAM_credentials_secret_ID"),
            "code-engine-job-name",
            "12345678-5120-4a18-832a-4ba122496633",
            "us-south",
            None
        ))
    );
    assert!(imported.findings.is_empty(), "{:?}", imported.findings);
    assert_eq!(imported.target, None);
    // The placeholder the docs left in is the rules' business.
    assert!(
        imported
            .report
            .for_path("api_key_ref")
            .any(|f| f.is_error())
    );
    assert!(imported.report.for_path("code_engine").next().is_none());
}

#[test]
fn cli_with_service_url_variable_and_sloppy_lines() {
    let text = "SECRETS_MANAGER_URL='https://b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5.eu-gb.secrets-manager.appdomain.cloud' \\\r\n\
        ibmcloud sm configuration-create\r\n\
        --name my-config\r\n\
        -config-type custom_credentials_configuration\r\n\
        --custom-credentials-code-engine='{\"job_name\":\"job\",\"project_id\":\"12345678-5120-4a18-832a-4ba122496633\",\"region\":\"eu-gb\"}'\r\n\
        --configuration-task-timeout 2h --output json --quiet\r\n";
    let imported = import(text);
    assert_eq!(imported.form, Some(Format::Cli));
    assert_eq!(
        imported.request,
        Some(custom(
            "my-config",
            None,
            "job",
            "12345678-5120-4a18-832a-4ba122496633",
            "eu-gb",
            Some("2h")
        ))
    );
    assert_eq!(
        imported.target,
        Some(Target::new(
            "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5",
            "eu-gb",
            Endpoint::Public
        ))
    );
    assert!(imported.findings.is_empty(), "{:?}", imported.findings);
}

#[test]
fn cli_configuration_prototype_and_overrides() {
    let text = r#"ibmcloud login --apikey x -r us-south
ibmcloud secrets-manager configuration-create --service-url https://b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5.private.us-east.secrets-manager.appdomain.cloud --configuration-prototype='{"name":"proto","config_type":"custom_credentials_configuration","code_engine":{"job_name":"j","project_id":"12345678-5120-4a18-832a-4ba122496633","region":"us-east"}}' --name=override --color"#;
    let imported = import(text);
    assert_eq!(
        imported.request,
        Some(custom(
            "override",
            None,
            "j",
            "12345678-5120-4a18-832a-4ba122496633",
            "us-east",
            None
        ))
    );
    assert_eq!(
        imported.target.as_ref().map(|t| t.endpoint),
        Some(Endpoint::Private)
    );
    assert_eq!(
        spanned(text, &imported, ImportCode::Duplicate),
        ["--name=override"]
    );
    assert_eq!(spanned(text, &imported, ImportCode::Ignored), ["--color"]);
}

#[test]
fn cli_malformed_code_engine_json_points_into_the_text() {
    let text = r#"ibmcloud sm configuration-create --name=n --custom-credentials-code-engine '{"job_name": "j" "region": "us-south"}'"#;
    let imported = import(text);
    let finding = imported
        .report
        .findings()
        .iter()
        .find(|f| f.code == Code::InvalidJson)
        .expect("invalid_json");
    assert_eq!(finding.path, "code_engine");
    let span = finding.span.expect("span");
    assert_eq!(&text[span.start..span.end], "\"");
    assert_eq!(span.start, text.find("\"region").unwrap());
}

#[test]
fn cli_other_commands_are_not_creates() {
    let imported = import(
        "ibmcloud secrets-manager configuration-update --name x --configuration-task-timeout 1h",
    );
    assert_eq!(imported.request, None);
    assert_eq!(codes(&imported), [(ImportCode::NotCreate, "")]);
    let imported =
        import("ibmcloud sm configuration-create --custom-credentials-code-engine @ce.json");
    assert!(
        imported
            .findings
            .iter()
            .any(|f| f.code == ImportCode::FileReference && f.path == "code_engine")
    );
}

// ---------------------------------------------------------------- Terraform

/// IBM's docs sample: tabs, references to other resources.
const DOCS_TERRAFORM: &str = "resource \"ibm_sm_custom_credentials_configuration\" \"sm_custom_credentials_configuration_instance\" {
\tinstance_id = ibm_resource_instance.sm_instance.guid
\tregion = \"us-south\"
\tname = \"example-custom-credentials-config\"
\tapi_key_ref = ibm_sm_iam_credentials_secret.my_secret_for_custom_credentials.secret_id
\tcode_engine {
\t    project_id = ibm_code_engine_project.my_code_engine_project.project_id
\t    job_name = \"my_code_engine_job\"
\t    region = \"us-south\"
\t}
\ttask_timeout = \"10m\"
}
";

#[test]
fn docs_terraform_sample_keeps_references() {
    let imported = import(DOCS_TERRAFORM);
    assert_eq!(imported.form, Some(Format::Terraform));
    assert_eq!(
        imported.request,
        Some(custom(
            "example-custom-credentials-config",
            None,
            "my_code_engine_job",
            "",
            "us-south",
            Some("10m")
        ))
    );
    let refs: Vec<(&str, &str)> = imported
        .references
        .iter()
        .map(|r| (r.path.as_str(), r.expression.as_str()))
        .collect();
    assert_eq!(
        refs,
        [
            (
                "target.instance_id",
                "ibm_resource_instance.sm_instance.guid"
            ),
            (
                "api_key_ref",
                "ibm_sm_iam_credentials_secret.my_secret_for_custom_credentials.secret_id"
            ),
            (
                "code_engine.project_id",
                "ibm_code_engine_project.my_code_engine_project.project_id"
            ),
        ]
    );
    for r in &imported.references {
        assert_eq!(&DOCS_TERRAFORM[r.span.start..r.span.end], r.expression);
    }
    assert_eq!(
        codes(&imported),
        [
            (ImportCode::NotLiteral, "target.instance_id"),
            (ImportCode::NotLiteral, "api_key_ref"),
            (ImportCode::NotLiteral, "code_engine.project_id"),
        ]
    );
    // A reference cannot be judged: no rule finding about those fields. The sample's job
    // name has `_`, which Code Engine refuses.
    let rules: Vec<(&str, Code)> = imported
        .report
        .findings()
        .iter()
        .map(|f| (f.path.as_str(), f.code))
        .collect();
    assert_eq!(rules, [("code_engine.job_name", Code::Pattern)]);
    assert_eq!(
        imported.target,
        Some(Target::new("", "us-south", Endpoint::Public))
    );
}

#[test]
fn tf_file_with_several_blocks() {
    let text = r#"
terraform {
  required_providers {
    ibm = { source = "IBM-Cloud/ibm", version = ">= 1.79.0" }
  }
}

provider "ibm" {
  region = "eu-de"
}

variable "job" {
  type    = string
  default = "my-job"
}

resource "ibm_resource_instance" "sm" {
  name     = "sm"
  service  = "secrets-manager"
  plan     = "standard"
  location = "eu-de"
}

# The configuration.
resource "ibm_sm_custom_credentials_configuration" "cfg" {
  instance_id   = "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5"
  endpoint_type = "private"
  name          = "cfg-${var.job}"
  task_timeout  = 3600
  code_engine {
    project_id = "12345678-5120-4a18-832a-4ba122496633"
    job_name   = var.job
    region     = "eu-de"
  }
  depends_on = [ibm_resource_instance.sm]
  lifecycle {
    prevent_destroy = true
  }
}

output "id" {
  value = ibm_sm_custom_credentials_configuration.cfg.id
}
"#;
    let imported = import(text);
    assert_eq!(imported.form, Some(Format::Terraform));
    assert_eq!(
        imported.request,
        Some(custom(
            "",
            None,
            "",
            "12345678-5120-4a18-832a-4ba122496633",
            "eu-de",
            Some("3600")
        ))
    );
    // The region comes from the provider block.
    assert_eq!(
        imported.target,
        Some(Target::new(
            "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5",
            "eu-de",
            Endpoint::Private
        ))
    );
    assert_eq!(
        spanned(text, &imported, ImportCode::NotLiteral),
        ["\"cfg-${var.job}\"", "var.job"]
    );
    assert_eq!(codes(&imported).len(), 2, "{:?}", imported.findings);
    // The literal fields are still judged, with the complete target.
    assert!(imported.report.for_path("name").next().is_none());
    assert!(
        imported
            .report
            .for_path("api_key_ref")
            .any(|f| f.code == Code::TrustedProfileRequired)
    );
}

#[test]
fn terraform_crlf_and_syntax_errors() {
    let crlf = DOCS_TERRAFORM.replace('\n', "\r\n");
    let imported = import(&crlf);
    assert_eq!(imported.request, import(DOCS_TERRAFORM).request);
    for r in &imported.references {
        assert_eq!(&crlf[r.span.start..r.span.end], r.expression);
    }
    let broken = "resource \"ibm_sm_custom_credentials_configuration\" \"x\" {\n  name = \"a\n}\n";
    let imported = import(broken);
    assert_eq!(imported.form, Some(Format::Terraform));
    assert_eq!(imported.request, None);
    assert!(
        imported
            .findings
            .iter()
            .any(|f| f.code == ImportCode::Syntax && f.is_error())
    );
    let other = "resource \"ibm_sm_iam_credentials_configuration\" \"x\" {\n  name = \"a\"\n}\n";
    assert_eq!(codes(&import(other)), [(ImportCode::MissingRequest, "")]);
}

// ---------------------------------------------------------------- JSON and the rest

#[test]
fn json_with_bom_and_malformed_json() {
    let body = render::json(&docs_request());
    let imported = import(&format!("\u{feff}\n{body}"));
    assert_eq!(imported.form, Some(Format::Json));
    assert_eq!(imported.request, Some(docs_request()));
    let text = "\u{feff}{\"name\": }";
    let imported = import(text);
    let span = imported.report.findings()[0].span.expect("span");
    assert_eq!(&text[span.start..span.end], "}");
}

#[test]
fn unrecognized_text_is_one_error_over_the_text() {
    let text = "hello world";
    let imported = import(text);
    assert_eq!(imported.form, None);
    assert_eq!(codes(&imported), [(ImportCode::Unrecognized, "")]);
    assert_eq!(imported.findings[0].span.end, text.len());
    assert!(!imported.is_valid());
}

// ---------------------------------------------------------------- properties

/// Pieces that mean something to bash, JSON, HCL or the importer, plus any character.
fn nasty_string() -> impl Strategy<Value = String> {
    let special = prop::sample::select(vec![
        "'",
        "\"",
        "$(",
        ")",
        "`",
        "\\",
        "'\\''",
        "\n",
        "\r\n",
        "\r",
        "\t",
        "${",
        "%{",
        "$${",
        "%%{",
        "}",
        "{",
        "$",
        "%",
        " ",
        "#",
        ";",
        "|",
        "&&",
        ">",
        "<",
        "=",
        "--name=x",
        "-d",
        "@f",
        "curl",
        "ibmcloud",
        "resource",
        "é",
        "日本",
        "\u{1F600}",
        "\u{7f}",
        "\u{1b}",
        "\u{85}",
        "\u{2028}",
        "\u{feff}",
        "https://",
        "\\u0041",
        "\\n",
    ]);
    let piece = prop_oneof![
        special.prop_map(str::to_owned),
        "[a-zA-Z0-9_.-]{1,6}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|p| p.concat())
}

/// Strings for fields: NUL is left out because no shell argument can carry it.
fn field() -> impl Strategy<Value = String> {
    prop_oneof![nasty_string(), any::<String>()].prop_map(|s| s.replace('\0', ""))
}

fn request() -> impl Strategy<Value = ConfigurationPrototype> {
    (
        field(),
        proptest::option::of(field()),
        field(),
        field(),
        field(),
        proptest::option::of(field()),
    )
        .prop_map(
            |(name, api_key_ref, job_name, project_id, region, task_timeout)| {
                CustomCredentialsConfigurationPrototype {
                    name,
                    api_key_ref,
                    code_engine: CodeEngine {
                        job_name,
                        project_id,
                        region,
                    },
                    task_timeout,
                }
                .into()
            },
        )
}

/// Targets a URL can carry: a lower-case UUID, a known region, either endpoint.
fn target() -> impl Strategy<Value = Target> {
    (
        "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        prop::sample::select(REGIONS.iter().map(|r| r.id).collect::<Vec<_>>()),
        prop::bool::ANY,
    )
        .prop_map(|(id, region, private)| {
            let endpoint = if private {
                Endpoint::Private
            } else {
                Endpoint::Public
            };
            Target::new(id, region, endpoint)
        })
}

#[test]
fn every_rendering_imports_back() {
    let mut runner = TestRunner::new(Config::with_cases(CASES));
    runner
        .run(&(request(), target()), |(request, target)| {
            for format in Format::ALL {
                let text = render(&request, &target, format);
                let imported = import(&text);
                prop_assert_eq!(imported.form, Some(format), "{}", text);
                prop_assert_eq!(imported.request.as_ref(), Some(&request), "{}", text);
                let want = (format != Format::Json).then_some(&target);
                prop_assert_eq!(imported.target.as_ref(), want, "{}", text);
                prop_assert!(
                    imported.findings.is_empty(),
                    "{}\n{:?}",
                    text,
                    imported.findings
                );
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn terraform_target_strings_import_back() {
    // Terraform carries the target as plain strings, so any string round-trips.
    let any_target = (field(), field(), prop::bool::ANY).prop_map(|(id, region, private)| {
        let endpoint = if private {
            Endpoint::Private
        } else {
            Endpoint::Public
        };
        Target::new(id, region, endpoint)
    });
    let mut runner = TestRunner::new(Config::with_cases(CASES));
    runner
        .run(&(request(), any_target), |(request, target)| {
            let text = render(&request, &target, Format::Terraform);
            let imported = import(&text);
            prop_assert_eq!(imported.request.as_ref(), Some(&request), "{}", text);
            prop_assert_eq!(imported.target.as_ref(), Some(&target), "{}", text);
            Ok(())
        })
        .unwrap();
}

/// Findings stay inside the text, on char boundaries, whatever is pasted.
fn check_spans(text: &str, imported: &Imported) -> Result<(), TestCaseError> {
    let spans = imported
        .findings
        .iter()
        .map(|f| f.span)
        .chain(imported.references.iter().map(|r| r.span))
        .chain(
            imported
                .report
                .findings()
                .iter()
                .filter(|f| f.code == Code::InvalidJson)
                .filter_map(|f| f.span),
        );
    for span in spans {
        prop_assert!(
            span.start <= span.end && span.end <= text.len(),
            "{:?} in {:?}",
            span,
            text
        );
        prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
    }
    Ok(())
}

use proptest::test_runner::TestCaseError;

#[test]
fn damaged_renderings_never_panic_and_spans_stay_in_the_text() {
    let mut runner = TestRunner::new(Config::with_cases(CASES));
    let damage = (0usize..2000, nasty_string(), 0usize..4);
    runner
        .run(
            &(
                request(),
                target(),
                prop::sample::select(Format::ALL.to_vec()),
                damage,
            ),
            |(request, target, format, (at, insert, how))| {
                let mut text = render(&request, &target, format);
                let mut at = at.min(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                match how {
                    0 => text.truncate(at),
                    1 => text.insert_str(at, &insert),
                    2 => text = text.replace(" \\\n", "\n"),
                    _ => text = text.replace('\n', "\r\n"),
                }
                let imported = import(&text);
                check_spans(&text, &imported)?;
                if how == 2 && format != Format::Json {
                    // Dropping every continuation changes nothing.
                    prop_assert_eq!(imported.request.as_ref(), Some(&request), "{}", text);
                }
                Ok(())
            },
        )
        .unwrap();
}

#[test]
fn arbitrary_text_never_panics() {
    let mut runner = TestRunner::new(Config::with_cases(CASES));
    runner
        .run(&prop_oneof![any::<String>(), nasty_string()], |text| {
            check_spans(&text, &import(&text))
        })
        .unwrap();
}

#[test]
fn nul_and_control_characters_survive_json_and_terraform() {
    // No shell argument carries NUL, but a JSON body and an HCL string do.
    let request = custom(
        "a\0b\u{1}\u{7f}",
        Some("\0"),
        "$${x}",
        "%{y}",
        "\\u0000",
        None,
    );
    let target = Target::new("\0", "r\u{85}", Endpoint::Private);
    for format in [Format::Json, Format::Terraform] {
        let imported = import(&render(&request, &target, format));
        assert_eq!(imported.request.as_ref(), Some(&request), "{format}");
    }
    let imported = import(&render(&request, &target, Format::Terraform));
    assert_eq!(imported.target, Some(target));
}
