//! Rule: the configuration name.
//!
//! The published regex `^[A-Za-z0-9_][A-Za-z0-9_]*(?:_*-*\.*[A-Za-z0-9]*)*[A-Za-z0-9]+$`
//! **\[S\]** accepts exactly the strings of `^[A-Za-z0-9_][A-Za-z0-9_.-]*[A-Za-z0-9]$`: that simple
//! form is checked here, character by character (the published one backtracks badly).

use super::{length, required};
use crate::limits::{NAME_MAX_LEN, NAME_MIN_LEN};
use crate::report::{Code, Finding, Report, Span};

/// The hint, its bounds from `limits.rs` (built only for a finding: a valid name allocates
/// nothing).
fn hint() -> String {
    format!("{NAME_MIN_LEN} to {NAME_MAX_LEN} letters, digits, `_`, `-` or `.`, e.g. my_config")
}

/// Checks `name`.
pub(crate) fn check(report: &mut Report, path: &str, value: &str) {
    if value.is_empty() {
        required::check(report, path, value, &hint());
        return;
    }
    report.extend(length::check(path, value, NAME_MIN_LEN, NAME_MAX_LEN));
    report.extend(pattern(path, value));
}

fn pattern(path: &str, value: &str) -> Option<Finding> {
    let allowed = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.');
    // Byte by byte: the first byte not allowed starts a character (all before it are ASCII).
    if let Some(at) = value.bytes().position(|b| !allowed(b))
        && let Some(c) = value[at..].chars().next()
    {
        let hint = if c.is_whitespace() {
            "use `_` or `-` instead of spaces".to_owned()
        } else {
            format!("remove `{}`; {}", c.escape_debug(), hint())
        };
        return Some(
            Finding::error(
                path,
                Code::Pattern,
                format!(
                    "{path} may contain only letters, digits, `_`, `-` and `.`, not `{}`",
                    c.escape_debug()
                ),
            )
            .with_hint(hint)
            .with_span(Span::new(at, at + c.len_utf8())),
        );
    }
    // Only ASCII is left, so byte offsets are character offsets.
    let first = value.chars().next()?;
    if !(first.is_ascii_alphanumeric() || first == '_') {
        return Some(
            Finding::error(
                path,
                Code::Pattern,
                format!("{path} must start with a letter, a digit or `_`, not `{first}`"),
            )
            .with_hint(hint())
            .with_span(Span::new(0, 1)),
        );
    }
    let last = value.chars().next_back()?;
    if !last.is_ascii_alphanumeric() {
        let end = value.len();
        return Some(
            Finding::error(
                path,
                Code::Pattern,
                format!("{path} must end with a letter or a digit, not `{last}`"),
            )
            .with_hint(hint())
            .with_span(Span::new(end - 1, end)),
        );
    }
    None
}
