//! The update (PATCH) body.

use super::*;

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

/// An update cannot empty the task timeout (leaving it out of a patch changes nothing): the
/// hint says to write the default out, not to leave the field out as for a create.
#[test]
fn patch_refuses_an_empty_task_timeout_and_says_to_write_the_default() {
    for report in [
        patch(r#"{"task_timeout":""}"#),
        validate_patch(&ConfigurationPatch {
            task_timeout: Some(String::new()),
        }),
    ] {
        let f = assert_error(
            &report,
            "task_timeout",
            Code::Required,
            "task timeout is empty",
        );
        assert_detail(
            &f,
            "an update cannot empty it: write the default, 10m, to go back to it",
            Some((0, 0)),
        );
    }
}
