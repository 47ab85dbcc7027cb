//! Where a field's value stands in a JSON body, so that findings about a body's fields get a
//! line and a column like Terraform's. serde_json keeps no positions; this walks the text,
//! following only the members on the path and skipping the rest without building them.

use crate::report::Span;

/// The span of the value at `path` (object keys joined by `.`, as the report's paths) in the
/// JSON `text`, and where a string value's characters start when they stand verbatim (no
/// escapes), so that an offset into the value is an offset from there. `None` when the path is
/// not in the text (or the text is not a JSON object there).
pub fn json_value_span(text: &str, path: &str) -> Option<(Span, Option<usize>)> {
    let bytes = text.as_bytes();
    let mut at = skip_ws(bytes, bom(bytes));
    let mut segments = path.split('.').peekable();
    while let Some(key) = segments.next() {
        at = member(text, at, key)?;
        let end = skip_value(bytes, at)?;
        if segments.peek().is_none() {
            let verbatim = (bytes[at] == b'"' && !text[at..end].contains('\\')).then_some(at + 1);
            return Some((Span::new(at, end), verbatim));
        }
    }
    None
}

fn bom(bytes: &[u8]) -> usize {
    if bytes.starts_with("\u{feff}".as_bytes()) {
        3
    } else {
        0
    }
}

fn skip_ws(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && matches!(bytes[at], b' ' | b'\t' | b'\r' | b'\n') {
        at += 1;
    }
    at
}

/// In the object starting at `at`, where the value of member `key` starts (the last one when
/// the key repeats, as serde_json keeps it).
fn member(text: &str, at: usize, key: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    if bytes.get(at) != Some(&b'{') {
        return None;
    }
    let mut at = skip_ws(bytes, at + 1);
    let mut found = None;
    while bytes.get(at) == Some(&b'"') {
        let key_end = skip_string(bytes, at)?;
        let raw = &text[at..key_end];
        let matches = if raw.contains('\\') {
            serde_json::from_str::<String>(raw).is_ok_and(|k| k == key)
        } else {
            &raw[1..raw.len() - 1] == key
        };
        at = skip_ws(bytes, key_end);
        if bytes.get(at) != Some(&b':') {
            return None;
        }
        at = skip_ws(bytes, at + 1);
        if matches {
            found = Some(at);
        }
        at = skip_ws(bytes, skip_value(bytes, at)?);
        match bytes.get(at) {
            Some(b',') => at = skip_ws(bytes, at + 1),
            _ => break,
        }
    }
    found
}

/// One past the closing quote of the string starting at `at`.
fn skip_string(bytes: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// One past the end of the value starting at `at`.
fn skip_value(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at)? {
        b'"' => skip_string(bytes, at),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = at;
            while i < bytes.len() {
                match bytes[i] {
                    b'"' => {
                        i = skip_string(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            None
        }
        _ => {
            let mut i = at;
            while i < bytes.len()
                && !matches!(bytes[i], b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n')
            {
                i += 1;
            }
            (i > at).then_some(i)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at<'a>(text: &'a str, path: &str) -> Option<(&'a str, Option<&'a str>)> {
        json_value_span(text, path)
            .map(|(s, v)| (&text[s.start..s.end], v.map(|v| &text[v..s.end - 1])))
    }

    #[test]
    fn values_are_found_along_their_path() {
        let text = "\u{feff}{\n  \"name\": \"a b\",\n  \"x\": [1, {\"job_name\": \"no\"}, \"}\"],\n  \"code_engine\": {\"region\": 5, \"job_name\": \"j\\u0041\"},\n  \"task_timeout\": null\n}";
        assert_eq!(at(text, "name"), Some(("\"a b\"", Some("a b"))));
        assert_eq!(at(text, "code_engine.region"), Some(("5", None)));
        // An escape: the value's place, not its characters.
        assert_eq!(
            at(text, "code_engine.job_name"),
            Some(("\"j\\u0041\"", None))
        );
        assert_eq!(at(text, "task_timeout"), Some(("null", None)));
        assert!(
            at(text, "code_engine").is_some_and(|(v, _)| v.starts_with('{') && v.ends_with('}'))
        );
        assert_eq!(at(text, "job_name"), None);
        assert_eq!(at(text, "name.inner"), None);
        assert_eq!(at("[1]", "name"), None);
    }

    #[test]
    fn a_repeated_key_is_found_where_serde_json_reads_it() {
        let text = "{\"name\": \"first\", \"name\": \"last\"}";
        assert_eq!(at(text, "name"), Some(("\"last\"", Some("last"))));
    }

    #[test]
    fn broken_text_finds_nothing_and_does_not_panic() {
        for text in [
            "",
            "{",
            "{\"name\"",
            "{\"name\": \"x",
            "{\"a\": [1, {\"b\": ",
            "{\"a\" 1}",
        ] {
            let _ = json_value_span(text, "name");
            let _ = json_value_span(text, "a.b");
        }
    }
}
