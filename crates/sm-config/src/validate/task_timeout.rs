//! Rule: `task_timeout`, by [`crate::TaskTimeout`]'s parser.

use crate::field::FieldPath;
use crate::report::{Finding, Report};
use crate::task_timeout::TaskTimeout;

/// Checks an optional task timeout.
pub(crate) fn check(report: &mut Report, path: FieldPath, value: Option<&str>) {
    let Some(value) = value else { return };
    if let Err(e) = TaskTimeout::check(value) {
        report.push(
            Finding::error(path, e.code(), e.to_string())
                .with_hint(e.hint())
                .with_span(e.span()),
        );
    }
}
