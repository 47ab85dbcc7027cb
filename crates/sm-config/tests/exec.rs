//! The generated commands are executed, not eyeballed.
//!
//! The curl and `ibmcloud` renderings of random, hostile requests are pasted into a real
//! interactive `bash`, where `curl` and `ibmcloud` are shell functions that write out their
//! argv; the argv must be exactly what was meant. The Terraform rendering is parsed back with
//! hcl-rs and compared value by value.
//!
//! Strings never hold NUL: no argv can carry it, so the shell renderer drops it (such a value
//! is invalid for every field anyway) and there would be nothing to compare.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use sm_config::render::{self, TERRAFORM_RESOURCE_TYPE};
use sm_config::{
    CodeEngine, ConfigurationPrototype, CustomCredentialsConfigurationPrototype, Endpoint, Target,
};
use std::cell::RefCell;
use std::time::Duration;

#[path = "support/bash.rs"]
mod bash;
#[path = "support/nasty.rs"]
mod nasty;
use bash::{Bash, TOKEN, line_starting_in_a_quote};
use nasty::nasty_string;

const CASES: u32 = 1000;

// ---------------------------------------------------------------- strategies

fn request() -> impl Strategy<Value = ConfigurationPrototype> {
    (
        nasty_string(),
        prop::option::of(nasty_string()),
        (nasty_string(), nasty_string(), nasty_string()),
        prop::option::of(nasty_string()),
    )
        .prop_map(
            |(name, api_key_ref, (job_name, project_id, region), task_timeout)| {
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

/// The target comes from what a user typed too.
fn target() -> impl Strategy<Value = Target> {
    (
        nasty_string(),
        nasty_string(),
        prop_oneof![Just(Endpoint::Public), Just(Endpoint::Private)],
    )
        .prop_map(|(id, region, endpoint)| Target::new(id, region, endpoint))
}

fn runner() -> TestRunner {
    // A failure prints the shrunk input; no regression file (its lookup does not work for
    // integration tests run from the crate folder).
    TestRunner::new(Config {
        failure_persistence: None,
        ..Config::with_cases(CASES)
    })
}

fn fields(request: &ConfigurationPrototype) -> &CustomCredentialsConfigurationPrototype {
    let ConfigurationPrototype::CustomCredentialsConfiguration(c) = request;
    c
}

/// The instance URL, written out here rather than taken from the code under test.
fn base_url(target: &Target) -> String {
    let private = match target.endpoint {
        Endpoint::Public => "",
        Endpoint::Private => ".private",
    };
    format!(
        "https://{}{private}.{}.secrets-manager.appdomain.cloud",
        target.instance_id, target.region
    )
}

// ---------------------------------------------------------------- what was meant

fn expected_curl(request: &ConfigurationPrototype, target: &Target) -> Vec<String> {
    [
        "-X".to_owned(),
        "POST".to_owned(),
        format!("{}/api/v2/configurations", base_url(target)),
        "-H".to_owned(),
        format!("Authorization: Bearer {TOKEN}"),
        "-H".to_owned(),
        "Accept: application/json".to_owned(),
        "-H".to_owned(),
        "Content-Type: application/json".to_owned(),
        "-d".to_owned(),
        render::json_compact(request),
    ]
    .into()
}

fn expected_cli(request: &ConfigurationPrototype, target: &Target) -> Vec<String> {
    let c = fields(request);
    let mut argv = vec![
        "secrets-manager".to_owned(),
        "configuration-create".to_owned(),
        format!("--service-url={}", base_url(target)),
        "--config-type=custom_credentials_configuration".to_owned(),
        format!("--name={}", c.name),
    ];
    if let Some(id) = &c.api_key_ref {
        argv.push(format!("--custom-credentials-apikey-ref={id}"));
    }
    argv.push(format!(
        "--custom-credentials-code-engine={}",
        serde_json::to_string(&c.code_engine).unwrap()
    ));
    if let Some(t) = &c.task_timeout {
        argv.push(format!("--configuration-task-timeout={t}"));
    }
    argv.push("--output=json".to_owned());
    argv
}

fn check_shell(
    bash: &RefCell<Bash>,
    request: &ConfigurationPrototype,
    target: &Target,
) -> Result<(), TestCaseError> {
    let curl = render::curl(request, target);
    let cli = render::cli(request, target);
    prop_assert_eq!(line_starting_in_a_quote(&curl), None, "{}", curl);
    prop_assert_eq!(line_starting_in_a_quote(&cli), None, "{}", cli);
    let run = {
        let mut shell = bash.borrow_mut();
        match shell.paste(&format!("{curl}\n{cli}")) {
            Ok(run) => run,
            Err(e) => {
                // The shell may be stuck in a quote: the next case gets a fresh one.
                *shell = Bash::start();
                return Err(TestCaseError::fail(format!(
                    "{e}\n--- pasted:\n{curl}\n{cli}"
                )));
            }
        }
    };
    prop_assert!(run.stray.is_empty(), "unexpected output {:?}", run.stray);
    prop_assert_eq!(run.calls.len(), 2, "calls: {:?}", run.calls);
    let (command, argv) = &run.calls[0];
    prop_assert_eq!(command, "curl");
    prop_assert_eq!(argv, &expected_curl(request, target), "pasted:\n{}", curl);
    // The body the service would get parses to the very request.
    let sent: ConfigurationPrototype = serde_json::from_str(&argv[10])
        .map_err(|e| TestCaseError::fail(format!("-d body is not json: {e}")))?;
    prop_assert_eq!(&sent, request);

    let (command, argv) = &run.calls[1];
    prop_assert_eq!(command, "ibmcloud");
    prop_assert_eq!(argv, &expected_cli(request, target), "pasted:\n{}", cli);
    let flag = argv
        .iter()
        .find_map(|a| a.strip_prefix("--custom-credentials-code-engine="))
        .unwrap();
    let code_engine: CodeEngine = serde_json::from_str(flag)
        .map_err(|e| TestCaseError::fail(format!("code engine flag is not json: {e}")))?;
    prop_assert_eq!(&code_engine, &fields(request).code_engine);
    Ok(())
}

#[test]
fn curl_and_cli_run_in_bash_with_the_exact_argv() {
    let bash = RefCell::new(Bash::start());
    let result = runner().run(&(request(), target()), |(request, target)| {
        check_shell(&bash, &request, &target)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn the_harness_sees_a_broken_quote() {
    // The check above can fail: unquoted, the same values come out different.
    let mut bash = Bash::start();
    let run = bash
        .paste("curl -d \"a $(printf '%s' b) `printf c`\" 'x\ny' 'p!!q'")
        .unwrap();
    let argv = ["-d", "a b c", "x\ny", "p!!q"].map(str::to_owned).to_vec();
    assert_eq!(run.calls, [("curl".to_owned(), argv)]);
    // History expansion is on, as in a terminal: `!!` outside single quotes is replaced.
    let run = bash.paste("ibmcloud \"d!!e\"").unwrap();
    assert_eq!(run.calls.len(), 1);
    assert_ne!(run.calls[0].1, ["d!!e"]);
    // So is the terminal's carriage return to newline, hence `$'\r'` in the renderings.
    let run = bash.paste("curl 'a\rb'").unwrap();
    assert_eq!(run.calls[0].1, ["a\nb"]);
    // The line check sees a quote left open at the end of a line.
    assert_eq!(line_starting_in_a_quote("a 'b\nc'"), Some(2));
    assert_eq!(line_starting_in_a_quote("a \"b\\\"\nc\""), Some(2));
    assert_eq!(line_starting_in_a_quote("a 'b' \\\n  'c'$'\\n''d'"), None);
    // An unbalanced quote is reported, and a fresh shell works again.
    bash.patience = Duration::from_secs(2);
    assert!(bash.paste("curl 'x").is_err());
    let mut bash = Bash::start();
    assert_eq!(bash.paste("curl ok").unwrap().calls.len(), 1);
}

// ---------------------------------------------------------------- Terraform

/// The value of a quoted HCL string.
///
/// hcl-rs (through hcl-edit) parses a quoted string without a live `${…}` or `%{…}` as
/// `Expression::String`, having already turned the escapes `$${` and `%%{` back into the
/// literal `${` and `%{` (and `\n`, `\"`, `\uNNNN`… into their characters). A string with a
/// live interpolation or directive parses as `Expression::TemplateExpr` instead. So requiring
/// `Expression::String` and comparing it with the original value is the honest check: an
/// unescaped `${` would show up as a template and fail, and a doubled `$$` that HCL would
/// keep would show up as an extra `$`.
///
/// One thing hcl-rs does not do and Terraform does: normalize string literals to Unicode NFC.
/// Only values that are invalid anyway (the name and IDs are ASCII) can be changed by it.
fn string_value(expr: &hcl::Expression) -> Result<String, TestCaseError> {
    match expr {
        hcl::Expression::String(s) => Ok(s.clone()),
        other => Err(TestCaseError::fail(format!(
            "not a plain string: {other:?}"
        ))),
    }
}

fn attributes(body: &hcl::Body) -> Result<Vec<(String, String)>, TestCaseError> {
    body.attributes()
        .map(|a| Ok((a.key.to_string(), string_value(&a.expr)?)))
        .collect()
}

fn check_terraform(request: &ConfigurationPrototype, target: &Target) -> Result<(), TestCaseError> {
    let text = render::terraform(request, target);
    let body = hcl::parse(&text)
        .map_err(|e| TestCaseError::fail(format!("hcl does not parse: {e}\n{text}")))?;
    let c = fields(request);

    prop_assert_eq!(body.attributes().count(), 0);
    let blocks: Vec<&hcl::Block> = body.blocks().collect();
    prop_assert_eq!(blocks.len(), 1);
    let resource = blocks[0];
    prop_assert_eq!(resource.identifier.as_str(), "resource");
    let labels: Vec<String> = resource
        .labels
        .iter()
        .map(|l| l.as_str().to_owned())
        .collect();
    prop_assert_eq!(
        labels,
        vec![
            TERRAFORM_RESOURCE_TYPE.to_owned(),
            render::resource_label(&c.name)
        ]
    );

    let mut want = vec![
        ("instance_id", target.instance_id.clone()),
        ("region", target.region.clone()),
        ("endpoint_type", target.endpoint.as_str().to_owned()),
        ("name", c.name.clone()),
    ];
    if let Some(id) = &c.api_key_ref {
        want.push(("api_key_ref", id.clone()));
    }
    if let Some(t) = &c.task_timeout {
        want.push(("task_timeout", t.clone()));
    }
    let want: Vec<(String, String)> = want.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    prop_assert_eq!(attributes(&resource.body)?, want, "{}", text);

    let inner: Vec<&hcl::Block> = resource.body.blocks().collect();
    prop_assert_eq!(inner.len(), 1);
    prop_assert_eq!(inner[0].identifier.as_str(), "code_engine");
    prop_assert!(inner[0].labels.is_empty());
    prop_assert_eq!(inner[0].body.blocks().count(), 0);
    let want = vec![
        ("project_id".to_owned(), c.code_engine.project_id.clone()),
        ("job_name".to_owned(), c.code_engine.job_name.clone()),
        ("region".to_owned(), c.code_engine.region.clone()),
    ];
    prop_assert_eq!(attributes(&inner[0].body)?, want, "{}", text);
    Ok(())
}

#[test]
fn terraform_parses_back_to_the_same_values() {
    let result = runner().run(&(request(), target()), |(request, target)| {
        check_terraform(&request, &target)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn terraform_check_sees_an_unescaped_template() {
    // The comparison can fail: a raw `${` is a template, not a string.
    let body = hcl::parse("x = \"a ${b}\"\ny = \"a $${b} %%{c} \\u00e9\"\n").unwrap();
    let attrs: Vec<&hcl::Attribute> = body.attributes().collect();
    assert!(string_value(&attrs[0].expr).is_err());
    assert_eq!(string_value(&attrs[1].expr).unwrap(), "a ${b} %{c} é");
}
