//! A Terraform `ibm_sm_custom_credentials_configuration` resource, alone or in a `.tf` file.

use super::{Body, ImportCode, ImportFinding, Read, Reference};
use crate::render::TERRAFORM_RESOURCE_TYPE;
use crate::report::Span;
use crate::target::Endpoint;
use hcl::edit::Span as _;
use hcl::edit::expr::Expression;
use hcl::edit::parser::parse_body;
use hcl::edit::structure::{Block, Body as HclBody, Structure};
use hcl::edit::template::{Element, Template};
use serde_json::{Map, Value};
use std::ops::Range;

/// Arguments every resource may have, which change nothing import reads.
const META: [&str; 5] = ["provider", "depends_on", "count", "for_each", "lifecycle"];
/// Blocks of the resource that change nothing import reads.
const META_BLOCKS: [&str; 3] = ["lifecycle", "timeouts", "connection"];

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

/// Reads the first `ibm_sm_custom_credentials_configuration` resource of `text`.
pub(crate) fn read(text: &str, parsed: Parsed) -> Read {
    let mut read = Read::default();
    let body = match parsed {
        Ok(body) => body,
        Err(err) => {
            let at = floor_char_boundary(text, err.location().offset());
            let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            read.findings.push(ImportFinding::error(
                ImportCode::Syntax,
                Span::new(at, end),
                format!(
                    "terraform syntax error at line {}, column {}: {}",
                    err.location().line(),
                    err.location().column(),
                    err.message()
                ),
            ));
            return read;
        }
    };
    let mut resources = body.blocks().filter(|b| {
        b.has_ident("resource")
            && b.labels.first().map(|l| l.as_str()) == Some(TERRAFORM_RESOURCE_TYPE)
    });
    let Some(resource) = resources.next() else {
        read.findings.push(ImportFinding::error(
            ImportCode::MissingRequest,
            Span::new(0, text.len()),
            format!("the text has no `resource \"{TERRAFORM_RESOURCE_TYPE}\"` block"),
        ));
        return read;
    };
    for other in resources {
        read.findings.push(ImportFinding::warning(
            ImportCode::Duplicate,
            span(text, other.span()),
            "the text holds more than one configuration resource: the first one is imported",
        ));
    }
    let mut reader = Reader {
        text,
        read: &mut read,
    };
    let mut fields = Map::new();
    fields.insert(
        "config_type".to_owned(),
        Value::String("custom_credentials_configuration".to_owned()),
    );
    reader.resource(&resource.body, &mut fields);
    if reader.read.target.region.is_none() && !reader.read.target.unread {
        // A resource without `region` uses its provider's.
        reader.read.target.region = provider_region(&body);
    }
    read.body = Some(Body::Value(fields, Default::default()));
    read
}

struct Reader<'a, 'r> {
    text: &'a str,
    read: &'r mut Read,
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
                            self.target(key, &attr.value);
                            continue;
                        }
                        _ if META.contains(&key) => continue,
                        _ => {
                            self.ignored(key, attr.span());
                            continue;
                        }
                    };
                    if let Some(value) = self.literal(&path, &attr.value) {
                        fields.insert(key.to_owned(), Value::String(value));
                    }
                }
                Structure::Block(block) if block.has_ident("code_engine") => {
                    let code_engine = self.code_engine(block);
                    fields.insert("code_engine".to_owned(), Value::Object(code_engine));
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
                    if !matches!(key, "job_name" | "project_id" | "region") {
                        self.ignored(&format!("code_engine.{key}"), attr.span());
                        continue;
                    }
                    if let Some(value) = self.literal(&format!("code_engine.{key}"), &attr.value) {
                        fields.insert(key.to_owned(), Value::String(value));
                    }
                }
                Structure::Block(inner) => self.ignored(
                    &format!("code_engine.{}", inner.ident.as_str()),
                    inner.span(),
                ),
            }
        }
        fields
    }

    fn target(&mut self, key: &str, value: &Expression) {
        let path = match key {
            "endpoint_type" => "target.endpoint".to_owned(),
            _ => format!("target.{key}"),
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
                        span(self.text, value.span()),
                        err.to_string(),
                    )
                    .at(path),
                ),
            },
        }
    }

    /// The literal value of an argument; a reference or expression is kept as a [`Reference`]
    /// with a finding naming the argument. `null` means the argument is not set.
    fn literal(&mut self, path: &str, value: &Expression) -> Option<String> {
        match value {
            Expression::Null(_) => return None,
            Expression::String(s) => return Some(s.value().clone()),
            Expression::Number(n) => return Some(n.value().to_string()),
            Expression::Bool(b) => return Some(b.value().to_string()),
            Expression::StringTemplate(t) => {
                if let Some(s) = template_literal(t) {
                    return Some(s);
                }
            }
            Expression::HeredocTemplate(h) => {
                if let Some(s) = template_literal(&h.template) {
                    return Some(s);
                }
            }
            _ => {}
        }
        let span = span(self.text, value.span());
        let expression = self
            .text
            .get(span.start..span.end)
            .unwrap_or_default()
            .trim()
            .to_owned();
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

    fn ignored(&mut self, what: &str, at: Option<Range<usize>>) {
        self.read.findings.push(ImportFinding::warning(
            ImportCode::Ignored,
            span(self.text, at),
            format!("`{what}` is not an argument of {TERRAFORM_RESOURCE_TYPE}: it is not used"),
        ));
    }
}

/// A template's text when it is all literal (no `${…}` or `%{…}`).
fn template_literal(template: &Template) -> Option<String> {
    let mut out = String::new();
    for element in template.iter() {
        match element {
            Element::Literal(s) => out.push_str(s.value()),
            _ => return None,
        }
    }
    Some(out)
}

/// The `region` of the `provider "ibm"` block, when it is a literal string.
fn provider_region(body: &HclBody) -> Option<String> {
    body.blocks()
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
