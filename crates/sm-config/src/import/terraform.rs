//! Terraform: `ibm_sm_custom_credentials_configuration` resources in `.tf` files.
//!
//! `read` takes the first resource of a pasted text (what `import` turns into one request);
//! [`read_module`] takes **every** resource of a module's files, resolving `var.*` from
//! literal defaults and `.tfvars` files (or, with [`read_module_call`], from the literal
//! arguments of the `module` block calling it) and `local.*` from literal locals, and says where each
//! value stands in its file so that findings get a line and a column. Both are linear in the
//! size of the text: each file is parsed once and each resource read once.
//!
//! A module's files may be in the native syntax (`.tf`) or in Terraform's JSON syntax
//! (`.tf.json`, see `json`): both give the same resources, variables and locals.

mod json;

use super::{Body, ImportCode, ImportFinding, Imported, LineIndex, Read, Reference, finish};
use crate::across::{Key, Member};
use crate::field::FieldPath;
use crate::model::ConfigType;
use crate::render::TERRAFORM_RESOURCE_TYPE;
use crate::report::Span;
use crate::target::Endpoint;
use hcl::edit::Span as _;
use hcl::edit::expr::{Expression, TraversalOperator};
use hcl::edit::parser::{parse_body, parse_template};
use hcl::edit::structure::{Block, Body as HclBody, Structure};
use hcl::edit::template::{Element, Template};
use jsonc_parser::ast::{Object as JsonObject, Value as JsonValue};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// Arguments every resource may have, which change nothing import reads.
const META: [&str; 5] = ["provider", "depends_on", "count", "for_each", "lifecycle"];
/// Meta-arguments that make one block several configurations.
const REPEATING: [&str; 2] = ["count", "for_each"];
/// Blocks of the resource that change nothing import reads.
const META_BLOCKS: [&str; 3] = ["lifecycle", "timeouts", "connection"];
/// How deep `local.a` → `local.b` → `var.c` chains are followed; deeper (or a cycle) is left
/// unresolved rather than looped on.
const MAX_DEPTH: usize = 16;

/// The text parsed as HCL, or where it stops parsing.
pub(crate) type Parsed = Result<HclBody, hcl::edit::parser::Error>;

/// The text parsed as HCL when it reads as Terraform: it parses with at least one block, or
/// it names the resource type (then its syntax error is worth reporting).
pub(crate) fn parse(text: &str) -> Option<Parsed> {
    let parsed = parse_body(text);
    let terraform = match &parsed {
        Ok(body) => body.blocks().next().is_some(),
        Err(_) => text.contains(TERRAFORM_RESOURCE_TYPE),
    };
    terraform.then_some(parsed)
}

/// Reads the first `ibm_sm_custom_credentials_configuration` resource of `text`, values as
/// written (no variable is resolved: a pasted text is not a module).
pub(crate) fn read(text: &str, parsed: Parsed) -> Read {
    let body = match parsed {
        Ok(body) => body,
        Err(err) => {
            return Read {
                findings: vec![syntax_error(text, &err)],
                ..Read::default()
            };
        }
    };
    let mut resources = resources(&body);
    let Some(resource) = resources.next() else {
        let mut read = Read::default();
        read.findings.push(ImportFinding::error(
            ImportCode::MissingRequest,
            Span::new(0, text.len()),
            format!("the text has no `resource \"{TERRAFORM_RESOURCE_TYPE}\"` block"),
        ));
        return read;
    };
    let duplicates: Vec<ImportFinding> = resources
        .map(|other| {
            ImportFinding::warning(
                ImportCode::Duplicate,
                span(text, other.span()),
                "the text holds more than one configuration resource: the first one is imported",
            )
        })
        .collect();
    let scope = Scope::default();
    let region = provider_region([&body]);
    let mut read = read_resource(text, ResourceBody::Hcl(&resource.body), region, &scope).read;
    read.findings.extend(duplicates);
    read
}

/// The resource blocks of the configuration type, in text order.
fn resources(body: &HclBody) -> impl Iterator<Item = &Block> {
    body.blocks().filter(|b| {
        b.has_ident("resource")
            && b.labels.first().map(|l| l.as_str()) == Some(TERRAFORM_RESOURCE_TYPE)
    })
}

fn syntax_error(text: &str, err: &hcl::edit::parser::Error) -> ImportFinding {
    let at = floor_char_boundary(text, err.location().offset());
    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    ImportFinding::error(
        ImportCode::Syntax,
        Span::new(at, end),
        format!(
            "terraform syntax error at line {}, column {}: {}",
            err.location().line(),
            err.location().column(),
            err.message()
        ),
    )
}

// ---------------------------------------------------------------- modules

/// One file given to [`read_module`]: its name (as shown in findings) and its text.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The name shown for it (a path).
    pub name: &'a str,
    /// Its text.
    pub text: &'a str,
}

/// Where a resolved value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// What holds it: ``the default of variable `job` ``, `` `job` in prod.tfvars ``, `` local `name` ``.
    pub what: String,
    /// The file's name as given.
    pub file: String,
    /// 1-based line of the value.
    pub line: usize,
    /// 1-based column (characters) of the value.
    pub column: usize,
}

/// A value given as a `var.*` or `local.*` expression (or a template of them) that was resolved
/// to a literal and checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolved {
    /// The wire path (`code_engine.job_name`).
    pub path: String,
    /// The expression as written in the resource.
    pub expression: String,
    /// The value it has.
    pub value: String,
    /// Where the expression stands in the resource's file.
    pub span: Span,
    /// Where its parts were found, innermost first.
    pub from: Vec<Origin>,
}

/// Where one argument's value (or block) stands in the resource's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueAt {
    /// The wire path (`code_engine.job_name`; `code_engine` for the block).
    pub path: String,
    /// The expression (for a block: its name).
    pub span: Span,
    /// Where the value stands character for character (a quoted string without escapes):
    /// offsets into the value are offsets from here.
    pub verbatim: Option<usize>,
}

/// One `ibm_sm_custom_credentials_configuration` resource of a module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// `ibm_sm_custom_credentials_configuration.NAME`.
    pub address: String,
    /// The block's `resource` keyword.
    pub span: Span,
    /// The request, the target it names, what was not understood and the rules' findings,
    /// as [`crate::import()`] gives them for one resource (spans point into this file).
    pub imported: Imported,
    /// Where each value stands.
    pub values: Vec<ValueAt>,
    /// The values resolved from variables and locals.
    pub resolved: Vec<Resolved>,
    /// `count` or `for_each` when the block stands for several configurations (`count of
    /// module x` when the call of its module has it).
    pub repeated: Option<String>,
}

impl Resource {
    /// Where a finding about `path` (with `span` into the value, if any) stands in the file:
    /// the very characters when the value is written verbatim, else the expression, else the
    /// nearest enclosing block that is written, else the resource itself.
    pub fn locate(&self, path: &str, span: Option<Span>) -> Span {
        let mut prefix = path;
        loop {
            if let Some(at) = self.values.iter().find(|v| v.path == prefix) {
                return match (prefix == path, at.verbatim, span) {
                    (true, Some(start), Some(s)) => Span::new(start + s.start, start + s.end),
                    _ => at.span,
                };
            }
            match prefix.rfind('.') {
                Some(dot) => prefix = &prefix[..dot],
                None => return self.span,
            }
        }
    }

    /// The resource as the rules across configurations see it, `None` when it stands for
    /// several configurations (`count`, `for_each`): those cannot be counted or compared.
    /// Expressions compare within `scope` (the module's folder); `place` turns spans into the
    /// caller's locations.
    pub fn member<L>(&self, scope: &str, place: impl Fn(Span) -> L) -> Option<Member<L>> {
        if self.repeated.is_some() {
            return None;
        }
        let key = |path: FieldPath, literal: Option<&str>| -> Option<Key> {
            if let Some(value) = literal.filter(|v| !v.is_empty()) {
                return Some(Key::literal(value));
            }
            self.imported
                .references
                .iter()
                .find(|r| r.path == path)
                .map(|r| Key::expression(scope, &r.expression))
        };
        let target = self.imported.target.as_ref();
        let request = self.imported.request.as_ref().map(|r| match r {
            crate::model::ConfigurationPrototype::CustomCredentialsConfiguration(c) => c,
        });
        let instance = key(
            FieldPath::InstanceId,
            target.map(|t| t.instance_id.as_str()),
        )
        .zip(key(
            FieldPath::TargetRegion,
            target.map(|t| t.region.as_str()),
        ));
        let name = key(FieldPath::Name, request.map(|c| c.name.as_str()))
            .map(|k| (k, place(self.locate(FieldPath::Name.as_str(), None))));
        let project = key(
            FieldPath::ProjectId,
            request.map(|c| c.code_engine.project_id.as_str()),
        );
        let job = key(
            FieldPath::JobName,
            request.map(|c| c.code_engine.job_name.as_str()),
        );
        Some(Member {
            at: place(self.span),
            instance,
            name,
            job: project
                .zip(job)
                .map(|k| (k, place(self.locate(FieldPath::JobName.as_str(), None)))),
        })
    }
}

/// What [`read_module`] found in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRead {
    /// The file's name as given.
    pub name: String,
    /// What kept the file (or parts of it) from being read: a syntax error.
    pub findings: Vec<ImportFinding>,
    /// Every configuration resource, in text order.
    pub resources: Vec<Resource>,
}

/// What [`read_module`] found in a module's files and its variable files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleRead {
    /// One entry per `.tf` file, in the order given.
    pub files: Vec<FileRead>,
    /// One entry per variable file (syntax errors only: they hold no resource).
    pub var_files: Vec<FileRead>,
    /// The module's calls of local modules (`module "x" { source = "./m" }`), in file order.
    pub calls: Vec<ModuleCall>,
}

/// A `module` block calling a local module (`source = "./m"` or `"../m"`): the called folder's
/// variables take its arguments (see [`read_module_call`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleCall {
    /// The block's name: `module "NAME"`.
    pub name: String,
    /// `source` as written (`./modules/reports`), relative to the calling module's folder.
    pub source: String,
    /// Which of the files given to [`read_module`] holds the block.
    pub file: usize,
    /// The block's name, in that file.
    pub span: Span,
    /// Its arguments (the meta-arguments `source`, `version`, `providers`, `depends_on`,
    /// `count` and `for_each` left out), in text order.
    pub arguments: Vec<Argument>,
    /// `count` or `for_each` when the call makes several instances of the module.
    pub repeated: Option<String>,
}

/// One argument of a [`ModuleCall`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Argument {
    /// The variable it sets.
    pub name: String,
    /// Its value when it is a literal (a string without interpolation, a number, a bool);
    /// `None` for an expression, which sm-config cannot know.
    pub value: Option<String>,
    /// The value, in the calling file.
    pub span: Span,
}

/// Meta-arguments of a `module` block: not variables of the called module.
const MODULE_META: [&str; 6] = [
    "source",
    "version",
    "providers",
    "depends_on",
    "count",
    "for_each",
];

/// Whether a module `source` is a folder of the same repository (Terraform's local paths).
pub fn is_local_source(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../")
}

/// Whether Terraform loads this file name by itself as a variable file: `terraform.tfvars`,
/// `terraform.tfvars.json`, `*.auto.tfvars` and `*.auto.tfvars.json`.
pub fn is_auto_var_file(name: &str) -> bool {
    matches!(name, "terraform.tfvars" | "terraform.tfvars.json")
        || name.ends_with(".auto.tfvars")
        || name.ends_with(".auto.tfvars.json")
}

/// The automatically loaded variable files among `names`, in Terraform's order (later files
/// override earlier ones): `terraform.tfvars`, `terraform.tfvars.json`, then the `*.auto.tfvars`
/// and `*.auto.tfvars.json` files by name.
pub fn auto_var_files<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut found: Vec<&str> = names.into_iter().filter(|n| is_auto_var_file(n)).collect();
    found.sort_by_key(|n| {
        let rank = match *n {
            "terraform.tfvars" => 0,
            "terraform.tfvars.json" => 1,
            _ => 2,
        };
        (rank, *n)
    });
    found
}

/// A variable file as parsed: HCL, or JSON (a name ending in `.json`).
enum VarFile {
    Hcl(Parsed),
    Json(Result<Map<String, Value>, serde_json::Error>),
}

fn parse_var_file(source: &Source<'_>) -> VarFile {
    if source.name.ends_with(".json") {
        VarFile::Json(serde_json::from_str(
            source.text.trim_start_matches('\u{feff}'),
        ))
    } else {
        VarFile::Hcl(parse_body(source.text))
    }
}

/// Reads every configuration resource of one module (one folder's `.tf` files). `var_files`
/// are `.tfvars` files in precedence order, lowest first (see [`auto_var_files`]; `-var-file`s
/// come after the automatic ones); only variables the module declares take their values.
pub fn read_module(files: &[Source<'_>], var_files: &[Source<'_>]) -> ModuleRead {
    read_folder(files, var_files, None)
}

/// Reads a module as `call` (a block of `caller`, the calling module's file) instantiates it:
/// each variable the call gives an argument takes that value — a literal, or for an
/// expression no known value (not its default: the argument replaces it) — and the others their
/// literal default. The folder's own variable files do not count: Terraform loads them for the
/// root module only. Addresses read `module.NAME.ibm_sm_custom_credentials_configuration.X`;
/// with a call's `count` or `for_each`, each resource stands for several configurations and is
/// noted as [`Resource::repeated`].
pub fn read_module_call<'a>(
    files: &[Source<'a>],
    caller: Source<'a>,
    call: &ModuleCall,
) -> ModuleRead {
    let mut read = read_folder(files, &[], Some((caller, call)));
    for file in &mut read.files {
        for resource in &mut file.resources {
            resource.address = format!("module.{}.{}", call.name, resource.address);
            if let (None, Some(key)) = (&resource.repeated, &call.repeated) {
                resource.repeated = Some(format!("{key} of module {}", call.name));
                resource.imported.findings.push(ImportFinding::warning(
                    ImportCode::Repeated,
                    resource.span,
                    format!(
                        "module `{}` is called with `{key}`: each of its configurations stands for several; values that depend on it are not checked, and they are left out of the checks across configurations",
                        call.name
                    ),
                ));
            }
        }
    }
    read
}

fn read_folder<'a>(
    files: &[Source<'a>],
    var_files: &[Source<'a>],
    call: Option<(Source<'a>, &ModuleCall)>,
) -> ModuleRead {
    let parsed: Vec<FileAst<'_>> = files
        .iter()
        .map(|f| {
            if is_json_syntax(f.name) {
                FileAst::Json(json::parse(f.text))
            } else {
                FileAst::Hcl(parse_body(f.text))
            }
        })
        .collect();
    let parsed_vars: Vec<VarFile> = var_files.iter().map(parse_var_file).collect();
    let mut scope = Scope {
        sources: files.iter().chain(var_files).copied().collect(),
        ..Scope::default()
    };
    scope.lines = scope
        .sources
        .iter()
        .map(|s| LineIndex::new(s.text))
        .collect();
    for (file, ast) in parsed.iter().enumerate() {
        match ast {
            FileAst::Hcl(Ok(body)) => scope.declare(file, body),
            FileAst::Json(Ok(root)) => scope.declare_json(file, root),
            _ => {}
        }
    }
    for (n, parsed) in parsed_vars.iter().enumerate() {
        match parsed {
            VarFile::Hcl(Ok(body)) => scope.assign(files.len() + n, body),
            VarFile::Json(Ok(values)) => scope.assign_json(files.len() + n, values),
            _ => {}
        }
    }
    if let Some((caller, call)) = call {
        scope.sources.push(caller);
        scope.lines.push(LineIndex::new(caller.text));
        scope.call(scope.sources.len() - 1, call);
    }
    let mut calls = Vec::new();
    for (file, ast) in parsed.iter().enumerate() {
        match ast {
            FileAst::Hcl(Ok(body)) => calls.extend(calls_in(files[file].text, file, body)),
            FileAst::Json(Ok(root)) => calls.extend(json::module_calls(file, root)),
            _ => {}
        }
    }
    // The first `provider "ibm"` with a literal region, in file order, whatever the syntax.
    let region = parsed.iter().find_map(|ast| match ast {
        FileAst::Hcl(Ok(body)) => provider_region([body]),
        FileAst::Json(Ok(root)) => json::provider_region(root),
        _ => None,
    });
    let read_files = files
        .iter()
        .zip(&parsed)
        .map(|(source, ast)| {
            let mut out = FileRead {
                name: source.name.to_owned(),
                findings: Vec::new(),
                resources: Vec::new(),
            };
            match ast {
                FileAst::Hcl(Err(err)) => out.findings.push(syntax_error(source.text, err)),
                FileAst::Json(Err(finding)) => out.findings.push(finding.clone()),
                FileAst::Hcl(Ok(body)) => {
                    for block in resources(body) {
                        let label = block.labels.get(1).map_or("", |l| l.as_str());
                        out.resources.push(module_resource(
                            source.text,
                            label,
                            span(source.text, block.ident.span()),
                            ResourceBody::Hcl(&block.body),
                            region.clone(),
                            &scope,
                        ));
                    }
                }
                FileAst::Json(Ok(root)) => {
                    for (label, at, body) in json::resources(root) {
                        out.resources.push(module_resource(
                            source.text,
                            label,
                            at,
                            ResourceBody::Json(body),
                            region.clone(),
                            &scope,
                        ));
                    }
                }
            }
            out
        })
        .collect();
    let var_reads = var_files
        .iter()
        .zip(&parsed_vars)
        .map(|(source, parsed)| FileRead {
            name: source.name.to_owned(),
            findings: match parsed {
                VarFile::Hcl(Err(e)) => vec![syntax_error(source.text, e)],
                VarFile::Json(Err(e)) => vec![ImportFinding::error(
                    ImportCode::Syntax,
                    Span::new(0, 0),
                    format!(
                        "json syntax error at line {}, column {}: the variable file is not a json object",
                        e.line(),
                        e.column()
                    ),
                )],
                _ => Vec::new(),
            },
            resources: Vec::new(),
        })
        .collect();
    ModuleRead {
        files: read_files,
        var_files: var_reads,
        calls,
    }
}

/// The calls of local modules in a module's files, as [`read_module`] gives them in
/// [`ModuleRead::calls`], reading nothing else: a file that never says `module` is not even
/// parsed. For finding which folders are called before reading them.
pub fn module_calls(files: &[Source<'_>]) -> Vec<ModuleCall> {
    let mut calls = Vec::new();
    for (file, source) in files.iter().enumerate() {
        if !source.text.contains("module") {
            continue;
        }
        if is_json_syntax(source.name) {
            if let Ok(root) = json::parse(source.text) {
                calls.extend(json::module_calls(file, &root));
            }
        } else if let Ok(body) = parse_body(source.text) {
            calls.extend(calls_in(source.text, file, &body));
        }
    }
    calls
}

/// The `module` blocks of a native file that call a local module.
fn calls_in(text: &str, file: usize, body: &HclBody) -> Vec<ModuleCall> {
    body.blocks()
        .filter(|b| b.has_ident("module"))
        .filter_map(|block| {
            let name = block.labels.first()?.as_str();
            let source = block.body.get_attribute("source")?.value.as_str()?;
            if !is_local_source(source) {
                return None;
            }
            let mut call = ModuleCall {
                name: name.to_owned(),
                source: source.to_owned(),
                file,
                span: span(text, block.labels.first()?.span()),
                arguments: Vec::new(),
                repeated: None,
            };
            for attr in block.body.attributes() {
                let key = attr.key.as_str();
                if REPEATING.contains(&key) {
                    call.repeated = Some(key.to_owned());
                }
                if MODULE_META.contains(&key) {
                    continue;
                }
                let value = match &attr.value {
                    Expression::String(s) => Some(s.value().to_string()),
                    Expression::Number(n) => Some(n.value().to_string()),
                    Expression::Bool(b) => Some(b.value().to_string()),
                    _ => None,
                };
                call.arguments.push(Argument {
                    name: key.to_owned(),
                    value,
                    span: span(text, attr.value.span()),
                });
            }
            Some(call)
        })
        .collect()
}

/// Whether a module file is in Terraform's JSON syntax: Terraform decides by the name alone.
pub fn is_json_syntax(name: &str) -> bool {
    name.ends_with(".tf.json")
}

/// A module file as parsed, in either syntax.
enum FileAst<'t> {
    Hcl(Parsed),
    Json(Result<JsonObject<'t>, ImportFinding>),
}

/// A resource's body, in either syntax.
#[derive(Clone, Copy)]
enum ResourceBody<'x, 't> {
    Hcl(&'x HclBody),
    Json(&'x JsonObject<'t>),
}

fn module_resource(
    text: &str,
    label: &str,
    at: Span,
    body: ResourceBody<'_, '_>,
    region: Option<String>,
    scope: &Scope<'_>,
) -> Resource {
    let parts = read_resource(text, body, region, scope);
    let mut imported = Imported {
        form: Some(crate::render::Format::Terraform),
        request: None,
        target: None,
        references: Vec::new(),
        findings: Vec::new(),
        report: Default::default(),
    };
    finish(&mut imported, parts.read);
    imported
        .findings
        .sort_by_key(|f| (f.span.start, f.span.end));
    Resource {
        address: format!("{TERRAFORM_RESOURCE_TYPE}.{label}"),
        span: at,
        imported,
        values: parts.values,
        resolved: parts.resolved,
        repeated: parts.repeated,
    }
}

/// The values a module gives `var.*` and `local.*`, and the files they come from.
#[derive(Default)]
struct Scope<'a> {
    sources: Vec<Source<'a>>,
    lines: Vec<LineIndex<'a>>,
    declared: HashSet<&'a str>,
    vars: HashMap<&'a str, Binding<'a>>,
    locals: HashMap<&'a str, Binding<'a>>,
}

/// A name's value and where it stands.
struct Binding<'a> {
    expr: Bound<'a>,
    file: usize,
    at: usize,
    what: String,
}

/// A value as written: an HCL expression, a scalar from a JSON file, or a JSON string that is a
/// template (`"${local.team}-job"`).
enum Bound<'a> {
    Expr(&'a Expression),
    Text(String),
    Template(Template),
    /// Set to something sm-config cannot know (a module argument that is an expression).
    Unknown,
}

impl<'a> Scope<'a> {
    /// Reads a module file's `variable` blocks (their literal defaults) and `locals`.
    fn declare(&mut self, file: usize, body: &'a HclBody) {
        for block in body.blocks() {
            if block.has_ident("variable") {
                let Some(name) = block.labels.first().map(|l| l.as_str()) else {
                    continue;
                };
                self.declared.insert(name);
                if let Some(default) = block.body.get_attribute("default") {
                    self.vars.insert(
                        name,
                        self.binding(
                            &default.value,
                            file,
                            format!("the default of variable `{name}`"),
                        ),
                    );
                }
            } else if block.has_ident("locals") {
                for attr in block.body.attributes() {
                    let name = attr.key.as_str();
                    self.locals.insert(
                        name,
                        self.binding(&attr.value, file, format!("local `{name}`")),
                    );
                }
            }
        }
    }

    /// Reads a variable file: each assignment to a declared variable overrides what it had.
    fn assign(&mut self, file: usize, body: &'a HclBody) {
        let file_name = self.sources[file].name;
        let short = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
        for attr in body.attributes() {
            let name = attr.key.as_str();
            if self.declared.contains(name) {
                let binding = self.binding(&attr.value, file, format!("`{name}` in {short}"));
                self.vars.insert(name, binding);
            }
        }
    }

    /// Gives the module's declared variables the arguments of the `module` block that calls it
    /// (in source `file`).
    fn call(&mut self, file: usize, call: &ModuleCall) {
        for argument in &call.arguments {
            let Some(&declared) = self.declared.get(argument.name.as_str()) else {
                continue;
            };
            self.vars.insert(
                declared,
                Binding {
                    expr: argument.value.clone().map_or(Bound::Unknown, Bound::Text),
                    file,
                    at: argument.span.start,
                    what: format!("argument `{}` of module `{}`", argument.name, call.name),
                },
            );
        }
    }

    /// Reads a JSON variable file: string, number and bool values of declared variables.
    fn assign_json(&mut self, file: usize, values: &Map<String, Value>) {
        let source = self.sources[file];
        let short = source
            .name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(source.name);
        for (name, value) in values {
            let Some(&declared) = self.declared.get(name.as_str()) else {
                continue;
            };
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                // A null leaves the default; lists and objects are no configuration value.
                _ => continue,
            };
            // A key with a `.` cannot be found by path: its value is placed at the file's start.
            let at = super::json_value_span(source.text, name)
                .filter(|_| !name.contains('.'))
                .map_or(0, |(span, _)| span.start);
            self.vars.insert(
                declared,
                Binding {
                    expr: Bound::Text(text),
                    file,
                    at,
                    what: format!("`{name}` in {short}"),
                },
            );
        }
    }

    fn binding(&self, expr: &'a Expression, file: usize, what: String) -> Binding<'a> {
        let at = expr.span().map_or(0, |r| r.start);
        Binding {
            expr: Bound::Expr(expr),
            file,
            at,
            what,
        }
    }

    /// The value of `expr` when it is a literal, a `var.*` or `local.*` with a known value, or
    /// a template of those; where the named values came from goes to `from`.
    fn eval(&self, expr: &Expression, depth: usize, from: &mut Vec<Origin>) -> Option<String> {
        if depth > MAX_DEPTH {
            return None;
        }
        match expr {
            Expression::String(s) => Some(s.value().clone()),
            Expression::Number(n) => Some(n.value().to_string()),
            Expression::Bool(b) => Some(b.value().to_string()),
            Expression::StringTemplate(t) => self.template(t, depth, from),
            Expression::HeredocTemplate(h) => self.template(&h.template, depth, from),
            Expression::Parenthesis(p) => self.eval(p.inner(), depth, from),
            Expression::Traversal(t) => {
                let Expression::Variable(root) = &t.expr else {
                    return None;
                };
                let [op] = t.operators.as_slice() else {
                    return None;
                };
                let TraversalOperator::GetAttr(name) = &**op else {
                    return None;
                };
                let table = match root.as_str() {
                    "var" => &self.vars,
                    "local" => &self.locals,
                    _ => return None,
                };
                let binding = table.get(name.as_str())?;
                let value = match &binding.expr {
                    Bound::Expr(expr) => self.eval(expr, depth + 1, from)?,
                    Bound::Text(text) => text.clone(),
                    Bound::Template(t) => self.template(t, depth + 1, from)?,
                    Bound::Unknown => return None,
                };
                let (line, column) = self.lines[binding.file].line_column(binding.at);
                from.push(Origin {
                    what: binding.what.clone(),
                    file: self.sources[binding.file].name.to_owned(),
                    line,
                    column,
                });
                Some(value)
            }
            _ => None,
        }
    }

    fn template(&self, t: &Template, depth: usize, from: &mut Vec<Origin>) -> Option<String> {
        let mut out = String::new();
        for element in t.iter() {
            match element {
                Element::Literal(s) => out.push_str(s.value()),
                Element::Interpolation(i) => out.push_str(&self.eval(&i.expr, depth, from)?),
                Element::Directive(_) => return None,
            }
        }
        Some(out)
    }
}

// ---------------------------------------------------------------- one resource

/// What reading one resource gives, before the core judges it.
struct Parts {
    read: Read,
    values: Vec<ValueAt>,
    resolved: Vec<Resolved>,
    repeated: Option<String>,
}

fn read_resource(
    text: &str,
    body: ResourceBody<'_, '_>,
    region: Option<String>,
    scope: &Scope<'_>,
) -> Parts {
    let mut reader = Reader {
        text,
        scope,
        read: Read::default(),
        values: Vec::new(),
        resolved: Vec::new(),
        repeated: None,
    };
    let mut fields = Map::new();
    fields.insert(
        FieldPath::ConfigType.key().to_owned(),
        Value::String(
            ConfigType::CustomCredentialsConfiguration
                .as_str()
                .to_owned(),
        ),
    );
    match body {
        ResourceBody::Hcl(body) => reader.resource(body, &mut fields),
        ResourceBody::Json(body) => reader.resource_json(body, &mut fields),
    }
    if reader.read.target.region.is_none() && !reader.read.target.unread {
        // A resource without `region` uses its provider's.
        reader.read.target.region = region;
    }
    reader.read.body = Some(Body::Value(fields, Default::default()));
    Parts {
        read: reader.read,
        values: reader.values,
        resolved: reader.resolved,
        repeated: reader.repeated,
    }
}

/// An argument's value as written, in either syntax.
#[derive(Clone, Copy)]
enum Arg<'x, 't> {
    Hcl(&'x Expression),
    Json(&'x JsonValue<'t>),
}

impl Arg<'_, '_> {
    /// `null`: the argument is not set.
    fn is_null(self) -> bool {
        match self {
            Arg::Hcl(e) => e.is_null(),
            Arg::Json(v) => matches!(v, JsonValue::NullKeyword(_)),
        }
    }

    fn span(self, text: &str) -> Span {
        match self {
            Arg::Hcl(e) => span(text, e.span()),
            Arg::Json(v) => json::span(v),
        }
    }

    /// A quoted string (which may stand verbatim in the file).
    fn is_string(self) -> bool {
        match self {
            Arg::Hcl(e) => matches!(e, Expression::String(_)),
            Arg::Json(v) => matches!(v, JsonValue::StringLit(_)),
        }
    }

    fn eval(self, scope: &Scope<'_>, from: &mut Vec<Origin>) -> Option<String> {
        match self {
            Arg::Hcl(e) => scope.eval(e, 0, from),
            Arg::Json(v) => scope.eval_json(v, from),
        }
    }

    /// The expression as shown and compared: as written, except that a JSON string made of
    /// one interpolation (`"${var.instance}"`) shows the expression inside, as a `.tf` file
    /// writes it, so that both syntaxes compare alike across configurations.
    fn expression(self, written: &str) -> String {
        match self {
            Arg::Hcl(_) => written.to_owned(),
            Arg::Json(v) => json::expression(v).unwrap_or_else(|| written.to_owned()),
        }
    }
}

struct Reader<'a, 's> {
    text: &'a str,
    scope: &'s Scope<'s>,
    read: Read,
    values: Vec<ValueAt>,
    resolved: Vec<Resolved>,
    repeated: Option<String>,
}

impl Reader<'_, '_> {
    fn resource(&mut self, body: &HclBody, fields: &mut Map<String, Value>) {
        for structure in body.iter() {
            match structure {
                Structure::Attribute(attr) => {
                    let key = attr.key.as_str();
                    let path = match key {
                        "name" | "api_key_ref" | "task_timeout" => key.to_owned(),
                        "instance_id" | "region" | "endpoint_type" => {
                            self.target(key, Arg::Hcl(&attr.value));
                            continue;
                        }
                        _ if REPEATING.contains(&key) => {
                            self.repeating(key, attr.span());
                            continue;
                        }
                        _ if META.contains(&key) => continue,
                        _ => {
                            self.ignored(key, attr.span());
                            continue;
                        }
                    };
                    if let Some(value) = self.literal(&path, Arg::Hcl(&attr.value)) {
                        fields.insert(key.to_owned(), Value::String(value));
                    }
                }
                Structure::Block(block) if block.has_ident("code_engine") => {
                    self.values.push(ValueAt {
                        path: FieldPath::CodeEngine.into(),
                        span: span(self.text, block.ident.span()),
                        verbatim: None,
                    });
                    let code_engine = self.code_engine(block);
                    fields.insert(
                        FieldPath::CodeEngine.key().to_owned(),
                        Value::Object(code_engine),
                    );
                }
                Structure::Block(block) if META_BLOCKS.contains(&block.ident.as_str()) => {}
                Structure::Block(block) => self.ignored(block.ident.as_str(), block.span()),
            }
        }
    }

    fn code_engine(&mut self, block: &Block) -> Map<String, Value> {
        let mut fields = Map::new();
        for structure in block.body.iter() {
            match structure {
                Structure::Attribute(attr) => {
                    let key = attr.key.as_str();
                    let path = format!("{}.{key}", FieldPath::CodeEngine);
                    if FieldPath::from_wire(&path).is_none() {
                        self.ignored(&path, attr.span());
                        continue;
                    }
                    if let Some(value) = self.literal(&path, Arg::Hcl(&attr.value)) {
                        fields.insert(key.to_owned(), Value::String(value));
                    }
                }
                Structure::Block(inner) => self.ignored(
                    &format!("{}.{}", FieldPath::CodeEngine, inner.ident.as_str()),
                    inner.span(),
                ),
            }
        }
        fields
    }

    fn target(&mut self, key: &str, value: Arg<'_, '_>) {
        let path = match key {
            "endpoint_type" => FieldPath::Endpoint.into(),
            _ => format!("{}.{key}", FieldPath::Target),
        };
        let Some(literal) = self.literal(&path, value) else {
            self.read.target.unread |= !value.is_null();
            return;
        };
        match key {
            "instance_id" => self.read.target.instance_id = Some(literal),
            "region" => self.read.target.region = Some(literal),
            _ => match literal.parse::<Endpoint>() {
                Ok(endpoint) => self.read.target.endpoint = endpoint,
                Err(err) => self.read.findings.push(
                    ImportFinding::warning(
                        ImportCode::InvalidTarget,
                        value.span(self.text),
                        err.to_string(),
                    )
                    .at(path),
                ),
            },
        }
    }

    /// The value of an argument: a literal, or a variable or local the scope knows. Anything
    /// else is kept as a [`Reference`] with a finding naming the argument. `null` means the
    /// argument is not set.
    fn literal(&mut self, path: &str, value: Arg<'_, '_>) -> Option<String> {
        if value.is_null() {
            return None;
        }
        let span = value.span(self.text);
        let written = self
            .text
            .get(span.start..span.end)
            .unwrap_or_default()
            .trim();
        let mut from = Vec::new();
        if let Some(resolved) = value.eval(self.scope, &mut from) {
            // A quoted string without escapes stands verbatim between its quotes.
            let verbatim = (from.is_empty()
                && value.is_string()
                && written.strip_prefix('"').and_then(|w| w.strip_suffix('"'))
                    == Some(resolved.as_str()))
            .then_some(span.start + 1);
            self.values.push(ValueAt {
                path: path.to_owned(),
                span,
                verbatim,
            });
            if !from.is_empty() {
                self.resolved.push(Resolved {
                    path: path.to_owned(),
                    expression: written.to_owned(),
                    value: resolved.clone(),
                    span,
                    from,
                });
            }
            return Some(resolved);
        }
        self.values.push(ValueAt {
            path: path.to_owned(),
            span,
            verbatim: None,
        });
        let expression = value.expression(written);
        self.read.findings.push(
            ImportFinding::warning(
                ImportCode::NotLiteral,
                span,
                format!(
                    "{path} is `{expression}`, not a literal value: it is kept as a reference and not checked"
                ),
            )
            .at(path),
        );
        self.read.references.push(Reference {
            path: path.to_owned(),
            expression,
            span,
        });
        None
    }

    fn repeating(&mut self, key: &str, at: Option<Range<usize>>) {
        self.repeated = Some(key.to_owned());
        self.read.findings.push(ImportFinding::warning(
            ImportCode::Repeated,
            span(self.text, at),
            format!(
                "`{key}` makes this block several configurations: values that depend on it are not checked, and it is left out of the checks across configurations"
            ),
        ));
    }

    fn ignored(&mut self, what: &str, at: Option<Range<usize>>) {
        self.read.findings.push(ImportFinding::warning(
            ImportCode::Ignored,
            span(self.text, at),
            format!("`{what}` is not an argument of {TERRAFORM_RESOURCE_TYPE}: it is not used"),
        ));
    }
}

/// The `region` of the first `provider "ibm"` block, when it is a literal string.
fn provider_region<'b>(bodies: impl IntoIterator<Item = &'b HclBody>) -> Option<String> {
    bodies
        .into_iter()
        .flat_map(|body| body.blocks())
        .filter(|b| b.has_ident("provider") && b.labels.first().map(|l| l.as_str()) == Some("ibm"))
        .find_map(|b| b.body.get_attribute("region"))
        .and_then(|attr| attr.value.as_str().map(str::to_owned))
}

/// A parser span as a [`Span`], clamped to the text.
fn span(text: &str, range: Option<Range<usize>>) -> Span {
    let range = range.unwrap_or(0..text.len());
    let start = floor_char_boundary(text, range.start);
    Span::new(start, floor_char_boundary(text, range.end.max(start)))
}

fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}
