//! `validate` as a linter over fixture repositories: every resource of every file, values from
//! variables, locals and tfvars, the checks across configurations, each output format parsed
//! back, and the exit codes.

mod common;

use common::{assert_exit, run, run_with_stdin, sm_config, stdout};
use serde_json::Value;

const REPO: &str = "crates/sm-config-cli/tests/fixtures/repo";
const ACROSS: &str = "crates/sm-config-cli/tests/fixtures/across";

/// `(level, file below the fixture, line, column, code)` of each GitHub workflow command,
/// checking each line's shape on the way.
#[track_caller]
fn annotations(text: &str, base: &str) -> Vec<(String, String, usize, usize, String)> {
    text.lines()
        .map(|line| {
            let rest = line.strip_prefix("::").unwrap_or_else(|| panic!("{line}"));
            let (command, rest) = rest.split_once(' ').unwrap();
            assert!(["error", "warning", "notice"].contains(&command), "{line}");
            let (props, message) = rest.split_once("::").unwrap();
            assert!(!message.is_empty() && !message.contains('\n'), "{line}");
            let props: Vec<(&str, &str)> = props
                .split(',')
                .map(|p| p.split_once('=').unwrap())
                .collect();
            let keys: Vec<&str> = props.iter().map(|p| p.0).collect();
            assert_eq!(keys, ["file", "line", "col", "title"], "{line}");
            let file = props[0].1.strip_prefix(base).unwrap_or(props[0].1);
            let code = props[3].1.strip_prefix("sm-config ").unwrap();
            (
                command.to_owned(),
                file.trim_start_matches('/').to_owned(),
                props[1].1.parse().unwrap(),
                props[2].1.parse().unwrap(),
                code.to_owned(),
            )
        })
        .collect()
}

fn a(
    level: &str,
    file: &str,
    line: usize,
    col: usize,
    code: &str,
) -> (String, String, usize, usize, String) {
    (level.into(), file.into(), line, col, code.into())
}

#[test]
fn a_repository_is_linted_file_by_file_resource_by_resource() {
    let out = run(&mut sm_config(&[
        "validate",
        "--recursive",
        "-o",
        "github",
        REPO,
    ]));
    assert_exit(&out, 1);
    assert_eq!(
        annotations(&stdout(&out), REPO),
        [
            // Terraform's JSON syntax: the value of each offending argument, resolved through
            // `legacy.auto.tfvars.json` (2d) and a variable's default (Legacy_Job).
            a("notice", "legacy.tf.json", 11, 24, "not_literal"),
            a("error", "legacy.tf.json", 14, 25, "out_of_range"),
            a("error", "legacy.tf.json", 18, 25, "pattern"),
            // The second resource, written as an array of bodies: the `A` of its secret ID.
            a("notice", "legacy.tf.json", 25, 26, "not_literal"),
            a("error", "legacy.tf.json", 27, 27, "pattern"),
            a("notice", "main.tf", 12, 18, "not_literal"),
            // `var.timeout`: its default 30m is overridden by slow.auto.tfvars' 90s.
            a("error", "main.tf", 15, 18, "out_of_range"),
            a("notice", "main.tf", 24, 18, "not_literal"),
            // The second resource is checked too: `2d`, `Job_B`.
            a("error", "main.tf", 27, 19, "out_of_range"),
            a("error", "main.tf", 30, 19, "pattern"),
            a("notice", "modules/reports/main.tf", 7, 3, "repeated"),
            a("notice", "modules/reports/main.tf", 10, 17, "not_literal"),
            a("notice", "modules/reports/main.tf", 14, 18, "not_literal"),
            // `team-${var.suffix}` resolves to the job request.json already uses.
            a("error", "modules/reports/main.tf", 26, 18, "shared_job"),
        ]
    );
}

#[test]
fn human_output_places_each_finding_and_says_where_values_came_from() {
    let out = run(&mut sm_config(&["validate", "-r", REPO]));
    assert_exit(&out, 1);
    let text = stdout(&out);
    for line in [
        format!("{REPO}/main.tf: read as terraform, 2 configurations, 3 errors, 2 notes\n"),
        format!(
            "  {REPO}/main.tf:11:1: ibm_sm_custom_credentials_configuration.payroll: invalid, 1 error, 1 note\n"
        ),
        format!(
            "    value name = \"payroll-credentials\" from `local.payroll_name`: local `team` at {REPO}/variables.tf:21:18, local `payroll_name` at {REPO}/variables.tf:22:18\n"
        ),
        format!(
            "    value task_timeout = \"90s\" from `var.timeout`: `timeout` in slow.auto.tfvars at {REPO}/slow.auto.tfvars:1:11\n"
        ),
        format!(
            "    value code_engine.job_name = \"payroll-job\" from `var.job`: `job` in terraform.tfvars at {REPO}/terraform.tfvars:1:7\n"
        ),
        format!(
            "    {REPO}/main.tf:15:18: error[out_of_range] task_timeout: task timeout 90s is below the minimum of 5 minutes\n        |   task_timeout = var.timeout\n        |                  ^^^^^^^^^^^\n        = hint: use 5m (300 seconds) or more\n"
        ),
        format!(
            "    {REPO}/main.tf:30:19: error[pattern] code_engine.job_name: code_engine.job_name may contain only lower-case letters, digits and `-`, not `J`\n        |     job_name   = \"Job_B\"\n        |                   ^\n"
        ),
        format!(
            "  {REPO}/modules/reports/main.tf:19:1: ibm_sm_custom_credentials_configuration.single: valid\n"
        ),
        format!(
            "across configurations: invalid, 1 error\n  {REPO}/modules/reports/main.tf:26:18: error[shared_job] code engine job `team-reports` of project `12345678-5120-4a18-832a-4ba122496633` already backs another configuration\n      = see {REPO}/request.json:1:1\n"
        ),
        format!("{REPO}/request.json: valid\n"),
        format!("{REPO}/legacy.tf.json: read as terraform, 2 configurations, 3 errors, 2 notes\n"),
        format!(
            "  {REPO}/legacy.tf.json:10:7: ibm_sm_custom_credentials_configuration.legacy: invalid, 2 errors, 1 note\n"
        ),
        format!(
            "    value name = \"legacy-credentials\" from `\"${{local.legacy_prefix}}-credentials\"`: local `legacy_prefix` at {REPO}/legacy.tf.json:7:32\n"
        ),
        format!(
            "    value task_timeout = \"2d\" from `\"${{var.legacy_timeout}}\"`: `legacy_timeout` in legacy.auto.tfvars.json at {REPO}/legacy.auto.tfvars.json:2:21\n"
        ),
        format!(
            "    {REPO}/legacy.tf.json:18:25: error[pattern] code_engine.job_name: code_engine.job_name may contain only lower-case letters, digits and `-`, not `L`\n        |             \"job_name\": \"${{var.legacy_job}}\",\n        |                         ^^^^^^^^^^^^^^^^^^^\n"
        ),
        format!(
            "  {REPO}/legacy.tf.json:23:7: ibm_sm_custom_credentials_configuration.nightly: invalid, 1 error, 1 note\n"
        ),
    ] {
        assert!(text.contains(&line), "missing:\n{line}\nin:\n{text}");
    }
    // Downloaded modules and hidden folders are not read; a file with nothing to say is quiet.
    for absent in [
        ".terraform",
        ".github",
        "Not Checked",
        "package.json",
        "/variables.tf: ",
    ] {
        assert!(!text.contains(absent), "{absent} in:\n{text}");
    }
}

#[test]
fn a_var_file_overrides_the_automatic_ones() {
    let var_file = format!("{REPO}/prod.tfvars");
    let out = run(&mut sm_config(&[
        "validate",
        "-o",
        "github",
        "--var-file",
        &var_file,
        &format!("{REPO}/main.tf"),
    ]));
    assert_exit(&out, 1);
    let found = annotations(&stdout(&out), REPO);
    assert!(
        found.contains(&a("error", "main.tf", 18, 18, "pattern")),
        "{found:?}"
    );
    let out = run(&mut sm_config(&[
        "validate",
        "--var-file",
        &var_file,
        &format!("{REPO}/main.tf"),
    ]));
    let text = stdout(&out);
    assert!(
        text.contains(&format!("value code_engine.job_name = \"Prod_Job\" from `var.job`: `job` in prod.tfvars at {var_file}:1:7")),
        "{text}"
    );
}

#[test]
fn a_folder_without_recursive_is_read_alone() {
    let out = run(&mut sm_config(&["validate", "-o", "github", REPO]));
    assert_exit(&out, 1);
    let found = annotations(&stdout(&out), REPO);
    assert!(
        found.iter().all(|f| !f.1.starts_with("modules/")),
        "{found:?}"
    );
    assert_eq!(
        found.iter().filter(|f| f.0 == "error").count(),
        6,
        "{found:?}"
    );
}

#[test]
fn a_module_folder_with_only_notes_passes_even_denying_warnings() {
    let dir = format!("{REPO}/modules/reports");
    let out = run(&mut sm_config(&["validate", "--deny-warnings", &dir]));
    assert_exit(&out, 0);
}

#[test]
fn sarif_output_has_the_required_fields_and_one_rule_per_code() {
    let out = run(&mut sm_config(&["validate", "-r", "-o", "sarif", REPO]));
    assert_exit(&out, 1);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    let runs = doc["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "sm-config");
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(ids, sorted, "rule ids unique");
    for rule in rules {
        assert!(
            !rule["shortDescription"]["text"]
                .as_str()
                .unwrap()
                .is_empty()
        );
    }
    let rule = |id: &str| rules.iter().find(|r| r["id"] == id).unwrap();
    assert_eq!(
        rule("pattern")["help"]["text"],
        "lower-case letters, digits and `-`, e.g. my-credentials-job"
    );
    let results = runs[0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 14);
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(ids[index], id);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()));
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        let physical = &r["locations"][0]["physicalLocation"];
        let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.starts_with(REPO), "{uri}");
        assert!(physical["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(physical["region"]["startColumn"].as_u64().unwrap() >= 1);
    }
    let shared = results
        .iter()
        .find(|r| r["ruleId"] == "shared_job")
        .unwrap();
    assert_eq!(
        shared["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        format!("{REPO}/request.json")
    );
}

#[test]
fn json_output_lists_configurations_with_places_and_resolved_values() {
    let out = run(&mut sm_config(&[
        "validate",
        "-o",
        "json",
        &format!("{REPO}/main.tf"),
    ]));
    assert_exit(&out, 1);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["valid"], false);
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 1, "only the named file is reported");
    let file = &files[0];
    assert_eq!(file["file"], format!("{REPO}/main.tf"));
    assert_eq!(file["errors"], 3);
    let configs = file["configurations"].as_array().unwrap();
    let names: Vec<&str> = configs
        .iter()
        .map(|c| c["resource"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "ibm_sm_custom_credentials_configuration.payroll",
            "ibm_sm_custom_credentials_configuration.billing"
        ]
    );
    assert_eq!(
        (configs[1]["line"].as_u64(), configs[1]["column"].as_u64()),
        (Some(23), Some(1))
    );
    let pattern = configs[1]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "pattern")
        .unwrap();
    assert_eq!(pattern["path"], "code_engine.job_name");
    assert_eq!(pattern["level"], "error");
    assert_eq!(
        (pattern["line"].as_u64(), pattern["column"].as_u64()),
        (Some(30), Some(19))
    );
    let job = configs[0]["resolved"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"] == "code_engine.job_name")
        .unwrap();
    assert_eq!(job["value"], "payroll-job");
    assert_eq!(job["expression"], "var.job");
    assert_eq!(job["from"][0]["file"], format!("{REPO}/terraform.tfvars"));
    assert_eq!(
        (
            job["from"][0]["line"].as_u64(),
            job["from"][0]["column"].as_u64()
        ),
        (Some(1), Some(7))
    );
}

/// A finding's code, line and column, and its related places' lines and columns.
type Placed = (String, u64, u64, Vec<(u64, u64)>);

#[test]
fn checks_across_configurations_name_every_one_involved() {
    let out = run(&mut sm_config(&["validate", "-o", "json", ACROSS]));
    assert_exit(&out, 1);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let file = format!("{ACROSS}/main.tf");
    let across: Vec<Placed> = doc["across"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["file"], file);
            assert_eq!(f["level"], "error");
            (
                f["code"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["related"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| (r["line"].as_u64().unwrap(), r["column"].as_u64().unwrap()))
                    .collect(),
            )
        })
        .collect();
    let blocks: Vec<(u64, u64)> = (0..10).map(|i| (5 + 11 * i, 1)).collect();
    assert_eq!(
        across,
        [
            ("duplicate_name".to_owned(), 29, 17, vec![(18, 17)]),
            ("shared_job".to_owned(), 55, 18, vec![(44, 18)]),
            ("too_many_configurations".to_owned(), 115, 1, blocks),
        ]
    );
    // Each configuration alone is valid: only the checks across fail the run.
    assert!(
        doc["files"][0]["configurations"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["valid"] == true)
    );
}

#[test]
fn a_file_that_does_not_parse_is_not_read_and_never_valid() {
    let file = "crates/sm-config-cli/tests/fixtures/broken/main.tf";
    let out = run(&mut sm_config(&["validate", file]));
    assert_exit(&out, 1);
    let text = stdout(&out);
    assert!(text.starts_with(&format!("{file}: not read, 1 error\n  {file}:2:3: error[syntax] terraform syntax error at line 2, column 3")), "{text}");
    assert!(!text.contains(": valid"), "{text}");
    // The same through standard input, and for a JSON body that does not parse.
    let out = run_with_stdin(
        &mut sm_config(&["validate", "-"]),
        &std::fs::read(common::root().join(file)).unwrap(),
    );
    assert_exit(&out, 1);
    assert!(
        stdout(&out).starts_with("<stdin>: not read, 1 error\n"),
        "{}",
        stdout(&out)
    );
    assert!(!stdout(&out).contains(": valid"), "{}", stdout(&out));
    let out = run_with_stdin(&mut sm_config(&["validate", "-"]), b"{\"name\": x}");
    assert_exit(&out, 1);
    assert!(
        stdout(&out).starts_with("<stdin>: not read, 1 error\n"),
        "{}",
        stdout(&out)
    );
}

/// IBM's docs sample (`crates/sm-config/tests/import.rs` has the same text).
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
fn the_docs_sample_reports_its_job_name_with_line_and_column() {
    let out = run_with_stdin(
        &mut sm_config(&["validate", "-o", "github", "-"]),
        DOCS_TERRAFORM.as_bytes(),
    );
    assert_exit(&out, 1);
    let found = annotations(&stdout(&out), "");
    // The first `_` of my_code_engine_job: a tab, 4 spaces, `job_name = "my`.
    assert!(
        found.contains(&a("error", "<stdin>", 8, 20, "pattern")),
        "{found:?}"
    );
    assert_eq!(
        found.iter().filter(|f| f.0 == "error").count(),
        1,
        "{found:?}"
    );
    let out = run_with_stdin(
        &mut sm_config(&["validate", "-"]),
        DOCS_TERRAFORM.as_bytes(),
    );
    let text = stdout(&out);
    assert!(text.contains("<stdin>:8:20: error[pattern] code_engine.job_name: code_engine.job_name may contain only lower-case letters, digits and `-`, not `_`\n"), "{text}");
}

#[test]
fn exit_codes_for_warnings_notes_and_unreadable_input() {
    let warning_only = "resource \"ibm_sm_custom_credentials_configuration\" \"c\" {\n  instance_id = \"b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5\"\n  region = \"us-south\"\n  name = \"c1\"\n  code_engine {\n    project_id = \"12345678-5120-4a18-832a-4ba122496633\"\n    job_name = \"job\"\n    region = \"us-south\"\n  }\n}\n";
    let out = run_with_stdin(&mut sm_config(&["validate", "-"]), warning_only.as_bytes());
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("<stdin>:1:1: warning[trusted_profile_required]"),
        "{}",
        stdout(&out)
    );
    let out = run_with_stdin(
        &mut sm_config(&["validate", "--deny-warnings", "-"]),
        warning_only.as_bytes(),
    );
    assert_exit(&out, 1);
    for args in [
        &[
            "validate",
            "crates/sm-config-cli/tests/fixtures/no-such-folder",
        ][..],
        &["validate", "--var-file", "no-such.tfvars", REPO],
        &["validate", "--output", "checkstyle", REPO],
    ] {
        let out = run(&mut sm_config(args));
        assert_exit(&out, 2);
        assert_eq!(stdout(&out), "", "{args:?}");
    }
}

#[test]
fn json_body_findings_are_placed_on_their_values() {
    let out = run(&mut sm_config(&[
        "validate",
        "-o",
        "github",
        "examples/invalid.json",
    ]));
    assert_exit(&out, 1);
    let found = annotations(&stdout(&out), "examples");
    assert_eq!(
        found,
        [
            // The space of "Payroll Creds!", the upper case of the secret ID, the `_` of the job.
            a("error", "invalid.json", 2, 19, "pattern"),
            a("error", "invalid.json", 4, 19, "pattern"),
            a("error", "invalid.json", 6, 24, "pattern"),
            a("error", "invalid.json", 8, 15, "unknown_region"),
            a("error", "invalid.json", 10, 20, "out_of_range"),
            a("error", "invalid.json", 11, 18, "unknown_field"),
        ]
    );
    // A missing field is placed on the object that should hold it.
    let body = b"{\"name\":\"x1\",\"config_type\":\"custom_credentials_configuration\",\"code_engine\":{}}";
    let out = run_with_stdin(&mut sm_config(&["validate", "-o", "github", "-"]), body);
    let found = annotations(&stdout(&out), "");
    assert!(
        found.contains(&a("error", "<stdin>", 1, 77, "required")),
        "{found:?}"
    );
}

#[test]
fn a_folder_with_nothing_to_check_says_so_and_links_to_folders_are_not_followed() {
    let dir = std::env::temp_dir().join(format!("sm-config-lint-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("sub/readme.txt"), "nothing here").unwrap();
    // A link back up: followed, the walk would never end.
    std::os::unix::fs::symlink(&dir, dir.join("sub/loop")).unwrap();
    let path = dir.to_str().unwrap();
    let out = run(&mut sm_config(&["validate", "--recursive", path]));
    assert_exit(&out, 0);
    assert_eq!(
        stdout(&out),
        "no configuration found: no terraform resource and no request body\n"
    );
    std::fs::write(
        dir.join("sub/main.tf"),
        "resource \"ibm_sm_custom_credentials_configuration\" \"x\" {\n  name = \"-bad\"\n}\n",
    )
    .unwrap();
    let out = run(&mut sm_config(&[
        "validate",
        "--recursive",
        "-o",
        "github",
        path,
    ]));
    assert_exit(&out, 1);
    let text = stdout(&out);
    assert!(text.contains("/sub/main.tf,line=2,col=11,"), "{text}");
    assert!(!text.contains("/loop/"), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A finding's level, code, path, line and column, from the JSON or SARIF output.
type Found = (String, String, String, u64, u64);

#[test]
fn terraform_json_files_are_read_and_placed_in_every_format() {
    let file = format!("{REPO}/legacy.tf.json");
    // Named alone: its folder's variables (variables.tf) and tfvars (JSON too) still count.
    let out = run(&mut sm_config(&["validate", "-o", "json", &file]));
    assert_exit(&out, 1);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files.len(), 1, "only the named file is reported");
    let configs = files[0]["configurations"].as_array().unwrap();
    let found: Vec<(String, u64, u64, Vec<Found>)> = configs
        .iter()
        .map(|c| {
            (
                c["resource"].as_str().unwrap().to_owned(),
                c["line"].as_u64().unwrap(),
                c["column"].as_u64().unwrap(),
                c["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| {
                        assert_eq!(f["file"], file);
                        (
                            f["level"].as_str().unwrap().to_owned(),
                            f["code"].as_str().unwrap().to_owned(),
                            f["path"].as_str().unwrap().to_owned(),
                            f["line"].as_u64().unwrap(),
                            f["column"].as_u64().unwrap(),
                        )
                    })
                    .collect(),
            )
        })
        .collect();
    let f = |level: &str, code: &str, path: &str, line, col| -> Found {
        (level.into(), code.into(), path.into(), line, col)
    };
    assert_eq!(
        found,
        [
            (
                "ibm_sm_custom_credentials_configuration.legacy".to_owned(),
                10,
                7,
                vec![
                    f("note", "not_literal", "target.instance_id", 11, 24),
                    f("error", "out_of_range", "task_timeout", 14, 25),
                    f("error", "pattern", "code_engine.job_name", 18, 25),
                ]
            ),
            (
                "ibm_sm_custom_credentials_configuration.nightly".to_owned(),
                23,
                7,
                vec![
                    f("note", "not_literal", "target.instance_id", 25, 26),
                    f("error", "pattern", "api_key_ref", 27, 27),
                ]
            ),
        ]
    );
    // Where the resolved values came from: a JSON tfvars file, a `.tf.json` default, a `.tf`
    // default of the same module.
    let from: Vec<(String, String, u64, u64)> = configs[0]["resolved"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let origin = &r["from"][0];
            (
                r["value"].as_str().unwrap().to_owned(),
                origin["file"].as_str().unwrap().to_owned(),
                origin["line"].as_u64().unwrap(),
                origin["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        from,
        [
            ("legacy-credentials".to_owned(), file.clone(), 7, 32),
            (
                "2d".to_owned(),
                format!("{REPO}/legacy.auto.tfvars.json"),
                2,
                21
            ),
            (
                "12345678-5120-4a18-832a-4ba122496633".to_owned(),
                format!("{REPO}/variables.tf"),
                8,
                13
            ),
            ("Legacy_Job".to_owned(), file.clone(), 4, 50),
        ]
    );

    // SARIF: the same places.
    let out = run(&mut sm_config(&["validate", "-o", "sarif", &file]));
    assert_exit(&out, 1);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let placed: Vec<(String, u64, u64)> = doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let physical = &r["locations"][0]["physicalLocation"];
            assert_eq!(physical["artifactLocation"]["uri"], file);
            (
                r["ruleId"].as_str().unwrap().to_owned(),
                physical["region"]["startLine"].as_u64().unwrap(),
                physical["region"]["startColumn"].as_u64().unwrap(),
            )
        })
        .collect();
    let p = |code: &str, line, col| (code.to_owned(), line, col);
    assert_eq!(
        placed,
        [
            p("not_literal", 11, 24),
            p("out_of_range", 14, 25),
            p("pattern", 18, 25),
            p("not_literal", 25, 26),
            p("pattern", 27, 27),
        ]
    );

    // GitHub annotations, and the human output's caret under the value.
    let out = run(&mut sm_config(&["validate", "-o", "github", &file]));
    assert_exit(&out, 1);
    assert_eq!(
        annotations(&stdout(&out), REPO),
        [
            a("notice", "legacy.tf.json", 11, 24, "not_literal"),
            a("error", "legacy.tf.json", 14, 25, "out_of_range"),
            a("error", "legacy.tf.json", 18, 25, "pattern"),
            a("notice", "legacy.tf.json", 25, 26, "not_literal"),
            a("error", "legacy.tf.json", 27, 27, "pattern"),
        ]
    );
    let out = run(&mut sm_config(&["validate", &file]));
    let text = stdout(&out);
    let want = format!(
        "    {file}:27:27: error[pattern] api_key_ref: api_key_ref must be lower case\n        |           \"api_key_ref\": \"A2f9c2e4-a3a8-c508-2bed-fcb7c26843ca\",\n        |                           ^\n"
    );
    assert!(text.contains(&want), "missing:\n{want}\nin:\n{text}");
}

#[test]
fn a_terraform_json_file_that_does_not_parse_is_placed_and_never_valid() {
    let dir = "crates/sm-config-cli/tests/fixtures/broken-json";
    let out = run(&mut sm_config(&["validate", "-o", "github", dir]));
    assert_exit(&out, 1);
    assert_eq!(
        annotations(&stdout(&out), dir),
        [a("error", "main.tf.json", 4, 25, "syntax")]
    );
    let out = run(&mut sm_config(&["validate", dir]));
    assert_exit(&out, 1);
    assert_eq!(
        stdout(&out),
        format!(
            "{dir}/main.tf.json: not read, 1 error\n  {dir}/main.tf.json:4:25: error[syntax] terraform json syntax error at line 4, column 25: trailing commas are not allowed\n      |       \"x\": {{ \"name\": \"x\", }}\n      |                         ^\n"
        )
    );
}

const CALLS: &str = "crates/sm-config-cli/tests/fixtures/calls";

#[test]
fn a_local_module_takes_the_literal_arguments_of_each_call() {
    // With `--recursive` the module folder is found by the walk; without, through the calls
    // (as tflint follows local modules), and named as `source` says, without `./`.
    for args in [&["-r"][..], &[], &["--", &format!("{CALLS}/main.tf")]] {
        let mut argv = vec!["validate", "-o", "github"];
        argv.extend(args);
        if !args.contains(&"--") {
            argv.push(CALLS);
        }
        let out = run(&mut sm_config(&argv));
        assert_exit(&out, 1);
        assert_eq!(
            annotations(&stdout(&out), CALLS),
            [
                // module.payroll: `job = "Job_B"`.
                a("error", "modules/job/main.tf", 17, 18, "pattern"),
                // module.billing: `name = var.billing_name` is an expression: not its default.
                a("notice", "modules/job/main.tf", 13, 17, "not_literal"),
                // module.billing and module.reports are two configurations on one job.
                a("error", "modules/job/main.tf", 17, 18, "shared_job"),
            ],
            "{argv:?}"
        );
    }
    let out = run(&mut sm_config(&["validate", "-r", CALLS]));
    let text = stdout(&out);
    for line in [
        format!(
            "{CALLS}/modules/job/main.tf: read as terraform, 3 configurations, 1 error, 1 note\n"
        ),
        format!(
            "  {CALLS}/modules/job/main.tf:10:1: module.payroll.ibm_sm_custom_credentials_configuration.this: invalid, 1 error\n    value name = \"payroll\" from `var.name`: argument `name` of module `payroll` at {CALLS}/main.tf:4:12\n    value code_engine.job_name = \"Job_B\" from `var.job`: argument `job` of module `payroll` at {CALLS}/main.tf:3:12\n"
        ),
        format!(
            "  {CALLS}/modules/job/main.tf:10:1: module.billing.ibm_sm_custom_credentials_configuration.this: valid, 1 note\n"
        ),
        // No argument: the default, not the folder's terraform.tfvars (root modules only).
        format!(
            "  {CALLS}/modules/job/main.tf:10:1: module.reports.ibm_sm_custom_credentials_configuration.this: valid\n    value name = \"default-name\" from `var.name`: the default of variable `name` at {CALLS}/modules/job/main.tf:7:13\n"
        ),
    ] {
        assert!(text.contains(&line), "missing:\n{line}\nin:\n{text}");
    }
    assert!(
        !text.contains("from tfvars") && !text.contains("Not_Read"),
        "{text}"
    );
    // One line of the module stands for a configuration per call: the across finding says which.
    let across = format!(
        "  {CALLS}/modules/job/main.tf:17:18: error[shared_job] code engine job `billing-job` of project `12345678-5120-4a18-832a-4ba122496633` already backs another configuration (in module.reports)\n      = see {CALLS}/modules/job/main.tf:17:18 (module.billing)\n"
    );
    assert!(text.contains(&across), "missing:\n{across}\nin:\n{text}");
    let out = run(&mut sm_config(&["validate", "-r", "-o", "sarif", CALLS]));
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let shared = doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "shared_job")
        .unwrap();
    assert_eq!(
        shared["relatedLocations"][0]["message"]["text"],
        "module.billing"
    );

    // The module folder alone is a root module: its tfvars count, `var.job` has no value.
    let out = run(&mut sm_config(&[
        "validate",
        "-o",
        "github",
        &format!("{CALLS}/modules/job"),
    ]));
    assert_exit(&out, 1);
    assert_eq!(
        annotations(&stdout(&out), CALLS),
        [
            a("error", "modules/job/main.tf", 13, 17, "pattern"),
            a("notice", "modules/job/main.tf", 17, 18, "not_literal"),
        ]
    );
}
