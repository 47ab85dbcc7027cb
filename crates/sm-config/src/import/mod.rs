//! Reading a request back from what people paste: a JSON body, a curl command, an
//! `ibmcloud secrets-manager configuration-create` command or a Terraform
//! `ibm_sm_custom_credentials_configuration` resource.
//!
//! Import is forgiving: it reads what it can and says, with the byte position in the pasted
//! text, what it could not understand. Those findings ([`ImportFinding`]) are kept apart from
//! the core's rule findings about the request ([`Imported::report`]), which come from the same
//! validator everything else uses.

mod cli;
mod curl;
mod json_spans;
mod lines;
mod shell;
pub mod terraform;
mod url;

pub use json_spans::json_value_span;
pub use lines::LineIndex;

use crate::field::{FieldPath, covers};
use crate::model::ConfigurationPrototype;
use crate::render::Format;
use crate::report::{Code, Report, Severity, Span};
use crate::target::{Endpoint, Target};
use crate::validate::{validate_json, validate_value};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;

/// What kind of thing import could not understand; stable, serialized in snake_case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportCode {
    /// The text is none of the four forms.
    Unrecognized,
    /// Shell quoting or HCL syntax that does not parse.
    Syntax,
    /// An option, flag, argument, attribute or block that import does not use.
    Ignored,
    /// A placeholder (`{instance_ID}`, `$VAR`, `<id>`) where a value belongs.
    Placeholder,
    /// A Terraform reference or expression instead of a literal value.
    NotLiteral,
    /// A value read from a file (`@file`) whose content is not in the text.
    FileReference,
    /// No request in the text: no body, no flags, no resource.
    MissingRequest,
    /// Another operation than creating a configuration.
    NotCreate,
    /// Something given more than once; the message says which one is used.
    Duplicate,
    /// A URL or endpoint that does not name a Secrets Manager instance.
    InvalidTarget,
    /// A header the service needs is missing or wrong.
    Header,
    /// A Terraform resource with `count` or `for_each`: several configurations from one block.
    Repeated,
}

impl ImportCode {
    /// The wire name (`not_literal`).
    pub fn as_str(self) -> &'static str {
        match self {
            ImportCode::Unrecognized => "unrecognized",
            ImportCode::Syntax => "syntax",
            ImportCode::Ignored => "ignored",
            ImportCode::Placeholder => "placeholder",
            ImportCode::NotLiteral => "not_literal",
            ImportCode::FileReference => "file_reference",
            ImportCode::MissingRequest => "missing_request",
            ImportCode::NotCreate => "not_create",
            ImportCode::Duplicate => "duplicate",
            ImportCode::InvalidTarget => "invalid_target",
            ImportCode::Header => "header",
            ImportCode::Repeated => "repeated",
        }
    }

    /// Whether a finding of this code only says what was not checked (a value sm-config
    /// cannot know), rather than something wrong: linters show it as a note, and it does not
    /// fail a run that denies warnings.
    pub fn is_note(self) -> bool {
        matches!(self, ImportCode::NotLiteral | ImportCode::Repeated)
    }
}

impl fmt::Display for ImportCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing in the pasted text that import could not turn into the request or the target.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ImportFinding {
    /// The wire path it concerns (`code_engine.project_id`, `target.instance_id`), or empty.
    pub path: String,
    /// What kind of problem.
    pub code: ImportCode,
    /// Error when the request could not be read at all; warning when something was left out.
    pub severity: Severity,
    /// What was not understood, lower case, stable.
    pub message: String,
    /// Where in the pasted text (byte offsets).
    pub span: Span,
}

impl ImportFinding {
    fn new(severity: Severity, code: ImportCode, span: Span, message: impl Into<String>) -> Self {
        ImportFinding {
            path: String::new(),
            code,
            severity,
            message: message.into(),
            span,
        }
    }

    pub(crate) fn error(code: ImportCode, span: Span, message: impl Into<String>) -> Self {
        ImportFinding::new(Severity::Error, code, span, message)
    }

    pub(crate) fn warning(code: ImportCode, span: Span, message: impl Into<String>) -> Self {
        ImportFinding::new(Severity::Warning, code, span, message)
    }

    pub(crate) fn at(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// Whether it kept the request from being read.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for ImportFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = self.severity.as_str();
        write!(f, "{severity}[{}] ", self.code)?;
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        write!(
            f,
            "{} (bytes {}..{})",
            self.message, self.span.start, self.span.end
        )
    }
}

/// A value given as a Terraform expression (`ibm_resource_instance.sm_instance.guid`, `var.x`),
/// kept as written: sm-config cannot know its value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reference {
    /// The wire path it stands for (`target.instance_id`, `code_engine.project_id`).
    pub path: String,
    /// The expression as written.
    pub expression: String,
    /// Where in the pasted text.
    pub span: Span,
}

/// What import read from a pasted text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Imported {
    /// The form the text was read as; `None` when it is none of the four.
    pub form: Option<Format>,
    /// The request, as far as it could be read (as [`crate::validate_value`] reads a body).
    pub request: Option<ConfigurationPrototype>,
    /// The instance the text names. Fields it does not name (or names only by a placeholder or
    /// a reference) are empty; `None` when it names neither instance ID nor region.
    pub target: Option<Target>,
    /// Values given as Terraform expressions, kept as written.
    pub references: Vec<Reference>,
    /// What was not understood, in text order.
    pub findings: Vec<ImportFinding>,
    /// The core's findings about the request (and the target, when the text names all of
    /// it). Findings about values given as references are left out: they cannot be judged.
    /// An `invalid_json` finding's span points into the pasted text.
    pub report: Report,
}

impl Imported {
    /// True when neither import nor the rules found an error (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.request.is_some()
            && !self.findings.iter().any(ImportFinding::is_error)
            && self.report.is_valid()
    }
}

/// Reads a request from a JSON body, a curl command, an `ibmcloud` command or Terraform.
pub fn import(text: &str) -> Imported {
    let mut out = Imported {
        form: None,
        request: None,
        target: None,
        references: Vec::new(),
        findings: Vec::new(),
        report: Report::new(),
    };
    match detect(text) {
        Detected::Json(offset) => {
            out.form = Some(Format::Json);
            let Some(body) = text.get(offset..) else {
                return out;
            };
            let parsed = validate_json(body, None);
            out.request = parsed.request;
            out.report = shift_json_spans(parsed.report, Some(offset), Span::new(0, text.len()));
        }
        Detected::Shell(script, index) => {
            let Some(command) = script.commands.get(index) else {
                return out;
            };
            let read = match command.program {
                shell::Program::Curl => curl::read(&script, index),
                shell::Program::Ibmcloud => cli::read(&script, index),
            };
            out.form = Some(match command.program {
                shell::Program::Curl => Format::Curl,
                shell::Program::Ibmcloud => Format::Cli,
            });
            out.findings.extend(script.findings.iter().cloned());
            finish(&mut out, read);
        }
        Detected::Terraform(parsed) => {
            out.form = Some(Format::Terraform);
            finish(&mut out, terraform::read(text, parsed));
        }
        Detected::Unknown => out.findings.push(ImportFinding::error(
            ImportCode::Unrecognized,
            Span::new(0, text.len()),
            "the text is not a json body, a curl command, an ibmcloud secrets-manager command or a terraform resource",
        )),
    }
    out.findings.sort_by_key(|f| (f.span.start, f.span.end));
    out
}

/// What one form's reader found, before the core reads the body.
#[derive(Default)]
pub(crate) struct Read {
    /// The body as the core reads it, when the text has one.
    body: Option<Body>,
    target: TargetParts,
    references: Vec<Reference>,
    findings: Vec<ImportFinding>,
}

/// A body as JSON text (curl) or as fields (CLI flags, Terraform arguments).
pub(crate) enum Body {
    /// JSON text; `at` is where it stands verbatim in the pasted text, `word` the word holding it.
    Text {
        json: String,
        at: Option<usize>,
        word: Span,
    },
    /// Fields already read, and the core's JSON findings about the values given as JSON.
    Value(Map<String, Value>, Report),
}

/// The parts of a target a text names; `None` where it names none or only a placeholder.
#[derive(Default)]
pub(crate) struct TargetParts {
    instance_id: Option<String>,
    region: Option<String>,
    endpoint: Endpoint,
    /// The text tried to name a field but import could not read it.
    unread: bool,
}

fn finish(out: &mut Imported, read: Read) {
    let parts = read.target;
    let named = parts.instance_id.is_some() || parts.region.is_some();
    let complete = !parts.unread && parts.instance_id.is_some() && parts.region.is_some();
    let target = named.then(|| Target {
        instance_id: parts.instance_id.unwrap_or_default(),
        region: parts.region.unwrap_or_default(),
        endpoint: parts.endpoint,
    });
    let checked = target.as_ref().filter(|_| complete);
    let parsed = match read.body {
        Some(Body::Text { json, at, word }) => {
            let parsed = validate_json(&json, checked);
            let report = shift_json_spans(parsed.report, at, word);
            Some((parsed.request, report))
        }
        Some(Body::Value(map, mut report)) => {
            let parsed = validate_value(&Value::Object(map), checked);
            report.append(parsed.report);
            Some((parsed.request, report))
        }
        None => None,
    };
    if let Some((request, report)) = parsed {
        out.request = request;
        out.report = report
            .into_iter()
            .filter(|f| !read.references.iter().any(|r| covers(&r.path, &f.path)))
            .collect::<Vec<_>>()
            .into();
    }
    out.target = target;
    out.references = read.references;
    out.findings.extend(read.findings);
}

/// Moves the spans of `invalid_json` findings (which point into the JSON text) into the pasted
/// text: by `at` when the JSON stands there verbatim, else onto the whole `word`.
fn shift_json_spans(report: Report, at: Option<usize>, word: Span) -> Report {
    report
        .into_iter()
        .map(|mut f| {
            if f.code == Code::InvalidJson {
                f.span = Some(match (at, f.span) {
                    (Some(at), Some(s)) => Span::new(at + s.start, at + s.end),
                    _ => word,
                });
            }
            f
        })
        .collect::<Vec<_>>()
        .into()
}

enum Detected {
    /// A JSON body starting at this byte offset (after a byte order mark and blanks).
    Json(usize),
    /// A shell script and the index of the command to read.
    Shell(shell::Script, usize),
    Terraform(terraform::Parsed),
    Unknown,
}

fn detect(text: &str) -> Detected {
    if let Some(at) = json_start(text) {
        return Detected::Json(at);
    }
    let script = shell::parse(text);
    if let Some(index) = script.chosen {
        return Detected::Shell(script, index);
    }
    match terraform::parse(text) {
        Some(parsed) => Detected::Terraform(parsed),
        None => Detected::Unknown,
    }
}

/// Whether a text is meant as a JSON body rather than a command or a resource: after a byte
/// order mark and white space it opens an object or an array, or it is empty (which the
/// validator reports as such).
pub fn is_json_text(text: &str) -> bool {
    json_start(text).is_some() || text.trim_start_matches(LEADING).is_empty()
}

/// What may stand before a JSON body: a byte order mark and JSON's white space.
const LEADING: [char; 5] = ['\u{feff}', ' ', '\t', '\r', '\n'];

/// The byte offset where a JSON object or array opens, after [`LEADING`], if the text opens one.
fn json_start(text: &str) -> Option<usize> {
    let body = text.trim_start_matches(LEADING);
    body.starts_with(['{', '['])
        .then(|| text.len() - body.len())
}

/// Whether a JSON text found while walking a folder is meant as a configuration request body:
/// an object with a `config_type` or `code_engine` member. Other JSON files of a repository
/// (`package.json`, `tsconfig.json`) are not requests and are left alone; a file named on the
/// command line is always checked.
pub fn is_request_body(text: &str) -> bool {
    let text = text.trim_start_matches('\u{feff}');
    serde_json::from_str::<Map<String, Value>>(text).is_ok_and(|body| {
        body.contains_key(FieldPath::ConfigType.key())
            || body.contains_key(FieldPath::CodeEngine.key())
    })
}
