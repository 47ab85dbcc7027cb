//! An `ibmcloud secrets-manager configuration-create` command (plug-in 2.x flags).

use super::shell::{Script, Word};
use super::url::{self, UrlWord};
use super::{Body, ImportCode, ImportFinding, Read, shift_json_spans};
use crate::field::FieldPath;
use crate::report::{Report, Span};
use crate::validate::{validate_json, validate_value};
use serde_json::{Map, Value};

/// The flags that carry a body field, with the field's wire name.
const FIELDS: [(&str, FieldPath); 4] = [
    ("name", FieldPath::Name),
    ("config-type", FieldPath::ConfigType),
    ("custom-credentials-apikey-ref", FieldPath::ApiKeyRef),
    ("configuration-task-timeout", FieldPath::TaskTimeout),
];
const CODE_ENGINE: &str = "custom-credentials-code-engine";
const PROTOTYPE: &str = "configuration-prototype";
const SERVICE_URL: &str = "service-url";
/// Flags with a value that change nothing import reads.
const SKIP: [&str; 2] = ["output", "jmes-query"];
/// Flags without a value.
const SWITCHES: [&str; 4] = ["quiet", "q", "help", "h"];

/// One flag with its value.
struct Flag<'a> {
    name: &'a str,
    word: &'a Word,
    value: &'a str,
    /// Where the value stands verbatim in the text.
    at: Option<usize>,
    /// The words of flag and value.
    span: Span,
}

/// Reads the `ibmcloud` command `index` of `script`.
pub(crate) fn read(script: &Script, index: usize) -> Read {
    let mut read = Read::default();
    let Some(command) = script.commands.get(index) else {
        return read;
    };
    let (flags, positionals) = split(&command.args, &mut read.findings);
    if !subcommand(&command.name, &positionals, &mut read.findings) {
        return read;
    }
    let mut report = Report::new();
    let mut body = Map::new();
    let mut given = false;
    // The prototype first, so that the single flags override its fields.
    let mut seen: Vec<(&str, &Flag<'_>)> = Vec::new();
    for flag in flags.iter().filter(|f| f.name == PROTOTYPE) {
        given = true;
        if let Some(value) = json_arg(flag, "", &mut report, &mut read.findings) {
            match value {
                Value::Object(map) => body = map,
                other => report.append(validate_value(&other, None).report),
            }
        }
    }
    let from_prototype: Vec<String> = body.keys().cloned().collect();
    for flag in &flags {
        let (key, value) = if flag.name == CODE_ENGINE {
            given = true;
            let value = json_arg(
                flag,
                FieldPath::CodeEngine.as_str(),
                &mut report,
                &mut read.findings,
            );
            (FieldPath::CodeEngine.key(), value)
        } else if let Some(&(_, path)) = FIELDS.iter().find(|(n, _)| *n == flag.name) {
            given = true;
            (path.key(), Some(Value::String(flag.value.to_owned())))
        } else {
            continue;
        };
        if let Some((_, earlier)) = seen.iter().find(|(k, _)| *k == key) {
            read.findings.push(
                ImportFinding::warning(
                    ImportCode::Duplicate,
                    flag.span,
                    format!(
                        "--{} is given more than once (also at byte {}): the last one is used",
                        flag.name, earlier.span.start
                    ),
                )
                .at(key),
            );
        } else if from_prototype.iter().any(|k| k == key) {
            read.findings.push(
                ImportFinding::warning(
                    ImportCode::Duplicate,
                    flag.span,
                    format!(
                        "{key} is given in --{PROTOTYPE} and by --{}: the flag is used",
                        flag.name
                    ),
                )
                .at(key),
            );
        }
        seen.push((key, flag));
        if let Some(value) = value {
            body.insert(key.to_owned(), value);
        }
    }
    if given {
        read.body = Some(Body::Value(body, report));
    } else {
        read.findings.push(ImportFinding::error(
            ImportCode::MissingRequest,
            command.name.span,
            "the command has no --name, --custom-credentials-code-engine or --configuration-prototype",
        ));
    }
    target(script, command, &flags, &mut read);
    read
}

/// Flags (with values) and positional words, with findings for flags import does not use.
fn split<'a>(
    args: &'a [Word],
    findings: &mut Vec<ImportFinding>,
) -> (Vec<Flag<'a>>, Vec<&'a Word>) {
    let mut flags = Vec::new();
    let mut positionals = Vec::new();
    let mut i = 0;
    while let Some(word) = args.get(i) {
        i += 1;
        let v = word.value.as_str();
        // The ibmcloud CLI takes `-name` as well as `--name`.
        let Some(stripped) = v
            .strip_prefix("--")
            .or_else(|| v.strip_prefix('-'))
            .filter(|s| !s.is_empty())
        else {
            positionals.push(word);
            continue;
        };
        let (name, inline) = match stripped.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (stripped, None),
        };
        if SWITCHES.contains(&name) {
            continue;
        }
        let known = name == CODE_ENGINE
            || name == PROTOTYPE
            || name == SERVICE_URL
            || SKIP.contains(&name)
            || FIELDS.iter().any(|(n, _)| *n == name);
        let flag = match inline {
            Some(value) => {
                let skip = v.len() - value.len();
                Some(Flag {
                    name,
                    word,
                    value,
                    at: word.at.map(|at| at + skip),
                    span: word.span,
                })
            }
            None => match args.get(i) {
                // An unknown flag followed by another flag is taken as a switch.
                Some(next) if known || !next.value.starts_with('-') => {
                    i += 1;
                    Some(Flag {
                        name,
                        word: next,
                        value: next.value.as_str(),
                        at: next.at,
                        span: Span::new(word.span.start, next.span.end),
                    })
                }
                _ => None,
            },
        };
        match flag {
            Some(flag) if known => flags.push(flag),
            Some(_) | None if !known => findings.push(ImportFinding::warning(
                ImportCode::Ignored,
                word.span,
                format!("flag `{}` is not used by import", v.escape_debug()),
            )),
            _ => findings.push(ImportFinding::error(
                ImportCode::Syntax,
                word.span,
                format!("flag `--{name}` needs a value"),
            )),
        }
    }
    (flags, positionals)
}

/// Checks `secrets-manager configuration-create`; false (with a finding) for anything else.
fn subcommand(program: &Word, positionals: &[&Word], findings: &mut Vec<ImportFinding>) -> bool {
    let not_create =
        |span: Span, message: String| ImportFinding::error(ImportCode::NotCreate, span, message);
    match positionals {
        [plugin, ..] if plugin.value != "secrets-manager" && plugin.value != "sm" => {
            findings.push(not_create(
                plugin.span,
                format!(
                    "`ibmcloud {}` is not a secrets-manager command",
                    plugin.value.escape_debug()
                ),
            ));
            false
        }
        [] | [_] => {
            findings.push(not_create(
                program.span,
                "the command is not `ibmcloud secrets-manager configuration-create`".to_owned(),
            ));
            false
        }
        [_, sub, rest @ ..] => {
            if sub.value != "configuration-create" {
                findings.push(not_create(
                    sub.span,
                    format!(
                        "`{}` does not create a configuration: configuration-create does",
                        sub.value.escape_debug()
                    ),
                ));
                return false;
            }
            for word in rest {
                findings.push(ImportFinding::warning(
                    ImportCode::Ignored,
                    word.span,
                    format!(
                        "argument `{}` is not used by import",
                        word.value.escape_debug()
                    ),
                ));
            }
            true
        }
    }
}

/// A JSON flag value; malformed JSON becomes the core's `invalid_json` finding at `path`.
fn json_arg(
    flag: &Flag<'_>,
    path: &str,
    report: &mut Report,
    findings: &mut Vec<ImportFinding>,
) -> Option<Value> {
    if flag.value.starts_with('@') {
        findings.push(
            ImportFinding::error(
                ImportCode::FileReference,
                flag.span,
                format!(
                    "--{} is read from `{}`: paste the json itself",
                    flag.name,
                    flag.value.escape_debug()
                ),
            )
            .at(path),
        );
        return None;
    }
    match serde_json::from_str(flag.value) {
        Ok(value) => Some(value),
        Err(_) => {
            let mut parsed = validate_json(flag.value, None).report;
            parsed = parsed
                .into_iter()
                .map(|mut f| {
                    f.path = path.to_owned();
                    f
                })
                .collect::<Vec<_>>()
                .into();
            report.append(shift_json_spans(parsed, flag.at, flag.word.span));
            None
        }
    }
}

fn target(script: &Script, command: &super::shell::Command, flags: &[Flag<'_>], read: &mut Read) {
    let service_url = flags.iter().rev().find(|f| f.name == SERVICE_URL);
    let (url, span) = match service_url {
        Some(flag) => (flag.value, flag.word.span),
        None => match script.var("SECRETS_MANAGER_URL", command.name.span.start) {
            Some(word) => (word.value.as_str(), word.span),
            None => return,
        },
    };
    let word = UrlWord {
        url,
        span,
        create_path: false,
    };
    url::read(&word, Some(script), &mut read.target, &mut read.findings);
}
