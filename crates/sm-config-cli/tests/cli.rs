//! The real `sm-config` binary: exit codes, stdin, output shapes, the instance from the
//! environment or the options, and `--allow-invalid`.

mod common;

use common::{URL_VAR, assert_exit, root, run, run_with_stdin, sm_config, stderr, stdout};
use serde_json::Value;
use sm_config::{Endpoint, Format, Target};

const INSTANCE: &str = "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5";

fn example(name: &str) -> Vec<u8> {
    std::fs::read(root().join("examples").join(name)).unwrap()
}

fn docs_request() -> sm_config::ConfigurationPrototype {
    sm_config::validate_json_bytes(&example("docs-example.json"), None)
        .valid()
        .unwrap()
}

fn url(target: &Target) -> String {
    target.base_url()
}

// ---- validate --------------------------------------------------------------------------

#[test]
fn validate_accepts_a_valid_request_with_exit_0() {
    let out = run(&mut sm_config(&["validate", "examples/docs-example.json"]));
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), "examples/docs-example.json: valid\n");
}

#[test]
fn validate_allows_warnings_with_exit_0() {
    let out = run(&mut sm_config(&[
        "validate",
        "examples/trusted-profile.json",
    ]));
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(
        text.starts_with("examples/trusted-profile.json: valid, 1 warning\n"),
        "{text}"
    );
    assert!(
        text.contains("  warning[trusted_profile_required] api_key_ref: "),
        "{text}"
    );
}

#[test]
fn validate_reports_every_error_with_carets_and_hints_and_exit_1() {
    let out = run(&mut sm_config(&["validate", "examples/invalid.json"]));
    assert_exit(&out, 1);
    let text = stdout(&out);
    assert!(
        text.starts_with("examples/invalid.json: invalid, 6 errors\n"),
        "{text}"
    );
    for code in [
        "error[pattern] name:",
        "error[pattern] api_key_ref:",
        "error[pattern] code_engine.job_name:",
        "error[unknown_region] code_engine.region:",
        "error[out_of_range] task_timeout:",
        "error[unknown_field] description:",
    ] {
        assert!(text.contains(code), "{code} missing in:\n{text}");
    }
    // The caret stands under the space of "Payroll Creds!", the underscore of the job name.
    assert!(
        text.contains("      | Payroll Creds!\n      |        ^\n"),
        "{text}"
    );
    assert!(
        text.contains("      | rotate_payroll\n      |       ^\n"),
        "{text}"
    );
    assert!(
        text.contains("      = hint: use 5m (300 seconds) or more\n"),
        "{text}"
    );
}

#[test]
fn validate_reads_stdin_for_a_dash() {
    let out = run_with_stdin(
        &mut sm_config(&["validate", "-"]),
        &example("docs-example.json"),
    );
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), "<stdin>: valid\n");

    let out = run_with_stdin(&mut sm_config(&["validate", "-"]), b"{\"name\": x}");
    assert_exit(&out, 1);
    let text = stdout(&out);
    assert!(
        text.contains("error[invalid_json] (body): malformed json"),
        "{text}"
    );
    assert!(
        text.contains("      | line 1: {\"name\": x}\n      |                  ^\n"),
        "{text}"
    );
}

#[test]
fn validate_judges_all_files_and_fails_when_any_is_invalid() {
    let out = run(&mut sm_config(&[
        "validate",
        "examples/docs-example.json",
        "examples/invalid.json",
        "examples/eu-de-2h-timeout.json",
    ]));
    assert_exit(&out, 1);
    let text = stdout(&out);
    for line in [
        "examples/docs-example.json: valid\n",
        "examples/invalid.json: invalid, 6 errors\n",
        "examples/eu-de-2h-timeout.json: valid\n",
    ] {
        assert!(text.contains(line), "{line} missing in:\n{text}");
    }
}

#[test]
fn validate_json_output_is_one_document_with_the_core_findings() {
    let out = run(&mut sm_config(&[
        "validate",
        "--output",
        "json",
        "examples/docs-example.json",
        "examples/invalid.json",
    ]));
    assert_exit(&out, 1);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["valid"], false);
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["file"], "examples/docs-example.json");
    assert_eq!(files[0]["valid"], true);
    assert_eq!(files[0]["findings"], serde_json::json!([]));
    assert_eq!(files[1]["file"], "examples/invalid.json");
    assert_eq!(files[1]["valid"], false);
    assert_eq!(files[1]["errors"], 6);
    assert_eq!(files[1]["warnings"], 0);
    let core = sm_config::validate_json_bytes(&example("invalid.json"), None).report;
    assert_eq!(files[1]["findings"], serde_json::to_value(&core).unwrap());
    let first = &files[1]["findings"][0];
    assert_eq!(first["path"], "name");
    assert_eq!(first["code"], "pattern");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["span"], serde_json::json!({"start": 7, "end": 8}));
}

#[test]
fn validate_json_output_of_a_valid_file_exits_0() {
    let out = run(&mut sm_config(&[
        "validate",
        "-o",
        "json",
        "examples/trusted-profile.json",
    ]));
    assert_exit(&out, 0);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["valid"], true);
    assert_eq!(doc["files"][0]["warnings"], 1);
    assert_eq!(
        doc["files"][0]["findings"][0]["code"],
        "trusted_profile_required"
    );
    assert_eq!(doc["files"][0]["findings"][0]["severity"], "warning");
}

#[test]
fn unreadable_files_exit_2_before_any_output() {
    let out = run(&mut sm_config(&[
        "validate",
        "examples/docs-example.json",
        "examples/no-such-file.json",
    ]));
    assert_exit(&out, 2);
    assert_eq!(stdout(&out), "");
    assert!(
        stderr(&out).contains("cannot read `examples/no-such-file.json`"),
        "{}",
        stderr(&out)
    );
    let out = run(&mut sm_config(&["render", "-f", "json", "examples"]));
    assert_exit(&out, 2);
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["validate"][..],
        &["validate", "--output", "yaml", "examples/docs-example.json"],
        &["validate", "--bogus", "examples/docs-example.json"],
        &["render", "examples/docs-example.json"],
        &["render", "--format", "xml", "examples/docs-example.json"],
        &[
            "render",
            "-f",
            "curl",
            "--endpoint",
            "intranet",
            "examples/docs-example.json",
        ],
        &["render", "-f", "curl"],
        &["frobnicate"],
        &[],
    ] {
        let out = run(&mut sm_config(args));
        assert_exit(&out, 2);
        assert_eq!(stdout(&out), "", "{args:?}");
        assert!(!stderr(&out).is_empty(), "{args:?}");
    }
}

#[test]
fn the_instance_from_the_environment_is_validated_against() {
    let target = Target::new(INSTANCE, "eu-de", Endpoint::Public);
    let out =
        run(sm_config(&["validate", "examples/docs-example.json"]).env(URL_VAR, url(&target)));
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("valid, 1 warning"), "{text}");
    assert!(
        text.contains("warning[region_mismatch] code_engine.region: code engine region us-south differs from the instance region eu-de"),
        "{text}"
    );

    // The options override the variable: the same region as the request, no warning.
    let out = run(sm_config(&[
        "validate",
        "--region",
        "us-south",
        "examples/docs-example.json",
    ])
    .env(URL_VAR, url(&target)));
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), "examples/docs-example.json: valid\n");
}

#[test]
fn a_region_alone_checks_the_region_without_asking_for_an_instance_id() {
    let out = run(&mut sm_config(&[
        "validate",
        "--region",
        "jp-tok",
        "examples/docs-example.json",
    ]));
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("region_mismatch"), "{text}");
    assert!(!text.contains("target.instance_id"), "{text}");

    let out = run(&mut sm_config(&[
        "validate",
        "--region",
        "mars-north",
        "examples/docs-example.json",
    ]));
    assert_exit(&out, 1);
    assert!(
        stdout(&out).contains("error[unknown_region] target.region:"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_bad_instance_id_is_an_error_with_a_caret() {
    let out = run(&mut sm_config(&[
        "validate",
        "--instance-id",
        "B49AD24D-81d4-5ebc-b9b9-b0937d1c84d5",
        "--region",
        "us-south",
        "examples/docs-example.json",
    ]));
    assert_exit(&out, 1);
    let text = stdout(&out);
    assert!(
        text.contains("error[pattern] target.instance_id:"),
        "{text}"
    );
    assert!(
        text.contains("      | B49AD24D-81d4-5ebc-b9b9-b0937d1c84d5\n      | ^\n"),
        "{text}"
    );
}

#[test]
fn a_malformed_instance_url_exits_2_with_a_clear_message() {
    for sub in [
        &["validate", "examples/docs-example.json"][..],
        &["render", "-f", "curl", "examples/docs-example.json"],
    ] {
        let out = run(sm_config(sub).env(URL_VAR, "https://example.com/api"));
        assert_exit(&out, 2);
        assert_eq!(stdout(&out), "");
        let err = stderr(&out);
        assert!(
            err.contains("SECRETS_MANAGER_URL: `https://example.com/api` is not a secrets manager instance url"),
            "{err}"
        );
    }
}

#[test]
fn an_empty_instance_url_counts_as_unset() {
    let out = run(sm_config(&["validate", "examples/docs-example.json"]).env(URL_VAR, ""));
    assert_exit(&out, 0);
    assert_eq!(stdout(&out), "examples/docs-example.json: valid\n");
}

// ---- render ----------------------------------------------------------------------------

#[test]
fn render_prints_each_format_of_the_docs_example_for_the_placeholder() {
    let request = docs_request();
    let placeholder = Target::placeholder();
    for format in Format::ALL {
        let out = run(&mut sm_config(&[
            "render",
            "--format",
            format.as_str(),
            "examples/docs-example.json",
        ]));
        assert_exit(&out, 0);
        let expected = sm_config::render(&request, &placeholder, format);
        assert_eq!(stdout(&out).trim_end(), expected.trim_end(), "{format}");
        assert!(stdout(&out).ends_with('\n'), "{format}");
        let err = stderr(&out);
        if format == Format::Json {
            assert_eq!(err, "", "{format}");
        } else {
            assert!(
                err.contains("note: placeholder instance id and region (00000000-0000-0000-0000-000000000000 in us-south)"),
                "{format}: {err}"
            );
        }
    }
}

#[test]
fn render_formats_carry_what_each_needs() {
    let body = |format: &str| {
        let out = run(&mut sm_config(&[
            "render",
            "-f",
            format,
            "examples/docs-example.json",
        ]));
        assert_exit(&out, 0);
        (stdout(&out), stderr(&out))
    };
    let (json, _) = body("json");
    let parsed: Value = serde_json::from_str(&json).unwrap();
    let original: Value = serde_json::from_slice(&example("docs-example.json")).unwrap();
    assert_eq!(parsed, original);

    let (curl, _) = body("curl");
    assert!(curl.starts_with("curl -X POST 'https://00000000-0000-0000-0000-000000000000.us-south.secrets-manager.appdomain.cloud/api/v2/configurations'"), "{curl}");
    assert!(
        curl.contains("\"Authorization: Bearer ${IAM_TOKEN}\""),
        "{curl}"
    );

    let (cli, _) = body("cli");
    assert!(
        cli.starts_with("ibmcloud secrets-manager configuration-create"),
        "{cli}"
    );
    assert!(cli.contains("--configuration-task-timeout='50m'"), "{cli}");

    let (tf, err) = body("terraform");
    assert!(
        tf.starts_with("resource \"ibm_sm_custom_credentials_configuration\" \"my_config\" {"),
        "{tf}"
    );
    assert!(
        err.contains("terraform import 'ibm_sm_custom_credentials_configuration.my_config' 'us-south/00000000-0000-0000-0000-000000000000/my_config'"),
        "{err}"
    );
}

#[test]
fn render_uses_the_instance_from_the_environment() {
    let target = Target::new(INSTANCE, "eu-de", Endpoint::Private);
    let request = docs_request();
    for format in [Format::Curl, Format::Terraform] {
        let out = run(sm_config(&[
            "render",
            "-f",
            format.as_str(),
            "examples/docs-example.json",
        ])
        .env(URL_VAR, url(&target)));
        assert_exit(&out, 0);
        assert_eq!(
            stdout(&out).trim_end(),
            sm_config::render(&request, &target, format).trim_end()
        );
        let err = stderr(&out);
        assert!(!err.contains("placeholder"), "{err}");
        // The instance is in eu-de, the Code Engine project in us-south.
        assert!(err.contains("warning[region_mismatch]"), "{err}");
    }
    let out = run(
        sm_config(&["render", "-f", "curl", "examples/docs-example.json"])
            .env(URL_VAR, url(&target)),
    );
    assert!(stdout(&out).contains(&format!(
        "'https://{INSTANCE}.private.eu-de.secrets-manager.appdomain.cloud/api/v2/configurations'"
    )));
}

#[test]
fn render_options_override_the_environment() {
    let env_target = Target::new(INSTANCE, "eu-de", Endpoint::Private);
    let out = run(sm_config(&[
        "render",
        "-f",
        "terraform",
        "--region",
        "us-south",
        "--endpoint",
        "public",
        "examples/docs-example.json",
    ])
    .env(URL_VAR, url(&env_target)));
    assert_exit(&out, 0);
    let expected = sm_config::render(
        &docs_request(),
        &Target::new(INSTANCE, "us-south", Endpoint::Public),
        Format::Terraform,
    );
    assert_eq!(stdout(&out).trim_end(), expected.trim_end());
    assert_eq!(
        stderr(&out),
        format!(
            "import an existing configuration with: terraform import 'ibm_sm_custom_credentials_configuration.my_config' 'us-south/{INSTANCE}/my_config'\n"
        )
    );
}

#[test]
fn render_with_only_an_instance_id_notes_the_placeholder_region() {
    let out = run(&mut sm_config(&[
        "render",
        "-f",
        "curl",
        "--instance-id",
        INSTANCE,
        "examples/docs-example.json",
    ]));
    assert_exit(&out, 0);
    assert!(stdout(&out).contains(&format!("https://{INSTANCE}.us-south.")));
    assert!(
        stderr(&out).contains("note: placeholder region"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn render_reads_stdin_for_a_dash() {
    let out = run_with_stdin(
        &mut sm_config(&["render", "-f", "cli", "-"]),
        &example("eu-de-2h-timeout.json"),
    );
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("--name='partner-api-keys'"), "{text}");
    assert!(text.contains("--configuration-task-timeout='2h'"), "{text}");
}

#[test]
fn render_refuses_an_invalid_request_unless_allowed() {
    let out = run(&mut sm_config(&[
        "render",
        "-f",
        "cli",
        "examples/invalid.json",
    ]));
    assert_exit(&out, 1);
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert!(
        err.contains("examples/invalid.json: invalid, 6 errors"),
        "{err}"
    );
    assert!(err.contains("--allow-invalid"), "{err}");

    let out = run(&mut sm_config(&[
        "render",
        "-f",
        "cli",
        "--allow-invalid",
        "examples/invalid.json",
    ]));
    assert_exit(&out, 0);
    let text = stdout(&out);
    assert!(text.contains("--name='Payroll Creds!'"), "{text}");
    assert!(stderr(&out).contains("error[unknown_region]"));
}

#[test]
fn render_prints_warnings_on_stderr_and_renders() {
    let out = run(&mut sm_config(&[
        "render",
        "-f",
        "json",
        "examples/trusted-profile.json",
    ]));
    assert_exit(&out, 0);
    assert!(stderr(&out).contains("warning[trusted_profile_required]"));
    let body: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(body["name"], "db-password-rotator");
    assert!(body.get("api_key_ref").is_none());
}

#[test]
fn render_has_nothing_to_render_from_text_that_is_not_a_request() {
    for input in [&b"{\"name\": "[..], b"[1, 2]", b"\xff\xfe"] {
        let out = run_with_stdin(
            &mut sm_config(&["render", "-f", "curl", "--allow-invalid", "-"]),
            input,
        );
        assert_exit(&out, 1);
        assert_eq!(stdout(&out), "");
        assert!(
            stderr(&out).contains("nothing to render: <stdin> is not a request object"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn every_example_is_judged_as_its_name_says() {
    for entry in std::fs::read_dir(root().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let out = run(&mut sm_config(&["validate", path.to_str().unwrap()]));
        let expected = if name.starts_with("invalid") { 1 } else { 0 };
        assert_eq!(
            out.status.code(),
            Some(expected),
            "{name}: {}",
            stdout(&out)
        );
    }
}
