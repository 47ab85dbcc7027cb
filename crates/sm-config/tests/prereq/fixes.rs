//! The fixes are executed, not eyeballed: the CLI and curl forms of fixes made from hostile
//! values are pasted into an interactive bash (the harness of `exec.rs`), and the argv each
//! fake command receives must be exactly what was meant; the Terraform form is parsed with
//! hcl-rs and compared value by value; the JSON form is the body curl sends.

use super::bash::{Bash, TOKEN, line_starting_in_a_quote};
use super::nasty::nasty_string;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use sm_config::prereq::{
    AuthorizationFix, Fix, FixKind, Rotation, SecretFix, SecretSettings, TrustedProfilesFix,
    VIEWER_ROLE_CRN, WRITER_ROLE_CRN,
};
use sm_config::{Endpoint, Target};
use std::cell::RefCell;

const CASES: u32 = 300;

fn runner() -> TestRunner {
    TestRunner::new(Config {
        failure_persistence: None,
        ..Config::with_cases(CASES)
    })
}

/// Pastes the fix's shell forms, one after the other, and returns each call.
fn run(bash: &RefCell<Bash>, fix: &Fix) -> Result<Vec<(String, Vec<String>)>, TestCaseError> {
    prop_assert_eq!(line_starting_in_a_quote(&fix.cli), None, "{}", fix.cli);
    prop_assert_eq!(line_starting_in_a_quote(&fix.curl), None, "{}", fix.curl);
    let mut shell = bash.borrow_mut();
    let text = format!("{}\n{}", fix.cli, fix.curl);
    match shell.paste(&text) {
        Ok(run) => {
            prop_assert!(run.stray.is_empty(), "unexpected output {:?}", run.stray);
            Ok(run.calls)
        }
        Err(e) => {
            *shell = Bash::start();
            Err(TestCaseError::fail(format!("{e}\n--- pasted:\n{text}")))
        }
    }
}

fn curl_argv(
    method: &str,
    url: &str,
    content_type: &str,
    extra: &[String],
    body: &str,
) -> Vec<String> {
    let mut argv: Vec<String> = vec![
        "-X".into(),
        method.into(),
        url.into(),
        "-H".into(),
        format!("Authorization: Bearer {TOKEN}"),
        "-H".into(),
        "Accept: application/json".into(),
        "-H".into(),
        format!("Content-Type: {content_type}"),
    ];
    for h in extra {
        argv.push("-H".into());
        argv.push(h.clone());
    }
    argv.push("-d".into());
    argv.push(body.into());
    argv
}

/// The JSON form is the body the curl form sends.
fn check_json(fix: &Fix, sent: &str, want: &serde_json::Value) -> Result<(), TestCaseError> {
    let sent: serde_json::Value = serde_json::from_str(sent)
        .map_err(|e| TestCaseError::fail(format!("-d body is not json: {e}")))?;
    prop_assert_eq!(&sent, want);
    let shown: serde_json::Value = serde_json::from_str(fix.json.as_deref().unwrap_or_default())
        .map_err(|e| TestCaseError::fail(format!("json form is not json: {e}")))?;
    prop_assert_eq!(&shown, want);
    Ok(())
}

/// An HCL attribute's value as text: strings must be plain strings (see exec.rs on why a
/// template means a missed escape).
fn hcl_text(expr: &hcl::Expression) -> Result<String, TestCaseError> {
    match expr {
        hcl::Expression::String(s) => Ok(s.clone()),
        hcl::Expression::Bool(b) => Ok(b.to_string()),
        hcl::Expression::Number(n) => Ok(n.to_string()),
        hcl::Expression::Array(items) => Ok(format!(
            "[{}]",
            items
                .iter()
                .map(hcl_text)
                .collect::<Result<Vec<_>, _>>()?
                .join(",")
        )),
        other => Err(TestCaseError::fail(format!("not a plain value: {other:?}"))),
    }
}

/// The one resource block: its labels, attributes and inner blocks' attributes.
#[allow(clippy::type_complexity)]
fn resource(
    text: &str,
) -> Result<
    (
        Vec<String>,
        Vec<(String, String)>,
        Vec<(String, Vec<(String, String)>)>,
    ),
    TestCaseError,
> {
    let body = hcl::parse(text)
        .map_err(|e| TestCaseError::fail(format!("hcl does not parse: {e}\n{text}")))?;
    prop_assert_eq!(body.attributes().count(), 0);
    let blocks: Vec<&hcl::Block> = body.blocks().collect();
    prop_assert_eq!(blocks.len(), 1);
    prop_assert_eq!(blocks[0].identifier.as_str(), "resource");
    let labels = blocks[0]
        .labels
        .iter()
        .map(|l| l.as_str().to_owned())
        .collect();
    let attrs = |b: &hcl::Body| -> Result<Vec<(String, String)>, TestCaseError> {
        b.attributes()
            .map(|a| Ok((a.key.to_string(), hcl_text(&a.expr)?)))
            .collect()
    };
    let top = attrs(&blocks[0].body)?;
    let inner = blocks[0]
        .body
        .blocks()
        .map(|b| Ok((b.identifier.to_string(), attrs(&b.body)?)))
        .collect::<Result<_, TestCaseError>>()?;
    Ok((labels, top, inner))
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// What `${IAM_TOKEN}`-free values look like once a label is made of them.
fn is_label(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

// ---------------------------------------------------------------- the authorization

fn check_authorization(
    bash: &RefCell<Bash>,
    instance: &str,
    instance_account: Option<&str>,
    project: &str,
    project_account: Option<&str>,
) -> Result<(), TestCaseError> {
    let input = AuthorizationFix {
        instance_id: instance,
        instance_account,
        project_id: project,
        project_account,
    };
    let fix = input.render();
    prop_assert_eq!(fix.kind, FixKind::Authorization);
    let calls = run(bash, &fix)?;
    prop_assert_eq!(calls.len(), 2, "{:?}", calls);

    let cross = match (instance_account, project_account) {
        (Some(a), Some(b)) if a != b => Some(a),
        _ => None,
    };
    let mut cli: Vec<String> = [
        "iam",
        "authorization-policy-create",
        "secrets-manager",
        "codeengine",
        "Viewer,Writer",
    ]
    .map(String::from)
    .into();
    if let Some(a) = cross {
        cli.push(format!("--source-service-account={a}"));
    }
    cli.push(format!("--source-service-instance-id={instance}"));
    cli.push(format!("--target-service-instance-id={project}"));
    prop_assert_eq!(&calls[0], &("ibmcloud".to_owned(), cli), "{}", fix.cli);

    let (command, argv) = &calls[1];
    prop_assert_eq!(command, "curl");
    let body = argv.last().cloned().unwrap_or_default();
    prop_assert_eq!(
        argv,
        &curl_argv(
            "POST",
            "https://iam.cloud.ibm.com/v1/policies",
            "application/json",
            &[],
            &body
        )
    );
    let source = instance_account.or(project_account).unwrap_or("ACCOUNT_ID");
    let target = project_account.or(instance_account).unwrap_or("ACCOUNT_ID");
    let want = serde_json::json!({
        "type": "authorization",
        "subjects": [{"attributes": [
            {"name": "accountId", "value": source},
            {"name": "serviceName", "value": "secrets-manager"},
            {"name": "serviceInstance", "value": instance}]}],
        "roles": [{"role_id": VIEWER_ROLE_CRN}, {"role_id": WRITER_ROLE_CRN}],
        "resources": [{"attributes": [
            {"name": "accountId", "value": target, "operator": "stringEquals"},
            {"name": "serviceName", "value": "codeengine", "operator": "stringEquals"},
            {"name": "serviceInstance", "value": project, "operator": "stringEquals"}]}]
    });
    check_json(&fix, &body, &want)?;

    let (labels, top, inner) = resource(&fix.terraform)?;
    prop_assert_eq!(&labels[0], "ibm_iam_authorization_policy");
    prop_assert!(is_label(&labels[1]), "{}", labels[1]);
    let mut want = vec![("source_service_name", "secrets-manager")];
    if let Some(a) = cross {
        want.push(("source_service_account", a));
    }
    want.extend([
        ("source_resource_instance_id", instance),
        ("target_service_name", "codeengine"),
        ("target_resource_instance_id", project),
        ("roles", "[Viewer,Writer]"),
    ]);
    prop_assert_eq!(top, pairs(&want), "{}", fix.terraform);
    prop_assert!(inner.is_empty());
    Ok(())
}

#[test]
fn the_authorization_fix_runs_and_parses() {
    let bash = RefCell::new(Bash::start());
    let strategy = (
        nasty_string(),
        prop::option::of(nasty_string()),
        nasty_string(),
        prop::option::of(nasty_string()),
    );
    let result = runner().run(&strategy, |(i, ia, p, pa)| {
        check_authorization(&bash, &i, ia.as_deref(), &p, pa.as_deref())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    // The realistic case, cross-account included.
    check_authorization(
        &bash,
        super::INSTANCE_ID,
        Some("a"),
        super::PROJECT_ID,
        Some("b"),
    )
    .unwrap();
}

// ---------------------------------------------------------------- the secret

fn check_secret(
    bash: &RefCell<Bash>,
    target: &Target,
    name: &str,
    group: &str,
    service_id: Option<&str>,
) -> Result<(), TestCaseError> {
    let fix = SecretFix {
        target,
        name,
        secret_group_id: group,
        service_id,
    }
    .render();
    prop_assert_eq!(fix.kind, FixKind::IamCredentialsSecret);
    let calls = run(bash, &fix)?;
    prop_assert_eq!(calls.len(), 2, "{:?}", calls);
    let private = if target.endpoint == Endpoint::Private {
        ".private"
    } else {
        ""
    };
    let base = format!(
        "https://{}{private}.{}.secrets-manager.appdomain.cloud",
        target.instance_id, target.region
    );
    let sid = service_id.unwrap_or("ServiceId-00000000-0000-0000-0000-000000000000");
    let cli: Vec<String> = vec![
        "secrets-manager".into(),
        "secret-create".into(),
        format!("--service-url={base}"),
        "--secret-type=iam_credentials".into(),
        format!("--secret-name={name}"),
        format!("--secret-group-id={group}"),
        "--secret-ttl=90d".into(),
        format!("--iam-credentials-service-id={sid}"),
        "--iam-credentials-reuse-apikey=true".into(),
        r#"--secret-rotation={"auto_rotate":true,"interval":60,"unit":"day"}"#.into(),
        "--output=json".into(),
    ];
    prop_assert_eq!(&calls[0], &("ibmcloud".to_owned(), cli), "{}", fix.cli);

    let (command, argv) = &calls[1];
    prop_assert_eq!(command, "curl");
    let body = argv.last().cloned().unwrap_or_default();
    prop_assert_eq!(
        argv,
        &curl_argv(
            "POST",
            &format!("{base}/api/v2/secrets"),
            "application/json",
            &[],
            &body
        )
    );
    let want = serde_json::json!({
        "secret_type": "iam_credentials", "name": name, "secret_group_id": group,
        "ttl": "90d", "service_id": sid, "reuse_api_key": true,
        "rotation": {"auto_rotate": true, "interval": 60, "unit": "day"}
    });
    check_json(&fix, &body, &want)?;

    let (labels, top, inner) = resource(&fix.terraform)?;
    prop_assert_eq!(&labels[0], "ibm_sm_iam_credentials_secret");
    prop_assert!(is_label(&labels[1]), "{}", labels[1]);
    prop_assert_eq!(
        top,
        pairs(&[
            ("instance_id", &target.instance_id),
            ("region", &target.region),
            ("endpoint_type", target.endpoint.as_str()),
            ("name", name),
            ("secret_group_id", group),
            ("service_id", sid),
            ("ttl", "90d"),
            ("reuse_api_key", "true"),
        ]),
        "{}",
        fix.terraform
    );
    prop_assert_eq!(
        inner,
        vec![(
            "rotation".to_owned(),
            pairs(&[("auto_rotate", "true"), ("interval", "60"), ("unit", "day")])
        )]
    );
    Ok(())
}

#[test]
fn the_secret_fix_runs_and_parses() {
    let bash = RefCell::new(Bash::start());
    let strategy = (
        nasty_string(),
        nasty_string(),
        prop_oneof![Just(Endpoint::Public), Just(Endpoint::Private)],
        nasty_string(),
        nasty_string(),
        prop::option::of(nasty_string()),
    );
    let result = runner().run(&strategy, |(id, region, endpoint, name, group, sid)| {
        let target = Target::new(id, region, endpoint);
        check_secret(&bash, &target, &name, &group, sid.as_deref())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

// ---------------------------------------------------------------- the secret form's settings

/// The form's settings, hostile or not, with a service ID or access groups: what each form
/// says is exactly what was chosen.
fn check_settings(
    bash: &RefCell<Bash>,
    target: &Target,
    settings: &SecretSettings,
) -> Result<(), TestCaseError> {
    let fix = settings.render(target);
    prop_assert_eq!(fix.kind, FixKind::IamCredentialsSecret);
    let calls = run(bash, &fix)?;
    prop_assert_eq!(calls.len(), 2, "{:?}", calls);
    let base = target.base_url();
    let interval = settings.rotation.interval.unwrap_or(0);
    let unit = settings.rotation.unit.clone().unwrap_or_default();
    let rotation = serde_json::json!({"auto_rotate": true, "interval": interval, "unit": unit});
    let mut cli: Vec<String> = vec![
        "secrets-manager".into(),
        "secret-create".into(),
        format!("--service-url={base}"),
        "--secret-type=iam_credentials".into(),
        format!("--secret-name={}", settings.name),
        format!("--secret-group-id={}", settings.secret_group_id),
        format!("--secret-ttl={}", settings.ttl),
    ];
    let mut want = serde_json::json!({
        "secret_type": "iam_credentials", "name": settings.name,
        "secret_group_id": settings.secret_group_id, "ttl": settings.ttl,
        "reuse_api_key": true, "rotation": rotation,
    });
    let mut top = pairs(&[
        ("instance_id", &target.instance_id),
        ("region", &target.region),
        ("endpoint_type", target.endpoint.as_str()),
        ("name", &settings.name),
        ("secret_group_id", &settings.secret_group_id),
    ]);
    match &settings.service_id {
        Some(sid) => {
            cli.push(format!("--iam-credentials-service-id={sid}"));
            want["service_id"] = serde_json::json!(sid);
            top.push(("service_id".into(), sid.clone()));
        }
        None => {
            cli.push(format!(
                "--iam-credentials-access-groups={}",
                settings.access_groups.join(",")
            ));
            want["access_groups"] = serde_json::json!(settings.access_groups);
            top.push((
                "access_groups".into(),
                format!("[{}]", settings.access_groups.join(",")),
            ));
        }
    }
    top.extend(pairs(&[("ttl", &settings.ttl), ("reuse_api_key", "true")]));
    cli.push("--iam-credentials-reuse-apikey=true".into());
    cli.push(format!("--secret-rotation={rotation}"));
    cli.push("--output=json".into());
    prop_assert_eq!(&calls[0], &("ibmcloud".to_owned(), cli), "{}", fix.cli);

    let (command, argv) = &calls[1];
    prop_assert_eq!(command, "curl");
    let body = argv.last().cloned().unwrap_or_default();
    prop_assert_eq!(
        argv,
        &curl_argv(
            "POST",
            &format!("{base}/api/v2/secrets"),
            "application/json",
            &[],
            &body
        )
    );
    check_json(&fix, &body, &want)?;
    prop_assert_eq!(
        &fix.json,
        &Some(serde_json::to_string_pretty(&settings.body()).unwrap())
    );

    let (labels, attrs, inner) = resource(&fix.terraform)?;
    prop_assert_eq!(&labels[0], "ibm_sm_iam_credentials_secret");
    prop_assert!(is_label(&labels[1]), "{}", labels[1]);
    prop_assert_eq!(attrs, top, "{}", fix.terraform);
    prop_assert_eq!(
        inner,
        vec![(
            "rotation".to_owned(),
            pairs(&[
                ("auto_rotate", "true"),
                ("interval", &interval.to_string()),
                ("unit", &unit)
            ])
        )]
    );
    Ok(())
}

#[test]
fn the_secret_settings_run_and_parse() {
    let bash = RefCell::new(Bash::start());
    let strategy = (
        nasty_string(),
        prop_oneof![Just(Endpoint::Public), Just(Endpoint::Private)],
        (
            nasty_string(),
            nasty_string(),
            nasty_string(),
            nasty_string(),
        ),
        prop_oneof![
            nasty_string().prop_map(Ok),
            prop::collection::vec(nasty_string(), 1..4).prop_map(Err)
        ],
        1..10_000u64,
    );
    let result = runner().run(
        &strategy,
        |(id, endpoint, (name, group, ttl, unit), who, interval)| {
            let target = Target::new(id, "eu-de", endpoint);
            let (service_id, access_groups) = match who {
                Ok(sid) => (Some(sid), Vec::new()),
                Err(groups) => (None, groups),
            };
            let settings = SecretSettings {
                name,
                secret_group_id: group,
                service_id,
                access_groups,
                ttl,
                rotation: Rotation {
                    auto_rotate: true,
                    interval: Some(interval),
                    unit: Some(unit),
                },
            };
            check_settings(&bash, &target, &settings)
        },
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// The proposal a check attaches is the form's starting point, rendered the same way.
#[test]
fn the_secret_fix_is_its_settings_rendered() {
    let target = Target::new("a1b2", "us-south", Endpoint::Public);
    let fix = SecretFix {
        target: &target,
        name: "job-api-key",
        secret_group_id: "default",
        service_id: Some("ServiceId-11111111-2222-3333-4444-555555555555"),
    };
    let settings = fix.settings();
    assert!(settings.check().is_valid(), "{:?}", settings.check());
    assert_eq!(settings.ttl, "90d");
    assert_eq!(fix.render(), settings.render(&target));
}

// ---------------------------------------------------------------- trusted profiles

/// Percent-encoding written out here, not taken from the code under test.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn check_trusted(
    bash: &RefCell<Bash>,
    region: &str,
    project: &str,
    job: &str,
    tag: Option<&str>,
) -> Result<(), TestCaseError> {
    let fix = TrustedProfilesFix {
        region,
        project_id: project,
        job_name: job,
        entity_tag: tag,
    }
    .render();
    prop_assert_eq!(fix.kind, FixKind::TrustedProfiles);
    let calls = run(bash, &fix)?;
    prop_assert_eq!(calls.len(), 4, "{:?}", calls);
    let ibm = |argv: &[&str]| {
        (
            "ibmcloud".to_owned(),
            argv.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
        )
    };
    prop_assert_eq!(&calls[0], &ibm(&["target", "-r", region]));
    prop_assert_eq!(
        &calls[1],
        &ibm(&["ce", "project", "select", &format!("--id={project}")])
    );
    prop_assert_eq!(
        &calls[2],
        &ibm(&[
            "ce",
            "job",
            "update",
            &format!("--name={job}"),
            "--trusted-profiles-enabled=true"
        ])
    );
    let url = format!(
        "https://api.{}.codeengine.cloud.ibm.com/v2/projects/{}/jobs/{}",
        encode(region),
        encode(project),
        encode(job)
    );
    let good_tag = tag.filter(|t| {
        !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '*' || c == '-')
    });
    let extra: Vec<String> = good_tag
        .map(|t| format!("If-Match: {t}"))
        .into_iter()
        .collect();
    let (command, argv) = &calls[3];
    prop_assert_eq!(command, "curl");
    let body = argv.last().cloned().unwrap_or_default();
    prop_assert_eq!(
        argv,
        &curl_argv("PATCH", &url, "application/merge-patch+json", &extra, &body)
    );
    check_json(
        &fix,
        &body,
        &serde_json::json!({"run_compute_resource_token_enabled": true}),
    )?;

    let (labels, top, inner) = resource(&fix.terraform)?;
    prop_assert_eq!(&labels[0], "ibm_code_engine_job");
    prop_assert!(is_label(&labels[1]), "{}", labels[1]);
    prop_assert_eq!(
        top,
        pairs(&[
            ("project_id", project),
            ("name", job),
            ("run_compute_resource_token_enabled", "true"),
        ])
    );
    prop_assert!(inner.is_empty());
    Ok(())
}

#[test]
fn the_trusted_profiles_fix_runs_and_parses() {
    let bash = RefCell::new(Bash::start());
    let tag = prop_oneof![
        Just(None),
        Just(Some("2385407409".to_owned())),
        prop::option::of(nasty_string()),
    ];
    let strategy = (nasty_string(), nasty_string(), nasty_string(), tag);
    let result = runner().run(&strategy, |(region, project, job, tag)| {
        check_trusted(&bash, &region, &project, &job, tag.as_deref())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn the_harness_sees_a_wrong_argv() {
    // The comparisons above can fail: a fix that ran something else is caught.
    let bash = RefCell::new(Bash::start());
    let mut fix = AuthorizationFix {
        instance_id: "i",
        instance_account: None,
        project_id: "p",
        project_account: None,
    }
    .render();
    fix.cli = fix.cli.replace("'codeengine'", "codeengine $(printf x)");
    assert!(check_json(&fix, "{}", &serde_json::json!({"a": 1})).is_err());
    let calls = run(&bash, &fix).unwrap();
    assert_eq!(calls[0].1[3], "codeengine");
    assert_eq!(calls[0].1[4], "x");
}
