//! Human-readable findings: a summary line per input, then each finding with a caret under
//! the part of the value it is about, and its hint.

use crate::input::Input;
use serde_json::Value;
use sm_config::FieldPath;
use sm_config::{Finding, Report, Target};
use std::io::{self, Write};

/// How many characters of a value are shown around a span; longer values are cut with `…`.
const WINDOW: usize = 60;

/// Writes the summary line and every finding of `report` about `input`.
pub fn write(
    out: &mut impl Write,
    input: &Input,
    target: Option<&Target>,
    report: &Report,
) -> io::Result<()> {
    writeln!(out, "{}: {}", input.name, summary(report))?;
    write_findings(out, input, target, report)
}

/// Writes every finding of `report` about `input`, without the summary line.
pub fn write_findings(
    out: &mut impl Write,
    input: &Input,
    target: Option<&Target>,
    report: &Report,
) -> io::Result<()> {
    let body: Option<Value> = input.text().and_then(|t| serde_json::from_str(t).ok());
    for finding in report.findings() {
        write_finding(out, finding, input, body.as_ref(), target)?;
    }
    Ok(())
}

/// `valid`, `valid, 1 warning`, `invalid: 2 errors, 1 warning`.
pub fn summary(report: &Report) -> String {
    let errors = report.errors().count();
    let warnings = report.warnings().count();
    let warnings_text = plural(warnings, "warning");
    match (errors, warnings) {
        (0, 0) => "valid".to_owned(),
        (0, _) => format!("valid, {warnings_text}"),
        (_, 0) => format!("invalid, {}", plural(errors, "error")),
        _ => format!("invalid, {}, {warnings_text}", plural(errors, "error")),
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn write_finding(
    out: &mut impl Write,
    finding: &Finding,
    input: &Input,
    body: Option<&Value>,
    target: Option<&Target>,
) -> io::Result<()> {
    let severity = finding.severity.as_str();
    let path = if finding.path.is_empty() {
        "(body)"
    } else {
        &finding.path
    };
    writeln!(
        out,
        "  {severity}[{}] {path}: {}",
        finding.code, finding.message
    )?;
    if let Some(span) = finding.span {
        let snippet = if finding.path.is_empty() {
            input
                .text()
                .and_then(|t| text_snippet(t, span.start, span.end))
        } else {
            value_at(&finding.path, body, target)
                .map(|v| caret_lines(v, span.start, span.end, None))
        };
        if let Some(lines) = snippet {
            for line in lines {
                writeln!(out, "      | {line}")?;
            }
        }
    }
    if let Some(hint) = &finding.hint {
        writeln!(out, "      = hint: {hint}")?;
    }
    Ok(())
}

/// The string at a wire path: `target.*` from the target, everything else from the body.
fn value_at<'a>(
    path: &str,
    body: Option<&'a Value>,
    target: Option<&'a Target>,
) -> Option<&'a str> {
    match FieldPath::from_wire(path) {
        Some(FieldPath::InstanceId) => target.map(|t| t.instance_id.as_str()),
        Some(FieldPath::TargetRegion) => target.map(|t| t.region.as_str()),
        _ => path
            .split('.')
            .try_fold(body?, |value, key| value.get(key))?
            .as_str(),
    }
}

/// The line of `text` holding byte `start`, with its number, and a caret line.
fn text_snippet(text: &str, start: usize, end: usize) -> Option<Vec<String>> {
    let start = start.min(text.len());
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text
        .get(start..)?
        .find('\n')
        .map_or(text.len(), |i| start + i);
    let line = text.get(line_start..line_end)?;
    let number = text.get(..line_start)?.matches('\n').count() + 1;
    let end = end.clamp(start, line_end);
    Some(caret_lines(
        line,
        start - line_start,
        end - line_start,
        Some(number),
    ))
}

/// `value` (control characters escaped, long values cut around the span) and a line of
/// carets under bytes `start..end`; an empty span gets one caret where it points.
fn caret_lines(value: &str, start: usize, end: usize, line: Option<usize>) -> Vec<String> {
    let mut shown = Vec::new();
    let (mut from, mut to) = (None, None);
    for (at, c) in value.char_indices() {
        if from.is_none() && at >= start {
            from = Some(shown.len());
        }
        if to.is_none() && at >= end {
            to = Some(shown.len());
        }
        if c.is_control() {
            shown.extend(c.escape_default().map(String::from));
        } else {
            shown.push(c.to_string());
        }
    }
    let from = from.unwrap_or(shown.len());
    let to = to.unwrap_or(shown.len()).max(from + 1);
    let first = from.saturating_sub(WINDOW / 3).min(shown.len());
    let last = (first + WINDOW).max(to).min(shown.len());
    let prefix = if first > 0 { "…" } else { "" };
    let suffix = if last < shown.len() { "…" } else { "" };
    let label = line.map(|n| format!("line {n}: ")).unwrap_or_default();
    let text: String = shown.get(first..last).unwrap_or_default().concat();
    let pad = label.chars().count() + prefix.chars().count() + (from - first);
    vec![
        format!("{label}{prefix}{text}{suffix}"),
        format!("{}{}", " ".repeat(pad), "^".repeat(to - from)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carets_sit_under_the_span() {
        assert_eq!(caret_lines("my job", 2, 3, None), ["my job", "  ^"]);
        assert_eq!(caret_lines("abc", 3, 3, None), ["abc", "   ^"]);
    }

    #[test]
    fn control_characters_are_escaped_and_carets_follow() {
        assert_eq!(caret_lines("a\nb!", 3, 4, None), ["a\\nb!", "    ^"]);
        assert_eq!(caret_lines("a\tb", 1, 2, None), ["a\\tb", " ^^"]);
    }

    #[test]
    fn non_ascii_counts_as_one_column() {
        assert_eq!(caret_lines("café!", 5, 6, None), ["café!", "    ^"]);
    }

    #[test]
    fn long_values_are_cut_around_the_span() {
        let value = format!("{}!{}", "a".repeat(200), "b".repeat(200));
        let [shown, carets] = <[String; 2]>::try_from(caret_lines(&value, 200, 201, None)).unwrap();
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert_eq!(shown.chars().nth(carets.len() - 1), Some('!'));
    }

    #[test]
    fn json_errors_show_their_line() {
        let text = "{\n  \"name\": x\n}";
        let at = text.find('x').unwrap();
        assert_eq!(
            text_snippet(text, at, at + 1).unwrap(),
            ["line 2:   \"name\": x", "                  ^"]
        );
    }

    #[test]
    fn paths_find_nested_strings() {
        let body: Value = serde_json::json!({"code_engine": {"job_name": "j"}, "name": 3});
        assert_eq!(
            value_at("code_engine.job_name", Some(&body), None),
            Some("j")
        );
        assert_eq!(value_at("name", Some(&body), None), None);
        assert_eq!(value_at("code_engine.region", Some(&body), None), None);
        let target = Target::placeholder();
        assert_eq!(
            value_at("target.region", None, Some(&target)),
            Some("us-south")
        );
    }
}
