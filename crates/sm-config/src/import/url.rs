//! The target named by a URL: a curl command's URL or the CLI's `--service-url`.

use super::shell::Script;
use super::{ImportCode, ImportFinding, TargetParts};
use crate::report::Span;
use crate::target::Target;

/// The path a configuration is created at.
const CREATE_PATH: &str = "/api/v2/configurations";

/// Where a URL was found and how to read it.
pub(crate) struct UrlWord<'a> {
    /// The URL as unquoted.
    pub(crate) url: &'a str,
    /// The word holding it.
    pub(crate) span: Span,
    /// Whether it must be the create URL (curl) or is only the instance's (`--service-url`).
    pub(crate) create_path: bool,
}

/// Reads the target parts a URL names into `parts`, with findings for what it cannot read.
///
/// `$NAME` and `${NAME}` are expanded from assignments earlier in the script; a placeholder
/// (`{instance_ID}`, `<region>`, `INSTANCE_ID`, an unknown variable) leaves its field unread.
pub(crate) fn read(
    word: &UrlWord<'_>,
    script: Option<&Script>,
    parts: &mut TargetParts,
    findings: &mut Vec<ImportFinding>,
) {
    let expanded = expand(word.url, |name| {
        script
            .and_then(|s| s.var(name, word.span.start))
            .map(|w| w.value.clone())
    });
    let url = if expanded.contains("://") {
        expanded
    } else {
        format!("https://{expanded}")
    };
    let target = match Target::from_url(&url) {
        Ok(target) => target,
        Err(err) => {
            parts.unread = true;
            let finding = if is_placeholder(word.url) {
                ImportFinding::warning(
                    ImportCode::Placeholder,
                    word.span,
                    format!(
                        "the url `{}` is a placeholder: the target is not read",
                        word.url.escape_debug()
                    ),
                )
            } else {
                ImportFinding::warning(ImportCode::InvalidTarget, word.span, err.to_string())
            };
            findings.push(finding.at("target"));
            return;
        }
    };
    parts.endpoint = target.endpoint;
    for (path, value, slot) in [
        ("instance_id", target.instance_id, &mut parts.instance_id),
        ("region", target.region, &mut parts.region),
    ] {
        if is_placeholder(&value) {
            parts.unread = true;
            findings.push(
                ImportFinding::warning(
                    ImportCode::Placeholder,
                    word.span,
                    format!(
                        "the url's {} `{}` is a placeholder",
                        path.replace('_', " "),
                        value.escape_debug()
                    ),
                )
                .at(format!("target.{path}")),
            );
        } else {
            *slot = Some(value);
        }
    }
    if word.create_path {
        let path = url_path(&url);
        if path.trim_end_matches('/') != CREATE_PATH {
            findings.push(ImportFinding::warning(
                ImportCode::NotCreate,
                word.span,
                format!(
                    "the url's path is `{}`: configurations are created at {CREATE_PATH}",
                    path.escape_debug()
                ),
            ));
        }
    }
}

/// The path of an `https://host/path?query` URL.
fn url_path(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    rest.find('/').map_or("", |i| &rest[i..])
}

/// Whether a value stands for one the user still has to fill in.
pub(crate) fn is_placeholder(value: &str) -> bool {
    value.contains(['{', '}', '<', '>', '$', '[', ']'])
        || (value.chars().any(|c| c.is_ascii_uppercase())
            && value
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
}

/// Expands `$NAME` and `${NAME}` with `lookup`; unknown variables stay as written.
fn expand(text: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (name, len) = match after.strip_prefix('{') {
            Some(inner) => match inner.find('}') {
                Some(end) => (&inner[..end], end + 2),
                None => ("", 0),
            },
            None => {
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                (&after[..end], end)
            }
        };
        match lookup(name).filter(|_| !name.is_empty()) {
            Some(value) => {
                out.push_str(&value);
                rest = &after[len..];
            }
            None => {
                out.push('$');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_known_variables_only() {
        let vars = |n: &str| (n == "U").then(|| "https://x".to_owned());
        assert_eq!(expand("$U/api", vars), "https://x/api");
        assert_eq!(expand("${U}/api", vars), "https://x/api");
        assert_eq!(expand("$V/api${", vars), "$V/api${");
    }

    #[test]
    fn placeholders() {
        for p in ["{instance_ID}", "<region>", "INSTANCE_ID", "$ID", "[id]"] {
            assert!(is_placeholder(p), "{p}");
        }
        for v in ["b49ad24d-81d4-5ebc-b9b9-b0937d1c84d5", "us-south", ""] {
            assert!(!is_placeholder(v), "{v}");
        }
    }

    #[test]
    fn paths() {
        assert_eq!(
            url_path("https://h/api/v2/configurations?x=1"),
            "/api/v2/configurations"
        );
        assert_eq!(url_path("https://h"), "");
    }
}
