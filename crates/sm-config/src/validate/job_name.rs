//! Rule: the Code Engine job name, by Code Engine's own rule **\[P\]**: 1–63 characters,
//! `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`.

use super::{length, required};
use crate::limits::JOB_NAME_MAX_LEN;
use crate::report::{Code, Finding, Report, Span};

const HINT: &str = "lower-case letters, digits and `-`, e.g. my-credentials-job";

/// Checks `code_engine.job_name`.
pub(crate) fn check(report: &mut Report, path: &str, value: &str) {
    if !required::check(report, path, value, HINT) {
        return;
    }
    report.extend(length::check(path, value, 1, JOB_NAME_MAX_LEN));
    report.extend(pattern(path, value));
}

fn pattern(path: &str, value: &str) -> Option<Finding> {
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    // Byte by byte: the first byte not allowed starts a character (all before it are ASCII).
    if let Some(at) = value.bytes().position(|b| !allowed(char::from(b)))
        && let Some(c) = value[at..].chars().next()
    {
        let lower = value.to_ascii_lowercase();
        // Suggest the lower-case name only when it would be valid: `My_Job` → `my_job` is not.
        let hint = if c.is_ascii_uppercase() && lower.chars().all(allowed) && !is_edge_dash(&lower)
        {
            format!("code engine job names are lower case: `{lower}`")
        } else {
            HINT.to_owned()
        };
        return Some(
            Finding::error(
                path,
                Code::Pattern,
                format!(
                    "{path} may contain only lower-case letters, digits and `-`, not `{}`",
                    c.escape_debug()
                ),
            )
            .with_hint(hint)
            .with_span(Span::new(at, at + c.len_utf8())),
        );
    }
    if value.starts_with('-') {
        return Some(
            Finding::error(
                path,
                Code::Pattern,
                format!("{path} must not start with `-`"),
            )
            .with_hint(HINT)
            .with_span(Span::new(0, 1)),
        );
    }
    if value.ends_with('-') {
        let end = value.len();
        return Some(
            Finding::error(path, Code::Pattern, format!("{path} must not end with `-`"))
                .with_hint(HINT)
                .with_span(Span::new(end - 1, end)),
        );
    }
    None
}

fn is_edge_dash(value: &str) -> bool {
    value.starts_with('-') || value.ends_with('-')
}
