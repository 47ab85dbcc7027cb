//! Rule: a lower-case UUID, 8-4-4-4-12 hex digits (36 characters). Version bits are not
//! checked (see [`crate::limits::UUID_LEN`]).

use super::length;
use crate::limits::UUID_LEN;
use crate::report::{Code, Finding, Report, Span};

const HYPHENS: [usize; 4] = [8, 13, 18, 23];

/// Checks that `value` is a lower-case UUID; `example` is shown in hints.
pub(crate) fn check(report: &mut Report, path: &str, value: &str, example: &str) {
    // Built only when there is a finding: the valid path allocates nothing.
    let hint = || format!("36 lower-case hex digits and hyphens, e.g. {example}");
    if let Some(finding) = length::check(path, value, UUID_LEN, UUID_LEN) {
        report.push(finding.with_hint(hint()));
        return;
    }
    for (at, c) in value.char_indices() {
        let span = Span::new(at, at + c.len_utf8());
        let finding = if HYPHENS.contains(&at) {
            (c != '-').then(|| {
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
            })
        } else if c.is_ascii_digit() || ('a'..='f').contains(&c) {
            None
        } else if c == '-' {
            Some(
                Finding::error(
                    path,
                    Code::Pattern,
                    format!("{path} needs a hex digit at character {}, not `-`", at + 1),
                )
                .with_hint(hint()),
            )
        } else if ('A'..='F').contains(&c) {
            Some(
                Finding::error(path, Code::Pattern, format!("{path} must be lower case"))
                    .with_hint(format!("write `{}`", value.to_ascii_lowercase())),
            )
        } else {
            Some(
                Finding::error(
                    path,
                    Code::Pattern,
                    format!(
                        "{path} may contain only hex digits and `-`, not `{}`",
                        c.escape_debug()
                    ),
                )
                .with_hint(hint()),
            )
        };
        if let Some(finding) = finding {
            report.push(finding.with_span(span));
            return;
        }
    }
}
