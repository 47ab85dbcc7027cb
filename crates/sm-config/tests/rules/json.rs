//! Raw JSON: types, unknown fields, invalid text.

use super::*;

fn docs_json_without(field: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(DOCS_EXAMPLE_JSON).unwrap();
    match field.split_once('.') {
        Some((outer, inner)) => v[outer].as_object_mut().unwrap().remove(inner),
        None => v.as_object_mut().unwrap().remove(field),
    };
    v.to_string()
}

fn docs_json_with(field: &str, value: serde_json::Value) -> String {
    let mut v: serde_json::Value = serde_json::from_str(DOCS_EXAMPLE_JSON).unwrap();
    match field.split_once('.') {
        Some((outer, inner)) => v[outer][inner] = value,
        None => v[field] = value,
    };
    v.to_string()
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
    let parsed = validate_json(DOCS_EXAMPLE_JSON, None);
    assert_eq!(parsed.valid(), Some(docs_example().into()));
}
