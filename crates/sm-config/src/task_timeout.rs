//! `task_timeout`: how long one task of the Code Engine job may run.
//!
//! The published pattern is `^[0-9]+[s,m,h,d]{0,1}$` with 1–6 characters **\[S\]**; the comma in
//! the class is a typo, so `^[0-9]+[smhd]?$` is accepted **\[P\]**. A bare integer is seconds
//! **\[S\]**. The range is 5 minutes to 24 hours, both inclusive **\[P\]**. The text is kept as
//! written, because the service echoes it unchanged (`"3h"` stays `"3h"`).

use crate::limits::{
    TASK_TIMEOUT_DEFAULT, TASK_TIMEOUT_MAX_HOURS, TASK_TIMEOUT_MAX_IN, TASK_TIMEOUT_MAX_LEN,
    TASK_TIMEOUT_MAX_SECONDS, TASK_TIMEOUT_MIN_MINUTES, TASK_TIMEOUT_MIN_SECONDS,
    TASK_TIMEOUT_MIN_SECONDS_32,
};
use crate::report::{Code, Span};
use std::fmt;
use std::ops::Range;
use std::str::FromStr;

/// A valid task timeout, with the text as written and its length in seconds.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TaskTimeout {
    text: String,
    seconds: u64,
}

impl TaskTimeout {
    /// Parses and range-checks a task timeout: a whole number then one unit of `s`, `m`, `h` or
    /// `d` (a bare number is seconds), from 5 minutes to 24 hours. The text is kept as written.
    ///
    /// ```
    /// use sm_config::{Code, TaskTimeout};
    ///
    /// let t = TaskTimeout::parse("90m").unwrap();
    /// assert_eq!((t.as_str(), t.seconds()), ("90m", 5400));
    ///
    /// // An error says what is wrong, where (byte offsets), and how to fix it.
    /// let e = TaskTimeout::parse("1.5h").unwrap_err();
    /// assert_eq!(e.to_string(), "task timeout must be a whole number");
    /// assert_eq!(e.code(), Code::Pattern);
    /// assert_eq!((e.span().start, e.span().end), (1, 2));
    /// assert_eq!(e.hint(), "use a smaller unit, e.g. 90m instead of 1.5h");
    /// ```
    pub fn parse(text: &str) -> Result<TaskTimeout, TaskTimeoutError> {
        Ok(TaskTimeout {
            seconds: TaskTimeout::check(text)?,
            text: text.to_owned(),
        })
    }

    /// What [`TaskTimeout::parse`] checks, without keeping the text: the validation rule's
    /// entry, so a valid timeout costs no allocation.
    pub(crate) fn check(text: &str) -> Result<u64, TaskTimeoutError> {
        let seconds = parse_seconds(text)?;
        if seconds < TASK_TIMEOUT_MIN_SECONDS {
            return Err(TaskTimeoutError::new(
                ErrorKind::BelowMinimum(text.to_owned()),
                0..text.len(),
            ));
        }
        if seconds > TASK_TIMEOUT_MAX_SECONDS {
            return Err(TaskTimeoutError::new(
                ErrorKind::AboveMaximum(text.to_owned()),
                0..text.len(),
            ));
        }
        Ok(seconds)
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The length in seconds.
    pub fn seconds(&self) -> u64 {
        self.seconds
    }
}

impl FromStr for TaskTimeout {
    type Err = TaskTimeoutError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TaskTimeout::parse(s)
    }
}

impl fmt::Display for TaskTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl serde::Serialize for TaskTimeout {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for TaskTimeout {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        TaskTimeout::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Why a task timeout is not valid, with where in the text and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct TaskTimeoutError {
    kind: ErrorKind,
    span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum ErrorKind {
    #[error("task timeout is empty")]
    Empty,
    #[error("task timeout has {0} characters, at most {TASK_TIMEOUT_MAX_LEN} are allowed")]
    TooLong(usize),
    #[error("task timeout must start with a number")]
    NoNumber,
    #[error("unit `{0}` must be lower case")]
    UpperCaseUnit(char),
    #[error("task timeout must be a whole number")]
    Fraction,
    #[error("unexpected character `{0}` in task timeout")]
    InvalidChar(char),
    #[error("unexpected `{0}` after the unit")]
    AfterUnit(char),
    #[error("task timeout {0} is below the minimum of {TASK_TIMEOUT_MIN_MINUTES} minutes")]
    BelowMinimum(String),
    #[error("task timeout {0} is above the maximum of {TASK_TIMEOUT_MAX_HOURS} hours")]
    AboveMaximum(String),
}

impl TaskTimeoutError {
    fn new(kind: ErrorKind, span: Range<usize>) -> TaskTimeoutError {
        TaskTimeoutError { kind, span }
    }

    /// Byte offsets of the offending part of the text.
    pub fn span(&self) -> Span {
        Span::new(self.span.start, self.span.end)
    }

    /// The validation code this error is reported under.
    pub fn code(&self) -> Code {
        match self.kind {
            ErrorKind::Empty => Code::Required,
            ErrorKind::TooLong(_) => Code::TooLong,
            ErrorKind::BelowMinimum(_) | ErrorKind::AboveMaximum(_) => Code::OutOfRange,
            _ => Code::Pattern,
        }
    }

    /// How to fix it.
    pub fn hint(&self) -> String {
        match &self.kind {
            ErrorKind::Empty => {
                format!("leave it out for the default {TASK_TIMEOUT_DEFAULT}, or write e.g. 30m")
            }
            ErrorKind::TooLong(_) => "use a larger unit, e.g. 90m instead of 5400s".into(),
            ErrorKind::NoNumber => "write a number, then s, m, h or d, e.g. 10m".into(),
            ErrorKind::UpperCaseUnit(c) => {
                format!(
                    "write `{}`, e.g. 10{}",
                    c.to_ascii_lowercase(),
                    c.to_ascii_lowercase()
                )
            }
            ErrorKind::Fraction => "use a smaller unit, e.g. 90m instead of 1.5h".into(),
            ErrorKind::InvalidChar(_) | ErrorKind::AfterUnit(_) => {
                "a number then one unit of s, m, h or d, e.g. 10m".into()
            }
            ErrorKind::BelowMinimum(text) if !text.ends_with(['s', 'm', 'h', 'd']) => {
                "a bare number is seconds: a unit is needed, e.g. 10m".into()
            }
            ErrorKind::BelowMinimum(_) => format!(
                "use {TASK_TIMEOUT_MIN_MINUTES}m ({TASK_TIMEOUT_MIN_SECONDS_32} seconds) or more"
            ),
            ErrorKind::AboveMaximum(_) => {
                let (days, minutes, seconds) = TASK_TIMEOUT_MAX_IN;
                format!(
                    "use {TASK_TIMEOUT_MAX_HOURS}h ({days}d, {minutes}m, {seconds} seconds) or less"
                )
            }
        }
    }
}

fn parse_seconds(text: &str) -> Result<u64, TaskTimeoutError> {
    if text.is_empty() {
        return Err(TaskTimeoutError::new(ErrorKind::Empty, 0..0));
    }
    let chars = text.chars().count();
    if chars > TASK_TIMEOUT_MAX_LEN {
        return Err(TaskTimeoutError::new(
            ErrorKind::TooLong(chars),
            0..text.len(),
        ));
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let mut rest = text[digits..].char_indices();
    let multiplier = match rest.next() {
        None => 1,
        Some((i, c)) => {
            let at = digits + i;
            let span = at..at + c.len_utf8();
            let multiplier = match c {
                's' => 1,
                'm' => 60,
                'h' => 60 * 60,
                'd' => 24 * 60 * 60,
                _ if digits == 0 && c.is_alphabetic() => {
                    return Err(TaskTimeoutError::new(ErrorKind::NoNumber, span));
                }
                'S' | 'M' | 'H' | 'D' => {
                    return Err(TaskTimeoutError::new(ErrorKind::UpperCaseUnit(c), span));
                }
                '.' | ','
                    if digits > 0 && text[at + 1..].starts_with(|c: char| c.is_ascii_digit()) =>
                {
                    return Err(TaskTimeoutError::new(ErrorKind::Fraction, span));
                }
                _ => return Err(TaskTimeoutError::new(ErrorKind::InvalidChar(c), span)),
            };
            if digits == 0 {
                return Err(TaskTimeoutError::new(ErrorKind::NoNumber, span));
            }
            if let Some((j, c)) = rest.next() {
                let at = digits + j;
                return Err(TaskTimeoutError::new(
                    ErrorKind::AfterUnit(c),
                    at..at + c.len_utf8(),
                ));
            }
            multiplier
        }
    };
    // At most 6 ASCII digits: the number fits, and the product cannot overflow a u64.
    let number: u64 = text[..digits].parse().unwrap_or(0);
    Ok(number * multiplier)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_text_and_counts_seconds() {
        let t = TaskTimeout::parse("3h").unwrap();
        assert_eq!((t.as_str(), t.seconds()), ("3h", 10_800));
        assert_eq!(TaskTimeout::parse("300").unwrap().seconds(), 300);
        assert_eq!(TaskTimeout::parse("1d").unwrap().seconds(), 86_400);
    }
}
