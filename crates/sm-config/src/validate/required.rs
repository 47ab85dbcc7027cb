//! Rule: a required field is present and not empty.

use crate::report::{Code, Finding, Report};

/// Reports `required` when `value` is empty; returns whether it is present.
pub(crate) fn check(report: &mut Report, path: &str, value: &str, hint: &str) -> bool {
    if value.is_empty() {
        report.push(
            Finding::error(path, Code::Required, format!("{path} is required")).with_hint(hint),
        );
        false
    } else {
        true
    }
}
