//! Rule: a value's length in characters lies between a minimum and a maximum.

use crate::report::{Code, Finding};

/// The finding when `value` has fewer than `min` or more than `max` characters.
pub(crate) fn check(path: &str, value: &str, min: usize, max: usize) -> Option<Finding> {
    let count = value.chars().count();
    if count < min {
        Some(Finding::error(
            path,
            Code::TooShort,
            format!(
                "{path} has {count} {}, at least {min} are needed",
                plural(count)
            ),
        ))
    } else if count > max {
        Some(Finding::error(
            path,
            Code::TooLong,
            format!(
                "{path} has {count} {}, at most {max} are allowed",
                plural(count)
            ),
        ))
    } else {
        None
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        "character"
    } else {
        "characters"
    }
}
