//! Rule: a lower-case UUID, 8-4-4-4-12 hex digits (36 characters). Version bits are not
//! checked (see [`crate::limits::UUID_LEN`]).

use super::length;
use crate::limits::UUID_LEN;
use crate::report::{Code, Finding, Report, Span};

/// Where the hyphens stand (a `match`, not a slice: this runs for every character).
fn hyphen_at(at: usize) -> bool {
    matches!(at, 8 | 13 | 18 | 23)
}

/// Whether every byte is in place (the rule's valid case, decided without counting characters).
fn uuid_bytes(bytes: &[u8]) -> bool {
    if bytes.len() != UUID_LEN {
        return false;
    }
    let mut at = 0;
    while at < UUID_LEN {
        let b = bytes[at];
        let ok = if hyphen_at(at) {
            b == b'-'
        } else {
            b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
        };
        if !ok {
            return false;
        }
        at += 1;
    }
    true
}

/// Whether `value` is a lower-case UUID (8-4-4-4-12 hex digits): the shape of instance,
/// secret and secret group IDs. The one copy of the rule: the validator, the secret settings,
/// the emulator and its world files use it.
///
/// ```
/// assert!(sm_config::is_uuid("0b7e3c9a-5d1f-4e2a-8c6b-9d0e1f2a3b4c"));
/// assert!(!sm_config::is_uuid("0B7E3C9A-5D1F-4E2A-8C6B-9D0E1F2A3B4C"));
/// ```
pub fn is_uuid(value: &str) -> bool {
    uuid_bytes(value.as_bytes())
}

/// Checks that `value` is a lower-case UUID; `example` is shown in hints.
pub(crate) fn check(report: &mut Report, path: &str, value: &str, example: &str) {
    // Built only when there is a finding: the valid path allocates nothing.
    if uuid_bytes(value.as_bytes()) {
        return;
    }
    let hint = || format!("{UUID_LEN} lower-case hex digits and hyphens, e.g. {example}");
    if let Some(finding) = length::check(path, value, UUID_LEN, UUID_LEN) {
        report.push(finding.with_hint(hint()));
        return;
    }
    // The first byte out of place, found byte by byte; everything before it is ASCII, so it
    // starts a character and byte offsets are character offsets.
    let out_of_place = |(at, b): &(usize, u8)| {
        if hyphen_at(*at) {
            *b != b'-'
        } else {
            !(b.is_ascii_digit() || (b'a'..=b'f').contains(b))
        }
    };
    let Some((at, _)) = value.bytes().enumerate().find(out_of_place) else {
        return;
    };
    let Some(c) = value[at..].chars().next() else {
        return;
    };
    let span = Span::new(at, at + c.len_utf8());
    let finding = if hyphen_at(at) {
        Finding::error(
            path,
            Code::Pattern,
            format!(
                "{path} needs `-` at character {}, not `{}`",
                at + 1,
                c.escape_debug()
            ),
        )
        .with_hint(hint())
    } else if c == '-' {
        Finding::error(
            path,
            Code::Pattern,
            format!("{path} needs a hex digit at character {}, not `-`", at + 1),
        )
        .with_hint(hint())
    } else if ('A'..='F').contains(&c) {
        Finding::error(path, Code::Pattern, format!("{path} must be lower case"))
            .with_hint(format!("write `{}`", value.to_ascii_lowercase()))
    } else {
        Finding::error(
            path,
            Code::Pattern,
            format!(
                "{path} may contain only hex digits and `-`, not `{}`",
                c.escape_debug()
            ),
        )
        .with_hint(hint())
    };
    report.push(finding.with_span(span));
}
