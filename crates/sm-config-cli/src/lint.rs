//! `validate` over many files: every input and every Terraform resource checked by the core,
//! each finding placed at a file, line and column, and the core's rules across configurations
//! run over all of them. The output formats (`output.rs`) only print what this gathers.

use crate::collect::{Collected, Module};
use crate::import::{self, Checked};
use crate::input::Input;
use crate::target::Named;
use serde::Serialize;
use sm_config::FieldPath;
use sm_config::across::{self, AcrossFinding, Key, Member};
use sm_config::import::LineIndex;
use sm_config::import::terraform::{self, Resolved, Source};
use sm_config::{Finding, Format, ImportFinding, Severity, Span};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// How much a finding counts: errors fail the run, warnings with `--deny-warnings`, notes
/// never (they say what was not checked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The service would refuse it, or the file could not be read.
    Error,
    /// Probably needs attention.
    Warning,
    /// Not checked, and why.
    Note,
}

impl Level {
    /// `error`, `warning`, `note`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => Severity::Error.as_str(),
            Level::Warning => Severity::Warning.as_str(),
            Level::Note => "note",
        }
    }
}

/// A place in a file: 1-based line and column (characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Loc {
    /// The file as named.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// For a place in a local module read through a call, which call (`module.billing`): one
    /// line of the module's file stands for a configuration per call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub module: Option<String>,
}

/// One finding with its place, whatever produced it (import, the rules, across).
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// Error, warning or note.
    pub level: Level,
    /// The stable code (`pattern`, `not_literal`, `duplicate_name`).
    pub code: String,
    /// The wire path, empty for the request as a whole.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Where.
    #[serde(flatten)]
    pub at: Loc,
    /// Where the other configurations involved are (across findings).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Loc>,
    /// The source line and the characters the finding is about, for carets.
    #[serde(skip)]
    pub snippet: Option<(String, usize, usize)>,
}

/// One Terraform resource's findings.
#[derive(Debug, Serialize)]
pub struct Configuration {
    /// `ibm_sm_custom_credentials_configuration.NAME`.
    pub resource: String,
    /// Where its block starts.
    #[serde(flatten)]
    pub at: Loc,
    /// No error among its findings (warnings and notes allowed).
    pub valid: bool,
    /// Its findings in text order.
    pub findings: Vec<Item>,
    /// Values read from variables and locals, and where from.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resolved: Vec<Resolved>,
}

/// One input and what was found in it.
#[derive(Debug)]
pub enum Unit {
    /// A JSON body or a pasted command, checked as `validate FILE` always did.
    Single {
        /// The input.
        input: Input,
        /// Its findings as the core gives them.
        checked: Box<Checked>,
        /// The same, placed in the file.
        items: Vec<Item>,
    },
    /// A Terraform file: every configuration resource in it.
    Terraform {
        /// The file's name.
        name: String,
        /// What kept the file from being read (syntax), or that it holds no configuration.
        items: Vec<Item>,
        /// Its resources.
        configurations: Vec<Configuration>,
    },
}

/// Everything `validate` found.
#[derive(Debug)]
pub struct Lint {
    /// One entry per input or Terraform file reported on.
    pub units: Vec<Unit>,
    /// Findings across configurations.
    pub across: Vec<Item>,
}

impl Lint {
    /// Every item, for the flat formats (SARIF, GitHub).
    pub fn items(&self) -> impl Iterator<Item = &Item> {
        self.units
            .iter()
            .flat_map(|u| -> Box<dyn Iterator<Item = &Item>> {
                match u {
                    Unit::Single { items, .. } => Box::new(items.iter()),
                    Unit::Terraform {
                        items,
                        configurations,
                        ..
                    } => Box::new(
                        items
                            .iter()
                            .chain(configurations.iter().flat_map(|c| &c.findings)),
                    ),
                }
            })
            .chain(&self.across)
    }

    /// Whether the run fails: an error, or a warning when warnings are denied.
    pub fn fails(&self, deny_warnings: bool) -> bool {
        self.items()
            .any(|i| i.level == Level::Error || (deny_warnings && i.level == Level::Warning))
    }
}

/// Checks everything collected.
pub fn run(collected: Collected, named: &Named) -> Lint {
    let mut units = Vec::new();
    let mut members: Vec<Member<Loc>> = Vec::new();
    for input in collected.inputs {
        match input.text().filter(|t| is_terraform(t)) {
            Some(text) => {
                // Terraform text outside a `.tf` file (standard input): a module of one file.
                let read = terraform::read_module(
                    &[Source {
                        name: &input.name,
                        text,
                    }],
                    &[],
                );
                let file = read.files.into_iter().next();
                let unit = terraform_unit(&input.name, text, file, true, &[], &mut members);
                units.push(unit);
            }
            None => {
                let checked = import::check(&input, named);
                let items = single_items(&input, &checked);
                if let Some(member) = single_member(&input, &checked) {
                    members.push(member);
                }
                units.push(Unit::Single {
                    input,
                    checked: Box::new(checked),
                    items,
                });
            }
        }
    }
    units.extend(modules_units(collected.modules, &mut members));
    let across = across::check(&members)
        .into_iter()
        .map(across_item)
        .collect();
    Lint { units, across }
}

fn is_terraform(text: &str) -> bool {
    !sm_config::is_json_text(text) && sm_config::import(text).form == Some(Format::Terraform)
}

/// A module folder's files as the core reads them: the text ones, and its variable files.
struct Folder<'m> {
    module: &'m Module,
    /// Each file's text (`None`: not UTF-8), in `module.files` order.
    texts: Vec<Option<&'m str>>,
    /// The files with text, as given to the core (a [`terraform::ModuleCall`]'s `file` indexes
    /// these).
    sources: Vec<Source<'m>>,
    vars: Vec<Source<'m>>,
}

impl<'m> Folder<'m> {
    fn new(module: &'m Module) -> Folder<'m> {
        let texts: Vec<Option<&str>> = module.files.iter().map(Input::text).collect();
        let sources = module
            .files
            .iter()
            .zip(&texts)
            .filter_map(|(i, t)| {
                t.map(|text| Source {
                    name: &i.name,
                    text,
                })
            })
            .collect();
        let vars = module
            .var_files
            .iter()
            .filter_map(|i| {
                i.text().map(|text| Source {
                    name: &i.name,
                    text,
                })
            })
            .collect();
        Folder {
            module,
            texts,
            sources,
            vars,
        }
    }
}

/// Every module folder's findings. A folder is read as a root module (its variable files
/// count) unless a folder read here calls it (`module "x" { source = "./m" }`): then it is read
/// once per call, its variables taking the call's literal arguments, as Terraform instantiates
/// it. Each read is linear in the folder's size, so the whole stays linear in the calls made.
///
/// A local module called from a folder read here but outside the paths given (`validate .`
/// without `--recursive`) is read too, as tflint does by default: its configurations exist once
/// per call. A called folder that does not exist or cannot be read is left to Terraform (which
/// refuses it at `init`).
fn modules_units(mut modules: Vec<Module>, members: &mut Vec<Member<Loc>>) -> Vec<Unit> {
    let mut index: HashMap<PathBuf, usize> = HashMap::new();
    for (n, module) in modules.iter().enumerate() {
        if let Ok(dir) = Path::new(&module.dir).canonicalize() {
            index.entry(dir).or_insert(n);
        }
    }
    // First each folder's calls of local modules, and which folder each calls (only files that
    // say `module` are parsed for it); called folders outside the paths given join the list.
    let mut calls: Vec<Vec<(terraform::ModuleCall, Option<usize>)>> = Vec::new();
    while calls.len() < modules.len() {
        let n = calls.len();
        let found_calls = terraform::module_calls(&Folder::new(&modules[n]).sources);
        let mut found = Vec::new();
        let mut resolved = Vec::new();
        for call in found_calls {
            let dir = lexical_join(&modules[n].dir, &call.source);
            let callee = match dir.canonicalize().ok().filter(|t| t.is_dir()) {
                None => None,
                Some(target) => match index.get(&target) {
                    Some(&i) => Some(i),
                    None => match crate::collect::module(&dir, None, &[]) {
                        Ok(module) => {
                            let i = modules.len() + found.len();
                            index.insert(target, i);
                            found.push(module);
                            Some(i)
                        }
                        Err(_) => None,
                    },
                },
            };
            resolved.push((call, callee.filter(|&c| c != n)));
        }
        calls.push(resolved);
        modules.extend(found);
    }
    let folders: Vec<Folder> = modules.iter().map(Folder::new).collect();
    // For each folder, the calls of it: (calling folder, call).
    let mut callers: Vec<Vec<(usize, &terraform::ModuleCall)>> = vec![Vec::new(); modules.len()];
    for (caller, list) in calls.iter().enumerate() {
        for (call, callee) in list {
            if let Some(callee) = callee {
                callers[*callee].push((caller, call));
            }
        }
    }
    // Then each folder read and reported in turn; its reads are dropped before the next.
    let mut units = Vec::new();
    for (n, folder) in folders.iter().enumerate() {
        let dir = &folder.module.dir;
        if callers[n].is_empty() {
            let read = terraform::read_module(&folder.sources, &folder.vars);
            let reads = read
                .files
                .into_iter()
                .map(|f| {
                    let scopes = vec![dir.clone(); f.resources.len()];
                    (f, scopes)
                })
                .collect();
            units.extend(module_units(folder, reads, read.var_files, members));
            continue;
        }
        // One read per call; each file's resources of every call, side by side. Each call is
        // its own scope: `var.x` may differ between two calls. The folder's variable files
        // are not read: Terraform loads them for a root module only.
        let mut merged: Vec<(terraform::FileRead, Vec<String>)> = Vec::new();
        for (caller, call) in &callers[n] {
            let caller_file = folders[*caller].sources[call.file];
            let read = terraform::read_module_call(&folder.sources, caller_file, call);
            let scope = format!("{}::module.{}", folders[*caller].module.dir, call.name);
            for (i, file) in read.files.into_iter().enumerate() {
                match merged.get_mut(i) {
                    Some((into, scopes)) => {
                        scopes.extend(file.resources.iter().map(|_| scope.clone()));
                        into.resources.extend(file.resources);
                    }
                    None => {
                        let scopes = vec![scope.clone(); file.resources.len()];
                        merged.push((file, scopes));
                    }
                }
            }
        }
        units.extend(module_units(folder, merged, Vec::new(), members));
    }
    units
}

/// `dir` joined with a module's relative `source`, `.` and `..` resolved in the text (as
/// Terraform does) so that the folder is shown as people write it: `infra/modules/job`, not
/// `infra/./modules/job`.
fn lexical_join(dir: &str, source: &str) -> std::path::PathBuf {
    use std::path::{Component, PathBuf};
    let mut out = PathBuf::new();
    for part in std::path::Path::new(dir).join(source).components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

fn module_units(
    folder: &Folder,
    reads: Vec<(terraform::FileRead, Vec<String>)>,
    var_reads: Vec<terraform::FileRead>,
    members: &mut Vec<Member<Loc>>,
) -> Vec<Unit> {
    let module = folder.module;
    let texts = &folder.texts;
    let mut reads = reads.into_iter();
    let mut units = Vec::new();
    for ((input, text), report) in module.files.iter().zip(texts).zip(&module.report) {
        let (file, scopes) = match text.and_then(|_| reads.next()) {
            Some((file, scopes)) => (Some(file), scopes),
            None => (None, Vec::new()),
        };
        if !report {
            continue;
        }
        let Some(text) = text else {
            units.push(not_utf8(&input.name));
            continue;
        };
        let unit = terraform_unit(&input.name, text, file, false, &scopes, members);
        // A file of a module with neither configuration nor problem (variables.tf) says nothing.
        if !matches!(&unit, Unit::Terraform { items, configurations, .. } if items.is_empty() && configurations.is_empty())
        {
            units.push(unit);
        }
    }
    // A variable file that does not parse or is not text: its values are not used.
    for (input, file) in module.var_files.iter().zip(var_reads) {
        let Some(text) = input.text() else {
            units.push(not_utf8(&input.name));
            continue;
        };
        if !file.findings.is_empty() {
            let lines = LineIndex::new(text);
            units.push(Unit::Terraform {
                name: input.name.clone(),
                items: file
                    .findings
                    .iter()
                    .map(|f| import_item(&input.name, &lines, f))
                    .collect(),
                configurations: Vec::new(),
            });
        }
    }
    units
}

fn not_utf8(name: &str) -> Unit {
    Unit::Terraform {
        name: name.to_owned(),
        items: vec![Item {
            level: Level::Error,
            code: "invalid_json".to_owned(),
            path: String::new(),
            message: "the file is not utf-8 text: not read".to_owned(),
            hint: None,
            at: Loc {
                file: name.to_owned(),
                line: 1,
                column: 1,
                module: None,
            },
            related: Vec::new(),
            snippet: None,
        }],
        configurations: Vec::new(),
    }
}

/// A Terraform file's findings; `alone` when it was given by itself (then a file without any
/// configuration resource is an error, as for `import`).
fn terraform_unit(
    name: &str,
    text: &str,
    file: Option<terraform::FileRead>,
    alone: bool,
    scopes: &[String],
    members: &mut Vec<Member<Loc>>,
) -> Unit {
    let lines = LineIndex::new(text);
    let Some(file) = file else {
        return not_utf8(name);
    };
    let mut items: Vec<Item> = file
        .findings
        .iter()
        .map(|f| import_item(name, &lines, f))
        .collect();
    if alone && file.findings.is_empty() && file.resources.is_empty() {
        items.push(Item {
            level: Level::Error,
            code: "missing_request".to_owned(),
            path: String::new(),
            message: format!(
                "the text has no `resource \"{}\"` block",
                sm_config::render::TERRAFORM_RESOURCE_TYPE
            ),
            hint: None,
            at: loc(name, &lines, 0),
            related: Vec::new(),
            snippet: None,
        });
    }
    let mut configurations = Vec::new();
    for (n, resource) in file.resources.into_iter().enumerate() {
        // Which call of a local module the resource was read through, if any.
        let call = resource
            .address
            .strip_prefix("module.")
            .and_then(|rest| rest.split('.').next())
            .map(|label| format!("module.{label}"));
        let place = |span: Span| Loc {
            module: call.clone(),
            ..loc(name, &lines, span.start)
        };
        // Expressions compare within their module (and call): see [`modules_units`].
        let scope = scopes.get(n).map_or("", String::as_str);
        if let Some(member) = resource.member(scope, place) {
            members.push(member);
        }
        let mut findings: Vec<Item> = resource
            .imported
            .findings
            .iter()
            .map(|f| import_item(name, &lines, f))
            .collect();
        findings.extend(resource.imported.report.findings().iter().map(|f| {
            let span = resource.locate(&f.path, f.span);
            rule_item(name, &lines, f, span)
        }));
        findings.sort_by_key(|i| (i.at.line, i.at.column));
        configurations.push(Configuration {
            resource: resource.address.clone(),
            at: loc(name, &lines, resource.span.start),
            valid: !findings.iter().any(|i| i.level == Level::Error),
            findings,
            resolved: resource.resolved,
        });
    }
    Unit::Terraform {
        name: name.to_owned(),
        items,
        configurations,
    }
}

fn loc(file: &str, lines: &LineIndex, at: usize) -> Loc {
    let (line, column) = lines.line_column(at);
    Loc {
        file: file.to_owned(),
        line,
        column,
        module: None,
    }
}

fn snippet(lines: &LineIndex, span: Span) -> Option<(String, usize, usize)> {
    let (line, column) = lines.line_column(span.start);
    let (end_line, end_column) = lines.line_column(span.end);
    let text = lines.line_text(line);
    let width = if end_line == line {
        end_column.saturating_sub(column).max(1)
    } else {
        (text.chars().count() + 1).saturating_sub(column).max(1)
    };
    Some((text.to_owned(), column, width))
}

fn import_item(file: &str, lines: &LineIndex, f: &ImportFinding) -> Item {
    let level = match f.severity {
        Severity::Error => Level::Error,
        Severity::Warning if f.code.is_note() => Level::Note,
        Severity::Warning => Level::Warning,
        Severity::Info => Level::Note,
    };
    Item {
        level,
        code: f.code.as_str().to_owned(),
        path: f.path.clone(),
        message: f.message.clone(),
        hint: None,
        at: loc(file, lines, f.span.start),
        related: Vec::new(),
        snippet: snippet(lines, f.span),
    }
}

fn rule_item(file: &str, lines: &LineIndex, f: &Finding, span: Span) -> Item {
    Item {
        level: match f.severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
            Severity::Info => Level::Note,
        },
        code: f.code.as_str().to_owned(),
        path: f.path.clone(),
        message: f.message.clone(),
        hint: f.hint.clone(),
        at: loc(file, lines, span.start),
        related: Vec::new(),
        snippet: snippet(lines, span),
    }
}

/// A JSON body's or pasted command's findings, placed: import findings and `invalid_json`
/// carry offsets into the text; a finding about a field of a JSON body is placed on the field's
/// value (its very characters when written without escapes), a missing field on the object
/// that should hold it; what the text does not hold (the target from the options, the fields of
/// a pasted command's body) at the start of the text.
fn single_items(input: &Input, checked: &Checked) -> Vec<Item> {
    let text = input.text().unwrap_or("");
    let lines = LineIndex::new(text);
    let mut items: Vec<Item> = checked
        .unread
        .iter()
        .map(|f| import_item(&input.name, &lines, f))
        .collect();
    let body = checked.form.is_none();
    for f in checked.report.findings() {
        let span = match (f.code, f.span) {
            (sm_config::Code::InvalidJson, Some(span)) => Some(span),
            _ if body => json_place(text, &f.path, f.span),
            _ => None,
        };
        let mut item = rule_item(&input.name, &lines, f, span.unwrap_or(Span::new(0, 0)));
        if span.is_none() {
            item.snippet = None;
        }
        items.push(item);
    }
    items
}

/// Where a finding about `path` stands in a JSON body: see [`single_items`].
fn json_place(text: &str, path: &str, span: Option<Span>) -> Option<Span> {
    if let Some((value, verbatim)) = sm_config::import::json_value_span(text, path) {
        return Some(match (verbatim, span) {
            (Some(start), Some(s)) => Span::new(start + s.start, start + s.end),
            _ => value,
        });
    }
    // A missing field: the object that should hold it (`code_engine`, or the body itself).
    let in_target = FieldPath::Target.covers(path) && path != FieldPath::Target;
    match path.rsplit_once('.') {
        _ if in_target => None,
        Some((parent, _)) => json_place(text, parent, None),
        _ => {
            let start = text.len()
                - text
                    .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
                    .len();
            text.get(start..)
                .filter(|t| t.starts_with('{'))
                .map(|_| Span::new(start, start + 1))
        }
    }
}

/// A JSON body or command as a member of the checks across configurations: its instance is
/// the one it names (or the options name), its values literal.
fn single_member(input: &Input, checked: &Checked) -> Option<Member<Loc>> {
    let sm_config::ConfigurationPrototype::CustomCredentialsConfiguration(c) =
        checked.request.as_ref()?;
    let at = Loc {
        file: input.name.clone(),
        line: 1,
        column: 1,
        module: None,
    };
    let known = |s: &str| (!s.is_empty()).then(|| Key::literal(s));
    let instance = checked
        .target
        .as_ref()
        .and_then(|t| known(&t.instance_id).zip(known(&t.region)));
    Some(Member {
        at: at.clone(),
        instance,
        name: known(&c.name).map(|k| (k, at.clone())),
        job: known(&c.code_engine.project_id)
            .zip(known(&c.code_engine.job_name))
            .map(|k| (k, at.clone())),
    })
}

fn across_item(f: AcrossFinding<Loc>) -> Item {
    // The call a place in a local module belongs to, said in the message: every format shows it.
    let message = match &f.at.module {
        Some(module) => format!("{} (in {module})", f.message),
        None => f.message,
    };
    Item {
        level: Level::Error,
        code: f.code.as_str().to_owned(),
        path: String::new(),
        message,
        hint: Some(f.hint),
        at: f.at,
        related: f.related,
        snippet: None,
    }
}
