//! Rule: `task_timeout`, by [`crate::TaskTimeout`]'s parser.

use crate::field::FieldPath;
use crate::limits::TASK_TIMEOUT_DEFAULT;
use crate::report::{Finding, Report};
use crate::task_timeout::TaskTimeout;

/// Checks an optional task timeout.
pub(crate) fn check(report: &mut Report, path: &str, value: Option<&str>) {
    let Some(value) = value else { return };
    if let Err(e) = TaskTimeout::check(value) {
        report.push(
            Finding::error(path, e.code(), e.to_string())
                .with_hint(e.hint())
                .with_span(e.span()),
        );
    }
}

/// Checks the task timeout of an update. As [`check`], but an empty one gets its own hint:
/// leaving the field out of a patch changes nothing, so the default has to be written out.
pub(crate) fn check_patch(report: &mut Report, value: &str) {
    if let Err(e) = TaskTimeout::check(value) {
        let hint = if value.is_empty() {
            format!(
                "an update cannot empty it: write the default, {TASK_TIMEOUT_DEFAULT}, to go back to it"
            )
        } else {
            e.hint()
        };
        report.push(
            Finding::error(FieldPath::TaskTimeout.as_str(), e.code(), e.to_string())
                .with_hint(hint)
                .with_span(e.span()),
        );
    }
}
