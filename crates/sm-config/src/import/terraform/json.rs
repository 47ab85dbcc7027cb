//! Terraform's JSON syntax (`.tf.json`): the same blocks as the native syntax, written as
//! nested objects (`{"resource": {"TYPE": {"NAME": {...}}}}`).
//!
//! Following HCL's JSON mapping as Terraform documents it:
//! - where a block (or a level of its labels) is expected, an array of objects stands for
//!   several of them (`"code_engine": [{...}]`, `"provider": {"ibm": [{...}, {...}]}`);
//! - a property named `//` in a block is a comment;
//! - a string argument is a template: `"${var.job}"`, `"team-${local.suffix}"` (`$${` is a
//!   literal `${`); numbers and booleans are literals; `null` leaves the argument unset;
//! - a variable's `default` is a literal value, never a template; `locals` values are
//!   expressions like arguments.
//!
//! The text is parsed once, strictly (comments, trailing commas and the other JSON5
//! extensions are refused, as Terraform refuses them), into a tree that keeps each value's byte
//! range, so that findings get a line and a column; everything here is one pass over it.

use super::{
    Arg, Argument, Binding, Bound, META, META_BLOCKS, MODULE_META, ModuleCall, Origin, REPEATING,
    Reader, Scope, is_local_source, parse_template,
};
use crate::import::{ImportCode, ImportFinding};
use crate::render::TERRAFORM_RESOURCE_TYPE;
use crate::report::Span;
use hcl::edit::template::Element;
use jsonc_parser::ast::{Object, ObjectProp, ObjectPropName, Value as JsonValue};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions, parse_to_ast};
use serde_json::{Map, Value};

/// The property HCL's JSON syntax reserves for comments in a block.
const COMMENT: &str = "//";

/// Parses a `.tf.json` text: its root object, or the syntax error as a finding.
pub(super) fn parse(text: &str) -> Result<Object<'_>, ImportFinding> {
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::Off,
        tokens: false,
    };
    let strict = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    // A byte order mark is not JSON (Terraform's JSON reader refuses it too): say so rather than
    // point at an invisible character.
    if text.starts_with('\u{feff}') {
        return Err(ImportFinding::error(
            ImportCode::Syntax,
            Span::new(0, 3),
            "terraform json syntax error at line 1, column 1: the file starts with a byte order mark, which is not json",
        ));
    }
    let parsed = parse_to_ast(text, &collect, &strict).map_err(|err| {
        let range = err.range();
        let message = err.kind().to_string();
        ImportFinding::error(
            ImportCode::Syntax,
            clamp(text, range.start, range.end),
            format!(
                "terraform json syntax error at line {}, column {}: {}",
                err.line_display(),
                err.column_display(),
                lower_first(&message)
            ),
        )
    })?;
    match parsed.value {
        Some(JsonValue::Object(root)) => Ok(root),
        Some(other) => {
            let range = other.range();
            Err(ImportFinding::error(
                ImportCode::Syntax,
                clamp(text, range.start, range.end),
                "terraform json syntax error: the file's root is not an object",
            ))
        }
        None => Err(ImportFinding::error(
            ImportCode::Syntax,
            Span::new(0, text.len()),
            "terraform json syntax error: the file is empty",
        )),
    }
}

fn lower_first(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn clamp(text: &str, start: usize, end: usize) -> Span {
    let start = super::floor_char_boundary(text, start);
    Span::new(start, super::floor_char_boundary(text, end.max(start)))
}

/// A value's byte range.
pub(super) fn span(value: &JsonValue<'_>) -> Span {
    let range = value.range();
    Span::new(range.start, range.end)
}

fn name_span(prop: &ObjectProp<'_>) -> Span {
    let range = prop.name.range();
    Span::new(range.start, range.end)
}

fn name<'x>(prop: &'x ObjectProp<'_>) -> &'x str {
    match &prop.name {
        ObjectPropName::String(s) => &s.value,
        ObjectPropName::Word(w) => w.value,
    }
}

/// The objects a value stands for where blocks are expected: the object itself, or each
/// object of an array (several blocks of one kind). Anything else stands for none.
fn objects<'x, 't>(value: &'x JsonValue<'t>) -> impl Iterator<Item = &'x Object<'t>> {
    let (one, many) = match value {
        JsonValue::Object(o) => (Some(o), None),
        JsonValue::Array(a) => (None, Some(a.elements.iter())),
        _ => (None, None),
    };
    one.into_iter()
        .chain(many.into_iter().flatten().filter_map(|v| match v {
            JsonValue::Object(o) => Some(o),
            _ => None,
        }))
}

/// The properties of `object` other than comments.
fn props<'x, 't>(object: &'x Object<'t>) -> impl Iterator<Item = &'x ObjectProp<'t>> {
    object.properties.iter().filter(|p| name(p) != COMMENT)
}

/// The values of the root's properties named `kind`: each an object (or an array of objects)
/// holding that kind's blocks, by label.
fn blocks<'x, 't>(
    root: &'x Object<'t>,
    kind: &'static str,
) -> impl Iterator<Item = &'x JsonValue<'t>> {
    props(root)
        .filter(move |p| name(p) == kind)
        .map(|p| &p.value)
}

/// Every `ibm_sm_custom_credentials_configuration` resource: its name, where its name stands,
/// and its body, in text order.
pub(super) fn resources<'x, 't>(root: &'x Object<'t>) -> Vec<(&'x str, Span, &'x Object<'t>)> {
    let mut out = Vec::new();
    for types in blocks(root, "resource").flat_map(objects) {
        for typed in props(types).filter(|p| name(p) == TERRAFORM_RESOURCE_TYPE) {
            for named in objects(&typed.value) {
                for resource in props(named) {
                    for body in objects(&resource.value) {
                        out.push((name(resource), name_span(resource), body));
                    }
                }
            }
        }
    }
    out
}

/// The `module` blocks that call a local module, as [`super::module_calls`] reads them.
pub(super) fn module_calls(file: usize, root: &Object<'_>) -> Vec<ModuleCall> {
    let mut out = Vec::new();
    for modules in blocks(root, "module").flat_map(objects) {
        for module in props(modules) {
            for body in objects(&module.value) {
                let source = props(body).find(|p| name(p) == "source");
                let Some(JsonValue::StringLit(source)) = source.map(|p| &p.value) else {
                    continue;
                };
                if !is_local_source(&source.value) {
                    continue;
                }
                let mut call = ModuleCall {
                    name: name(module).to_owned(),
                    source: source.value.to_string(),
                    file,
                    span: name_span(module),
                    arguments: Vec::new(),
                    repeated: None,
                };
                for prop in props(body) {
                    let key = name(prop);
                    if REPEATING.contains(&key) {
                        call.repeated = Some(key.to_owned());
                    }
                    if MODULE_META.contains(&key) {
                        continue;
                    }
                    let value = match &prop.value {
                        JsonValue::StringLit(s) if is_template(&s.value) => None,
                        other => scalar(other),
                    };
                    call.arguments.push(Argument {
                        name: key.to_owned(),
                        value,
                        span: span(&prop.value),
                    });
                }
                out.push(call);
            }
        }
    }
    out
}

/// The `region` of the first `provider "ibm"` block, when it is a literal string.
pub(super) fn provider_region(root: &Object<'_>) -> Option<String> {
    blocks(root, "provider")
        .flat_map(objects)
        .flat_map(props)
        .filter(|p| name(p) == "ibm")
        .flat_map(|p| objects(&p.value))
        .find_map(|body| props(body).find(|p| name(p) == "region"))
        .and_then(|p| match &p.value {
            JsonValue::StringLit(s) if !is_template(&s.value) => Some(s.value.to_string()),
            _ => None,
        })
}

/// Whether a JSON string is a template rather than a literal (`${` or `%{`, escaped or not:
/// the escapes are the template parser's to undo).
fn is_template(s: &str) -> bool {
    s.contains("${") || s.contains("%{")
}

/// A scalar as Terraform reads it where a string is wanted; `None` for null, objects, arrays.
fn scalar(value: &JsonValue<'_>) -> Option<String> {
    match value {
        JsonValue::StringLit(s) => Some(s.value.to_string()),
        JsonValue::NumberLit(n) => Some(n.value.to_owned()),
        JsonValue::BooleanLit(b) => Some(b.value.to_string()),
        _ => None,
    }
}

/// The expression inside a string that is exactly one interpolation (`"${var.instance}"`).
pub(super) fn expression(value: &JsonValue<'_>) -> Option<String> {
    let JsonValue::StringLit(s) = value else {
        return None;
    };
    let template = parse_template(&s.value).ok()?;
    let mut elements = template.iter();
    match (elements.next(), elements.next()) {
        (Some(Element::Interpolation(_)), None) => Some(
            s.value
                .trim()
                .strip_prefix("${")?
                .strip_suffix('}')?
                .trim_start_matches('~')
                .trim_end_matches('~')
                .trim()
                .to_owned(),
        ),
        _ => None,
    }
}

impl<'a> Scope<'a> {
    /// Reads a `.tf.json` file's `variable` blocks (their literal defaults) and `locals`.
    pub(super) fn declare_json(&mut self, file: usize, root: &'a Object<'a>) {
        for variables in blocks(root, "variable").flat_map(objects) {
            for variable in props(variables) {
                let var = name(variable);
                self.declared.insert(var);
                let default = objects(&variable.value)
                    .flat_map(props)
                    .find(|p| name(p) == "default");
                // The default is a literal (Terraform does not read it as a template).
                if let Some(value) = default.and_then(|d| scalar(&d.value).map(|v| (d, v))) {
                    let (d, text) = value;
                    self.vars.insert(
                        var,
                        Binding {
                            expr: Bound::Text(text),
                            file,
                            at: d.value.range().start,
                            what: format!("the default of variable `{var}`"),
                        },
                    );
                }
            }
        }
        for locals in blocks(root, "locals").flat_map(objects) {
            for local in props(locals) {
                let local_name = name(local);
                let expr = match &local.value {
                    JsonValue::StringLit(s) if is_template(&s.value) => {
                        match parse_template(&s.value) {
                            Ok(template) => Bound::Template(template),
                            Err(_) => continue,
                        }
                    }
                    other => match scalar(other) {
                        Some(text) => Bound::Text(text),
                        // An object or a list: no configuration value.
                        None => continue,
                    },
                };
                self.locals.insert(
                    local_name,
                    Binding {
                        expr,
                        file,
                        at: local.value.range().start,
                        what: format!("local `{local_name}`"),
                    },
                );
            }
        }
    }

    /// The value of a JSON argument: a literal, or a template of known `var.*` and `local.*`.
    pub(super) fn eval_json(
        &self,
        value: &JsonValue<'_>,
        from: &mut Vec<Origin>,
    ) -> Option<String> {
        match value {
            JsonValue::StringLit(s) if is_template(&s.value) => {
                let template = parse_template(&s.value).ok()?;
                self.template(&template, 0, from)
            }
            other => scalar(other),
        }
    }
}

impl Reader<'_, '_> {
    /// Reads a `.tf.json` resource body as [`Reader::resource`] reads a native one.
    pub(super) fn resource_json(&mut self, body: &Object<'_>, fields: &mut Map<String, Value>) {
        for prop in props(body) {
            let key = name(prop);
            let whole = prop.range();
            match key {
                "name" | "api_key_ref" | "task_timeout" => {
                    if let Some(value) = self.literal(key, Arg::Json(&prop.value)) {
                        fields.insert(key.to_owned(), Value::String(value));
                    }
                }
                "instance_id" | "region" | "endpoint_type" => {
                    self.target(key, Arg::Json(&prop.value));
                }
                _ if REPEATING.contains(&key) => self.repeating(key, Some(whole.start..whole.end)),
                _ if META.contains(&key) || META_BLOCKS.contains(&key) => {}
                "code_engine" => {
                    for block in objects(&prop.value) {
                        self.values.push(super::ValueAt {
                            path: "code_engine".to_owned(),
                            span: name_span(prop),
                            verbatim: None,
                        });
                        let code_engine = self.code_engine_json(block);
                        fields.insert("code_engine".to_owned(), Value::Object(code_engine));
                    }
                }
                _ => self.ignored(key, Some(whole.start..whole.end)),
            }
        }
    }

    fn code_engine_json(&mut self, block: &Object<'_>) -> Map<String, Value> {
        let mut fields = Map::new();
        for prop in props(block) {
            let key = name(prop);
            let path = format!("code_engine.{key}");
            if !matches!(key, "job_name" | "project_id" | "region") {
                let whole = prop.range();
                self.ignored(&path, Some(whole.start..whole.end));
                continue;
            }
            if let Some(value) = self.literal(&path, Arg::Json(&prop.value)) {
                fields.insert(key.to_owned(), Value::String(value));
            }
        }
        fields
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(text: &str) -> Object<'_> {
        parse(text).unwrap()
    }

    #[test]
    fn resources_in_every_form_terraform_accepts() {
        let text = r#"{
  "//": "generated",
  "resource": [
    {"ibm_sm_custom_credentials_configuration": {"a": {"name": "a"}, "//": "x"}},
    {"ibm_sm_custom_credentials_configuration": [{"b": [{"name": "b1"}, {"name": "b2"}]}]},
    {"ibm_other": {"c": {}}}
  ]
}"#;
        let root = root(text);
        let found: Vec<(&str, &str)> = resources(&root)
            .into_iter()
            .map(|(n, at, _)| (n, &text[at.start..at.end]))
            .collect();
        assert_eq!(
            found,
            [("a", "\"a\""), ("b", "\"b\""), ("b", "\"b\"")],
            "each body of an array is a block"
        );
    }

    #[test]
    fn syntax_errors_name_their_place_and_json5_is_refused() {
        for (text, message) in [
            (
                "{\"resource\": {},}",
                "terraform json syntax error at line 1, column 16: ",
            ),
            (
                "{\n  // c\n}",
                "terraform json syntax error at line 2, column 3: comments are not allowed",
            ),
            (
                "[1]",
                "terraform json syntax error: the file's root is not an object",
            ),
            ("", "terraform json syntax error: the file is empty"),
        ] {
            let err = parse(text).err().unwrap_or_else(|| panic!("{text}"));
            assert_eq!(err.code, ImportCode::Syntax);
            assert!(err.message.starts_with(message), "{}", err.message);
        }
    }

    #[test]
    fn a_single_interpolation_shows_its_expression() {
        for (text, want) in [
            (r#""${var.instance_id}""#, Some("var.instance_id")),
            (
                r#""${ ibm_resource_instance.sm.guid }""#,
                Some("ibm_resource_instance.sm.guid"),
            ),
            (r#""a-${var.x}""#, None),
            (r#""plain""#, None),
            ("5", None),
        ] {
            let parsed = parse_to_ast(text, &Default::default(), &Default::default())
                .unwrap()
                .value
                .unwrap();
            assert_eq!(expression(&parsed).as_deref(), want, "{text}");
        }
    }
}
