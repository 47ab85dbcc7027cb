//! The formats `validate` prints what [`crate::lint`] gathered in: for people (`human`), one
//! JSON document, SARIF 2.1.0 for code-scanning tools, and GitHub workflow commands.

use crate::findings;
use crate::import;
use crate::lint::{Item, Level, Lint, Unit};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Findings for people: JSON bodies and commands as `validate FILE` always showed them;
/// Terraform files per resource, each finding at `file:line:col` with the line and carets.
pub fn human(mut out: &mut dyn Write, lint: &Lint) -> io::Result<()> {
    let mut first = true;
    let mut gap = |out: &mut dyn Write| -> io::Result<()> {
        if !std::mem::take(&mut first) {
            writeln!(out)?;
        }
        Ok(())
    };
    for unit in &lint.units {
        gap(out)?;
        match unit {
            Unit::Single { input, checked, .. } => {
                import::write_unread(&mut out, input, checked.form, &checked.unread)?;
                if checked.request.is_none() {
                    // Nothing was read: the findings say why; never "valid".
                    let errors = checked.report.errors().count()
                        + checked.unread.iter().filter(|f| f.is_error()).count();
                    writeln!(out, "{}: not read, {}", input.name, plural(errors, "error"))?;
                    findings::write_findings(
                        &mut out,
                        input,
                        checked.target.as_ref(),
                        &checked.report,
                    )?;
                } else {
                    findings::write(&mut out, input, checked.target.as_ref(), &checked.report)?;
                }
            }
            Unit::Terraform {
                name,
                items,
                configurations,
            } => {
                let all: Vec<&Item> = items
                    .iter()
                    .chain(configurations.iter().flat_map(|c| &c.findings))
                    .collect();
                let read = !items.iter().any(|i| i.level == Level::Error);
                let state = if !read {
                    "not read".to_owned()
                } else {
                    format!(
                        "read as terraform, {}",
                        plural(configurations.len(), "configuration")
                    )
                };
                writeln!(out, "{name}: {state}{}", counts(&all))?;
                for item in items {
                    write_item(out, item, "  ")?;
                }
                for c in configurations {
                    writeln!(
                        out,
                        "  {}:{}:{}: {}: {}{}",
                        c.at.file,
                        c.at.line,
                        c.at.column,
                        c.resource,
                        if c.valid { "valid" } else { "invalid" },
                        counts(&c.findings.iter().collect::<Vec<_>>())
                    )?;
                    for r in &c.resolved {
                        let from: Vec<String> = r
                            .from
                            .iter()
                            .map(|o| format!("{} at {}:{}:{}", o.what, o.file, o.line, o.column))
                            .collect();
                        writeln!(
                            out,
                            "    value {} = {:?} from `{}`: {}",
                            r.path,
                            r.value,
                            r.expression,
                            from.join(", ")
                        )?;
                    }
                    for item in &c.findings {
                        write_item(out, item, "    ")?;
                    }
                }
            }
        }
    }
    if !lint.across.is_empty() {
        gap(out)?;
        let all: Vec<&Item> = lint.across.iter().collect();
        writeln!(out, "across configurations: invalid{}", counts(&all))?;
        for item in &lint.across {
            write_item(out, item, "  ")?;
        }
    }
    if lint.units.is_empty() {
        // Silence would read as a pass over something; say that nothing was there to check.
        writeln!(
            out,
            "no configuration found: no terraform resource and no request body"
        )?;
    }
    Ok(())
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `, 2 errors, 1 warning, 3 notes` (only the non-zero ones).
fn counts(items: &[&Item]) -> String {
    let mut out = String::new();
    for level in [Level::Error, Level::Warning, Level::Note] {
        let word = level.as_str();
        let n = items.iter().filter(|i| i.level == level).count();
        if n > 0 {
            out.push_str(", ");
            out.push_str(&plural(n, word));
        }
    }
    out
}

fn write_item(out: &mut dyn Write, item: &Item, indent: &str) -> io::Result<()> {
    let path = if item.path.is_empty() {
        String::new()
    } else {
        format!(" {}:", item.path)
    };
    writeln!(
        out,
        "{indent}{}:{}:{}: {}[{}]{path} {}",
        item.at.file,
        item.at.line,
        item.at.column,
        item.level.as_str(),
        item.code,
        item.message
    )?;
    if let Some((line, column, width)) = &item.snippet {
        let shown: String = line
            .chars()
            .map(|c| if c == '\t' { ' ' } else { c })
            .collect();
        writeln!(out, "{indent}    | {shown}")?;
        writeln!(
            out,
            "{indent}    | {}{}",
            " ".repeat(column - 1),
            "^".repeat(*width)
        )?;
    }
    // The limit's finding names every configuration that fills the instance: show a few.
    const SHOWN: usize = 3;
    for r in item.related.iter().take(SHOWN) {
        let call = r
            .module
            .as_ref()
            .map_or(String::new(), |m| format!(" ({m})"));
        writeln!(
            out,
            "{indent}    = see {}:{}:{}{call}",
            r.file, r.line, r.column
        )?;
    }
    if item.related.len() > SHOWN {
        writeln!(out, "{indent}    = and {} more", item.related.len() - SHOWN)?;
    }
    if let Some(hint) = &item.hint {
        writeln!(out, "{indent}    = hint: {hint}")?;
    }
    Ok(())
}

/// SARIF 2.1.0: one run, a rule per code that occurs (id = the stable code, help = its hint),
/// a result per finding with its file, line and column (columns count code points).
pub fn sarif(lint: &Lint) -> Value {
    let items: Vec<&Item> = lint.items().collect();
    let mut rules: BTreeMap<&str, Option<&str>> = BTreeMap::new();
    for item in &items {
        let hint = rules.entry(item.code.as_str()).or_default();
        if hint.is_none() {
            *hint = item.hint.as_deref();
        }
    }
    let ids: Vec<&str> = rules.keys().copied().collect();
    let rules_json: Vec<Value> = rules
        .iter()
        .map(|(id, hint)| {
            let mut rule = json!({
                "id": id,
                "name": id,
                "shortDescription": {"text": format!("sm-config `{id}`")},
            });
            if let Some(hint) = hint {
                rule["help"] = json!({"text": hint});
            }
            rule
        })
        .collect();
    let results: Vec<Value> = items
        .iter()
        .map(|item| {
            let mut text = if item.path.is_empty() {
                item.message.clone()
            } else {
                format!("{}: {}", item.path, item.message)
            };
            if let Some(hint) = &item.hint {
                text.push_str(&format!(" (hint: {hint})"));
            }
            let location = |l: &crate::lint::Loc| {
                json!({"physicalLocation": {
                    "artifactLocation": {"uri": uri(&l.file)},
                    "region": {"startLine": l.line, "startColumn": l.column},
                }})
            };
            let mut result = json!({
                "ruleId": item.code,
                "ruleIndex": ids.iter().position(|id| *id == item.code).unwrap_or(0),
                "level": item.level.as_str(),
                "message": {"text": text},
                "locations": [location(&item.at)],
            });
            if !item.related.is_empty() {
                result["relatedLocations"] = item
                    .related
                    .iter()
                    .enumerate()
                    .map(|(n, l)| {
                        let mut v = location(l);
                        v["id"] = json!(n);
                        if let Some(module) = &l.module {
                            v["message"] = json!({ "text": module });
                        }
                        v
                    })
                    .collect();
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "sm-config",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/sm-config/sm-config",
                "rules": rules_json,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

/// A file name as a relative URI reference: forward slashes, no leading `./`, and the
/// characters URIs reserve percent-encoded.
fn uri(file: &str) -> String {
    let file = file.replace('\\', "/");
    let file = file.strip_prefix("./").unwrap_or(&file);
    let mut out = String::new();
    for b in file.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// GitHub workflow commands: `::error file=…,line=…,col=…,title=…::message`, one a line.
pub fn github(out: &mut impl Write, lint: &Lint) -> io::Result<()> {
    for item in lint.items() {
        let command = match item.level {
            Level::Note => "notice",
            level => level.as_str(),
        };
        let mut message = if item.path.is_empty() {
            item.message.clone()
        } else {
            format!("{}: {}", item.path, item.message)
        };
        if let Some(hint) = &item.hint {
            message.push_str(&format!("\nhint: {hint}"));
        }
        writeln!(
            out,
            "::{command} file={},line={},col={},title={}::{}",
            property(&item.at.file),
            item.at.line,
            item.at.column,
            property(&format!("sm-config {}", item.code)),
            data(&message)
        )?;
    }
    Ok(())
}

/// A workflow command's message: `%`, CR and LF escaped.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: also `:` and `,`.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_commands_escape_what_github_reads_as_syntax() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(property("a,b:c"), "a%2Cb%3Ac");
    }

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(uri("./infra/main.tf"), "infra/main.tf");
        assert_eq!(uri("my dir\\a.tf"), "my%20dir/a.tf");
    }
}
