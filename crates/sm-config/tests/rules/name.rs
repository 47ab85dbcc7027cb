//! The configuration's name: length and characters.

use super::*;

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
