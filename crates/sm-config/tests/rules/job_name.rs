//! `code_engine.job_name`: length and characters.

use super::*;

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
