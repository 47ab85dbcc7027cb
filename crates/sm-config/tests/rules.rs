//! Every rule at its boundaries, with exact codes, messages, hints and spans.
//!
//! Each test starts from the docs' example (valid, no finding), changes one thing, and states
//! the complete list of findings it must produce: a rule that fires too often fails as surely
//! as one that does not fire.

use sm_config::limits::{JOB_NAME_MAX_LEN, NAME_MAX_LEN};
use sm_config::regions::{self, REGIONS};
use sm_config::{
    Code, CodeEngine, ConfigurationPatch, ConfigurationPrototype,
    CustomCredentialsConfigurationPrototype, Endpoint, ErrorContainer, Finding, Report,
    ServiceError, Severity, Span, Target, TargetError, TaskTimeout, validate, validate_json,
    validate_json_bytes, validate_patch, validate_patch_json, validate_target,
};

const SECRET_ID: &str = "a2f9c2e4-a3a8-c508-2bed-fcb7c26843ca";
const PROJECT_ID: &str = "12345678-5120-4a18-832a-4ba122496633";
const INSTANCE_ID: &str = "b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5";
const CE_REGIONS: [&str; 11] = [
    "us-south", "us-east", "ca-tor", "br-sao", "eu-gb", "eu-de", "eu-es", "jp-tok", "jp-osa",
    "au-syd", "in-che",
];
const SM_REGIONS: [&str; 13] = [
    "us-south", "us-east", "ca-tor", "ca-mon", "br-sao", "eu-gb", "eu-de", "eu-es", "jp-tok",
    "jp-osa", "au-syd", "in-mum", "in-che",
];
const NAME_HINT: &str = "2 to 128 letters, digits, `_`, `-` or `.`, e.g. my_config";
const JOB_HINT: &str = "lower-case letters, digits and `-`, e.g. my-credentials-job";
const TOP_FIELDS_HINT: &str =
    "the service knows only name, config_type, api_key_ref, code_engine, task_timeout";

fn docs_example() -> CustomCredentialsConfigurationPrototype {
    CustomCredentialsConfigurationPrototype {
        name: "my_config".into(),
        api_key_ref: Some(SECRET_ID.into()),
        code_engine: CodeEngine {
            job_name: "code-engine-job-name".into(),
            project_id: PROJECT_ID.into(),
            region: "us-south".into(),
        },
        task_timeout: Some("50m".into()),
    }
}

/// The docs' example with one change, validated without a target.
fn changed(change: impl FnOnce(&mut CustomCredentialsConfigurationPrototype)) -> Report {
    let mut c = docs_example();
    change(&mut c);
    validate(&ConfigurationPrototype::from(c), None)
}

fn name(value: &str) -> Report {
    changed(|c| c.name = value.into())
}

fn api_key_ref(value: &str) -> Report {
    changed(|c| c.api_key_ref = Some(value.into()))
}

fn project_id(value: &str) -> Report {
    changed(|c| c.code_engine.project_id = value.into())
}

fn job_name(value: &str) -> Report {
    changed(|c| c.code_engine.job_name = value.into())
}

fn task_timeout(value: &str) -> Report {
    changed(|c| c.task_timeout = Some(value.into()))
}

fn ce_region(value: &str) -> Report {
    changed(|c| c.code_engine.region = value.into())
}

fn target(region: &str) -> Target {
    Target::new(INSTANCE_ID, region, Endpoint::Public)
}

#[track_caller]
fn assert_valid(report: &Report) {
    assert!(report.is_empty(), "expected no finding, got:\n{report}");
}

/// The report holds exactly these findings, in this order.
#[track_caller]
fn assert_findings(report: &Report, expected: &[(&str, Code, &str)]) {
    let got: Vec<(&str, Code, &str)> = report
        .findings()
        .iter()
        .map(|f| (f.path.as_str(), f.code, f.message.as_str()))
        .collect();
    assert_eq!(got, expected, "report:\n{report}");
}

/// The report holds exactly one finding, an error with this path, code and message.
#[track_caller]
fn assert_error(report: &Report, path: &str, code: Code, message: &str) -> Finding {
    assert_findings(report, &[(path, code, message)]);
    let finding = report.findings()[0].clone();
    assert_eq!(finding.severity, Severity::Error, "{finding}");
    finding
}

/// The finding's hint and span.
#[track_caller]
fn assert_detail(finding: &Finding, hint: &str, span: Option<(usize, usize)>) {
    assert_eq!(finding.hint.as_deref(), Some(hint), "{finding}");
    assert_eq!(
        finding.span,
        span.map(|(start, end)| Span::new(start, end)),
        "{finding}"
    );
}

// ---------------------------------------------------------------- the valid baseline

#[test]
fn the_docs_example_is_valid() {
    assert_valid(&changed(|_| {}));
    let text = include_str!("../../../examples/docs-example.json");
    let parsed = validate_json(text, None);
    assert_valid(&parsed.report);
    assert_eq!(parsed.request, Some(docs_example().into()));
}

// ---------------------------------------------------------------- name

#[test]
fn name_length_boundaries() {
    let f = assert_error(
        &name("a"),
        "name",
        Code::TooShort,
        "name has 1 character, at least 2 are needed",
    );
    assert_eq!((f.hint.as_deref(), f.span), (None, None));
    assert_valid(&name("ab"));
    assert_valid(&name(&"a".repeat(NAME_MAX_LEN)));
    assert_error(
        &name(&"a".repeat(NAME_MAX_LEN + 1)),
        "name",
        Code::TooLong,
        "name has 129 characters, at most 128 are allowed",
    );
    let f = assert_error(&name(""), "name", Code::Required, "name is required");
    assert_detail(&f, NAME_HINT, None);
}

#[test]
fn name_length_counts_characters_not_bytes() {
    // 64 two-byte characters: 128 bytes but 64 characters, so only the pattern fails.
    let f = assert_error(
        &name(&"é".repeat(64)),
        "name",
        Code::Pattern,
        "name may contain only letters, digits, `_`, `-` and `.`, not `é`",
    );
    assert_detail(&f, &format!("remove `é`; {NAME_HINT}"), Some((0, 2)));
}

#[test]
fn name_character_classes() {
    for ok in [
        "ab", "AB", "Ab", "a1", "19", "_a", "__a", "a_b", "a-b", "a.b", "a-.-_b", "_9", "a..b",
    ] {
        assert_valid(&name(ok));
    }
}

#[test]
fn name_first_character() {
    let f = assert_error(
        &name("-ab"),
        "name",
        Code::Pattern,
        "name must start with a letter, a digit or `_`, not `-`",
    );
    assert_detail(&f, NAME_HINT, Some((0, 1)));
    assert_error(
        &name(".ab"),
        "name",
        Code::Pattern,
        "name must start with a letter, a digit or `_`, not `.`",
    );
}

#[test]
fn name_last_character() {
    for (value, last) in [("ab_", '_'), ("ab-", '-'), ("ab.", '.'), ("__", '_')] {
        let f = assert_error(
            &name(value),
            "name",
            Code::Pattern,
            &format!("name must end with a letter or a digit, not `{last}`"),
        );
        assert_detail(&f, NAME_HINT, Some((value.len() - 1, value.len())));
    }
}

#[test]
fn name_forbidden_characters() {
    let f = assert_error(
        &name("my config"),
        "name",
        Code::Pattern,
        "name may contain only letters, digits, `_`, `-` and `.`, not ` `",
    );
    assert_detail(&f, "use `_` or `-` instead of spaces", Some((2, 3)));
    let f = assert_error(
        &name("tab\there"),
        "name",
        Code::Pattern,
        "name may contain only letters, digits, `_`, `-` and `.`, not `\\t`",
    );
    assert_detail(&f, "use `_` or `-` instead of spaces", Some((3, 4)));
    let f = assert_error(
        &name("café_1"),
        "name",
        Code::Pattern,
        "name may contain only letters, digits, `_`, `-` and `.`, not `é`",
    );
    assert_detail(&f, &format!("remove `é`; {NAME_HINT}"), Some((3, 5)));
    for (value, bad, at) in [("a/b", "/", 1), ("a'b", "\\'", 1), ("ab$", "$", 2)] {
        assert_error(
            &name(value),
            "name",
            Code::Pattern,
            &format!("name may contain only letters, digits, `_`, `-` and `.`, not `{bad}`"),
        );
        assert_eq!(name(value).findings()[0].span, Some(Span::new(at, at + 1)));
    }
}

#[test]
fn name_reports_length_and_pattern_together() {
    assert_findings(
        &name("-"),
        &[
            (
                "name",
                Code::TooShort,
                "name has 1 character, at least 2 are needed",
            ),
            (
                "name",
                Code::Pattern,
                "name must start with a letter, a digit or `_`, not `-`",
            ),
        ],
    );
}

// ---------------------------------------------------------------- api_key_ref and project_id

#[test]
fn api_key_ref_length_boundaries() {
    let hint = format!("36 lower-case hex digits and hyphens, e.g. {SECRET_ID}");
    let f = assert_error(
        &api_key_ref(&SECRET_ID[..35]),
        "api_key_ref",
        Code::TooShort,
        "api_key_ref has 35 characters, at least 36 are needed",
    );
    assert_detail(&f, &hint, None);
    assert_valid(&api_key_ref(SECRET_ID));
    let f = assert_error(
        &api_key_ref(&format!("{SECRET_ID}0")),
        "api_key_ref",
        Code::TooLong,
        "api_key_ref has 37 characters, at most 36 are allowed",
    );
    assert_detail(&f, &hint, None);
    assert_error(
        &api_key_ref(""),
        "api_key_ref",
        Code::TooShort,
        "api_key_ref has 0 characters, at least 36 are needed",
    );
}

#[test]
fn api_key_ref_is_lower_case() {
    let upper = SECRET_ID.to_ascii_uppercase();
    let f = assert_error(
        &api_key_ref(&upper),
        "api_key_ref",
        Code::Pattern,
        "api_key_ref must be lower case",
    );
    // The first upper-case character is the leading `A`.
    assert_detail(&f, &format!("write `{SECRET_ID}`"), Some((0, 1)));
}

#[test]
fn api_key_ref_shape() {
    let hint = format!("36 lower-case hex digits and hyphens, e.g. {SECRET_ID}");
    let f = assert_error(
        &api_key_ref("a2f9c2e4-a3a8-c508-2bed-fcb7c26843cg"),
        "api_key_ref",
        Code::Pattern,
        "api_key_ref may contain only hex digits and `-`, not `g`",
    );
    assert_detail(&f, &hint, Some((35, 36)));
    let f = assert_error(
        &api_key_ref("a2f9c2e4a-3a8-c508-2bed-fcb7c26843ca"),
        "api_key_ref",
        Code::Pattern,
        "api_key_ref needs `-` at character 9, not `a`",
    );
    assert_detail(&f, &hint, Some((8, 9)));
    // A hyphen where a hex digit belongs.
    let f = assert_error(
        &api_key_ref("a2f9-2e4a-a3a8-c508-2bedfcb7c26843ca"),
        "api_key_ref",
        Code::Pattern,
        "api_key_ref needs a hex digit at character 5, not `-`",
    );
    assert_detail(&f, &hint, Some((4, 5)));
    // A 36-character value with a multi-byte character: the span covers its bytes.
    let f = assert_error(
        &api_key_ref("a2f9c2e4-a3a8-c508-2bed-fcb7c26843cé"),
        "api_key_ref",
        Code::Pattern,
        "api_key_ref may contain only hex digits and `-`, not `é`",
    );
    assert_detail(&f, &hint, Some((35, 37)));
}

#[test]
fn project_id_rules() {
    let hint = format!("36 lower-case hex digits and hyphens, e.g. {PROJECT_ID}");
    assert_valid(&project_id(INSTANCE_ID));
    let f = assert_error(
        &project_id(""),
        "code_engine.project_id",
        Code::Required,
        "code_engine.project_id is required",
    );
    assert_detail(&f, "the id of the code engine project", None);
    let f = assert_error(
        &project_id(&PROJECT_ID[1..]),
        "code_engine.project_id",
        Code::TooShort,
        "code_engine.project_id has 35 characters, at least 36 are needed",
    );
    assert_detail(&f, &hint, None);
    let f = assert_error(
        &project_id("12345678-5120-4A18-832a-4ba122496633"),
        "code_engine.project_id",
        Code::Pattern,
        "code_engine.project_id must be lower case",
    );
    assert_detail(&f, &format!("write `{PROJECT_ID}`"), Some((15, 16)));
    assert_error(
        &project_id("12345678_5120-4a18-832a-4ba122496633"),
        "code_engine.project_id",
        Code::Pattern,
        "code_engine.project_id needs `-` at character 9, not `_`",
    );
}

// ---------------------------------------------------------------- job_name

#[test]
fn job_name_length_boundaries() {
    assert_valid(&job_name("j"));
    assert_valid(&job_name(&"j".repeat(JOB_NAME_MAX_LEN)));
    let f = assert_error(
        &job_name(&"j".repeat(JOB_NAME_MAX_LEN + 1)),
        "code_engine.job_name",
        Code::TooLong,
        "code_engine.job_name has 64 characters, at most 63 are allowed",
    );
    assert_eq!((f.hint.as_deref(), f.span), (None, None));
    let f = assert_error(
        &job_name(""),
        "code_engine.job_name",
        Code::Required,
        "code_engine.job_name is required",
    );
    assert_detail(&f, JOB_HINT, None);
}

#[test]
fn job_name_characters() {
    for ok in ["a", "0", "a-b", "a--b", "0-9", "job-1-x"] {
        assert_valid(&job_name(ok));
    }
    let f = assert_error(
        &job_name("My-Job"),
        "code_engine.job_name",
        Code::Pattern,
        "code_engine.job_name may contain only lower-case letters, digits and `-`, not `M`",
    );
    assert_detail(
        &f,
        "code engine job names are lower case: `my-job`",
        Some((0, 1)),
    );
    // The lower-case form is suggested only when it is a valid name.
    let f = assert_error(
        &job_name("My_Job"),
        "code_engine.job_name",
        Code::Pattern,
        "code_engine.job_name may contain only lower-case letters, digits and `-`, not `M`",
    );
    assert_detail(&f, JOB_HINT, Some((0, 1)));
    let f = assert_error(
        &job_name("-Job"),
        "code_engine.job_name",
        Code::Pattern,
        "code_engine.job_name may contain only lower-case letters, digits and `-`, not `J`",
    );
    assert_detail(&f, JOB_HINT, Some((1, 2)));
    let f = assert_error(
        &job_name("my_job"),
        "code_engine.job_name",
        Code::Pattern,
        "code_engine.job_name may contain only lower-case letters, digits and `-`, not `_`",
    );
    assert_detail(&f, JOB_HINT, Some((2, 3)));
    let f = assert_error(
        &job_name("jöb"),
        "code_engine.job_name",
        Code::Pattern,
        "code_engine.job_name may contain only lower-case letters, digits and `-`, not `ö`",
    );
    assert_detail(&f, JOB_HINT, Some((1, 3)));
}

#[test]
fn job_name_ends() {
    let f = assert_error(
        &job_name("-job"),
        "code_engine.job_name",
        Code::Pattern,
        "code_engine.job_name must not start with `-`",
    );
    assert_detail(&f, JOB_HINT, Some((0, 1)));
    let f = assert_error(
        &job_name("job-"),
        "code_engine.job_name",
        Code::Pattern,
        "code_engine.job_name must not end with `-`",
    );
    assert_detail(&f, JOB_HINT, Some((3, 4)));
    assert_error(
        &job_name("-"),
        "code_engine.job_name",
        Code::Pattern,
        "code_engine.job_name must not start with `-`",
    );
}

#[test]
fn job_name_reports_length_and_pattern_together() {
    let long = format!("{}A", "j".repeat(JOB_NAME_MAX_LEN));
    assert_findings(
        &job_name(&long),
        &[
            (
                "code_engine.job_name",
                Code::TooLong,
                "code_engine.job_name has 64 characters, at most 63 are allowed",
            ),
            (
                "code_engine.job_name",
                Code::Pattern,
                "code_engine.job_name may contain only lower-case letters, digits and `-`, not `A`",
            ),
        ],
    );
}

// ---------------------------------------------------------------- task_timeout

#[track_caller]
fn assert_timeout_ok(text: &str, seconds: u64) {
    assert_valid(&task_timeout(text));
    let t = TaskTimeout::parse(text).unwrap();
    assert_eq!((t.as_str(), t.seconds()), (text, seconds));
}

#[track_caller]
fn assert_timeout_err(text: &str, code: Code, message: &str, hint: &str, span: (usize, usize)) {
    let report = task_timeout(text);
    let f = assert_error(&report, "task_timeout", code, message);
    assert_detail(&f, hint, Some(span));
    // The type says the same as the validator.
    let e = TaskTimeout::parse(text).unwrap_err();
    assert_eq!(
        (e.code(), e.to_string(), e.hint(), e.span()),
        (
            code,
            message.to_owned(),
            hint.to_owned(),
            Span::new(span.0, span.1)
        )
    );
}

#[test]
fn task_timeout_lower_bound() {
    assert_timeout_err(
        "299",
        Code::OutOfRange,
        "task timeout 299 is below the minimum of 5 minutes",
        "a bare number is seconds: a unit is needed, e.g. 10m",
        (0, 3),
    );
    assert_timeout_ok("300", 300);
    assert_timeout_ok("300s", 300);
    assert_timeout_ok("5m", 300);
    assert_timeout_err(
        "4m",
        Code::OutOfRange,
        "task timeout 4m is below the minimum of 5 minutes",
        "use 5m (300 seconds) or more",
        (0, 2),
    );
    assert_timeout_err(
        "0",
        Code::OutOfRange,
        "task timeout 0 is below the minimum of 5 minutes",
        "a bare number is seconds: a unit is needed, e.g. 10m",
        (0, 1),
    );
}

#[test]
fn task_timeout_upper_bound() {
    assert_timeout_ok("24h", 86_400);
    assert_timeout_ok("1440m", 86_400);
    assert_timeout_ok("1d", 86_400);
    assert_timeout_ok("86400", 86_400);
    assert_timeout_ok("000300", 300);
    let hint = "use 24h (1d, 1440m, 86400 seconds) or less";
    for (text, end) in [("25h", 3), ("2d", 2), ("86401", 5), ("1441m", 5)] {
        assert_timeout_err(
            text,
            Code::OutOfRange,
            &format!("task timeout {text} is above the maximum of 24 hours"),
            hint,
            (0, end),
        );
    }
}

#[test]
fn task_timeout_syntax() {
    assert_timeout_err(
        "10,",
        Code::Pattern,
        "unexpected character `,` in task timeout",
        "a number then one unit of s, m, h or d, e.g. 10m",
        (2, 3),
    );
    assert_timeout_err(
        "10M",
        Code::Pattern,
        "unit `M` must be lower case",
        "write `m`, e.g. 10m",
        (2, 3),
    );
    assert_timeout_err(
        "1.5h",
        Code::Pattern,
        "task timeout must be a whole number",
        "use a smaller unit, e.g. 90m instead of 1.5h",
        (1, 2),
    );
    assert_timeout_err(
        "1,5h",
        Code::Pattern,
        "task timeout must be a whole number",
        "use a smaller unit, e.g. 90m instead of 1.5h",
        (1, 2),
    );
    assert_timeout_err(
        "",
        Code::Required,
        "task timeout is empty",
        "leave it out for the default 10m, or write e.g. 30m",
        (0, 0),
    );
    assert_timeout_err(
        "1000000",
        Code::TooLong,
        "task timeout has 7 characters, at most 6 are allowed",
        "use a larger unit, e.g. 90m instead of 5400s",
        (0, 7),
    );
    assert_timeout_err(
        "m",
        Code::Pattern,
        "task timeout must start with a number",
        "write a number, then s, m, h or d, e.g. 10m",
        (0, 1),
    );
    assert_timeout_err(
        "ten",
        Code::Pattern,
        "task timeout must start with a number",
        "write a number, then s, m, h or d, e.g. 10m",
        (0, 1),
    );
    assert_timeout_err(
        "10mm",
        Code::Pattern,
        "unexpected `m` after the unit",
        "a number then one unit of s, m, h or d, e.g. 10m",
        (3, 4),
    );
    assert_timeout_err(
        " 10m",
        Code::Pattern,
        "unexpected character ` ` in task timeout",
        "a number then one unit of s, m, h or d, e.g. 10m",
        (0, 1),
    );
    assert_timeout_err(
        "10é",
        Code::Pattern,
        "unexpected character `é` in task timeout",
        "a number then one unit of s, m, h or d, e.g. 10m",
        (2, 4),
    );
}

#[test]
fn task_timeout_counts_characters_not_bytes() {
    // 6 characters (7 bytes): the length rule passes and the character rule speaks.
    assert_timeout_err(
        "10000é",
        Code::Pattern,
        "unexpected character `é` in task timeout",
        "a number then one unit of s, m, h or d, e.g. 10m",
        (5, 7),
    );
}

#[test]
fn task_timeout_is_optional() {
    assert_valid(&changed(|c| c.task_timeout = None));
}

// ---------------------------------------------------------------- regions

#[test]
fn region_lists_match_the_contract() {
    assert_eq!(
        regions::secrets_manager_regions().collect::<Vec<_>>(),
        SM_REGIONS
    );
    assert_eq!(
        regions::code_engine_regions().collect::<Vec<_>>(),
        CE_REGIONS
    );
    assert_eq!(REGIONS.len(), 13);
}

#[test]
fn every_code_engine_region_is_valid_for_the_job() {
    for region in CE_REGIONS {
        assert_valid(&ce_region(region));
    }
}

#[test]
fn regions_without_code_engine_are_refused_for_the_job() {
    let list = CE_REGIONS.join(", ");
    for region in ["ca-mon", "in-mum"] {
        let f = assert_error(
            &ce_region(region),
            "code_engine.region",
            Code::UnknownRegion,
            &format!("code engine is not available in {region}"),
        );
        assert_detail(&f, &format!("one of {list}"), None);
    }
}

#[test]
fn unknown_and_miswritten_code_engine_regions() {
    let list = CE_REGIONS.join(", ");
    let f = assert_error(
        &ce_region("us-west"),
        "code_engine.region",
        Code::UnknownRegion,
        "`us-west` is not a code engine region",
    );
    assert_detail(&f, &format!("one of {list}"), None);
    let f = assert_error(
        &ce_region(" US-South"),
        "code_engine.region",
        Code::UnknownRegion,
        "` US-South` is not a code engine region",
    );
    assert_detail(
        &f,
        "regions are written in lower case without spaces: us-south",
        None,
    );
    let f = assert_error(
        &ce_region(""),
        "code_engine.region",
        Code::Required,
        "code_engine.region is required",
    );
    assert_detail(&f, &format!("one of {list}"), None);
}

#[test]
fn every_secrets_manager_region_is_a_valid_target() {
    for region in SM_REGIONS {
        assert_valid(&validate_target(&target(region)));
    }
    // Both regions without Code Engine are fine for the instance.
    assert_valid(&validate_target(&target("ca-mon")));
    assert_valid(&validate_target(&target("in-mum")));
}

#[test]
fn target_findings() {
    let list = SM_REGIONS.join(", ");
    let f = assert_error(
        &validate_target(&target("mars")),
        "target.region",
        Code::UnknownRegion,
        "`mars` is not a secrets manager region",
    );
    assert_detail(&f, &format!("one of {list}"), None);
    assert_findings(
        &validate_target(&Target::new("", "", Endpoint::Private)),
        &[
            (
                "target.instance_id",
                Code::Required,
                "target.instance_id is required",
            ),
            ("target.region", Code::Required, "target.region is required"),
        ],
    );
    let f = assert_error(
        &validate_target(&Target::new(
            INSTANCE_ID.to_ascii_uppercase(),
            "eu-de",
            Endpoint::Public,
        )),
        "target.instance_id",
        Code::Pattern,
        "target.instance_id must be lower case",
    );
    assert_detail(&f, &format!("write `{INSTANCE_ID}`"), Some((0, 1)));
}

// ---------------------------------------------------------------- warnings

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

// ---------------------------------------------------------------- raw JSON

fn docs_json_without(field: &str) -> String {
    let mut v: serde_json::Value =
        serde_json::from_str(include_str!("../../../examples/docs-example.json")).unwrap();
    match field.split_once('.') {
        Some((outer, inner)) => v[outer].as_object_mut().unwrap().remove(inner),
        None => v.as_object_mut().unwrap().remove(field),
    };
    v.to_string()
}

fn docs_json_with(field: &str, value: serde_json::Value) -> String {
    let mut v: serde_json::Value =
        serde_json::from_str(include_str!("../../../examples/docs-example.json")).unwrap();
    match field.split_once('.') {
        Some((outer, inner)) => v[outer][inner] = value,
        None => v[field] = value,
    };
    v.to_string()
}

fn json_report(text: &str) -> Report {
    validate_json(text, None).report
}

#[test]
fn missing_fields() {
    let f = assert_error(
        &json_report(&docs_json_without("name")),
        "name",
        Code::Required,
        "name is required",
    );
    assert_detail(&f, NAME_HINT, None);
    let f = assert_error(
        &json_report(&docs_json_without("config_type")),
        "config_type",
        Code::Required,
        "config_type is required",
    );
    assert_detail(
        &f,
        "add \"config_type\": \"custom_credentials_configuration\"",
        None,
    );
    // The whole object is missing: one finding, not one per inner field.
    let f = assert_error(
        &json_report(&docs_json_without("code_engine")),
        "code_engine",
        Code::Required,
        "code_engine is required",
    );
    assert_detail(&f, "an object with job_name, project_id and region", None);
    for inner in ["job_name", "project_id", "region"] {
        let path = format!("code_engine.{inner}");
        assert_error(
            &json_report(&docs_json_without(&path)),
            &path,
            Code::Required,
            &format!("{path} is required"),
        );
    }
    assert_valid(&json_report(&docs_json_without("task_timeout")));
    assert_findings(
        &json_report(&docs_json_without("api_key_ref")),
        &[(
            "api_key_ref",
            Code::TrustedProfileRequired,
            "without api_key_ref the code engine job must authenticate with a trusted profile",
        )],
    );
}

#[test]
fn wrong_json_types() {
    use serde_json::json;
    let f = assert_error(
        &json_report(&docs_json_with("name", json!(5))),
        "name",
        Code::InvalidType,
        "name must be a string, not a number",
    );
    assert_detail(&f, "write it as a string: \"5\"", None);
    let f = assert_error(
        &json_report(&docs_json_with("code_engine.job_name", json!(["a"]))),
        "code_engine.job_name",
        Code::InvalidType,
        "code_engine.job_name must be a string, not an array",
    );
    assert_detail(&f, "code_engine.job_name must be a string", None);
    let f = assert_error(
        &json_report(&docs_json_with("task_timeout", json!(300))),
        "task_timeout",
        Code::InvalidType,
        "task_timeout must be a string or left out, not a number",
    );
    assert_detail(&f, "write it as a string: \"300\"", None);
    assert_error(
        &json_report(&docs_json_with("api_key_ref", json!(true))),
        "api_key_ref",
        Code::InvalidType,
        "api_key_ref must be a string or left out, not a boolean",
    );
    let f = assert_error(
        &json_report(&docs_json_with("code_engine", json!("job"))),
        "code_engine",
        Code::InvalidType,
        "code_engine must be a json object, not a string",
    );
    assert_detail(&f, "an object with job_name, project_id and region", None);
    assert_error(
        &json_report(&docs_json_with("config_type", json!({}))),
        "config_type",
        Code::InvalidType,
        "config_type must be a string, not an object",
    );
}

#[test]
fn null_fields() {
    use serde_json::Value;
    // Optional: null is a wrong type, and leaving the field out is the fix.
    let f = assert_error(
        &json_report(&docs_json_with("task_timeout", Value::Null)),
        "task_timeout",
        Code::InvalidType,
        "task_timeout must be a string or left out, not null",
    );
    assert_detail(&f, "leave the field out instead of sending null", None);
    // The type finding replaces the trusted-profile warning for the same field.
    let f = assert_error(
        &json_report(&docs_json_with("api_key_ref", Value::Null)),
        "api_key_ref",
        Code::InvalidType,
        "api_key_ref must be a string or left out, not null",
    );
    assert_detail(&f, "leave the field out instead of sending null", None);
    // Required: leaving it out is no fix.
    let f = assert_error(
        &json_report(&docs_json_with("name", Value::Null)),
        "name",
        Code::InvalidType,
        "name must be a string, not null",
    );
    assert_detail(&f, "name is required: write a string", None);
    let f = assert_error(
        &json_report(&docs_json_with("code_engine", Value::Null)),
        "code_engine",
        Code::InvalidType,
        "code_engine must be a json object, not null",
    );
    assert_detail(&f, "an object with job_name, project_id and region", None);
}

#[test]
fn unknown_fields() {
    use serde_json::json;
    let f = assert_error(
        &json_report(&docs_json_with("secret_group_id", json!("default"))),
        "secret_group_id",
        Code::UnknownField,
        "unknown field `secret_group_id`",
    );
    assert_detail(&f, TOP_FIELDS_HINT, None);
    let f = assert_error(
        &json_report(&docs_json_with("code_engine.image", json!("x"))),
        "code_engine.image",
        Code::UnknownField,
        "unknown field `image`",
    );
    assert_detail(
        &f,
        "the service knows only job_name, project_id, region",
        None,
    );
    let f = assert_error(
        &json_report(&docs_json_with("trusted_profile_id", json!("Profile-1"))),
        "trusted_profile_id",
        Code::UnknownField,
        "unknown field `trusted_profile_id`",
    );
    assert_detail(
        &f,
        "there is no trusted-profile field: leave out api_key_ref and give the job a trusted profile",
        None,
    );
    // A key with a quote and a newline is shown escaped, on one line.
    assert_error(
        &json_report(&docs_json_with("a\"b\nc", json!(1))),
        "a\"b\nc",
        Code::UnknownField,
        "unknown field `a\\\"b\\nc`",
    );
}

#[test]
fn other_config_types() {
    use serde_json::json;
    let f = assert_error(
        &json_report(&docs_json_with(
            "config_type",
            json!("iam_credentials_configuration"),
        )),
        "config_type",
        Code::UnsupportedConfigType,
        "config_type iam_credentials_configuration is not a custom credentials configuration",
    );
    assert_detail(&f, "use \"custom_credentials_configuration\"", None);
    assert_error(
        &json_report(&docs_json_with("config_type", json!("Custom"))),
        "config_type",
        Code::UnsupportedConfigType,
        "config_type `Custom` is not a configuration type",
    );
}

#[test]
fn malformed_json_has_a_span() {
    let text = "{\"name\": \"my_config\",}";
    let f = assert_error(
        &json_report(text),
        "",
        Code::InvalidJson,
        "malformed json: trailing comma at line 1 column 22",
    );
    // The span is the `}` after the trailing comma.
    assert_detail(
        &f,
        "a json object such as {\"name\": \"my_config\", ...}",
        Some((21, 22)),
    );
    assert_eq!(&text[21..22], "}");

    let text = "{\n  \"name\": \"x\"\n  \"code_engine\": {}\n}";
    let f = assert_error(
        &json_report(text),
        "",
        Code::InvalidJson,
        "malformed json: expected `,` or `}` at line 3 column 3",
    );
    let span = f.span.unwrap();
    assert_eq!(&text[span.start..span.end], "\"");
    assert_eq!(span.start, text.find("\"code_engine").unwrap());

    let f = assert_error(
        &json_report("{\"name\": \"my_conf"),
        "",
        Code::InvalidJson,
        "malformed json: end of input while parsing a string at line 1 column 17",
    );
    assert_detail(
        &f,
        "the text ends before the json does: is a `}` or `\"` missing?",
        Some((17, 17)),
    );
    let f = assert_error(
        &json_report(""),
        "",
        Code::InvalidJson,
        "malformed json: end of input while parsing a value at line 1 column 0",
    );
    assert_eq!(f.span, Some(Span::new(0, 0)));
}

#[test]
fn malformed_json_span_lands_on_a_character_boundary() {
    let text = "{\"name\": \"é\" é}";
    let report = json_report(text);
    let f = &report.findings()[0];
    assert_eq!(f.code, Code::InvalidJson);
    let span = f.span.unwrap();
    assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
    assert_eq!(&text[span.start..span.end], "é");
}

#[test]
fn invalid_utf8() {
    let bytes = b"{\"name\": \"my\xffconfig\"}";
    let parsed = validate_json_bytes(bytes, None);
    let f = assert_error(
        &parsed.report,
        "",
        Code::InvalidJson,
        "the body is not valid utf-8 (byte 12)",
    );
    assert_detail(&f, "save the file as utf-8", Some((12, 13)));
    assert_eq!(parsed.request, None);
    // A truncated multi-byte sequence at the end.
    let f = validate_json_bytes(b"{\"a\":\"\xc3", None)
        .report
        .findings()[0]
        .clone();
    assert_eq!(
        (f.message.as_str(), f.span),
        (
            "the body is not valid utf-8 (byte 6)",
            Some(Span::new(6, 7))
        )
    );
}

#[test]
fn the_body_must_be_an_object() {
    for (text, kind) in [
        ("[]", "an array"),
        ("null", "null"),
        ("\"my_config\"", "a string"),
        ("42", "a number"),
        ("true", "a boolean"),
    ] {
        let parsed = validate_json(text, None);
        let f = assert_error(
            &parsed.report,
            "",
            Code::InvalidType,
            &format!("the body must be a json object, not {kind}"),
        );
        assert_detail(
            &f,
            "a json object such as {\"name\": \"my_config\", ...}",
            None,
        );
        assert_eq!(parsed.request, None);
    }
    // With a target, the target is still checked.
    let parsed = validate_json("[]", Some(&target("mars")));
    assert_eq!(parsed.report.findings().len(), 2);
    assert_eq!(parsed.report.findings()[1].path, "target.region");
}

#[test]
fn the_request_is_read_as_far_as_possible() {
    let parsed = validate_json(
        r#"{"name":"ok_name","config_type":"custom_credentials_configuration","code_engine":{"job_name":7}}"#,
        None,
    );
    let Some(ConfigurationPrototype::CustomCredentialsConfiguration(c)) = &parsed.request else {
        panic!("no request: {parsed:?}");
    };
    assert_eq!(c.name, "ok_name");
    assert_eq!(c.code_engine, CodeEngine::default());
    assert!(parsed.valid().is_none());
    let parsed = validate_json(include_str!("../../../examples/docs-example.json"), None);
    assert_eq!(parsed.valid(), Some(docs_example().into()));
}

// ---------------------------------------------------------------- the update body

fn patch(text: &str) -> Report {
    validate_patch_json(text.as_bytes()).report
}

#[test]
fn patch_takes_only_task_timeout() {
    let parsed = validate_patch_json(br#"{"task_timeout":"30m"}"#);
    assert_valid(&parsed.report);
    assert_eq!(
        parsed.request.and_then(|p| p.task_timeout).as_deref(),
        Some("30m")
    );
    let f = assert_error(
        &patch(r#"{"task_timeout":"4m"}"#),
        "task_timeout",
        Code::OutOfRange,
        "task timeout 4m is below the minimum of 5 minutes",
    );
    assert_detail(&f, "use 5m (300 seconds) or more", Some((0, 2)));
    let f = assert_error(
        &patch("{}"),
        "task_timeout",
        Code::Required,
        "task_timeout is required",
    );
    assert_detail(
        &f,
        "the only field that can change, e.g. {\"task_timeout\": \"30m\"}",
        None,
    );
}

#[test]
fn typed_patch_reports_as_its_json() {
    for value in ["30m", "4m", "", "25h", "1.5h", "10 m", "86400s"] {
        let typed = validate_patch(&ConfigurationPatch {
            task_timeout: Some(value.to_owned()),
        });
        let json = patch(&format!(r#"{{"task_timeout":"{value}"}}"#));
        assert_eq!(typed, json, "task_timeout {value:?}");
    }
    assert_eq!(
        validate_patch(&ConfigurationPatch { task_timeout: None }),
        patch("{}")
    );
    assert!(!validate_patch(&ConfigurationPatch { task_timeout: None }).is_valid());
}

#[test]
fn patch_refuses_immutable_and_unknown_fields() {
    let report = patch(
        r#"{"name":"x","api_key_ref":null,"code_engine":{},"config_type":"c","task_timeout":"1h","color":"red"}"#,
    );
    assert_findings(
        &report,
        &[
            (
                "api_key_ref",
                Code::Immutable,
                "api_key_ref cannot change after creation",
            ),
            (
                "code_engine",
                Code::Immutable,
                "code_engine cannot change after creation",
            ),
            ("color", Code::UnknownField, "unknown field `color`"),
            (
                "config_type",
                Code::Immutable,
                "config_type cannot change after creation",
            ),
            ("name", Code::Immutable, "name cannot change after creation"),
        ],
    );
    assert_eq!(
        report.findings()[0].hint.as_deref(),
        Some("only task_timeout can change; create a new configuration for the rest")
    );
    assert_eq!(
        report.findings()[2].hint.as_deref(),
        Some("only task_timeout can change")
    );
}

#[test]
fn patch_wrong_types_and_text() {
    let f = assert_error(
        &patch(r#"{"task_timeout":null}"#),
        "task_timeout",
        Code::InvalidType,
        "task_timeout must be a string, not null",
    );
    assert_detail(
        &f,
        "the only field that can change, e.g. {\"task_timeout\": \"30m\"}",
        None,
    );
    assert_error(
        &patch(r#"{"task_timeout":1800}"#),
        "task_timeout",
        Code::InvalidType,
        "task_timeout must be a string, not a number",
    );
    assert_error(
        &patch("[]"),
        "",
        Code::InvalidType,
        "the body must be a json object, not an array",
    );
    assert_eq!(patch("{").findings()[0].code, Code::InvalidJson);
    assert_eq!(
        validate_patch_json(b"\xfe").report.findings()[0].message,
        "the body is not valid utf-8 (byte 0)"
    );
}

// ---------------------------------------------------------------- the target

#[test]
fn target_urls() {
    let t = Target::from_url(&format!(
        "https://{INSTANCE_ID}.eu-de.secrets-manager.appdomain.cloud"
    ))
    .unwrap();
    assert_eq!(t, Target::new(INSTANCE_ID, "eu-de", Endpoint::Public));
    for url in [
        format!("https://{INSTANCE_ID}.private.eu-de.secrets-manager.appdomain.cloud/"),
        format!("https://{INSTANCE_ID}.private.eu-de.secrets-manager.appdomain.cloud:443/api/v2"),
        format!(" https://{INSTANCE_ID}.private.eu-de.secrets-manager.appdomain.cloud?x=1\n"),
        format!("https://{INSTANCE_ID}.private.eu-de.secrets-manager.appdomain.cloud#top"),
    ] {
        assert_eq!(
            Target::from_url(&url),
            Ok(Target::new(INSTANCE_ID, "eu-de", Endpoint::Private)),
            "{url}"
        );
    }
    assert_eq!(
        t.base_url(),
        format!("https://{INSTANCE_ID}.eu-de.secrets-manager.appdomain.cloud")
    );
    assert_eq!(
        Target::new(INSTANCE_ID, "eu-de", Endpoint::Private).configurations_url(),
        format!(
            "https://{INSTANCE_ID}.private.eu-de.secrets-manager.appdomain.cloud/api/v2/configurations"
        )
    );
    assert_eq!(
        t.import_id("my_config"),
        format!("eu-de/{INSTANCE_ID}/my_config")
    );
}

#[test]
fn foreign_urls_are_refused() {
    for url in [
        "",
        "https://",
        "http://x.eu-de.secrets-manager.appdomain.cloud",
        "https://x.eu-de.secrets-manager.appdomain.cloud.evil.example",
        "https://x.eu-de.secrets-manager.appdomain.cloud@evil.example/",
        "https://x.eu-de.secrets-manager.appdomain.cloud:8443",
        "https://x.public.eu-de.secrets-manager.appdomain.cloud",
        "https://secrets-manager.appdomain.cloud",
        "https://x..secrets-manager.appdomain.cloud",
        "https://eu-de.secrets-manager.appdomain.cloud",
    ] {
        let err = Target::from_url(url).unwrap_err();
        assert_eq!(err, TargetError::Url(url.to_owned()));
        assert_eq!(
            err.to_string(),
            format!(
                "`{url}` is not a secrets manager instance url (https://<instance_id>[.private].<region>.secrets-manager.appdomain.cloud)"
            )
        );
    }
}

#[test]
fn endpoints() {
    assert_eq!("public".parse(), Ok(Endpoint::Public));
    assert_eq!("private".parse(), Ok(Endpoint::Private));
    let err = "Private".parse::<Endpoint>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "endpoint `Private` must be public or private"
    );
    assert_eq!(Endpoint::default(), Endpoint::Public);
}

// ---------------------------------------------------------------- the error container

#[test]
fn error_container_round_trip() {
    let body = r#"{"errors":[{"code":"configuration_already_exists","message":"a configuration named my_config exists","more_info":"https://cloud.ibm.com/apidocs/secrets-manager","target":{"type":"field","name":"name"}}],"trace":"3b8d","status_code":409}"#;
    let container: ErrorContainer = serde_json::from_str(body).unwrap();
    assert_eq!(container.status_code, Some(409));
    assert_eq!(container.errors.len(), 1);
    let e = ServiceError::parse(409, body);
    assert_eq!(e.errors, container.errors);
    assert_eq!(e.trace.as_deref(), Some("3b8d"));
    assert_eq!(e.raw, body);
    assert_eq!(e.message(), "a configuration named my_config exists");
    assert_eq!(serde_json::to_string(&container).unwrap(), body);
}

#[test]
fn service_errors_of_every_shape() {
    // Several errors, one as a bare string.
    let e = ServiceError::parse(
        400,
        r#"{"errors":[{"code":"a","message":"first"},"second"],"trace":"t"}"#,
    );
    let messages: Vec<&str> = e.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(messages, ["first", "second"]);
    // An entry with a code but no message keeps the code.
    let e = ServiceError::parse(400, r#"{"errors":[{"code":"bad_request"}]}"#);
    assert_eq!(
        (e.errors[0].code.as_str(), e.message()),
        ("bad_request", "bad_request")
    );
    // `transactionId` is IAM's trace.
    let e = ServiceError::parse(
        400,
        r#"{"errorCode":"BXNIM0415E","errorMessage":"provided api key could not be found","transactionId":"tx-1"}"#,
    );
    assert_eq!(
        (e.errors[0].code.as_str(), e.message(), e.trace.as_deref()),
        (
            "BXNIM0415E",
            "provided api key could not be found",
            Some("tx-1")
        )
    );
    // A JSON body of another shape: the text itself.
    assert_eq!(ServiceError::parse(500, "[1,2]").message(), "[1,2]");
    assert_eq!(
        ServiceError::parse(500, r#"{"errors":"boom"}"#).message(),
        r#"{"errors":"boom"}"#
    );
    assert_eq!(
        ServiceError::parse(500, "  \n").message(),
        "http status 500"
    );
    // A long body is cut at 500 characters (not bytes: no panic on a multi-byte one).
    let long = "é".repeat(600);
    let e = ServiceError::parse(502, &long);
    assert_eq!(e.message().chars().count(), 500);
    assert_eq!(e.raw, long);
    assert_eq!(e.status, 502);
}

// ---------------------------------------------------------------- report plumbing

#[test]
fn reports_render_for_people_and_machines() {
    let report = name("my config");
    assert_eq!(
        report.to_string(),
        "error[pattern] name: name may contain only letters, digits, `_`, `-` and `.`, not ` ` (bytes 2..3)\n  hint: use `_` or `-` instead of spaces\n"
    );
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(
        json,
        serde_json::json!([{
            "path": "name",
            "code": "pattern",
            "severity": "error",
            "message": "name may contain only letters, digits, `_`, `-` and `.`, not ` `",
            "hint": "use `_` or `-` instead of spaces",
            "span": {"start": 2, "end": 3}
        }])
    );
    let back: Report = serde_json::from_value(json).unwrap();
    assert_eq!(back, report);
    let body = json_report("[]").findings()[0].clone();
    assert!(body.to_string().starts_with("error[invalid_type] (body): "));
}
