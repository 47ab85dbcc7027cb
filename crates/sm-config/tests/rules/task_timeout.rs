//! `task_timeout`: syntax and bounds.

use super::*;

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
