//! `api_key_ref` and `code_engine.project_id`: lower-case UUIDs.

use super::*;

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
